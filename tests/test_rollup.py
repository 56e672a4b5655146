"""rollup over many offices: local files and Google sheets mixed, failures listed, the quota kept, resumable."""

import csv
import pickle
import time
from pathlib import Path

import pytest

from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.exit_codes import ExitCode

from .conftest import cli, kpi, office_workbook, result, type_office


def write_offices(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["รหัสเขต", "ชื่อเขต", "สมุดงาน"])
        writer.writerows(rows)
    return path


@pytest.fixture
def google(google, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # rollup's resume cache goes in the working folder
    return google


def google_offices(emulator, count: int, template_score: int = 85) -> list[str]:
    """`count` office workbooks on the emulator, copies of one typed office (fast: no requests)."""
    from sheets_sync.backends.target import open_backend, parse_target

    key = emulator.create("template")
    type_office(open_backend(parse_target(key)), [kpi("1", 60), kpi("2", 40)],
                [result("1", 6, template_score), result("2", 6, 70)])
    template = pickle.dumps(emulator.state.spreadsheets[key])
    keys = []
    for n in range(count):
        book = pickle.loads(template)
        book.spreadsheet_id = f"office{n:04d}" + "x" * 30
        emulator.state.spreadsheets[book.spreadsheet_id] = book
        keys.append(book.spreadsheet_id)
    return keys


def test_a_mix_of_local_files_and_google_sheets_with_failures_listed(google, tmp_path: Path):
    local_good = office_workbook(tmp_path / "a.xlsx", [kpi("1", 100)], [result("1", 6, 100)])
    local_broken = tmp_path / "broken.xlsx"
    local_broken.write_text("not a workbook")
    [sheet] = google_offices(google, 1)
    offices = write_offices(tmp_path / "offices.csv", [
        ("1001", "สพป. ก เขต 1", str(local_good)), ("1002", "สพป. ข เขต 1", sheet),
        ("1003", "สพป. ค เขต 1", str(local_broken)), ("1004", "สพป. ง เขต 1", "deleted" + "y" * 40),
    ])
    target = tmp_path / "province.xlsx"
    outcome = cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.BUILT_WITH_PROBLEMS, outcome.output
    data = XlsxBackend(target).read()
    ranked = data.tabs["สรุปรายเขต"].rows
    assert [r[1] for r in ranked[1:]] == ["1001", "1002"]  # 5.0 ranks above (60 × 3.5 + 40 × 2) / 100 = 2.9
    assert ranked[1][0] == 1 and ranked[1][4] == 5 and ranked[2][4] == pytest.approx(2.9)
    failures = {r[0]: r[4] for r in data.tabs["เขตที่อ่านไม่ได้"].rows[1:]}
    assert set(failures) == {"1003", "1004"}
    assert "not a valid .xlsx" in failures["1003"] and "not found" in failures["1004"]
    assert "about" in outcome.output and "failed 2" in outcome.output


def test_many_offices_on_google_within_the_quota_with_no_429(google, tmp_path: Path, monkeypatch):
    """12 office sheets, 20 ms latency, Google's quota scaled to 4 reads a second on both sides (bench/run.py
    measures 250 offices at the real 60 a minute)."""
    monkeypatch.setenv("SHEETS_SYNC_READS_PER_MINUTE", "4")
    monkeypatch.setenv("SHEETS_SYNC_QUOTA_WINDOW", "1.05")
    keys = google_offices(google, 12)
    offices = write_offices(tmp_path / "offices.csv", [(f"{2000 + n}", f"เขต {n}", k) for n, k in enumerate(keys)])
    target = google.create("province")
    google.state.quota, google.state.quota_window = {"read": 4, "write": 4}, 1.0
    google.state.recent = {"read": [], "write": []}
    google.state.latency = 0.02
    google.clear_log()
    started = time.monotonic()
    try:
        outcome = cli("rollup", "--offices", str(offices), "--sheet", target, "--today", "2027-04-01")
    finally:
        google.state.quota, google.state.quota_window, google.state.latency = {}, 60.0, 0.0
    seconds = time.monotonic() - started
    log = google.requests()
    assert outcome.exit_code == 0, outcome.output
    assert sum(1 for e in log if e["status"] == 429) == 0
    reads = [e for e in log if e["method"] == "GET"]
    assert len(reads) == 12 + 1 and sum(1 for e in log if e["method"] != "GET") == 1  # one read each, one write
    assert seconds >= 2.0  # 13 reads at 4 a second: paced by the quota, not faster


def test_resume_reads_only_the_offices_not_read_yet(google, tmp_path: Path):
    keys = google_offices(google, 6)
    offices = write_offices(tmp_path / "offices.csv", [(f"{3000 + n}", f"เขต {n}", k) for n, k in enumerate(keys)])
    target = tmp_path / "t.xlsx"
    del google.state.spreadsheets[keys[4]]  # one office is unreachable the first time
    first = cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", "2027-04-01")
    assert first.exit_code == ExitCode.BUILT_WITH_PROBLEMS
    google.clear_log()
    again = cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", "2027-04-01", "--resume")
    assert google.requests() == []  # everything came from the cache of this run, the failure included
    assert "from the cache 6" in again.output
    fresh = cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", "2027-04-01")
    assert len(google.requests()) == 6 and fresh.exit_code == ExitCode.BUILT_WITH_PROBLEMS


def test_a_repeated_office_code_is_listed_as_a_failure_never_shown_with_the_first_offices_figures(tmp_path: Path):
    first = office_workbook(tmp_path / "a.xlsx", [kpi("1", 100)], [result("1", 6, 100)])
    second = office_workbook(tmp_path / "b.xlsx", [kpi("1", 100)], [result("1", 6, 60)])
    offices = write_offices(tmp_path / "offices.csv", [("1001", "สพป. ก เขต 1", str(first)),
                                                       ("1001", "สพป. ข เขต 1", str(second))])
    target = tmp_path / "province.xlsx"
    outcome = cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", "2027-04-01",
                  "--cache", str(tmp_path / "cache.json"))
    assert outcome.exit_code == ExitCode.BUILT_WITH_PROBLEMS, outcome.output
    data = XlsxBackend(target).read()
    assert [(r[1], r[2]) for r in data.tabs["สรุปรายเขต"].rows[1:]] == [("1001", "สพป. ก เขต 1")]
    failures = {(r[0], r[1]): r[4] for r in data.tabs["เขตที่อ่านไม่ได้"].rows[1:]}
    assert "appears twice" in failures[("1001", "สพป. ข เขต 1")]


def test_offices_are_ranked_on_one_round_and_csv_paths_are_read_from_the_csvs_folder(tmp_path: Path, monkeypatch):
    """Office A has round 12 (4.x on all its weight), office B only round 9: both are ranked on round 9, and
    the rollup says so; run from another folder, the CSV's relative paths still find the offices."""
    from sheets_sync.backends.xlsx import XlsxBackend

    from .conftest import kpi, office_workbook, result

    folder = tmp_path / "offices"
    folder.mkdir()
    kpis = [kpi("1", 60), kpi("2", 40)]
    office_workbook(folder / "a.xlsx", kpis, [result("1", 9, 70), result("2", 9, 70),
                                              result("1", 12, 100), result("2", 12, 100)])
    office_workbook(folder / "b.xlsx", kpis, [result("1", 9, 90), result("2", 9, 90)])
    offices = write_offices(folder / "offices.csv", [("1001", "เขต ก", "a.xlsx"), ("1002", "เขต ข", "b.xlsx")])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    target = tmp_path / "province.xlsx"
    outcome = cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", "1/10/2570")
    assert outcome.exit_code == 0, outcome.output
    assert "ranked on round 9" in outcome.output
    rows = XlsxBackend(target).read().tabs["สรุปรายเขต"].rows
    ranks = {row[1]: row[0] for row in rows[1:]}
    assert ranks == {"1002": 1, "1001": 2}  # 4.0 beats 3.0 on round 9; A's round 12 (5.0) is not set beside it
    by_12 = cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", "1/10/2570", "--round", "12")
    assert "ranked on round 12" in by_12.output
    rows = XlsxBackend(target).read().tabs["สรุปรายเขต"].rows
    assert {row[1]: row[0] for row in rows[1:]} == {"1001": 1, "1002": None}
