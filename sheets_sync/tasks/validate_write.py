"""`validate --write`: the problems into the ตรวจสอบข้อมูล tab, and a note and highlight on each offending cell.

One atomic apply.  Values are never changed; the marks of the previous run are cleared first, so a cell that
was fixed loses its mark.
"""

from __future__ import annotations

from sheets_sync.domain import palette
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.schema import INPUT_TABS, PROBLEMS
from sheets_sync.workbook.generated import rewrite_generated_tab
from sheets_sync.workbook.operations import (
    MarkCells,
    Operation,
    Value,
    WorkbookData,
    quote_title,
)

SEVERITY_COLOURS = {Severity.ERROR: palette.RED, Severity.WARNING: palette.AMBER, Severity.INFO: palette.BLUE}


def plan_write(data: WorkbookData, problems: list[Problem]) -> tuple[list[Operation], int]:
    title = data.title_of(PROBLEMS)
    rows: list[tuple[Value, ...]] = [tuple(c.th for c in PROBLEMS.columns)]
    fills, links = [], []
    cell_col = [c.key for c in PROBLEMS.columns].index("cell") + 1
    for p in problems:
        rows.append((p.severity.th, p.tab, p.cell, p.key, p.th, p.en))
        fills.append((len(rows), 1, SEVERITY_COLOURS[p.severity]))
        where = p.location
        if where is not None and where.tab in data.tabs:
            links.append((len(rows), cell_col, f"{quote_title(where.tab)}!{p.cell.rpartition('!')[2]}"))
    operations: list[Operation] = rewrite_generated_tab(PROBLEMS, title, rows, fills=tuple(fills), links=tuple(links))
    marks: dict[str, dict[tuple[int, int], list[str]]] = {t: {} for t in data.tabs}
    for p in problems:
        where = p.location
        if where is None or where.tab not in marks or where.row < 2:
            continue
        marks[where.tab].setdefault((where.row, where.col), []).append(f"{p.severity.th}: {p.th}\n{p.en}")
    marked = 0
    for tab in INPUT_TABS:
        tab_title = data.title_of(tab)
        if tab_title is None:
            continue
        cells = marks.get(tab_title, {})
        marked += len(cells)
        operations.append(MarkCells(tab_title, tuple((r, c, "\n\n".join(notes)) for (r, c), notes in sorted(cells.items()))))
    return operations, marked
