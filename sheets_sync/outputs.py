"""Every file the tool makes from a workbook (an export, a report, a page, a document, a reminder text) goes
through here, so that three rules hold everywhere:

- **atomic**: the file appears whole or not at all (a temporary file in the same folder, flushed, renamed over);
  a failure halfway leaves the old file, never a partial one;
- **as private as the workbook**: a 0600 office file's outputs are 0600 too (the caller passes the mode);
- **inside its folder**: a name made from a cell is cleaned, and a path that would still leave the folder is
  refused.

A disk that is full, or a file-size limit, is said in words with its exit code instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator

from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
NO_NAME = "ไม่มีชื่อ"


def safe_file_name(text: str, limit: int = 80) -> str:
    """A file name a person finds and every system accepts, made from a cell: Thai kept, white space, path
    separators and characters Windows refuses dropped, no leading dot (no hidden file, no `..`)."""
    cleaned = re.sub(r"\s+", "", _UNSAFE.sub("", text)).lstrip(".")
    return cleaned[:limit] or NO_NAME


def unique_name(stem: str, taken: set[str]) -> str:
    """`stem`, or `stem_2`, `stem_3` … when an earlier file of the same run already took it."""
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}_{n}", n + 1
    taken.add(name)
    return name


def file_in(folder: Path, name: str) -> Path:
    """`folder/name` for a name made from a cell, cleaned; refused if it would still resolve outside `folder`."""
    path = folder / safe_file_name(name, 120)
    if path.resolve().parent != folder.resolve():
        raise SheetsSyncError(ExitCode.USAGE, f"ชื่อไฟล์ {name!r} ชี้ออกนอกโฟลเดอร์ {folder}",
                              f"the file name {name!r} points outside the folder {folder}")
    return path


_NO_ROOM = {errno.ENOSPC: ("พื้นที่ดิสก์เต็ม", "the disk is full"),
            errno.EFBIG: ("ไฟล์ใหญ่เกินขีดจำกัดขนาดไฟล์", "the file is larger than the file-size limit"),
            errno.EDQUOT: ("ใช้พื้นที่เกินโควตา", "the disk quota is used up")}


def no_room(exc: OSError, path: Path | str) -> SheetsSyncError | None:
    """A full disk, a quota or a file-size limit as the error a person reads, or None for any other failure."""
    words = _NO_ROOM.get(exc.errno or 0)
    if words is None:
        return None
    return SheetsSyncError(ExitCode.NOT_FOUND, f"เขียน {path} ไม่ได้: {words[0]} ไฟล์เดิมไม่ถูกแตะต้อง ทำที่ให้ว่างแล้วสั่งใหม่",
                           f"cannot write {path}: {words[1]}; the file as it was is untouched; make room and run "
                           "the command again")


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


@contextlib.contextmanager
def replacing(path: Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside `path` to write to; on success it is given `mode` and renamed over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())  # mkstemp's own 0600 is not meant
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        said = no_room(exc, path)
        if said is not None:
            raise said from None
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_output(path: Path, content: str | bytes, mode: int | None = None) -> Path:
    with replacing(path, mode) as temporary:
        if isinstance(content, str):
            temporary.write_text(content, encoding="utf-8")
        else:
            temporary.write_bytes(content)
    return path


OWNED_LIST = ".sheets-sync-files"  # in a folder the tool fills (the site): every file it wrote there, one a line


def claim_folder(folder: Path) -> list[Path]:
    """Empty what the tool wrote in `folder` last time, so no page of an earlier build (e.g. the staff pages of a
    non-public site) survives into this one; refuse a folder holding files the tool did not write.

    Returns the files removed."""
    if not folder.exists():
        return []
    listed = folder / OWNED_LIST
    owned = {folder / line for line in listed.read_text(encoding="utf-8").splitlines() if line.strip()} \
        if listed.is_file() else set()
    found = {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()} - {listed}
    foreign = sorted(p for p in found if p not in owned)
    if foreign:
        shown = ", ".join(str(p.relative_to(folder)) for p in foreign[:5]) + (" …" if len(foreign) > 5 else "")
        raise SheetsSyncError(
            ExitCode.USAGE,
            f"โฟลเดอร์ {folder} มีไฟล์ที่เครื่องมือไม่ได้สร้าง ({shown}) จึงไม่เขียนทับ โปรดเลือกโฟลเดอร์ว่างหรือโฟลเดอร์ที่ใช้ครั้งก่อน",
            f"the folder {folder} holds files the tool did not write ({shown}), so it is left alone; choose an "
            "empty folder, or the one used last time")
    for path in sorted(found, reverse=True):
        path.unlink()
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()
    return sorted(found)


def record_folder(folder: Path, files: list[Path], mode: int | None = None) -> None:
    """Remember what the tool wrote in `folder`, for the next `claim_folder`."""
    lines = sorted({str(p.relative_to(folder)) for p in files})
    write_output(folder / OWNED_LIST, "\n".join(lines) + "\n", mode)
