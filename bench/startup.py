#!/usr/bin/env python
"""Start-up: how long `sheets-sync --help`, `--version` and `status` on the demo take, whole process, against
`python -c "import click"` (the floor any Click tool pays).  Medians of repeated runs; the machine's speed
changes the seconds, the ratios are what count.  Targets (issue #21): --help ≤ 2.5 × import click; status on the
demo ≤ 0.5 s.

    python bench/startup.py            # prints the table
    python bench/startup.py --write    # and appends it to docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from commands.cli import main; main()"]


def median_seconds(command: list[str], runs: int, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: modules kept compiled (bench/run.py)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        subprocess.run(CLI + ["demo", "--dir", "demo"], cwd=work, capture_output=True, check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        floor = median_seconds([sys.executable, "-c", "import click"], args.runs, work)
        rows = [("python -c 'import click'", floor)]
        for label, extra in (("sheets-sync --help", ["--help"]), ("sheets-sync --version", ["--version"]),
                             ("sheets-sync status (demo)", ["status", "--sheet", "demo/workbook.xlsx", "--today",
                                                            "20/7/2570"])):
            rows.append((label, median_seconds(CLI + extra, args.runs, work)))
    lines = [f"### Start-up ({dt.date.today().isoformat()}, median of {args.runs} whole-process runs)", "",
             "| command | seconds | × import click |", "|---|---|---|"]
    lines += [f"| `{label}` | {seconds:.3f} | {seconds / floor:.1f} |" for label, seconds in rows]
    table = "\n".join(lines)
    print(table)
    if args.write:
        path = ROOT / "docs" / "benchmarks.md"
        path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n\n" + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
