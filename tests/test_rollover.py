"""A new fiscal year in one command, baselines that fill themselves, a year-on-year report, and what changed
since a snapshot — on .xlsx and on Google."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.domain.model import kpi_id_text
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.office import load_office
from sheets_sync.workbook.operations import WriteCells

from .conftest import cli, kpi, office_workbook, person_types, result, tab_records, type_office

KPIS = [kpi("1", 60, target=80, baseline_1=70, baseline_2=65),
        kpi("2", 40, method="ระดับความสำเร็จ", criteria=(), target=4, cancel_round=12)]  # not counted in 12
RESULTS = [result("1", 6, 75, certification="รับรองแล้ว"), result("1", 12, 82.5, certification="รับรองแล้ว"),
           result("2", 6, "ระดับ 3"), result("2", 9, "ระดับ 4")]
AGREEMENT = {"level": "สพฐ./จังหวัด ↔ เขต", "maker": "นายหนึ่ง ทดสอบ", "receiver": "เลขาธิการ กพฐ.",
             "signed_on": "3/12/2569", "document": "https://example.go.th/a.pdf"}
SETTINGS = {"round6_due": "30/4/2570", "round12_due": "31/10/2570", "coordinator_emails": "p01@example.go.th"}


def this_year(tmp_path: Path) -> Path:
    path = tmp_path / "office-2570.xlsx"
    backend = open_backend(parse_target(str(path)))
    type_office(backend, KPIS, RESULTS, SETTINGS, agreements=[AGREEMENT])
    return path


def test_rollover_carries_the_year_over_and_shifts_the_baselines(tmp_path):
    source = this_year(tmp_path)
    assert cli("certify", "--sheet", str(source), "--round", "12", "--seal", "--yes", "--early",
               "--by", "p01@example.go.th").exit_code == 0
    book = open_backend(parse_target(str(source)))  # after the seal someone changes round 12: the sealed one counts
    person_types(book, [WriteCells("ผลการดำเนินงาน", 3, 3, ((99,),))])
    target = tmp_path / "office-2571.xlsx"
    outcome = cli("rollover", "--from", str(source), "--sheet", str(target), "--fiscal-year", "2571")
    assert outcome.exit_code == 0, outcome.output

    settings = {r["รายการ"]: r["ค่า"] for r in tab_records(target, "ตั้งค่า")}
    assert settings["fiscal_year"] == 2571
    assert settings["start_date"].date() == dt.date(2027, 10, 1)
    assert settings["round6_due"].date() == dt.date(2028, 4, 30)
    kpis = {r["รหัสตัวชี้วัด"]: r for r in tab_records(target, "ตัวชี้วัด")}
    assert (kpis["1"]["ข้อมูลพื้นฐาน 1"], kpis["1"]["ข้อมูลพื้นฐาน 2"], kpis["1"]["ข้อมูลพื้นฐาน 3"]) == (82.5, 70, 65)
    assert kpis["2"]["ข้อมูลพื้นฐาน 1"] == 4  # no round 12: the latest round reported, ระดับ 4
    wb = openpyxl.load_workbook(target)
    assert "รอบ 9" in wb["ตัวชี้วัด"]["N3"].comment.text
    assert "criteria" in wb["ตัวชี้วัด"]["H2"].comment.text
    assert tab_records(target, "ผลการดำเนินงาน") == []
    assert tab_records(target, "ผนึกรอบ") == []
    agreement = tab_records(target, "ข้อตกลง")[0]
    assert agreement["ผู้ทำคำรับรอง"] == "นายหนึ่ง ทดสอบ" and agreement["วันที่ลงนาม"] is None and agreement["เอกสาร"] is None
    steps = tab_records(target, "ขั้นตอน")
    assert steps[0]["วันเริ่ม (แผน)"].date() == dt.date(2027, 10, 1) and steps[0]["วันเริ่มจริง"] is None
    assert {s["สถานะ"] for s in steps} == {"ยังไม่เริ่ม"}
    problems = json.loads(cli("validate", "--sheet", str(target), "--format", "json", "--today", "2/10/2570").output)
    assert [p for p in problems["problems"] if p["severity"] == "error"] == []


def test_rollover_refuses_a_target_holding_data_unless_forced_and_a_dry_run_writes_nothing(tmp_path):
    source = this_year(tmp_path)
    target = tmp_path / "office-2571.xlsx"
    dry = cli("rollover", "--from", str(source), "--sheet", str(target), "--fiscal-year", "2571", "--dry-run")
    assert dry.exit_code == 0 and "would carry" in dry.output and not target.exists()
    assert cli("rollover", "--from", str(source), "--sheet", str(target), "--fiscal-year", "2571").exit_code == 0
    again = cli("rollover", "--from", str(source), "--sheet", str(target), "--fiscal-year", "2571")
    assert again.exit_code == ExitCode.USAGE and "--force" in again.output
    assert cli("rollover", "--from", str(source), "--sheet", str(target), "--fiscal-year", "2571",
               "--force").exit_code == 0


def test_rollover_from_google_to_a_file_and_back(google, tmp_path):
    key = google.create("ปี 2570")
    type_office(open_backend(parse_target(key)), KPIS, RESULTS, SETTINGS, agreements=[AGREEMENT])
    local = tmp_path / "office-2571.xlsx"
    assert cli("rollover", "--from", key, "--sheet", str(local), "--fiscal-year", "2571").exit_code == 0
    assert {kpi_id_text(r["รหัสตัวชี้วัด"]): r["ข้อมูลพื้นฐาน 1"] for r in tab_records(local, "ตัวชี้วัด")} == \
        {"1": 82.5, "2": 4}  # ids typed in Google are numbers, carried as they are
    back = google.create("ปี 2572")
    assert cli("rollover", "--from", str(local), "--sheet", back, "--fiscal-year", "2572").exit_code == 0
    export = json.loads(cli("export", "--sheet", back, "--today", "1/11/2571").output)
    assert export["fiscal_year"] == 2572
    kpis = {k.kpi_id: k for k in load_office(open_backend(parse_target(back)).read()).kpis}
    assert [float(b) for b in kpis["1"].baselines if b is not None] == [82.5, 70]  # shifted twice: 2570's 82.5, 70


def test_validate_warns_when_a_target_asks_for_less_than_last_year(tmp_path):
    sheet = office_workbook(tmp_path / "w.xlsx", [kpi("1", 100, target=60, baseline_1=72)], [])
    problems = json.loads(cli("validate", "--sheet", str(sheet), "--format", "json").output)["problems"]
    found = [p for p in problems if p["code"] == "kpis.target_vs_baseline"]
    assert [(p["cell"], p["severity"]) for p in found] == [("ตัวชี้วัด!M2", "warning")]
    assert "2569" in found[0]["th"]


def test_the_report_compares_with_last_year_and_shows_the_baselines_by_year(tmp_path):
    last = this_year(tmp_path)
    now = tmp_path / "office-2571.xlsx"
    assert cli("rollover", "--from", str(last), "--sheet", str(now), "--fiscal-year", "2571").exit_code == 0
    person_types(open_backend(parse_target(str(now))), [WriteCells("ผลการดำเนินงาน", 2, 1, (("1", 6, 90),))])
    out = tmp_path / "report.html"
    outcome = cli("report", "--sheet", str(now), "--compare", str(last), "--today", "1/5/2571", "-o", str(out))
    assert outcome.exit_code == 0, outcome.output
    page = out.read_text(encoding="utf-8")
    assert "เทียบกับปีงบประมาณ 2570" in page and "ข้อมูลพื้นฐานย้อนหลัง" in page
    assert "<th>ปี 2570</th>" in page  # baseline 1 is last year's
    assert page.count("data:image/png") == 4  # the three charts and the comparison


# --- what changed since a snapshot ------------------------------------------------------------------------------


def test_changes_are_matched_by_key_not_by_row(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sheet = str(office_workbook(tmp_path / "w.xlsx", KPIS, RESULTS))
    assert cli("snapshot", "--sheet", sheet).exit_code == 0
    wb = openpyxl.load_workbook(sheet)
    ws = wb["ผลการดำเนินงาน"]
    ws.insert_rows(2)  # a row typed above the others does not make them all "changed"
    ws["A2"], ws["B2"], ws["C2"] = "2", 12, "ระดับ 5"
    ws["C3"] = 76  # 1/6 was 75
    ws.delete_rows(5)  # 2/6 removed
    wb.save(sheet)
    outcome = cli("changes", "--sheet", sheet, "--since-last", "--format", "json")
    changes = json.loads(outcome.output)["changes"]
    assert [(c["kind"], c["key"], c["column"], c["before"], c["after"]) for c in changes] == [
        ("added", "2/12", "", None, None), ("changed", "1/6", "result", "75", "76"), ("removed", "2/6", "", None, None)]
    assert cli("changes", "--sheet", sheet, "--write").exit_code == 0
    history = tab_records(Path(sheet), "ประวัติการแก้ไข")
    assert [(h["รายการ"], h["รหัส"]) for h in history] == [("เพิ่มแถว", "2/12"), ("แก้ไข", "1/6"), ("ลบแถว", "2/6")]


def test_a_date_typed_another_way_is_no_change_and_build_keeps_a_snapshot_without_another_read(google, tmp_path,
                                                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    key = google.create("ปี 2570")
    backend = open_backend(parse_target(key))
    type_office(backend, KPIS, [result("1", 6, 75, reported_on="20/4/2570")], SETTINGS)
    google.clear_log()
    assert cli("build", "--sheet", key, "--snapshot", "--today", "1/5/2570").exit_code == 0
    assert sum(1 for e in google.requests() if e["method"] == "GET") == 1  # the snapshot is of what build read
    person_types(backend, [WriteCells("ผลการดำเนินงาน", 2, 9, (("20 เม.ย. 2570",),))])  # the same day, typed otherwise
    person_types(backend, [WriteCells("ผลการดำเนินงาน", 2, 3, ((77,),))])
    changes = json.loads(cli("changes", "--sheet", key, "--format", "json").output)["changes"]
    assert [(c["cell"], c["before"], c["after"]) for c in changes] == [("ผลการดำเนินงาน!C2", "75", "77")]


@pytest.mark.parametrize("flag", ["--since-last"])
def test_changes_without_any_snapshot_says_take_one(tmp_path, monkeypatch, flag):
    monkeypatch.chdir(tmp_path)
    sheet = str(office_workbook(tmp_path / "w.xlsx", KPIS, []))
    outcome = cli("changes", "--sheet", sheet, flag)
    assert outcome.exit_code == ExitCode.NOT_FOUND and "sheets-sync snapshot" in outcome.output
