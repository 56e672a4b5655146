"""Is every command linear in KPIs?  Each command as its own process on a local office of 5,000 and 20,000 KPIs
(round results for every KPI), whole-process wall time, and the ratio; issue #22 asks 20,000 ≤ 5× 5,000.

    python -m bench.linear [--sizes 5000,20000]

Prints a Markdown table that docs/benchmarks.md quotes.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.run import office, run_child, type_office

COMMANDS = {
    "build (nightly)": ["build", "--today", "2027-07-21"],
    "validate": ["validate", "--today", "2027-07-21"],
    "status": ["status", "--today", "2027-07-21"],
    "export --format json": ["export", "--format", "json"],
}


def measure(n: int) -> dict[str, float]:
    from sheets_sync.backends.xlsx import XlsxBackend

    folder = Path(tempfile.mkdtemp())
    path = folder / "workbook.xlsx"
    kpis, results, people = office(n)
    type_office(XlsxBackend(path), kpis, results, people=people)
    run_child(["build", "--sheet", str(path), "--today", "2027-07-20"], {})
    seconds = {}
    for label, args in COMMANDS.items():
        extra = ["-o", str(folder / "export.json")] if args[0] == "export" else []
        seconds[label] = run_child([*args, "--sheet", str(path), *extra], {}, cwd=folder)["process_seconds"]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000")
    small, large = (int(s) for s in parser.parse_args().sizes.split(","))
    a, b = measure(small), measure(large)
    print(f"| command | {small:,} KPIs s | {large:,} KPIs s | ratio ({large // small}× the KPIs) |")
    print("|---|---|---|---|")
    for label in COMMANDS:
        print(f"| {label} | {a[label]:.2f} | {b[label]:.2f} | {b[label] / a[label]:.1f} |")


if __name__ == "__main__":
    main()
