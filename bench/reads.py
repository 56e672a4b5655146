#!/usr/bin/env python
"""What the commands that write nothing download from Google: `python -m bench.reads [--kpis 5000] [--before REV]`.

A build that finds nothing changed is among them: it reads and compares, and writes nothing.

An office of `--kpis` KPIs with three rounds of results is put into the emulator, built (so its summary tabs are
full) and validated with `--write` (so its problems tab is full). Then each read-only command runs as its own
process and the bytes of the emulator's answers are summed, with the process's peak memory. With `--before REV`
the same commands run again with the code of that git revision (a temporary worktree, first on sys.path), so the
table shows the change side by side. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import TODAY, run_child, seed  # noqa: E402
from tests.emulator import Emulator  # noqa: E402

COMMANDS = (("validate", ["validate", "--today", TODAY]), ("status", ["status", "--today", TODAY]),
            ("export", ["export", "--today", TODAY]), ("build (nothing changed)", ["build", "--today", TODAY]))


def measure(emulator: Emulator, key: str, env: dict[str, str], code: Path = ROOT) -> dict[str, tuple[int, int, float]]:
    """(requests, bytes received, peak MB) of each command, run with the code in `code`."""
    out = {}
    for name, args in COMMANDS:
        emulator.clear_log()
        record = run_child([*args, "--sheet", key], {**env, "PYTHONPATH": str(code)}, cwd=code)
        log = emulator.requests()
        out[name] = (len(log), sum(e.get("sent", 0) for e in log), record["rss_mb"])
    return out


def run(kpis: int, before: str | None) -> str:
    env = {"SHEETS_SYNC_THROTTLE_DIR": tempfile.mkdtemp(), "SHEETS_SYNC_READS_PER_MINUTE": "100000",
           "SHEETS_SYNC_WRITES_PER_MINUTE": "100000"}
    with Emulator() as emulator:
        env["SHEETS_EMULATOR_HOST"] = emulator.host
        key = seed(emulator, kpis)
        for args in (["init"], ["build", "--today", TODAY], ["validate", "--write", "--today", TODAY]):
            run_child([*args, "--sheet", key], env)
        now = measure(emulator, key, env)
        old = None
        if before is not None:
            tree = Path(tempfile.mkdtemp()) / "before"
            subprocess.run(["git", "worktree", "add", "--detach", str(tree), before], cwd=ROOT, check=True,
                           capture_output=True)
            try:
                old = measure(emulator, key, env, tree)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    lines = [f"{kpis:,} KPIs, each command its own process:", "",
             "| command | requests | MB received | peak MB |"
             + (f" before ({before}): requests | MB received | peak MB |" if old else ""),
             "|---|---|---|---|" + ("---|---|---|" if old else "")]
    for name, (requests, received, peak) in now.items():
        line = f"| {name} | {requests} | {received / 1e6:.1f} | {peak:.0f} |"
        if old:
            line += f" {old[name][0]} | {old[name][1] / 1e6:.1f} | {old[name][2]:.0f} |"
        lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kpis", type=int, default=5000)
    parser.add_argument("--before", help="a git revision to measure the same commands with, side by side")
    options = parser.parse_args()
    print(run(options.kpis, options.before))
