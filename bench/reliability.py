"""Fault scenarios against the emulator, measured: `python -m bench.reliability [--runs 5] [--quota-minutes 1.2]`.

For each scenario a build runs on a Google Sheet (the emulator, with Google's per-user quota of 60 reads and
60 writes a minute switched on) while faults are injected; afterwards the sheet must hold either exactly the
old content or exactly the new one, the exit code must be the documented one, and a plain re-run must bring
it to the new content.  Prints a Markdown table for docs/reliability.md.
"""

from __future__ import annotations

import argparse
import os
import pickle
import tempfile
import time
from dataclasses import dataclass

from click.testing import CliRunner

from commands.cli import main
from tests.conftest import kpi, result, type_office
from tests.emulator import Emulator

TODAY = "2027-07-20"


@dataclass
class Scenario:
    name: str
    faults: list[dict]
    exit_code: int
    env: dict[str, str] | None = None


SCENARIOS = [
    Scenario("no fault", [], 0),
    Scenario("burst of 3 × 429 with Retry-After 1 s on the read", [dict(kind="429", count=3, retry_after=1.0)], 0),
    Scenario("burst of 5 × 429 (one less than the attempt limit)", [dict(kind="429", count=5, retry_after=0.2)], 0),
    Scenario("2 × 503 on the write", [dict(kind="503", count=2, match=":batchUpdate")], 0),
    Scenario("500 on the read", [dict(kind="500", count=1, match="/v4/spreadsheets/")], 0),
    Scenario("read answer slower than the timeout (3 s, timeout 1 s)",
             [dict(kind="slow", count=1, delay=3.0, match="/v4/spreadsheets/")], 0, {"SHEETS_SYNC_TIMEOUT": "1"}),
    Scenario("2 dropped connections on the read", [dict(kind="drop", count=2, match="/v4/spreadsheets/")], 0),
    Scenario("429 for good (Google keeps refusing)", [dict(kind="429", count=1000, retry_after=0.2)], 9),
    Scenario("500 on the write (may have landed: not retried)", [dict(kind="500", count=1, match=":batchUpdate")], 9),
    Scenario("connection dropped during the write", [dict(kind="drop", count=1, match=":batchUpdate")], 9),
]


def generated(emulator: Emulator, key: str) -> list:
    snapshot = emulator.snapshot(key)
    return [(s["properties"]["title"], s.get("data")) for s in snapshot["sheets"]
            if s["properties"]["title"] in ("สรุปคะแนน", "สรุปขั้นตอน", "สรุปผู้รับผิดชอบ")]


def max_in_window(times: list[float], window: float = 60.0) -> int:
    times = sorted(times)
    return max((sum(1 for t in times if s <= t < s + window) for s in times), default=0)


def run(runs: int, quota_minutes: float) -> str:
    os.environ["SHEETS_SYNC_THROTTLE_DIR"] = tempfile.mkdtemp()
    os.environ["SHEETS_SYNC_RETRY_BASE"] = "0.2"
    runner = CliRunner()
    lines = ["| scenario | runs | exit code | outcome | re-run | data lost | seconds per run | requests per run |",
             "|---|---|---|---|---|---|---|---|"]
    with Emulator() as emulator:
        os.environ["SHEETS_EMULATOR_HOST"] = emulator.host
        emulator.state.quota = {"read": 60, "write": 60}
        from sheets_sync.backends.target import open_backend, parse_target

        key = emulator.create("reliability")
        type_office(open_backend(parse_target(key)), [kpi(str(n), 1) for n in range(1, 101)],
                    [result(str(n), r, 60 + n % 40) for n in range(1, 101) for r in (6, 9)])
        old_state = pickle.dumps(emulator.state.spreadsheets[key])
        old = generated(emulator, key)
        runner.invoke(main, ["build", "--sheet", key, "--today", TODAY])
        new = generated(emulator, key)
        assert new != old
        for scenario in SCENARIOS:
            outcomes, reruns, seconds, requests = set(), set(), [], []
            for _ in range(runs):
                emulator.state.spreadsheets[key] = pickle.loads(old_state)
                emulator.state.faults.clear()
                for fault in scenario.faults:
                    emulator.add_fault(**fault)
                emulator.clear_log()
                started = time.monotonic()
                code = runner.invoke(main, ["build", "--sheet", key, "--today", TODAY], env=scenario.env).exit_code
                seconds.append(time.monotonic() - started)
                requests.append(len(emulator.requests()))
                assert code == scenario.exit_code, (scenario.name, code)
                state = generated(emulator, key)
                assert state in (old, new), scenario.name
                outcomes.add("new" if state == new else "old")
                emulator.state.faults.clear()
                again = runner.invoke(main, ["build", "--sheet", key, "--today", TODAY]).exit_code
                reruns.add("ok" if again == 0 and generated(emulator, key) == new else "FAILED")
            lines.append(f"| {scenario.name} | {runs} | {scenario.exit_code} | {' / '.join(sorted(outcomes))} content, "
                         f"whole | {' / '.join(sorted(reruns))} | none | {sum(seconds) / runs:.2f} | "
                         f"{sum(requests) / runs:.1f} |")
        # the quota: builds back to back for a while, the throttle shared with the emulator's own count
        emulator.clear_log()
        started = time.monotonic()
        builds = 0
        while time.monotonic() - started < quota_minutes * 60:
            code = runner.invoke(main, ["status", "--sheet", key, "--today", TODAY]).exit_code
            assert code == 0
            builds += 1
        log = emulator.requests()
        throttled = [e["time"] for e in log if e.get("status") != 429]
        refused = sum(1 for e in log if e.get("status") == 429)
        lines.append("")
        lines.append(f"Quota: {builds} `status` runs back to back for {time.monotonic() - started:.0f} s made "
                     f"{len(log)} requests; the most in any 60-second window was {max_in_window(throttled)} "
                     f"(Google allows 60); 429 answers from the emulator's quota: {refused}.")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quota-minutes", type=float, default=1.2)
    args = parser.parse_args()
    print(run(args.runs, args.quota_minutes))
