"""One build at a time per workbook, across processes.

The lock is an OS file lock (flock via `filelock`), which the kernel drops when its process dies, so a build
killed with kill -9 never leaves a lock that blocks the next run.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from sheets_sync.backends.target import Target, TargetKind
from sheets_sync.config import config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode


def lock_path(target: Target) -> Path:
    if target.kind is TargetKind.XLSX:
        path = Path(target.location)
        return path.with_name(f".{path.name}.lock")
    cache = config().cache_dir
    return cache / f"{hashlib.sha256(target.location.encode()).hexdigest()[:16]}.lock"


@contextmanager
def workbook_lock(target: Target, wait_seconds: float) -> Iterator[None]:
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=wait_seconds)
    except Timeout as exc:
        raise SheetsSyncError(
            ExitCode.LOCKED,
            f"มีคำสั่ง sheets-sync อื่นกำลังเขียนสมุดงานนี้อยู่ รอแล้ว {wait_seconds:g} วินาที ไม่ได้เขียนอะไร",
            f"another sheets-sync command is writing this workbook; waited {wait_seconds:g} s, wrote nothing ({path})",
        ) from exc
    try:
        yield
    finally:
        lock.release()
