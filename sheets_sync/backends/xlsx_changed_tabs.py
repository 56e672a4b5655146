"""Rewrite only the tabs a write changes, leaving every other part of the .xlsx as it was.

The nightly `build` changes one or two small generated tabs, yet loading and saving the whole workbook with
openpyxl cost 1.2–1.5× what a plain load and save of the file costs (docs/benchmarks.md, issue #22).  Here
openpyxl loads only the changed tabs (with the workbook's styles, so every style index keeps its meaning), the
operations are carried out on them exactly as on a whole workbook, and the new package is the old one with
those tabs' parts, the styles, and the document properties swapped in.

Only writes whose effects stay inside those parts qualify (`changed_tabs`); anything else — notes, which bring
comment and drawing parts; filters and print titles, which live in workbook.xml; new or deleted tabs — takes the
whole-workbook path.  openpyxl writes cell text inline (no shared-string table), so a swapped-in tab refers to
nothing outside itself but the styles.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Sequence
from xml.etree import ElementTree

import openpyxl
from openpyxl.reader.excel import ExcelReader

from sheets_sync.backends.xlsx_parts import MAIN, sheet_parts, relationships_part
from sheets_sync.workbook.operations import (
    ColumnFormat,
    ColumnWidth,
    FreezeRows,
    Mark,
    Operation,
    Protect,
    ReplaceTab,
    SheetLocale,
    StyleHeader,
)

# the parts openpyxl rewrites for the whole workbook that a write of some tabs changes too
STYLES = "xl/styles.xml"
CORE = "docProps/core.xml"
CUSTOM = "docProps/custom.xml"


class NotInPlace(Exception):
    """This write cannot be done by swapping parts: the caller writes the whole workbook instead."""


def changed_tabs(operations: Sequence[Operation]) -> set[str] | None:
    """The tabs a write changes, when every one of its operations stays inside those tabs' own parts (and the
    styles and document properties); None when one does not."""
    tabs: set[str] = set()
    for op in operations:
        if isinstance(op, (SheetLocale, Mark)):
            continue
        if isinstance(op, ReplaceTab) and op.notes:
            return None  # notes bring comment and drawing parts of their own
        if isinstance(op, StyleHeader) and not op.generated:
            return None  # an input tab's filter is named in workbook.xml
        if not isinstance(op, (ReplaceTab, StyleHeader, FreezeRows, Protect, ColumnWidth, ColumnFormat)):
            return None
        tabs.add(op.tab)
    return tabs or None


def check_in_place(package: bytes, tabs: set[str], operations: Sequence[Operation]) -> None:
    """NotInPlace unless the file can take this write by swapping parts: every tab is a worksheet of its own
    with no related parts (notes, drawings, tables), at least one of them is visible (openpyxl saves no workbook
    without one), the print titles a header sets are already defined, and a fingerprint has its
    document-properties part to go into."""
    with zipfile.ZipFile(io.BytesIO(package)) as book:
        names = set(book.namelist())
        parts = dict(sheet_parts(book))
        for tab in tabs:
            part = parts.get(tab)
            if part is None or part not in names or "/worksheets/" not in part:
                raise NotInPlace(tab)
            if relationships_part(part) in names:
                raise NotInPlace(f"{tab} has related parts")
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = list(workbook.iter(f"{MAIN}sheet"))
    if all(sheet.get("state", "visible") != "visible" for sheet in sheets if sheet.get("name") in tabs):
        raise NotInPlace("only hidden tabs")
    titled = {int(name.get("localSheetId", "-1")) for name in workbook.iter(f"{MAIN}definedName")
              if name.get("name") == "_xlnm.Print_Titles"}
    positions = {sheet.get("name"): i for i, sheet in enumerate(sheets)}
    if not {positions[op.tab] for op in operations if isinstance(op, StyleHeader)} <= titled:
        raise NotInPlace("print titles")
    if any(isinstance(op, Mark) for op in operations) and CUSTOM not in names:
        raise NotInPlace("no custom properties part")
    if STYLES not in names:
        raise NotInPlace("no styles")


class _TabsReader(ExcelReader):
    """openpyxl's own reader, loading only some worksheets; names (print titles, filters) are left unbound,
    since workbook.xml, which holds them, is kept as it was."""

    def __init__(self, package: bytes, tabs: set[str]) -> None:
        super().__init__(io.BytesIO(package))
        self.tabs = tabs

    def read_workbook(self) -> None:
        super().read_workbook()
        every = self.parser.find_sheets
        self.parser.find_sheets = lambda: ((s, rel) for s, rel in every() if s.name in self.tabs)
        self.parser.assign_names = lambda: None


def load_tabs(package: bytes, tabs: set[str]) -> openpyxl.Workbook:
    """A workbook holding only `tabs`, with the file's styles and document properties."""
    reader = _TabsReader(package, tabs)
    reader.read()
    return reader.wb


def write_in_place(package: bytes, wb: openpyxl.Workbook, tabs: set[str], handle: IO[bytes]) -> None:
    """Write `package` into `handle` with `tabs` (as `wb` now holds them), the styles and the document
    properties swapped in; every other part is copied as it was.  NotInPlace when openpyxl wrote a changed tab
    with related parts after all (a link leaving the workbook)."""
    saved = io.BytesIO()
    wb.save(saved)
    with zipfile.ZipFile(io.BytesIO(package)) as old, zipfile.ZipFile(saved) as new:
        new_names = set(new.namelist())
        new_parts = dict(sheet_parts(new))
        swapped: dict[str, bytes] = {}
        for tab, part in sheet_parts(old):
            if tab in tabs:
                if relationships_part(new_parts[tab]) in new_names:
                    raise NotInPlace(f"{tab} was written with related parts")
                swapped[part] = new.read(new_parts[tab])
        for name in (STYLES, CORE, CUSTOM):
            if name in new_names:
                swapped[name] = new.read(name)
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as out:
            for info in old.infolist():
                data = swapped.get(info.filename)
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = info.external_attr
                out.writestr(entry, data if data is not None else old.read(info))
