"""`copy`: every tab from one workbook to another, in either direction (.xlsx ↔ Google Sheet).

Values are copied as typed (dates stay dates: date cells on .xlsx, BE text in a Google Sheet's input tabs);
the layout, dropdowns, BE date formats and protection are then laid down as `init` lays them out, in the same
single write.  A destination whose tabs already hold data is refused unless forced, so a copy never overwrites
a workbook by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheets_sync.domain.words import Words
from sheets_sync.domain.schema import (
    ALL_TABS,
    SETTINGS,
    ColumnType,
    Tab,
    setting_by_key,
)
from sheets_sync.domain.thai import ParseError, parse_date
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.init import InitOptions, locale_operations, plan_init
from sheets_sync.workbook.operations import (
    DATE_FORMAT,
    INPUT_DATE_FORMAT,
    AddTab,
    Backend,
    Conflict,
    DeleteTab,
    Grid,
    Operation,
    ReplaceTab,
    SheetLocale,
    Value,
    WorkbookData,
    empty_default_tabs,
)
from sheets_sync.workbook.tables import map_header


@dataclass
class CopyReport:
    source: str
    destination: str
    tabs: list[tuple[str, int]] = field(default_factory=list)  # (title, data rows)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[Words] = field(default_factory=list)


def _tab_named(title: str) -> Tab | None:
    return next((t for t in ALL_TABS if t.matches_title(title)), None)


def _column_formats(title: str, header: list) -> tuple[str | None, ...]:
    tab = _tab_named(title)
    if tab is None:
        return ()
    columns, _, _ = map_header(tab, header)
    formats: list[str | None] = [None] * len(header)
    for key, index in columns.items():
        col = tab.column(key)
        date_format = INPUT_DATE_FORMAT if tab.is_input else DATE_FORMAT
        formats[index - 1] = date_format if col.type is ColumnType.DATE else col.number_format
    return tuple(formats)


def _dates_as_dates(title: str, grid: Grid) -> list[list[Value]]:
    """The rows with every readable date in a date column (or a date setting) as a date: each backend then
    writes it its own way (a date cell on .xlsx, BE text in a Google input tab), so a copy both ways is exact."""
    rows = [list(r) for r in grid.rows]
    tab = _tab_named(title)
    if tab is None or not rows:
        return rows
    columns, _, _ = map_header(tab, grid.header)
    dated = [i - 1 for key, i in columns.items() if tab.column(key).type is ColumnType.DATE]
    for row in rows[1:]:
        cells = list(dated)
        if tab is SETTINGS and "key" in columns and "value" in columns:
            setting = setting_by_key(str(_at(row, columns["key"] - 1) or ""))
            if setting is not None and setting.type is ColumnType.DATE:
                cells.append(columns["value"] - 1)
        for c in cells:
            if c < len(row) and row[c] not in (None, ""):
                try:
                    row[c] = parse_date(row[c])
                except ParseError:
                    pass  # staff's text that does not read stays as typed; validate names it
    return rows


def _at(row: list[Value], index: int) -> Value:
    return row[index] if index < len(row) else None


def plan_copy(source: WorkbookData, destination: WorkbookData, force: bool = False,
              layout: bool = True, as_typed: bool = False) -> list[Operation]:
    """`as_typed` keeps every value exactly as read (a snapshot, which restore must give back unchanged); a copy
    otherwise turns readable dates into dates, which each backend then writes its own way."""
    busy = [t for t in source.tabs if t in destination.tabs and destination.tabs[t].last_row > 0]
    if busy and not force:
        raise SheetsSyncError(
            ExitCode.USAGE,
            f"ปลายทางมีข้อมูลในแท็บ {', '.join(busy)} อยู่แล้ว ใช้ --force ถ้าต้องการเขียนทับ",
            f"the destination already holds data in {', '.join(busy)}; pass --force to overwrite it",
        )
    operations: list[Operation] = locale_operations(destination)
    for title, grid in source.tabs.items():
        if title not in destination.tabs:
            operations.append(AddTab(title))
        width = max((len(r) for r in grid.rows), default=0)
        values = grid.rows if as_typed else _dates_as_dates(title, grid)
        rows = tuple(tuple(r) + (None,) * (width - len(r)) for r in values) or ((),)
        notes = tuple((r, c, text) for (r, c), text in sorted(grid.notes.items()))
        known = _tab_named(title)
        generated = known is not None and not known.is_input
        operations.append(ReplaceTab(title, rows, _column_formats(title, grid.header), notes=notes,
                                     input=not generated))
    if layout:
        # laid out whatever the source's own layout mark says: the destination has none of it yet (a copy
        # --create was a bare sheet: no dropdowns, live checks, protection or text date columns)
        laid_out, _ = plan_init(source, InitOptions(relayout=True))
        operations += [op for op in laid_out if not isinstance(op, SheetLocale)]  # the destination's, above
    operations += [DeleteTab(t) for t in empty_default_tabs(destination) if t not in source.tabs]
    return operations


def copy_workbook(source: Backend, destination: Backend, force: bool = False) -> CopyReport:
    data = source.read()
    target = destination.read() if destination.exists() else WorkbookData()
    report = CopyReport(source.description, destination.description,
                        [(t, max(g.last_row - 1, 0)) for t, g in data.tabs.items()])
    result = destination.apply(plan_copy(data, target, force))
    report.conflicts = result.conflicts
    report.notes = result.notes
    return report
