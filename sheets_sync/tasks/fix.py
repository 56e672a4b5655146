"""`fix`: turn loosely typed values into canonical cells — Thai digits, ร้อยละ and % into numbers; dates into date
cells on .xlsx and into BE text (`1 ต.ค. 2569`) on Google, including date cells a spreadsheet put in the wrong
year (2569 CE, or 1969 for a two-digit BE year) — in the input tabs only, after a snapshot, and only where the
cell still holds what was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sheets_sync.domain.words import Words
from sheets_sync.domain.cell import Location
from sheets_sync.domain.schema import INPUT_TABS
from sheets_sync.tasks.snapshot import take_snapshot
from sheets_sync.workbook.marks import is_mark
from sheets_sync.workbook.office import require_layout
from sheets_sync.workbook.operations import (
    Backend,
    Conflict,
    Value,
    WorkbookData,
    WriteCells,
    a1,
)
from sheets_sync.workbook.tables import loose_value, read_table


@dataclass
class Change:
    cell: str
    before: Value
    after: Value


@dataclass
class FixReport:
    target: str
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    snapshot: Path | None = None
    written: bool = False
    notes: list[Words] = field(default_factory=list)


def plan_fix(data: WorkbookData) -> tuple[list[WriteCells], list[Change]]:
    writes, changes = [], []
    for tab in INPUT_TABS:
        table = read_table(data, tab)
        if table.title is None:
            continue
        for record in table.records:
            for col in tab.columns:
                if col.key not in table.columns:
                    continue
                before = record.get(col.key)
                after = loose_value(col, before, data.dates_as_text)
                if after is None:
                    continue
                index = table.columns[col.key]
                writes.append(WriteCells(table.title, record.row, index, ((after,),), expect=((before,),)))
                changes.append(Change(a1(table.title, record.row, index), before, after))
    return writes, changes


def _marked(data: WorkbookData, changes: list[Change]) -> list[str]:
    """The fixed cells that still carry validate's mark: the mark is the last run's, so it says so."""
    found = []
    for change in changes:
        location = Location.parse(change.cell)
        grid = data.tabs.get(location.tab) if location else None
        if location and grid is not None and is_mark(grid.notes.get((location.row, location.col))):
            found.append(change.cell)
    return found


def run_fix(backend: Backend, dry_run: bool = False) -> FixReport:
    data = backend.read()
    require_layout(data)  # an empty or half-made workbook says what is missing, as every other command does
    writes, changes = plan_fix(data)
    report = FixReport(backend.description, changes)
    if writes and not dry_run:
        report.snapshot = take_snapshot(backend, data, "before fix")
        result = backend.apply(writes)
        report.notes = result.notes
        report.conflicts = result.conflicts
        conflicted = {c.cell for c in result.conflicts}
        report.changes = [c for c in changes if c.cell not in conflicted]
        report.written = True
        still = _marked(data, report.changes)
        if still:
            report.notes.append(Words(f"เซลล์ที่แก้แล้ว {len(still)} เซลล์ยังมีเครื่องหมายของการตรวจครั้งก่อน สั่ง sheets-sync validate "
                                 "--write เพื่อปรับเครื่องหมายให้เป็นปัจจุบัน",
                                 f"{len(still)} fixed cells still carry the last check's marks; run `sheets-sync "
                                 "validate --write` to bring the marks up to date"))
    return report


