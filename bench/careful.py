#!/usr/bin/env python
"""A careful gspread script for the same build as `sheets-sync build`: one metadata read (opening the
spreadsheet), one `values_batch_get` for every input tab, one `values_batch_clear` and one `values_batch_update`
for the summary tabs — 4 requests (one more for each further 9 MiB of values: Google refuses a request over
10 MiB), the fairest plain-gspread baseline.  Run as its own process by
bench/run.py so its imports count as sheets-sync's do:

    python bench/careful.py EMULATOR_HOST SPREADSHEET_KEY YYYY-MM-DD
    python bench/careful.py google SPREADSHEET_KEY YYYY-MM-DD     # real Google (bench/live.py): the credentials
                                                                  # sheets-sync finds ($GOOGLE_APPLICATION_CREDENTIALS…)
"""

from __future__ import annotations

import sys


def careful_build(host: str, key: str, today: str) -> None:
    import datetime as dt
    import json

    import gspread

    from sheets_sync.backends.google.credentials import emulator_session, google_session
    from sheets_sync.domain.schema import INPUT_TABS, tab_by_key
    from sheets_sync.tasks.build import generated_contents
    from sheets_sync.workbook.office import compile_office
    from sheets_sync.workbook.operations import Grid, WorkbookData

    session = google_session(None)[0] if host == "google" else emulator_session(host)
    # careful: it asks for gzipped answers as Google's performance guide says (Accept-Encoding and a User-Agent
    # naming gzip); gspread sends its request bodies as they are
    session.headers.update({"Accept-Encoding": "gzip", "User-Agent": "careful-script (gzip)"})
    client = gspread.Client(auth=None, session=session)  # type: ignore[arg-type]
    spreadsheet = client.open_by_key(key)
    ranges = [f"'{tab.th}'" for tab in INPUT_TABS]
    answer = spreadsheet.values_batch_get(ranges, params={"valueRenderOption": "UNFORMATTED_VALUE"})
    data = WorkbookData()
    for tab, block in zip(INPUT_TABS, answer["valueRanges"]):
        data.tabs[tab.th] = Grid(tab.th, [list(row) for row in block.get("values", [])])
    compiled = compile_office(data, dt.date.fromisoformat(today))
    contents = generated_contents(compiled)
    titles = {k: tab_by_key(k).th for k in contents}
    spreadsheet.values_batch_clear(body={"ranges": [f"'{titles[k]}'" for k in contents]})
    # careful: Google refuses a request over 10 MiB (docs/conformance.md), so the values go in as few requests as
    # stay under it, in slices of 10,000 rows measured as gspread sends them (one request up to ~5,000 KPIs)
    data = [{"range": f"'{titles[k]}'!A{first + 1}",
             "values": [[str(v) if v is not None else "" for v in row] for row in rows[first:first + 10_000]]}
            for k, (rows, _) in contents.items() for first in range(0, max(len(rows), 1), 10_000)]
    requests: list[list[dict]] = [[]]
    size = 0
    for entry in data:
        entry_size = len(json.dumps(entry))
        if requests[-1] and size + entry_size > 9 * 1024 * 1024:
            requests.append([])
            size = 0
        requests[-1].append(entry)
        size += entry_size
    for chunk in requests:
        spreadsheet.values_batch_update({"valueInputOption": "RAW", "data": chunk})


if __name__ == "__main__":
    careful_build(*sys.argv[1:4])
