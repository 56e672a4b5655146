"""A build too large for one batchUpdate, failed on purpose at each of its writes:
`python -m bench.atomic [--kpis 5000]`.

On the emulator, an office of `--kpis` KPIs is built once (the "old" summaries), then round-9 results are typed
in. For the first, second, a middle and the last write of the next build, a 400 is injected at that write; what
readers see (the visible summary tabs) must then be exactly the old summaries, and a plain re-run must bring
exactly the new ones, with no staging tab left. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import pickle
import tempfile
import time

from click.testing import CliRunner

from commands.cli import main
from sheets_sync.domain.schema import RESULTS
from sheets_sync.workbook.tables import append_rows
from tests.conftest import kpi, person_types, result, type_office
from tests.emulator import Emulator

TODAY = "2027-07-20"
SUMMARIES = ("สรุปคะแนน", "สรุปขั้นตอน", "สรุปผู้รับผิดชอบ")
INJECTED = {"error": {"code": 400, "message": "Invalid requests[0]: injected by bench/atomic.py",
                      "status": "INVALID_ARGUMENT"}}


def seen(emulator: Emulator, key: str) -> list:
    """The summary tabs as a reader sees them: visible ones only, values and formats."""
    return [(s["properties"]["title"], s.get("data")) for s in emulator.snapshot(key)["sheets"]
            if s["properties"]["title"] in SUMMARIES and not s["properties"].get("hidden")]


def tabs(emulator: Emulator, key: str) -> list[str]:
    return [s["properties"]["title"] for s in emulator.snapshot(key)["sheets"]]


def run(kpis: int) -> str:
    os.environ["SHEETS_SYNC_THROTTLE_DIR"] = tempfile.mkdtemp()
    runner = CliRunner()
    with Emulator() as emulator:
        os.environ["SHEETS_EMULATOR_HOST"] = emulator.host
        from sheets_sync.backends.target import open_backend, parse_target

        key = emulator.create("atomic")
        ids = [str(n) for n in range(1, kpis + 1)]
        backend = open_backend(parse_target(key))
        type_office(backend, [kpi(i, 100 / kpis) for i in ids], [result(i, 6, 60 + int(i) % 40) for i in ids])
        assert runner.invoke(main, ["build", "--sheet", key, "--today", TODAY]).exit_code == 0
        old = seen(emulator, key)
        typing = open_backend(parse_target(key))
        person_types(typing, append_rows(typing.read(), RESULTS, [result(i, 9, 70 + int(i) % 30) for i in ids]))
        before_build = pickle.dumps(emulator.state.spreadsheets[key])
        emulator.clear_log()
        started, cpu = time.monotonic(), time.process_time()
        assert runner.invoke(main, ["build", "--sheet", key, "--today", TODAY]).exit_code == 0
        clean_seconds, clean_cpu = time.monotonic() - started, time.process_time() - cpu
        requests = emulator.requests()
        writes = [e for e in requests if e["endpoint"] == "spreadsheets.batchUpdate"]
        reads = len(requests) - len(writes)
        new = seen(emulator, key)
        assert new != old
        lines = [f"{kpis:,} KPIs: the build makes {reads} reads and {len(writes)} writes; without a fault it takes "
                 f"{clean_seconds:.1f} s, {clean_cpu:.1f} s of it client CPU.", "",
                 "| write that fails | exit code | readers see | re-run | staging tabs left after re-run |",
                 "|---|---|---|---|---|"]
        positions = sorted({0, 1, len(writes) // 2, len(writes) - 1})
        for position in positions:
            emulator.state.spreadsheets[key] = pickle.loads(before_build)
            emulator.state.faults.clear()
            emulator.add_fault("400", count=1, match=":batchUpdate", skip=position, body=INJECTED)
            code = runner.invoke(main, ["build", "--sheet", key, "--today", TODAY]).exit_code
            state = seen(emulator, key)
            outcome = "the old summaries, whole" if state == old else "NEW" if state == new else "A MIX"
            emulator.state.faults.clear()
            again = runner.invoke(main, ["build", "--sheet", key, "--today", TODAY]).exit_code
            rerun = "the new summaries" if again == 0 and seen(emulator, key) == new else "FAILED"
            left = sum(1 for t in tabs(emulator, key) if t.startswith("~"))
            lines.append(f"| {position + 1} of {len(writes)} | {code} | {outcome} | {rerun} | {left} |")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kpis", type=int, default=5000)
    print(run(parser.parse_args().kpis))
