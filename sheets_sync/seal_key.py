"""The seal key: the secret the tool signs seals with (sheets_sync/domain/seals.py).  It lives in a file on the
coordinator's computer, beside the tool's other configuration (`SHEETS_SYNC_SEAL_KEY`, default
`~/.config/sheets-sync/seal.key`), never in the workbook: a person who can edit the sheet cannot sign a row.

It is made on the first seal, readable by its owner alone.  Lose it and every seal reads as not official until
the rounds are sealed again with a new key: back it up with the credentials (README, "Security").
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sheets_sync.config import Config, config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

DEFAULT = Path("~/.config/sheets-sync/seal.key")


def key_path(settings: Config | None = None) -> Path:
    return (settings or config()).path("SHEETS_SYNC_SEAL_KEY") or DEFAULT.expanduser()


def _parse(path: Path) -> bytes:
    if path.stat().st_mode & 0o077:
        raise SheetsSyncError(
            ExitCode.AUTH, f"กุญแจผนึก {path} คนอื่นในเครื่องอ่านได้ ใครมีกุญแจก็ผนึกแทนเขตได้ โปรดสั่ง chmod 600 {path}",
            f"the seal key {path} is readable by others on this computer, and whoever has it can sign seals: "
            f"run chmod 600 {path}")
    text = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 32:
        raise SheetsSyncError(ExitCode.AUTH, f"ไฟล์กุญแจผนึก {path} เสียหาย", f"the seal key file {path} is damaged")
    return key


def load_key(settings: Config | None = None) -> bytes | None:
    """The key, or None on a computer that has none (its seals then cannot be checked and are not official)."""
    path = key_path(settings)
    return _parse(path) if path.is_file() else None


def key_for_sealing(settings: Config | None = None) -> tuple[bytes, Path | None]:
    """The key, made now if this is the first seal on this computer; the path when it was just made."""
    path = key_path(settings)
    if path.is_file():
        return _parse(path), None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(32)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(key.hex() + "\n")
    return key, path
