"""Writing a generated tab: the same few operations for build, validate --write and rollup."""

from __future__ import annotations

from sheets_sync.domain.schema import Tab
from sheets_sync.workbook.operations import (
    DATE_FORMAT,
    AddTab,
    ColumnWidth,
    FreezeRows,
    Operation,
    Protect,
    ReplaceTab,
    StyleHeader,
    Value,
    WorkbookData,
)


def rows_so_far(data: WorkbookData, tab: Tab) -> list[tuple[Value, ...]]:
    """A log tab's rows as they are (the header first), to append to: a history is never cut."""
    title = data.title_of(tab)
    rows = [tuple(r) for r in data.tabs[title].rows] if title else []
    return rows or [tuple(c.th for c in tab.columns)]


def column_formats(tab: Tab) -> tuple[str | None, ...]:
    """Each column's number format as the schema declares it; dates as BE date cells."""
    return tuple(DATE_FORMAT if c.type.value == "date" else c.number_format for c in tab.columns)


def rewrite_generated_tab(tab: Tab, title: str | None, rows: list[tuple[Value, ...]],
                          column_formats: tuple[str | None, ...] = (), fills: tuple = (), links: tuple = ()
                          ) -> list[Operation]:
    """Replace a generated tab whole (adding it, with its column widths, when `title` is None), then style the
    header, freeze it and protect the tab, all as part of the caller's one apply."""
    operations: list[Operation] = []
    if title is None:
        title = tab.th
        operations.append(AddTab(title))
        operations += [ColumnWidth(title, i, c.width, align) for i, (c, align)
                       in enumerate(zip(tab.columns, tab.alignments()), start=1)]
    operations += [
        ReplaceTab(title, tuple(rows), column_formats, tuple(fills), tuple(links), alignments=tab.alignments()),
        StyleHeader(title, len(tab.columns), generated=True),
        FreezeRows(title, 1),
        Protect(title),
    ]
    return operations
