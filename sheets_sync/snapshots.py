"""Snapshots of a local workbook, taken before any command writes into staff's input tabs.

A snapshot is a byte-for-byte copy of the .xlsx beside a JSON manifest with a SHA-256 checksum, in
`.sheets-sync/snapshots/` next to the workbook; the newest `keep` are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

from .errors import SheetsSyncError
from .exit_codes import ExitCode
from .workbook import Backend

DEFAULT_KEEP = 20


def snapshot_dir(workbook: Path) -> Path:
    return workbook.parent / ".sheets-sync" / "snapshots"


def take_snapshot(backend: Backend, reason: str, keep: int = DEFAULT_KEEP, now: dt.datetime | None = None) -> Path:
    from .backends.xlsx import XlsxBackend

    if not isinstance(backend, XlsxBackend):
        raise SheetsSyncError(ExitCode.NOT_AVAILABLE, "ยังถ่ายสำเนาได้เฉพาะไฟล์ .xlsx ในเครื่อง",
                              "snapshots are only available for a local .xlsx workbook in this version")
    source = backend.path
    folder = snapshot_dir(source)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{source.stem}-{stamp}.xlsx"
    shutil.copy2(source, target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    manifest = {"workbook": source.name, "taken": stamp, "reason": reason, "sha256": digest}
    target.with_suffix(".json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    for old in sorted(folder.glob(f"{source.stem}-*.xlsx"))[:-keep]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)
    return target
