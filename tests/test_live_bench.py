"""bench/live.py, the benchmark a person with real credentials runs on a real sheet (issue 35), run here on the
emulator: the same steps, so what the person pastes back measures what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_live_benchmark_measures_a_staged_whole_write_against_one_request_and_the_careful_script():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "live.py"), "--emulator", "--kpis", "40",
                           "--repeat", "1", "--staged-body", "20000"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = {}
    for line in done.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| 40 |"):
            rows[cells[1]] = int(cells[2])
    assert rows["build, one request"] == 2  # one read, one write: every summary whole in one body
    assert rows["build, bodies ≤ 2 MB (as shipped)"] > 3  # whole again (its marks forgotten), in staged parts
    assert rows["build (nothing changed)"] == 1
    assert rows["careful gspread"] == 4
