"""What an .xlsx file says that the calamine read does not, read straight from its parts (ECMA-376 Part 1:
§18.7 comments, §18.3.1.4 cells, §12.3.3 relationships):

- the notes (comments), so a read of a local workbook carries staff notes as a Google read does;
- how far each tab reaches, checked before anything is loaded: a value in the last cell (XFD1048576) or a
  zip bomb once made the reader allocate until the process aborted;
- formulas that carry no computed value (a file last saved by a tool that does not compute, openpyxl among
  them), so such a cell is read as its formula text and reported, never silently as blank.

openpyxl reads notes too, but only by loading the whole workbook (several times slower than calamine,
docs/benchmarks.md); these scans cost milliseconds.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from sheets_sync.domain.words import Bilingual
from sheets_sync.domain.cell import column_number

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
COMMENTS_TYPE = "/comments"
MAX_PART = 256 * 1024 * 1024  # a part larger than this unpacked is not a workbook anyone typed (a zip bomb)
MAX_CELLS = 10_000_000  # Google's own limit per spreadsheet: a tab reaching further is refused, not allocated
_CELL = re.compile(r"([A-Z]+)(\d+)")
_CELL_XML = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_CELL_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_STYLE_ATTR = re.compile(rb'\bs="([0-9]+)"')
_TEXT_TYPE = re.compile(rb'\bt="(?:s|str|inlineStr|b|e)"')  # a cell of text, a boolean or an error: not a number
_HOLDS = re.compile(rb"<(?:v|is|f)\b")  # a value, inline text or a formula: what a cell holds, not its format
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)  # a shared formula's followers are <f … />


class TooLarge(Bilingual, ValueError):
    """A workbook part or tab beyond what sheets-sync reads: (Thai, English) say which and why."""


def _bytes(book: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = book.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        raise TooLarge(f"ส่วน {name} ของไฟล์ใหญ่เกิน {MAX_PART // 2**20} MB เมื่อคลายออก",
                       f"the part {name} unpacks to more than {MAX_PART // 2**20} MB")
    return book.read(info)


def _read(book: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    data = _bytes(book, name)
    return None if data is None else ElementTree.fromstring(data)


def sheet_parts(book: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(tab title, worksheet part name) in the workbook's order."""
    workbook = _read(book, "xl/workbook.xml")
    if workbook is None:
        return []
    sheets = _rels(book, "xl/workbook.xml")
    found = []
    for sheet in workbook.iter(f"{MAIN}sheet"):
        kind_part = sheets.get(sheet.get(f"{DOC_REL}id", ""))
        if kind_part is not None:
            found.append((sheet.get("name", ""), kind_part[1]))
    return found


def _letters(number_of: bytes) -> int:
    return column_number(number_of.decode())


@dataclass
class SheetScan:
    rows: int = 0
    cols: int = 0
    formulas_without_value: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → "=…"
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # number cells shown as a percent
    notes: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → the note's text


def _notes(book: zipfile.ZipFile, sheet_part: str) -> dict[tuple[int, int], str]:
    """A tab's notes, 1-based; a comments part that does not parse leaves the notes out, never the values."""
    notes: dict[tuple[int, int], str] = {}
    for kind, part in _rels(book, sheet_part).values():
        if not kind.endswith(COMMENTS_TYPE):
            continue
        try:
            root = _read(book, part)
        except ElementTree.ParseError:
            continue
        for comment in root.iter(f"{MAIN}comment") if root is not None else ():
            m = _CELL.fullmatch(comment.get("ref", ""))
            if m:
                notes[(int(m[2]), column_number(m[1]))] = "".join(t.text or "" for t in comment.iter(f"{MAIN}t"))
    return notes


_BUILTIN_PERCENT = {9, 10}  # ECMA-376 Part 1 §18.8.30: 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, an escaped character, a colour or condition


def percent_styles(book: zipfile.ZipFile) -> set[int]:
    """The cell style indices (cellXfs, §18.8.10) whose number format shows a percent: a built-in 0% / 0.00%, or
    a format with % outside its quoted text."""
    try:
        styles = _read(book, "xl/styles.xml")
    except ElementTree.ParseError:
        return set()
    if styles is None:
        return set()
    percent_ids = set(_BUILTIN_PERCENT)
    for fmt in styles.iter(f"{MAIN}numFmt"):
        if "%" in _QUOTED.sub("", fmt.get("formatCode", "")):
            percent_ids.add(int(fmt.get("numFmtId", "-1")))
    cell_xfs = next(styles.iter(f"{MAIN}cellXfs"), None)
    xfs = [] if cell_xfs is None else list(cell_xfs.iter(f"{MAIN}xf"))
    return {i for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in percent_ids}


def scan_sheets(path: Path) -> dict[str, SheetScan]:
    """Each tab's extent, notes and formulas that carry no value, in one pass over the file's parts; TooLarge
    for a tab or part beyond the bounds."""
    scans: dict[str, SheetScan] = {}
    with zipfile.ZipFile(path) as book:
        total = sum(info.file_size for info in book.infolist())
        if total > 4 * MAX_PART:
            raise TooLarge(f"ไฟล์คลายออกแล้วใหญ่ถึง {total // 2**20} MB", f"the file unpacks to {total // 2**20} MB")
        percent = percent_styles(book)
        for title, part in sheet_parts(book):
            data = _bytes(book, part) or b""
            scan = SheetScan()
            # how far the tab's values reach: a row or cell that is only formatted (a fill or height given to the
            # sheet's last row, as Excel does for a whole-column format) holds nothing and reaches nowhere
            farthest = ("", 0)
            for attributes, inner in _CELL_XML.findall(data):
                if not inner or not _HOLDS.search(inner):
                    continue
                ref = _CELL_REF_ATTR.search(attributes)
                if ref is None:
                    continue
                row, col = int(ref[2]), _letters(ref[1])
                if percent:
                    style = _STYLE_ATTR.search(attributes)
                    if style is not None and int(style[1]) in percent and not _TEXT_TYPE.search(attributes):
                        scan.percent_cells.add((row, col))
                if row > scan.rows or col > scan.cols:
                    farthest = (ref[1].decode() + ref[2].decode(), max(row, col))
                scan.rows, scan.cols = max(scan.rows, row), max(scan.cols, col)
            if scan.rows * max(scan.cols, 1) > MAX_CELLS:
                raise TooLarge(
                    f"แท็บ {title} มีค่าไกลถึงเซลล์ {title}!{farthest[0]} (แถว {scan.rows:,} คอลัมน์ {scan.cols:,} เกิน "
                    f"{MAX_CELLS:,} เซลล์) อาจเป็นค่าที่หลงอยู่ โปรดลบค่านั้นแล้วบันทึกใหม่",
                    f"the tab {title} has a value as far as {title}!{farthest[0]}: it reaches row {scan.rows:,} and "
                    f"column {scan.cols:,}, more than {MAX_CELLS:,} cells (a stray value?); delete it and save again")
            if b"<f" in data:
                for attributes, inner in _CELL_XML.findall(data):
                    formula = _FORMULA.search(inner or b"")
                    if formula is None or b"<v>" in (inner or b"") and b"<v></v>" not in inner:
                        continue
                    ref = re.search(rb'\br="([A-Z]{1,3})([0-9]+)"', attributes)
                    if ref:
                        text = (formula.group(1) or b"").decode("utf-8", "replace") or "…"
                        scan.formulas_without_value[(int(ref[2]), _letters(ref[1]))] = "=" + text
            scan.notes = _notes(book, part)
            scans[title] = scan
    return scans


def relationships_part(part: str) -> str:
    """The name of the part that holds a part's relationships (ECMA-376 Part 2 §9.3.3)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target part name)."""
    folder = posixpath.dirname(part)
    root = _read(book, relationships_part(part))
    if root is None:
        return {}
    found = {}
    for rel in root.iter(f"{RELS}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", ""), path)
    return found


CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def custom_properties(path: Path, prefix: str) -> dict[str, str]:
    """The custom document properties (docProps/custom.xml, ECMA-376 Part 1 §22.3) whose names start with
    `prefix`, by name; none when the file or the part is not there."""
    try:
        with zipfile.ZipFile(path) as book:
            root = _read(book, "docProps/custom.xml")
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, TooLarge):
        return {}
    found = {}
    for prop in [] if root is None else root.iter(f"{CUSTOM}property"):
        name, text = prop.get("name", ""), "".join(prop.itertext())
        if name.startswith(prefix) and text:
            found[name] = text
    return found
