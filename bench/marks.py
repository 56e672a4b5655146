"""`validate --write` marking thousands of cells on Google (the emulator): `python -m bench.marks [--kpis 5000]`.

An office of `--kpis` KPIs, each typed with an unreadable weight, so validate marks one cell per KPI. The
command runs as its own process against the emulator (in this process), so its CPU time is the client's
alone. Issue #22 measured 113 s for 5,007 marks, nearly all of it splitting the body; the target is 5 s.
Prints a Markdown line for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import kpi, type_office
from tests.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent


def run(kpis: int) -> str:
    with Emulator() as emulator:
        env = {**os.environ, "SHEETS_EMULATOR_HOST": emulator.host, "SHEETS_SYNC_THROTTLE_DIR": tempfile.mkdtemp()}
        os.environ.update(env)
        from sheets_sync.backends.target import open_backend, parse_target

        key = emulator.create("marks")
        type_office(open_backend(parse_target(key)), [kpi(str(n), "สิบ") for n in range(1, kpis + 1)], [])
        emulator.clear_log()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", "from commands.cli import main; main()", "validate", "--write",
                               "--sheet", key, "--today", "2027-07-20"], cwd=ROOT, env=env, capture_output=True,
                              text=True)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        writes = [e for e in emulator.requests() if e["endpoint"] == "spreadsheets.batchUpdate"]
        marked = done.stdout.split("marked ")[-1].split(" cells")[0] if "marked " in done.stdout else "?"
        return (f"`validate --write`, {kpis:,} KPIs each with an unreadable weight: exit {done.returncode}, "
                f"{marked} cells marked in {len(writes)} write(s) of {sum(e['bytes'] for e in writes) / 1e6:.2f} MB; "
                f"{wall:.1f} s wall, {cpu:.1f} s client CPU (the emulator runs in the benchmark's process).")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kpis", type=int, default=5000)
    print(run(parser.parse_args().kpis))
