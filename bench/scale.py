#!/usr/bin/env python
"""Compile time at 1,000 / 5,000 / 20,000 KPIs, in memory (no file, no Google): the steps that were quadratic
(owners' loads, parents' children, certification rules) show here first.

    python bench/scale.py
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheets_sync.domain.schema import AGREEMENTS, KPIS, PEOPLE, RESULTS, SETTINGS, STEPS  # noqa: E402
from sheets_sync.tasks.validate import ValidateOptions, validate  # noqa: E402
from sheets_sync.workbook.office import compile_office  # noqa: E402
from sheets_sync.workbook.operations import Grid, WorkbookData  # noqa: E402


def office(kpis: int) -> WorkbookData:
    people = 200
    data = WorkbookData()
    data.tabs[SETTINGS.th] = Grid(SETTINGS.th, [[c.th for c in SETTINGS.columns], ["fiscal_year", 2570]])
    data.tabs[STEPS.th] = Grid(STEPS.th, [[c.th for c in STEPS.columns]])
    data.tabs[PEOPLE.th] = Grid(PEOPLE.th, [[c.th for c in PEOPLE.columns]] +
                                [[f"P{n}", f"คน {n}"] for n in range(people)])
    header = [c.key for c in KPIS.columns]
    rows = [header]
    for n in range(kpis):
        parent = n // 10 * 10 if n % 10 else None  # every tenth KPI a parent of the nine after it
        row = {"kpi_id": str(n), "parent_id": str(parent) if parent is not None else None, "name": f"ตัวชี้วัด {n}",
               "weight": 1, "method": "interpolate", "c1": 60, "c2": 70, "c3": 80, "c4": 90, "c5": 100,
               "owner": f"P{n % people}", "supervisor": f"P{(n + 1) % people}"}
        rows.append([row.get(k) for k in header])
    data.tabs[KPIS.th] = Grid(KPIS.th, rows)
    result_header = [c.key for c in RESULTS.columns]
    results = [result_header] + [[str(n), 6, 60 + n % 40] + [None] * (len(result_header) - 3) for n in range(kpis)]
    data.tabs[RESULTS.th] = Grid(RESULTS.th, results)
    data.tabs[AGREEMENTS.th] = Grid(AGREEMENTS.th, [[c.th for c in AGREEMENTS.columns]])
    return data


def main() -> None:
    print("| KPIs | compile (s) | validate (s) |\n|---|---|---|")
    for kpis in (1_000, 5_000, 20_000):
        data = office(kpis)
        start = time.perf_counter()
        compile_office(data, dt.date(2027, 5, 1))
        compiled = time.perf_counter() - start
        start = time.perf_counter()
        validate(data, ValidateOptions(dt.date(2027, 5, 1)))
        print(f"| {kpis:,} | {compiled:.2f} | {time.perf_counter() - start:.2f} |")


if __name__ == "__main__":
    main()
