"""Nothing lost: crashes at random moments, hostile input, and secrets never shown (issue: reliability).

Each test here is one row of docs/reliability.md, which gives the command that reproduces it.
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.exit_codes import ExitCode

from .conftest import ROOT, cli, kpi, office_workbook, result

# a few runs by default, so the suite stays quick; SHEETS_SYNC_KILL_RUNS=200 for the soak docs/reliability.md cites
KILL_RUNS = int(os.environ.get("SHEETS_SYNC_KILL_RUNS", "6"))


def summary(path: Path) -> list:
    wb = openpyxl.load_workbook(path)  # must open: a half-written file would raise here
    try:
        return [[list(r) for r in wb[t].iter_rows(values_only=True)] for t in ("สรุปคะแนน", "สรุปขั้นตอน")]
    finally:
        wb.close()


def build_process(path: Path, today: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from commands.cli import main; main()", "build", "--sheet",
                             str(path), "--today", today, "--quiet"], cwd=ROOT)


def test_kill_9_at_random_moments_never_leaves_a_broken_or_half_written_workbook(tmp_path: Path):
    old = office_workbook(tmp_path / "old.xlsx", [kpi(str(n), 1) for n in range(1, 301)],
                          [result(str(n), r, 60 + n % 40) for n in range(1, 301) for r in (6, 9)])
    assert build_process(old, "2027-04-01").wait(60) == 0
    new = tmp_path / "new.xlsx"
    shutil.copy(old, new)
    started = time.monotonic()
    assert build_process(new, "2027-07-20").wait(60) == 0
    full = time.monotonic() - started
    old_rows, new_rows = summary(old), summary(new)
    assert old_rows != new_rows
    target = tmp_path / "workbook.xlsx"
    outcomes = {"old": 0, "new": 0}
    killed = 0  # runs the signal really stopped mid-way, not after they had finished
    rng = random.Random(2570)
    for run in range(KILL_RUNS):
        shutil.copy(old, target)
        process = build_process(target, "2027-07-20")
        # half the kills anywhere in the run, half in its last 40 %, where the save happens
        time.sleep(rng.uniform(0, full) if run % 2 else rng.uniform(0.6 * full, full))
        process.send_signal(signal.SIGKILL)
        killed += process.wait(30) == -signal.SIGKILL
        rows = summary(target)
        assert rows in (old_rows, new_rows), f"run {run}: the workbook holds neither the old nor the new content"
        outcomes["old" if rows == old_rows else "new"] += 1
        # the lock died with the process: the next build is never blocked
        assert build_process(target, "2027-07-20").wait(60) == 0
        assert summary(target) == new_rows
    print(f"kill -9 runs: {KILL_RUNS} ({killed} stopped mid-way), left at the old content: {outcomes['old']}, "
          f"at the new: {outcomes['new']}")
    assert killed >= 1  # at least one build was really cut off: otherwise nothing above was tested


HOSTILE = {
    "formula": "=1+1",
    "importxml": '=IMPORTXML("http://evil.example/x","//a")',
    "huge": "ก" * 50_000,
    "control": "a\tb\nc",
    "emoji": "ผ่าน 🎉👍🏽",
    "rtl": "\u202eטקסט עברי مرحبا",
    "zero_width": "P\u200b03",
}


def hostile_workbook(path: Path) -> Path:
    office_workbook(path, [kpi("1", 60), kpi("2", 40)], [result("1", 6, 85), result("2", 6, 70)])
    wb = openpyxl.load_workbook(path)
    kpis, results, people = wb["ตัวชี้วัด"], wb["ผลการดำเนินงาน"], wb["บุคลากร"]
    kpis["C2"] = HOSTILE["huge"]
    kpis["D2"] = HOSTILE["emoji"]
    kpis["C3"] = HOSTILE["rtl"]
    results["C2"] = HOSTILE["importxml"]
    results["C2"].data_type = "s"  # typed as text, as Google returns a formula-looking string
    results["K2"] = HOSTILE["control"]
    results["C3"] = HOSTILE["formula"]  # a live formula in a staff cell: read as what it shows (nothing cached)
    people["B2"] = HOSTILE["zero_width"]
    people.merge_cells("F2:G3")
    people.row_dimensions[3].hidden = True
    wb.save(path)
    return path


def test_hostile_input_is_reported_never_crashes_and_never_becomes_a_formula(tmp_path: Path):
    path = hostile_workbook(tmp_path / "hostile.xlsx")
    checked = cli("validate", "--sheet", str(path), "--today", "2027-04-01", "--format", "json")
    assert checked.exit_code == ExitCode.INVALID_DATA
    codes = {(p["code"], p["cell"]) for p in __import__("json").loads(checked.output)["problems"]}
    assert ("cell.formula_text", "ผลการดำเนินงาน!C2") in codes
    assert ("results.result_unreadable", "ผลการดำเนินงาน!C2") in codes
    built = cli("build", "--sheet", str(path), "--today", "2027-04-01")
    assert built.exit_code == ExitCode.BUILT_WITH_PROBLEMS  # the unreadable result is left out, not fatal
    wb = openpyxl.load_workbook(path)
    for ws in (wb["สรุปคะแนน"], wb["สรุปขั้นตอน"], wb["สรุปผู้รับผิดชอบ"]):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} became a formula"
    names = [c.value for c in wb["สรุปคะแนน"]["C"]]
    # an .xlsx cell holds at most 32,767 characters (openpyxl cuts there on reading); validate warns about it
    assert HOSTILE["huge"][:32_767] in names and HOSTILE["rtl"] in names
    assert ("cell.at_excel_limit", "ตัวชี้วัด!C2") in codes


@pytest.mark.parametrize("damage", ["header typed twice", "tab renamed", "tab deleted"])
def test_a_broken_layout_is_reported_and_build_refuses_with_the_layout_code(tmp_path: Path, damage: str):
    path = office_workbook(tmp_path / "broken.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    before = path.read_bytes()
    wb = openpyxl.load_workbook(path)
    if damage == "header typed twice":
        wb["ตัวชี้วัด"]["AB1"] = "น้ำหนัก"
    elif damage == "tab renamed":
        wb["ผลการดำเนินงาน"].title = "ผลงาน"
    else:
        del wb["ผลการดำเนินงาน"]
    wb.save(path)
    damaged = path.read_bytes()
    checked = cli("validate", "--sheet", str(path), "--format", "json")
    assert checked.exit_code == ExitCode.INVALID_DATA and "layout." in checked.output
    built = cli("build", "--sheet", str(path), "--today", "2027-04-01")
    assert built.exit_code == ExitCode.LAYOUT
    assert ("ตัวชี้วัด!AB1" in built.stderr) if damage == "header typed twice" else ("sheets-sync init" in built.stderr)
    assert path.read_bytes() == damaged != before  # nothing written over the damaged workbook


def test_no_secret_ever_appears_in_output_logs_snapshots_or_errors(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SHEETS_EMULATOR_HOST", raising=False)
    key = tmp_path / "key.json"
    key.write_text((ROOT / "credentials.example.json").read_text())
    key.chmod(0o600)
    log = tmp_path / "runs.jsonl"
    local = office_workbook(tmp_path / "w.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    produced = []
    google = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"
    for args in (["build", "--sheet", google, "--log-json", str(log)],
                 ["--verbose", "validate", "--sheet", google],
                 ["copy", str(local), google],
                 ["build", "--sheet", str(local), "--log-json", str(log)],
                 ["snapshot", "--sheet", str(local)]):
        outcome = cli("--credentials", str(key), *args)
        produced += [outcome.output, outcome.stderr]
    key.chmod(0o644)
    outcome = cli("--credentials", str(key), "build", "--sheet", google)
    produced += [outcome.output, outcome.stderr, log.read_text()]
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != key and path.suffix in (".json", ".jsonl", ".xlsx"):
            produced.append(path.read_bytes().decode("latin-1"))
    everything = "\n".join(produced)
    for marker in ("PLACEHOLDER-NOT-A-REAL-KEY", "BEGIN PRIVATE KEY", "0000000000000000000000000000000000000000",
                   "000000000000000000000"):
        assert marker not in everything
