"""Step 9: the certification chain's rules, sealing a round, its official result that does not move, unsealing
with a reason, and on Google the sealed rows locked to the coordinators — enforced by "Google" itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.domain.schema import RESULTS, SEALS
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.operations import WriteCells

from .conftest import (
    COORDINATOR,
    PEOPLE_ROWS,
    SERVICE_ACCOUNT,
    Workbook,
    cli,
    key_file,
    kpi,
    office_workbook,
    person_types,
    result,
    typed_as,
)

TODAY = "1/8/2570"
CERTIFIED, SUPERVISOR, MORE = "รับรองแล้ว", "ผู้กำกับรับรอง", "ขอข้อมูลเพิ่ม"
OWNER = "owner@example.go.th"
PEOPLE = [dict(p, email=f"{p['person_id'].lower()}@example.go.th") for p in PEOPLE_ROWS] + [
    {"person_id": "C01", "name": "นางประสาน งานดี", "role": "ผู้ประสานงานคำรับรอง (หน่วยรับรอง)", "email": COORDINATOR}]
KPIS = [kpi("1", 60), kpi("2", 40)]
# round 6: 1 → 78.5 interpolates to 2.85, 2 → 95 to 4.5: office result (60·2.85 + 40·4.5)/100 = 3.51
ROUND6 = [result("1", 6, 78.5, certification=CERTIFIED), result("2", 6, 95, certification=CERTIFIED)]


def office(workbook: Workbook, results: list[dict] = ROUND6, settings: dict | None = None) -> None:
    from .conftest import type_office

    type_office(workbook.backend(), KPIS, results, settings, people=PEOPLE)
    workbook.clear_log()


def local(tmp_path: Path, results: list[dict], settings: dict | None = None) -> str:
    return str(office_workbook(tmp_path / "workbook.xlsx", KPIS, results, settings, people=PEOPLE))


def problems(sheet: str) -> list[dict]:
    outcome = cli("validate", "--sheet", sheet, "--today", TODAY, "--format", "json")
    return json.loads(outcome.output)["problems"]


def codes(sheet: str) -> dict[str, str]:
    return {p["cell"]: p["code"] for p in problems(sheet) if p["code"].startswith("certification.")}


def type_into_results(sheet: str, row: int, column: str, value) -> None:
    backend = open_backend(parse_target(sheet))
    table = next(t for t in backend.read().tabs if RESULTS.matches_title(t))
    person_types(backend, [WriteCells(table, row, [c.key for c in RESULTS.columns].index(column) + 1, ((value,),))])


def export(sheet: str) -> dict:
    return json.loads(cli("export", "--sheet", sheet, "--today", TODAY).output)


# --- the rules ---------------------------------------------------------------------------------------------


def test_more_data_needs_a_comment_and_certified_needs_a_result(tmp_path):
    sheet = local(tmp_path, [result("1", 6, 70, certification=MORE), result("2", 6, None, certification=CERTIFIED),
                             result("1", 9, 80, certification=MORE, reviewer_comment="ขอหลักฐานเพิ่ม")],
                  {"certify_in_order": "ไม่ใช่"})
    assert codes(sheet) == {"ผลการดำเนินงาน!K2": "certification.comment_missing",
                            "ผลการดำเนินงาน!J3": "certification.without_result"}


def test_the_certifier_must_be_the_kpis_supervisor_or_a_coordinator_and_not_in_the_future(tmp_path):
    sheet = local(tmp_path, [result("1", 6, 70, certification=CERTIFIED, certified_by="P02", certified_on="1/5/2570"),
                             result("2", 6, 95, certification=CERTIFIED, certified_by="P03", certified_on="1/9/2570"),
                             result("1", 9, 80, certification=SUPERVISOR, certified_by="C01"),
                             result("2", 9, 96, certification=SUPERVISOR, certified_by="P99")],
                  {"certify_in_order": "no"})
    found = {p["cell"]: p for p in problems(sheet) if p["code"].startswith("certification.")}
    assert {cell: p["code"] for cell, p in found.items()} == {
        "ผลการดำเนินงาน!L3": "certification.certifier",  # P03 owns the KPI; P02 supervises it
        "ผลการดำเนินงาน!M3": "certification.date_future",
        "ผลการดำเนินงาน!L5": "certification.certifier",  # not in the people tab
    }
    assert "ไม่มีรหัสนี้ในแท็บบุคลากร" in found["ผลการดำเนินงาน!L5"]["th"]


def test_round_9_is_not_certified_while_round_6_is_open_unless_the_office_allows_it(tmp_path):
    rows = [result("1", 6, 78.5, certification=SUPERVISOR), result("1", 9, 85, certification=CERTIFIED)]
    assert codes(local(tmp_path, rows)) == {"ผลการดำเนินงาน!J3": "certification.round_order"}
    (tmp_path / "workbook.xlsx").unlink()
    assert codes(local(tmp_path, rows, {"certify_in_order": "ไม่ใช่"})) == {}


# --- sealing -----------------------------------------------------------------------------------------------


def test_a_seal_is_refused_with_every_row_in_the_way_and_nothing_is_written(tmp_path):
    sheet = local(tmp_path, [result("1", 6, 78.5, certification=SUPERVISOR), result("2", 6, None)])
    before = (tmp_path / "workbook.xlsx").read_bytes()
    outcome = cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY)
    assert outcome.exit_code == ExitCode.INVALID_DATA
    assert "ผลการดำเนินงาน!J2 [1/6]" in outcome.output and "ผู้กำกับรับรอง (ต้องเป็น รับรองแล้ว)" in outcome.output
    assert "ผลการดำเนินงาน!J3 [2/6]" in outcome.output
    assert (tmp_path / "workbook.xlsx").read_bytes() == before


def test_a_sealed_round_keeps_its_official_result_when_a_certified_figure_is_changed(workbook: Workbook):
    office(workbook)
    outcome = cli("certify", "--sheet", workbook.sheet, "--round", "6", "--seal", "--yes", "--today", TODAY,
                  "--by", COORDINATOR)
    assert outcome.exit_code == 0, outcome.output
    assert "ผลอย่างเป็นทางการ 3.5100" in outcome.output
    if workbook.can("count requests"):
        assert workbook.reads_and_writes() == (1, 1)  # one read, one atomic write: the seal and its locks
    workbook.clear_log()

    type_into_results(workbook.sheet, 2, "result", 99)  # someone changes the certified 78.5 after the seal
    found = [p for p in problems(workbook.sheet) if p["code"] == "certification.changed_after_seal"]
    assert [(p["cell"], p["key"]) for p in found] == [("ผลการดำเนินงาน!C2", "1/6")]
    assert "78.5" in found[0]["th"] and "99" in found[0]["th"]

    rounds = {r["round"]: r for r in export(workbook.sheet)["rounds"]}
    assert rounds[6]["certified"] is True
    assert rounds[6]["official_result"] == 3.51  # frozen
    assert rounds[6]["office_result"] == 4.74  # from the current entries: 99 scores 4.9
    build = cli("build", "--sheet", workbook.sheet, "--today", TODAY)
    assert "ผลอย่างเป็นทางการ" in build.output and "3.5100" in build.output and "ผลจากข้อมูลปัจจุบัน 4.7400" in build.output


def test_sealing_again_with_the_same_values_is_nothing_to_do(tmp_path):
    sheet = local(tmp_path, ROUND6)
    assert cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY).exit_code == 0
    before = (tmp_path / "workbook.xlsx").read_bytes()
    again = cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY)
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert (tmp_path / "workbook.xlsx").read_bytes() == before


def test_unsealing_needs_a_reason_and_the_history_keeps_every_seal_and_unseal(tmp_path):
    from .conftest import tab_records

    sheet = local(tmp_path, ROUND6)
    assert cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY).exit_code == 0
    no_reason = cli("certify", "--sheet", sheet, "--round", "6", "--unseal", "--yes")
    assert no_reason.exit_code == ExitCode.USAGE and "--reason" in no_reason.output
    unsealed = cli("certify", "--sheet", sheet, "--round", "6", "--unseal", "--yes", "--by", "C01",
                   "--reason", "แก้ผลตัวชี้วัด 1 ตามหนังสือ สพฐ.")
    assert unsealed.exit_code == 0, unsealed.output
    assert export(sheet)["rounds"][0]["certified"] is False
    assert cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY).exit_code == 0

    history = tab_records(tmp_path / "workbook.xlsx", SEALS.th)
    assert [(r["รายการ"], r["รหัสตัวชี้วัด"]) for r in history] == [
        ("ผนึก", "1"), ("ผนึก", "2"), ("ผนึก", "รวม"), ("ยกเลิกผนึก", None),
        ("ผนึก", "1"), ("ผนึก", "2"), ("ผนึก", "รวม")]
    assert history[3]["เหตุผล"] == "แก้ผลตัวชี้วัด 1 ตามหนังสือ สพฐ." and history[3]["ผู้ดำเนินการ"] == "C01"
    assert all(r["SHA-256"].startswith("hmac:") and len(r["SHA-256"]) == 5 + 64 for r in history)
    assert export(sheet)["rounds"][0]["certified"] is True


def test_a_hand_edit_in_the_seal_tab_is_reported_at_its_row(tmp_path):
    import openpyxl

    sheet = local(tmp_path, ROUND6)
    assert cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY).exit_code == 0
    wb = openpyxl.load_workbook(sheet)
    wb[SEALS.th]["H4"] = 4.9  # the total row's official result, "improved" by hand
    wb.save(sheet)
    assert codes(sheet) == {"ผนึกรอบ!A4": "certification.seal_tampered"}


def test_on_a_local_file_the_seal_says_row_locks_are_for_google_only(tmp_path):
    outcome = cli("certify", "--sheet", local(tmp_path, ROUND6), "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY)
    assert outcome.exit_code == 0 and "Google Sheets only" in outcome.output


# --- on Google: the sealed rows are locked to the coordinators and the tool ---------------------------------


@pytest.fixture
def sealed_by_the_tool(google, tmp_path, private_key) -> str:
    key = google.create("สพป. ทดสอบ")
    for person in (SERVICE_ACCOUNT, OWNER, COORDINATOR):
        google.share(key, person, "writer")
    office(Workbook("google", key, google), ROUND6 + [result("1", 9, 85)], {"coordinator_emails": COORDINATOR})
    outcome = cli("--credentials", str(key_file(tmp_path, private_key)), "certify", "--by", COORDINATOR, "--sheet", key, "--round", "6",
                  "--seal", "--yes", "--today", TODAY)
    assert outcome.exit_code == 0, outcome.output
    return key


def test_on_google_only_coordinators_and_the_tool_may_edit_a_sealed_row(sealed_by_the_tool, google):
    backend = open_backend(parse_target(sealed_by_the_tool))
    refused = typed_as(backend, OWNER, "ผลการดำเนินงาน!C2", "99")
    assert refused.status_code == 400 and "protected cell or object" in refused.text
    assert typed_as(backend, OWNER, "ผลการดำเนินงาน!C4", "86").status_code == 200  # round 9 is open
    assert typed_as(backend, COORDINATOR, "ผลการดำเนินงาน!E2", "3").status_code == 200
    ranges = [p for s in google.snapshot(sealed_by_the_tool)["sheets"] for p in s.get("protectedRanges", [])
              if p["description"].startswith("sheets-sync [seal 6]")]
    assert len(ranges) == 1 and not ranges[0]["warningOnly"]
    assert set(ranges[0]["editors"]["users"]) == {COORDINATOR, SERVICE_ACCOUNT}
    assert ranges[0]["range"]["startRowIndex"] == 1 and ranges[0]["range"]["endRowIndex"] == 3


def test_on_google_an_unseal_by_the_tool_opens_the_rows_again(sealed_by_the_tool, google, tmp_path, private_key):
    outcome = cli("--credentials", str(key_file(tmp_path, private_key)), "certify", "--by", COORDINATOR, "--sheet", sealed_by_the_tool,
                  "--round", "6", "--unseal", "--yes", "--reason", "ทดสอบ")
    assert outcome.exit_code == 0, outcome.output
    backend = open_backend(parse_target(sealed_by_the_tool))
    assert typed_as(backend, OWNER, "ผลการดำเนินงาน!C2", "80").status_code == 200


# --- the official figure wherever a round's result is shown ------------------------------------------------


def test_the_report_states_the_official_figure_and_marks_an_unsealed_round(tmp_path):
    sheet = local(tmp_path, ROUND6 + [result("1", 9, 85), result("2", 9, 96)])
    assert cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY).exit_code == 0
    out = tmp_path / "report.html"
    assert cli("report", "--sheet", sheet, "--today", TODAY, "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "ผลอย่างเป็นทางการ (รับรองและผนึกแล้ว) 3.5100" in page  # round 6
    assert "ยังไม่ผ่านการรับรอง" in page  # round 9, not sealed


def test_rollup_shows_the_official_figure_and_which_rounds_are_sealed(tmp_path):
    from sheets_sync.backends.xlsx import XlsxBackend

    from .test_rollup import write_offices

    sheet = local(tmp_path, ROUND6)
    assert cli("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--today", TODAY).exit_code == 0
    type_into_results(sheet, 2, "result", 99)  # after the seal: provisional 4.74, official stays 3.51
    offices = write_offices(tmp_path / "offices.csv", [("1001", "สพป. ก เขต 1", sheet)])
    target = tmp_path / "province.xlsx"
    assert cli("rollup", "--offices", str(offices), "--sheet", str(target), "--today", TODAY,
               "--cache", str(tmp_path / "cache.json")).exit_code == 0
    rows = XlsxBackend(target).read().tabs["สรุปรายเขต"].rows
    record = dict(zip(rows[0], rows[1]))
    assert record["ผลรอบ 6"] == 3.51 and record["รอบที่รับรองแล้ว (ผลทางการ)"] == "6"
