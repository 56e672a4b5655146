"""The checks a sheet can run itself while staff type, laid down by `init` on Google and on .xlsx alike: a KPI
id that does not exist, a committee score outside 0–5, the leaf KPIs' weights not adding up to 100.  (A round
other than 6/9/12 and a person not in บุคลากร are refused by the choice and person dropdowns init already
sets.)  `validate` stays the complete check; these only show a mistake the moment it is made.

Formulas use what Excel and Google Sheets both read; another tab is reached through INDIRECT, because
Google's conditional formatting cannot name another tab directly.
"""

from __future__ import annotations

from sheets_sync.domain.cell import column_letter
from sheets_sync.domain.schema import INPUT_TABS, KPIS, RESULTS
from sheets_sync.workbook.operations import (
    CHECK_MARK,
    LAST_CHECKED_ROW,
    Area,
    Dropdown,
    Highlights,
    NumberRange,
    Operation,
    quote_title,
)

LAST_ROW = LAST_CHECKED_ROW


def _col(columns: dict[str, int], key: str) -> str:
    return column_letter(columns[key])


def _span(columns: dict[str, int], key: str) -> str:
    letter = _col(columns, key)
    return f"${letter}$2:${letter}${LAST_ROW}"


def leaf_weight_total(kpi_columns: dict[str, int]) -> str:
    """Σ weight over the KPIs that are nobody's parent; SUMPRODUCT skips text weights in both programs."""
    return (f"SUMPRODUCT(--(COUNTIF({_span(kpi_columns, 'parent_id')},{_span(kpi_columns, 'kpi_id')})=0),"
            f"{_span(kpi_columns, 'weight')})")


def live_check_operations(titles: dict[str, str], columns: dict[str, dict[str, int]]) -> list[Operation]:
    ops: list[Operation] = []
    for tab in INPUT_TABS:
        for col in tab.columns:
            index = columns[tab.key].get(col.key)
            if index is None:
                continue
            if col.lookup is not None:
                source_tab, source_col = col.lookup
                ops.append(Dropdown(titles[tab.key], index, source_tab=titles[source_tab],
                                    source_col=columns[source_tab][source_col]))
            if col.bounds is not None:
                ops.append(NumberRange(titles[tab.key], index, *col.bounds))

    kpi, res = columns[KPIS.key], columns[RESULTS.key]
    total = leaf_weight_total(kpi)
    weight_col = kpi["weight"]
    ops.append(Highlights(titles[KPIS.key], (
        # the weight header and cells turn red while the leaves do not add up to 100 (or 1)
        (Area(titles[KPIS.key], 1, LAST_ROW, weight_col, weight_col),
         f"=AND({CHECK_MARK},COUNT({_span(kpi, 'weight')})>0,ROUND({total},4)<>100,ROUND({total},4)<>1)"),
    ), spans=titles[KPIS.key]))
    committee, kpi_id = _col(res, "committee_score"), _col(res, "kpi_id")
    low, high = RESULTS.column("committee_score").bounds or (0, 5)
    ids = f'INDIRECT("{quote_title(titles[KPIS.key])}!{_span(kpi, "kpi_id")}")'
    ops.append(Highlights(titles[RESULTS.key], (
        (Area(titles[RESULTS.key], 2, LAST_ROW, res["committee_score"], res["committee_score"]),
         f"=AND({CHECK_MARK},ISNUMBER({committee}2),OR({committee}2<{low},{committee}2>{high}))"),
        (Area(titles[RESULTS.key], 2, LAST_ROW, res["kpi_id"], res["kpi_id"]),
         f'=AND({CHECK_MARK},${kpi_id}2<>"",COUNTIF({ids},${kpi_id}2)=0)'),
    ), spans=titles[KPIS.key]))
    return ops
