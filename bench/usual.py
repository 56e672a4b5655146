#!/usr/bin/env python
"""What a typical script does with gspread and gspread-dataframe for the same build as `sheets-sync build`,
run as its own process by bench/run.py so its imports count as sheets-sync's do:

    python bench/usual.py EMULATOR_HOST SPREADSHEET_KEY YYYY-MM-DD
"""

from __future__ import annotations

import sys


def usual_build(host: str, key: str, today: str) -> None:
    import datetime as dt

    import gspread
    import pandas as pd
    from gspread_dataframe import get_as_dataframe, set_with_dataframe

    from sheets_sync.backends.google.credentials import emulator_session
    from sheets_sync.domain.schema import INPUT_TABS, tab_by_key
    from sheets_sync.tasks.build import generated_contents
    from sheets_sync.workbook.office import compile_office
    from sheets_sync.workbook.operations import Grid, WorkbookData

    client = gspread.Client(auth=None, session=emulator_session(host))  # type: ignore[arg-type]
    spreadsheet = client.open_by_key(key)
    data = WorkbookData()
    for tab in INPUT_TABS:
        frame = get_as_dataframe(spreadsheet.worksheet(tab.th), evaluate_formulas=True, dtype=str)
        frame = frame.where(pd.notna(frame), None)
        data.tabs[tab.th] = Grid(tab.th, [list(frame.columns)] + frame.values.tolist())
    compiled = compile_office(data, dt.date.fromisoformat(today))
    for key_, (rows, _) in generated_contents(compiled).items():
        title = tab_by_key(key_).th
        worksheet = spreadsheet.worksheet(title)
        worksheet.clear()
        frame = pd.DataFrame([[str(v) if v is not None else "" for v in r] for r in rows[1:]], columns=rows[0])
        set_with_dataframe(worksheet, frame, resize=True)


if __name__ == "__main__":
    usual_build(*sys.argv[1:4])
