"""The notes (comments) of an .xlsx file, read straight from its parts, so that a read of a local workbook
carries the staff's notes as a read of a Google Sheet does (snapshots, copies and checksums keep them).

openpyxl reads them too, but only by loading the whole workbook (several times slower than the calamine read
this accompanies, docs/benchmarks.md); the parts are small and their format is the standard's (ECMA-376
Part 1, §18.7 comments, §12.3.3 relationships), so reading them here costs a few milliseconds.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from sheets_sync.domain.cell import column_number

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
COMMENTS_TYPE = "/comments"
MAX_PART = 64 * 1024 * 1024  # a comments part larger than this is not a workbook anyone typed
_CELL = re.compile(r"([A-Z]+)(\d+)")


def _read(book: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = book.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        return None
    return ElementTree.fromstring(book.read(info))


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target part name)."""
    folder, name = posixpath.split(part)
    root = _read(book, posixpath.join(folder, "_rels", name + ".rels"))
    if root is None:
        return {}
    found = {}
    for rel in root.iter(f"{RELS}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return found


def read_notes(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Tab title → {(row, col): note text}, 1-based, for every tab that has notes."""
    notes: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as book:
        workbook = _read(book, "xl/workbook.xml")
        if workbook is None:
            return notes
        sheets = _rels(book, "xl/workbook.xml")
        for sheet in workbook.iter(f"{MAIN}sheet"):
            kind_part = sheets.get(sheet.get(f"{DOC_REL}id", ""))
            if kind_part is None:
                continue
            for kind, part in _rels(book, kind_part[1]).values():
                if not kind.endswith(COMMENTS_TYPE):
                    continue
                root = _read(book, part)
                if root is None:
                    continue
                for comment in root.iter(f"{MAIN}comment"):
                    m = _CELL.fullmatch(comment.get("ref", ""))
                    if not m:
                        continue
                    text = "".join(t.text or "" for t in comment.iter(f"{MAIN}t"))
                    notes.setdefault(sheet.get("name", ""), {})[(int(m[2]), column_number(m[1]))] = text
    return notes
