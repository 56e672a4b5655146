#!/usr/bin/env python
"""The benchmark only a real Google Sheet can answer (issue 35, docs/benchmarks.md "Live").

A build that writes every summary whole is, at 5,000 KPIs, 9.7 MB of typed CellData.  sheets-sync keeps Google's
recommendation of 2 MB a body: it writes such a build into hidden tabs in parts and pastes them in one last
batchUpdate (backends/google/staging.py).  On the emulator that is 3× slower than a careful gspread script that
sends bare text; whether Google too takes one gzipped request over 2 MB (under its hard 10 MiB) faster than the
parts, only Google can say.  This runs, on a real sheet, each size's build three ways, each its own process:

- `build` as shipped (bodies of at most 2 MB: staged past that),
- `build` with its bodies allowed up to 10,000,000 bytes of JSON (one request up to about 5,000 KPIs),
- bench/careful.py, the careful gspread script,

and a build with nothing to write, then prints the medians' table to paste into the issue.

    python bench/live.py --credentials KEY.json --sheet https://docs.google.com/spreadsheets/d/ID/edit
    python bench/live.py --emulator      # the same steps on the emulator at 150 ms a request (what the test runs)

The sheet must be a new, empty spreadsheet shared with the account as Editor: an office of each size is copied
into it (`copy` refuses a sheet whose tabs hold data) and stays there; delete the spreadsheet afterwards.  With
the default sizes (1,000 and 5,000 KPIs, 2 runs each) it makes 80 requests (1 min 39 s on the emulator at 150 ms
a request), inside Google's quota of 60 a minute (sheets-sync waits when it must).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import TODAY, forget_content_marks, office, run_child, usual_build  # noqa: E402

ONE_REQUEST = 10_000_000  # bytes of JSON: under Google's hard 10 MiB (10,485,760) per request, with room
WAYS = ("build, bodies ≤ 2 MB (as shipped)", "build, one request", "careful gspread", "build (nothing changed)")


def measure(key: str, sizes: list[int], repeat: int, credentials: str | None, careful_host: str,
            staged_body: int | None = None, count: Callable[[], int] | None = None) -> list[dict]:
    """Each size's office copied in, then `repeat` rounds of the four ways; `count()` (the emulator's log) says how
    many requests each made, where it can be known."""
    env = {"SHEETS_SYNC_THROTTLE_DIR": tempfile.mkdtemp()}
    if credentials:
        env["GOOGLE_APPLICATION_CREDENTIALS"] = str(Path(credentials).resolve())
    os.environ.update(env)
    shipped = {"BENCH_MAX_BODY": str(staged_body)} if staged_body else {}
    rows = []
    from sheets_sync.backends.xlsx import XlsxBackend
    from tests.conftest import type_office

    for position, n in enumerate(sizes):
        path = Path(tempfile.mkdtemp()) / f"office-{n}.xlsx"
        kpis, results, people = office(n)
        type_office(XlsxBackend(path), kpis, results, people=people)
        print(f"{n:,} KPIs: copying the office into the sheet…", file=sys.stderr, flush=True)
        # the first copy goes only into tabs without data (copy refuses others); later ones replace this bench's own
        run_child(["copy", str(path), key, *(["--force"] if position else [])], env)
        run_child(["validate", "--write", "--today", TODAY, "--sheet", key], env)
        samples: dict[str, list[tuple[float, float, int | None]]] = {way: [] for way in WAYS}
        for attempt in range(repeat):
            for way in WAYS:
                print(f"{n:,} KPIs, run {attempt + 1}/{repeat}: {way}", file=sys.stderr, flush=True)
                if way.startswith("build,"):
                    forget_content_marks(key, credentials)
                before = count() if count else 0
                if way == "careful gspread":
                    seconds, cpu, code = usual_build(careful_host, key, "careful.py")
                    if code:
                        raise RuntimeError(f"bench/careful.py failed (exit {code}) at {n} KPIs")
                else:
                    bodies = {"BENCH_MAX_BODY": str(ONE_REQUEST)} if way == "build, one request" else shipped
                    record = run_child(["build", "--today", TODAY, "--sheet", key], {**env, **bodies})
                    seconds, cpu = record["process_seconds"], record["process_cpu"]
                samples[way].append((seconds, cpu, count() - before if count else None))
        careful = statistics.median(s[0] for s in samples["careful gspread"])
        for way in WAYS:
            wall = statistics.median(s[0] for s in samples[way])
            rows.append({"kpis": n, "way": way, "wall": wall, "cpu": statistics.median(s[1] for s in samples[way]),
                         "requests": samples[way][-1][2], "ratio": wall / careful})
    return rows


def table(rows: list[dict], where: str) -> str:
    lines = [f"Measured on {where}; medians, each side its own process, imports included.", "",
             "| KPIs | who | requests | wall s | client CPU s | wall ÷ careful |", "|---|---|---|---|---|---|"]
    for row in rows:
        requests = "—" if row["requests"] is None else str(row["requests"])
        lines.append(f"| {row['kpis']:,} | {row['way']} | {requests} | {row['wall']:.2f} | {row['cpu']:.2f} | "
                     f"{row['ratio']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sheet", help="a new, empty Google spreadsheet shared with the account as Editor")
    parser.add_argument("--credentials", help="the credentials file (default: as sheets-sync finds them)")
    parser.add_argument("--emulator", action="store_true", help="run on the emulator instead (no Google needed)")
    parser.add_argument("--kpis", default="1000,5000", help="comma-separated office sizes (default 1000,5000)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each way; the median is reported")
    parser.add_argument("--staged-body", type=int, default=None,
                        help="bytes a body of the shipped build may hold (default Google's 2 MB; the test shrinks it)")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.kpis.split(",")]
    if args.emulator:
        from sheets_sync.backends.google.credentials import EMULATOR_ENV
        from tests.emulator import Emulator

        emulator = Emulator().start()
        os.environ[EMULATOR_ENV] = emulator.host
        emulator.state.latency = 0.15
        key = emulator.create("sheets-sync live bench")
        rows = measure(key, sizes, args.repeat, None, emulator.host, args.staged_body,
                       count=lambda: len(emulator.requests()))
        print(table(rows, "the emulator at 150 ms a request"))
        print(f"{len(emulator.requests())} requests in all, the copies included", file=sys.stderr)
        return 0
    if not args.sheet:
        parser.error("--sheet is needed (or --emulator)")
    from sheets_sync.backends.target import parse_target

    key = parse_target(args.sheet).location
    rows = measure(key, sizes, args.repeat, args.credentials, "google", args.staged_body)
    print(table(rows, "Google Sheets"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
