"""build: the summary tabs, exact to the published figures, idempotent, and safe to run unattended."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.locking import lock_path, workbook_lock
from sheets_sync.backends.target import parse_target
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.domain.schema import INPUT_TABS, OWNER_SUMMARY
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.build import BuildOptions, run_build

from .conftest import cli, kpi, office_workbook, result, sheet_values, tab_records

JULY = "2027-07-20"
MILESTONE = "ระดับความสำเร็จ"


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """The four published KPI figures (OPEC 2018): weights 4, 4, 3, 3 and scores 5, 4.8 (committee), 2, 1.6."""
    return office_workbook(tmp_path / "published.xlsx", [
        kpi("1", 4, MILESTONE, ()),
        kpi("2", 4, MILESTONE, ()),
        kpi("3", 3),
        kpi("4", 3),
        kpi("5", 86, criteria=(10, 20, 30, 40, 50)),
    ], [
        result("1", 6, "ระดับ 5"),
        result("2", 6, "ระดับ 5", committee_score=4.8, override_reason="ส่งรายงานไม่ครบ 1 ครั้ง"),
        result("3", 6, 70),
        result("4", 6, 66),
        result("5", 6, 50),
    ])


def score_rows(path: Path, round_: int = 6) -> dict[str, dict]:
    return {r["รหัสตัวชี้วัด"]: r for r in tab_records(path, "สรุปคะแนน") if r["รอบ"] == round_}


def test_build_reproduces_the_published_weighted_scores(published: Path):
    result_ = cli("build", "--sheet", str(published), "--today", JULY)
    assert result_.exit_code == 0, result_.output
    rows = score_rows(published)
    assert [rows[k]["คะแนนถ่วงน้ำหนัก"] for k in "1234"] == [0.2, 0.192, 0.06, 0.048]
    assert rows["2"]["คะแนนที่คำนวณ"] == 5 and rows["2"]["คะแนนคณะกรรมการ"] == 4.8 and rows["2"]["คะแนนที่ใช้"] == 4.8
    assert rows["4"]["คะแนนที่ใช้"] == 1.6
    # office result = (0.2 + 0.192 + 0.06 + 0.048 + 5 × 86 / 100) / 100 × 100 = 4.8
    assert rows["รวม"]["คะแนนที่ใช้"] == 4.8 and rows["รวม"]["น้ำหนัก"] == 100


def test_summary_cells_are_typed_numbers_and_dates_with_formats(published: Path):
    cli("build", "--sheet", str(published), "--today", JULY)
    wb = openpyxl.load_workbook(published)
    ws = wb["สรุปคะแนน"]
    header = [c.value for c in ws[1]]
    weighted = ws.cell(row=2, column=header.index("คะแนนถ่วงน้ำหนัก") + 1)
    assert weighted.data_type == "n" and weighted.number_format == "0.0000"
    steps = wb["สรุปขั้นตอน"]
    assert steps["C2"].is_date and "107041E" in steps["C2"].number_format
    assert ws.freeze_panes == "A2" and ws.protection.sheet


def test_cells_are_coloured_by_band(published: Path):
    cli("build", "--sheet", str(published), "--today", JULY)
    ws = openpyxl.load_workbook(published)["สรุปคะแนน"]
    header = [c.value for c in ws[1]]
    used = header.index("คะแนนที่ใช้") + 1
    colours = {ws.cell(r, 2).value: ws.cell(r, used).fill.fgColor.rgb[-6:] for r in range(2, ws.max_row + 1)
               if ws.cell(r, 1).value == 6}
    assert colours["4"] == "FFC7CE"  # 1.6: below the pass score
    assert colours["3"] == "FFC7CE"  # 2.0
    assert colours["1"] != "FFC7CE"  # 5.0: the top band


def test_staff_tabs_are_never_written(published: Path):
    before = {t.th: sheet_values(published, t.th) for t in INPUT_TABS}
    cli("build", "--sheet", str(published), "--today", JULY)
    assert {t.th: sheet_values(published, t.th) for t in INPUT_TABS} == before


def test_two_builds_in_a_row_give_identical_tabs_and_the_second_writes_nothing(published: Path):
    backend = XlsxBackend(published)
    first = run_build(backend, BuildOptions(dt.date(2027, 7, 20)))
    tabs = {t: sheet_values(published, t) for t in ("สรุปคะแนน", "สรุปขั้นตอน", "สรุปผู้รับผิดชอบ")}
    stamp = published.stat().st_mtime_ns
    second = run_build(backend, BuildOptions(dt.date(2027, 7, 20)))
    assert first.written and not second.written
    assert published.stat().st_mtime_ns == stamp
    assert {t: sheet_values(published, t) for t in tabs} == tabs


def test_a_row_that_cannot_be_scored_is_left_out_shown_with_its_reason_and_exits_4(tmp_path: Path):
    path = office_workbook(tmp_path / "bad.xlsx", [
        kpi("1", 50), kpi("2", 30), kpi("3", 20, criteria=(40, 50, 60, 60, 70)),
    ], [
        result("1", 6, 85), result("2", 6, "ประมาณแปดสิบ"), result("3", 6, 65), result("9", 6, 80),
    ])
    outcome = cli("build", "--sheet", str(path), "--today", JULY)
    assert outcome.exit_code == ExitCode.BUILT_WITH_PROBLEMS
    rows = score_rows(path)
    assert "cannot read the result “ประมาณแปดสิบ”" in rows["2"]["ปัญหา"]
    assert "rise strictly" in rows["3"]["ปัญหา"]
    assert rows["รวม"]["คะแนนที่ใช้"] == 3.5 and rows["รวม"]["น้ำหนัก"] == 50  # only KPI 1 counts
    assert "ผลการดำเนินงาน!C3" in outcome.stderr  # the unreadable result's own cell
    assert "no KPI “9”" in outcome.stderr


def test_parents_show_their_childrens_weighted_result_and_only_leaves_count(tmp_path: Path):
    path = office_workbook(tmp_path / "nested.xlsx", [
        kpi("1", 60, criteria=()), kpi("1.1", 40, parent_id="1"), kpi("1.2", 20, parent_id="1"), kpi("2", 40),
    ], [result("1.1", 6, 100), result("1.2", 6, 70), result("2", 6, 80)])
    cli("build", "--sheet", str(path), "--today", JULY)
    rows = score_rows(path)
    assert rows["1"]["คะแนนที่ใช้"] == 4.0  # (40 × 5 + 20 × 2) / 60
    assert rows["รวม"]["คะแนนที่ใช้"] == 3.6  # (40 × 5 + 20 × 2 + 40 × 3) / 100, the parent not twice
    assert rows["รวม"]["น้ำหนัก"] == 100


def test_fraction_weights_summing_to_1(tmp_path: Path):
    path = office_workbook(tmp_path / "fractions.xlsx", [kpi("1", 0.6), kpi("2", 0.4)],
                           [result("1", 6, 100), result("2", 6, 60)])
    cli("build", "--sheet", str(path), "--today", JULY)
    rows = score_rows(path)
    assert rows["1"]["คะแนนถ่วงน้ำหนัก"] == 3.0 and rows["2"]["คะแนนถ่วงน้ำหนัก"] == 0.4
    assert rows["รวม"]["คะแนนที่ใช้"] == 3.4


def test_kpis_count_only_from_their_start_round_and_before_their_cancel_round(tmp_path: Path):
    path = office_workbook(tmp_path / "rounds.xlsx", [
        kpi("1", 50), kpi("2", 30, start_round=9), kpi("3", 20, cancel_round=9),
    ], [result("1", 6, 100), result("3", 6, 60), result("1", 9, 100), result("2", 9, 60), result("3", 9, 60)])
    cli("build", "--sheet", str(path), "--today", JULY)
    assert set(score_rows(path, 6)) == {"1", "3", "รวม"}
    assert set(score_rows(path, 9)) == {"1", "2", "รวม"}
    assert score_rows(path, 9)["รวม"]["คะแนนที่ใช้"] == 3.5  # (50 × 5 + 30 × 1) / 80


def test_round_option_builds_one_round(published: Path):
    cli("build", "--sheet", str(published), "--round", "6", "--today", JULY)
    assert {r["รอบ"] for r in tab_records(published, "สรุปคะแนน")} == {6}


def test_dry_run_lists_the_changes_and_writes_nothing(published: Path):
    stamp = published.stat().st_mtime_ns
    outcome = cli("build", "--sheet", str(published), "--today", JULY, "--dry-run")
    assert outcome.exit_code == 0
    # round 6 and round 9 (ended by 20 July, nothing reported yet): 5 KPIs and a total row each
    assert "would write สรุปคะแนน: 12 rows (was 0)" in outcome.output
    assert "round 6: office result 4.8000" in outcome.output
    assert published.stat().st_mtime_ns == stamp


def test_staff_text_that_looks_like_a_formula_is_copied_as_text(tmp_path: Path):
    path = office_workbook(tmp_path / "formula.xlsx", [kpi("1", 100)], [result("1", 6, '=IMPORTXML("http://x","//a")')])
    cli("build", "--sheet", str(path), "--today", JULY)
    ws = openpyxl.load_workbook(path)["สรุปคะแนน"]
    cell = next(c for c in ws["E"] if isinstance(c.value, str) and "IMPORTXML" in c.value)
    assert cell.data_type == "s"


@pytest.mark.parametrize("working, late_days", [("ใช่", 5), ("ไม่ใช่", 8)])
def test_step_states_and_days_late_count_the_offices_way(tmp_path: Path, working: str, late_days: int):
    path = office_workbook(tmp_path / "steps.xlsx", [kpi("1", 100)], [], settings={"working_days": working})
    wb = openpyxl.load_workbook(path)
    ws = wb["ขั้นตอน"]
    header = [c.value for c in ws[1]]
    col = {h: header.index(h) + 1 for h in header}
    ws.cell(2, col["วันเสร็จจริง"], dt.date(2026, 10, 7))  # step 1 done on its planned end
    ws.cell(3, col["วันเสร็จจริง"], "13/10/2569")  # step 2 planned to end Fri 9 Oct: done late
    ws.cell(4, col["วันเริ่มจริง"], dt.date(2026, 10, 12))  # step 3 started, not finished
    wb.save(path)
    cli("build", "--sheet", str(path), "--today", "2026-10-16")
    steps = {r["ลำดับที่"]: r for r in tab_records(path, "สรุปขั้นตอน")}
    assert steps[1]["สถานะที่คำนวณ"] == "เสร็จตามกำหนด"
    assert steps[2]["สถานะที่คำนวณ"] == "เสร็จล่าช้า"
    # working days: Mon 12 and Tue 13 Oct (a holiday) → 1 day late; calendar: 4 days
    assert steps[2]["ล่าช้า (วัน)"] == (1 if working == "ใช่" else 4)
    assert steps[3]["สถานะที่คำนวณ"] == "กำลังดำเนินการ"
    assert steps[10]["สถานะที่คำนวณ"] == "ยังไม่เริ่ม"
    late = cli("build", "--sheet", str(path), "--today", "2026-10-27")
    assert late.exit_code == 0
    steps = {r["ลำดับที่"]: r for r in tab_records(path, "สรุปขั้นตอน")}
    assert steps[3]["สถานะที่คำนวณ"] == "ล่าช้า"
    # step 3 was planned (by init, in working days) to end Mon 19 Oct; as of Tue 27 Oct it is late by
    # 20, 21, 22, 26, 27 Oct in working days (23 Oct is Chulalongkorn Day), or 8 calendar days
    assert steps[3]["ล่าช้า (วัน)"] == late_days


def test_quiet_prints_nothing_on_success_and_log_json_writes_one_line(published: Path, tmp_path: Path):
    log = tmp_path / "runs.jsonl"
    outcome = cli("build", "--sheet", str(published), "--today", JULY, "--quiet", "--log-json", str(log))
    assert outcome.exit_code == 0 and outcome.output == ""
    record = json.loads(log.read_text().strip())
    assert record["command"] == "build" and record["exit_code"] == 0 and record["written"] is True
    assert record["office_result"] == {"6": "4.8000", "9": None}
    to_stdout = cli("build", "--sheet", str(published), "--today", JULY, "--quiet", "--log-json", "-")
    assert json.loads(to_stdout.output)["written"] is False


def test_a_failed_run_still_writes_its_record(tmp_path: Path):
    log = tmp_path / "runs.jsonl"
    outcome = cli("build", "--sheet", str(tmp_path / "missing.xlsx"), "--log-json", str(log))
    assert outcome.exit_code == ExitCode.NOT_FOUND
    record = json.loads(log.read_text())
    assert record["exit_name"] == "NOT_FOUND" and "not found" in record["error"]


def test_a_second_build_waits_briefly_then_exits_locked(published: Path, tmp_path: Path):
    log = tmp_path / "runs.jsonl"
    with workbook_lock(parse_target(str(published)), 1):
        started = time.monotonic()
        outcome = cli("build", "--sheet", str(published), "--wait", "0.5", "--log-json", str(log))
        waited = time.monotonic() - started
    assert outcome.exit_code == ExitCode.LOCKED
    assert 0.5 <= waited < 5
    assert json.loads(log.read_text())["exit_name"] == "LOCKED"
    assert "another sheets-sync command is writing" in outcome.stderr


def test_a_lock_held_by_a_killed_process_does_not_block_the_next_build(published: Path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from filelock import FileLock; "
        f"FileLock({str(lock_path(parse_target(str(published))))!r}).acquire(); print('held', flush=True); time.sleep(60)"
    )], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(5)
        outcome = cli("build", "--sheet", str(published), "--today", JULY, "--wait", "2")
        assert outcome.exit_code == 0, outcome.output
    finally:
        holder.kill()


def test_export_json_has_the_documented_shape(published: Path):
    outcome = cli("export", "--sheet", str(published), "--format", "json", "--today", JULY)
    data = json.loads(outcome.output)
    assert data["office"] == "สพป. ทดสอบ เขต 1" and data["fiscal_year"] == 2570
    round6 = data["rounds"][0]
    assert round6["round"] == 6 and round6["office_result"] == 4.8 and round6["passed"] is True
    k2 = next(k for k in round6["kpis"] if k["kpi_id"] == "2")
    assert (k2["score"], k2["committee_score"], k2["score_used"], k2["weight"], k2["weighted"]) == (5.0, 4.8, 4.8, 4.0, 0.192)
    assert k2["problem"] is None


def test_export_csv_opens_in_excel_with_thai_intact(published: Path, tmp_path: Path):
    out = tmp_path / "r.csv"
    cli("export", "--sheet", str(published), "--format", "csv", "-o", str(out), "--today", JULY)
    text = out.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("office,fiscal_year,round,office_result")
    assert "สพป. ทดสอบ เขต 1,2570,6,4.8,ดีมาก,True,4,,False,66.0,1.6" in text


def test_status_shows_the_office_result_late_steps_and_missing_results(published: Path):
    outcome = cli("status", "--sheet", str(published), "--today", "2027-07-20")
    assert outcome.exit_code == 0
    assert "round 6: office result 4.8000" in outcome.output
    assert "ขั้นตอนที่ล่าช้า / late steps: 6" in outcome.output  # steps 1–5 and 7, planned in Oct–Nov, none done
    assert "P03 นายสาม ทดสอบ: รอบ 9: 5" in outcome.output  # round 9 has ended and none of P03's KPIs reported


def test_a_workbook_without_the_input_tabs_is_a_layout_error(tmp_path: Path):
    path = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(path)
    outcome = cli("build", "--sheet", str(path))
    assert outcome.exit_code == ExitCode.LAYOUT
    assert "sheets-sync init" in outcome.stderr


def test_a_person_supervising_thousands_of_kpis_gets_a_cell_a_file_holds_and_a_second_build_writes_nothing(
        tmp_path: Path):
    """1,500 KPI ids of 31 characters make a 49,500-character list: an .xlsx cell holds 32,767, so the file would
    cut it and every later build would find the tab changed and rewrite the file."""
    ids = [f"ตัวชี้วัดย่อยของสำนักงานที่-{n:04d}" for n in range(1500)]
    path = office_workbook(tmp_path / "big.xlsx", [kpi(i, 0.1) for i in ids], [])
    report = run_build(XlsxBackend(path), BuildOptions(today=dt.date(2027, 7, 20)))
    assert report.written
    owners = {r["รหัส"]: r for r in tab_records(path, OWNER_SUMMARY.th)}
    supervised = owners["P02"]["ตัวชี้วัดที่กำกับดูแล"]
    assert len(supervised) <= 32_767 and supervised.startswith(ids[0] + ", ")
    assert supervised.endswith(" more)") and "และอีก" in supervised
    again = run_build(XlsxBackend(path), BuildOptions(today=dt.date(2027, 7, 20)))
    assert not again.written and not any(change.changed for change in again.changes)
