"""`copy`: every tab from one workbook to another, in either direction (.xlsx ↔ Google Sheet).

Values are copied as typed (dates stay date cells); the layout, dropdowns, BE date formats and protection
are then laid down as `init` lays them out, in the same single write.  A destination whose tabs already hold
data is refused unless forced, so a copy never overwrites a workbook by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import SheetsSyncError
from .exit_codes import ExitCode
from .layout import InitOptions, plan_init
from .schema import ALL_TABS, DATE_FORMAT, ColumnType, find_title
from .tables import map_header
from .workbook import AddTab, Backend, Conflict, DeleteTab, Operation, ReplaceTab, WorkbookData

DEFAULT_TAB_NAMES = ("Sheet1", "แผ่น1", "แผ่นงาน1")


@dataclass
class CopyReport:
    source: str
    destination: str
    tabs: list[tuple[str, int]] = field(default_factory=list)  # (title, data rows)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _column_formats(title: str, header: list) -> tuple[str | None, ...]:
    tab = next((t for t in ALL_TABS if find_title(t, [title])), None)
    if tab is None:
        return ()
    columns, _, _ = map_header(tab, header)
    formats: list[str | None] = [None] * len(header)
    for key, index in columns.items():
        col = tab.column(key)
        formats[index - 1] = DATE_FORMAT if col.type is ColumnType.DATE else col.number_format
    return tuple(formats)


def empty_default_tabs(data: WorkbookData) -> list[str]:
    return [t for t, g in data.tabs.items() if t in DEFAULT_TAB_NAMES and g.last_row == 0]


def plan_copy(source: WorkbookData, destination: WorkbookData, force: bool = False,
              layout: bool = True) -> list[Operation]:
    busy = [t for t in source.tabs if t in destination.tabs and destination.tabs[t].last_row > 0]
    if busy and not force:
        raise SheetsSyncError(
            ExitCode.USAGE,
            f"ปลายทางมีข้อมูลในแท็บ {', '.join(busy)} อยู่แล้ว ใช้ --force ถ้าต้องการเขียนทับ",
            f"the destination already holds data in {', '.join(busy)}; pass --force to overwrite it",
        )
    operations: list[Operation] = []
    for title, grid in source.tabs.items():
        if title not in destination.tabs:
            operations.append(AddTab(title))
        width = max((len(r) for r in grid.rows), default=0)
        rows = tuple(tuple(r) + (None,) * (width - len(r)) for r in grid.rows) or ((),)
        notes = tuple((r, c, text) for (r, c), text in sorted(grid.notes.items()))
        operations.append(ReplaceTab(title, rows, _column_formats(title, grid.header), notes=notes))
    if layout:
        laid_out, _ = plan_init(source, InitOptions())
        operations += laid_out
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
