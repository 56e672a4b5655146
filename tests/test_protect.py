"""Who may change what on Google: `protect` gives each person their own rows and view, "Google" (the emulator,
enforcing hard protected ranges against each caller's own token) refuses everyone else, and the live checks
init lays down on both backends."""

from __future__ import annotations

import json

import openpyxl
import pytest

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.operations import CHECK_MARK

from .conftest import (
    COORDINATOR,
    SERVICE_ACCOUNT,
    cli,
    google_post,
    key_file,
    kpi,
    office_workbook,
    person_types,
    result,
    type_office,
    typed_as,
)

OWNER_1, OWNER_2, SUPERVISOR = "p03@example.go.th", "p04@example.go.th", "p02@example.go.th"
PEOPLE = [
    {"person_id": "P02", "name": "นางสองทดสอบ", "role": "ผู้กำกับดูแลตัวชี้วัด", "email": SUPERVISOR},
    {"person_id": "P03", "name": "นายสาม ทดสอบ", "role": "ผู้รับผิดชอบตัวชี้วัด", "email": OWNER_1},
    {"person_id": "P04", "name": "นางสี่ ทดสอบ", "role": "ผู้รับผิดชอบตัวชี้วัด", "email": OWNER_2},
]
KPIS = [kpi("1", 60), kpi("2", 40, owner="P04")]
RESULTS = [result("1", 6, 78.5), result("2", 6, 95)]


@pytest.fixture
def tool(tmp_path, private_key):
    """The tool signed in as its own service account, as a scheduled run is."""
    credentials = str(key_file(tmp_path, private_key))
    return lambda *args: cli("--credentials", credentials, *args)


@pytest.fixture
def office(google, tool) -> str:
    key = google.create("สพป. ทดสอบ")
    for person in (SERVICE_ACCOUNT, COORDINATOR, OWNER_1, OWNER_2, SUPERVISOR):
        google.share(key, person, "writer")
    type_office(open_backend(parse_target(key)), KPIS, RESULTS, {"coordinator_emails": COORDINATOR}, people=PEOPLE)
    outcome = tool("protect", "--sheet", key)
    assert outcome.exit_code == 0, outcome.output
    google.clear_log()
    return key


def test_each_person_edits_only_their_own_rows_and_the_supervisor_the_review(office):
    backend = open_backend(parse_target(office))
    assert typed_as(backend, OWNER_1, "ผลการดำเนินงาน!C2", "80").status_code == 200  # KPI 1 is P03's
    refused = typed_as(backend, OWNER_2, "ผลการดำเนินงาน!C2", "99")  # P04 owns KPI 2, not 1
    assert refused.status_code == 400 and "protected cell or object" in refused.text
    assert typed_as(backend, OWNER_2, "ผลการดำเนินงาน!C3", "96").status_code == 200
    assert typed_as(backend, OWNER_1, "ผลการดำเนินงาน!E2", "4").status_code == 400  # the committee's column
    assert typed_as(backend, SUPERVISOR, "ผลการดำเนินงาน!E2", "4").status_code == 200
    assert typed_as(backend, SUPERVISOR, "ผลการดำเนินงาน!J3", "ผู้กำกับรับรอง").status_code == 200
    assert typed_as(backend, OWNER_1, "ตัวชี้วัด!E2", "70").status_code == 400  # weights: coordinators only
    assert typed_as(backend, COORDINATOR, "ตัวชี้วัด!E2", "60").status_code == 200
    assert typed_as(backend, OWNER_1, "ผลการดำเนินงาน!C10", "1").status_code == 200  # a new row is open to type


def test_the_tools_own_writes_still_pass_and_a_second_protect_writes_nothing(office, google, tool):
    assert tool("build", "--sheet", office, "--today", "1/8/2570").exit_code == 0
    google.clear_log()
    again = tool("protect", "--sheet", office)
    assert again.exit_code == 0 and "nothing written" in again.output
    writes = [e for e in google.requests() if e["method"] != "GET" and "spreadsheets" in e["path"]]
    assert writes == []


def test_staff_cannot_leave_a_hand_edit_in_a_summary_and_the_tools_builds_still_land(office, google, tool):
    """A build reads a summary on Google by its header alone and trusts its content mark, so a hand edit there
    would stay until its rows change: under `protect` the tabs the tool writes are the coordinators' and the
    tool's, one hard protection over each in place of init's warning."""
    from sheets_sync.domain.rights import TOOL_TABS

    assert tool("build", "--sheet", office, "--today", "1/8/2570").exit_code == 0
    assert tool("protect", "--sheet", office).exit_code == 0
    backend = open_backend(parse_target(office))
    refused = typed_as(backend, OWNER_1, "สรุปคะแนน!I2", "5")
    assert refused.status_code == 400 and "protected cell or object" in refused.text
    assert typed_as(backend, COORDINATOR, "สรุปขั้นตอน!A2", "ดูแล้ว").status_code == 200
    assert typed_as(backend, OWNER_1, "ผลการดำเนินงาน!C2", "99").status_code == 200  # their own row: still theirs

    build = tool("build", "--sheet", office, "--today", "1/8/2570")
    assert build.exit_code == 0 and "already protects" not in build.output, build.output
    sheets = {s["properties"]["title"]: s for s in google.snapshot(office)["sheets"]}
    kpi_1 = sheets["สรุปคะแนน"]["data"][0]["rowData"][1]["values"]  # round 6, KPI 1: the result retyped
    assert (kpi_1[1]["effectiveValue"], kpi_1[4]["effectiveValue"]) == ({"stringValue": "1"}, {"numberValue": 99})
    tool_tabs = [t for t in TOOL_TABS if t.th in sheets]
    assert len(tool_tabs) >= 5  # the three summaries, the choices and the problems tab at least
    for tab in tool_tabs:
        whole = [p for p in sheets[tab.th].get("protectedRanges", []) if set(p["range"]) == {"sheetId"}]
        assert [(p["warningOnly"], p["description"].startswith("sheets-sync [rights]")) for p in whole] == \
            [(False, True)], (tab.th, whole)
        assert COORDINATOR in whole[0]["editors"]["users"] and SERVICE_ACCOUNT in whole[0]["editors"]["users"]


def test_every_person_gets_a_filter_view_of_their_rows_on_both_tabs(office, google):
    views = {(s["properties"]["title"], v["title"]): v for s in google.snapshot(office)["sheets"]
             for v in s.get("filterViews", [])}
    names = {title for _, title in views}
    assert names == {"ของฉัน: นางสองทดสอบ", "ของฉัน: นายสาม ทดสอบ", "ของฉัน: นางสี่ ทดสอบ"}
    kpi_view = views[("ตัวชี้วัด", "ของฉัน: นางสี่ ทดสอบ")]
    formula = kpi_view["filterSpecs"][0]["filterCriteria"]["condition"]["values"][0]["userEnteredValue"]
    assert formula.startswith("=OR(") and '="P04"' in formula
    result_view = views[("ผลการดำเนินงาน", "ของฉัน: นางสี่ ทดสอบ")]
    assert "COUNTIFS(INDIRECT(" in json.dumps(result_view, ensure_ascii=False)


def test_a_dry_run_says_what_it_would_set_and_writes_nothing(google, tool):
    key = google.create("สพป. ทดสอบ")
    google.share(key, SERVICE_ACCOUNT, "writer")
    type_office(open_backend(parse_target(key)), KPIS, RESULTS, {"coordinator_emails": COORDINATOR}, people=PEOPLE)
    google.clear_log()
    outcome = tool("protect", "--sheet", key, "--dry-run")
    assert outcome.exit_code == 0 and "would set" in outcome.output
    assert [e for e in google.requests() if e["method"] != "GET" and "spreadsheets" in e["path"]] == []
    assert not any(s.get("protectedRanges") and any(p["description"].startswith("sheets-sync [rights]")
                                                    for p in s["protectedRanges"]) for s in google.snapshot(key)["sheets"])


def test_people_own_protections_survive_a_rerun_and_remove(office, google, tool):
    backend = open_backend(parse_target(office))
    sheet_id = next(s["properties"]["sheetId"] for s in google.snapshot(office)["sheets"]
                    if s["properties"]["title"] == "ขั้นตอน")
    google_post(backend, ":batchUpdate", {"requests": [{"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "description": "ของกลุ่มนโยบายและแผน", "warningOnly": True}}}]})
    assert tool("protect", "--sheet", office, "--remove").exit_code == 0
    left = [p["description"] for s in google.snapshot(office)["sheets"] for p in s.get("protectedRanges", [])]
    assert "ของกลุ่มนโยบายและแผน" in left
    assert not any(d.startswith("sheets-sync [rights]") for d in left)
    assert not any(s.get("filterViews") for s in google.snapshot(office)["sheets"])
    assert typed_as(backend, OWNER_2, "ผลการดำเนินงาน!C2", "99").status_code == 200  # open again
    summary = next(s for s in google.snapshot(office)["sheets"] if s["properties"]["title"] == "สรุปคะแนน")
    assert [(p["warningOnly"], p["description"].startswith("sheets-sync:")) for p in summary["protectedRanges"]
            if set(p["range"]) == {"sheetId"}] == [(True, True)]  # init's warning again, not nothing


def test_with_protect_rows_on_build_covers_a_row_staff_added_since(office, tool):
    backend = open_backend(parse_target(office))
    from sheets_sync.workbook.tables import set_settings

    person_types(backend, set_settings(backend.read(), {"protect_rows": "ใช่"}))
    for cell, text in (("ผลการดำเนินงาน!A4", "1"), ("ผลการดำเนินงาน!B4", "9"), ("ผลการดำเนินงาน!C4", "85")):
        assert typed_as(backend, OWNER_1, cell, text).status_code == 200
    assert typed_as(backend, OWNER_2, "ผลการดำเนินงาน!C4", "1").status_code == 200  # not covered yet
    assert tool("build", "--sheet", office, "--today", "1/8/2570").exit_code == 0
    assert typed_as(backend, OWNER_2, "ผลการดำเนินงาน!C4", "2").status_code == 400
    assert typed_as(backend, OWNER_1, "ผลการดำเนินงาน!C4", "86").status_code == 200


def test_protect_on_a_local_file_says_it_is_for_google_only(tmp_path):
    sheet = office_workbook(tmp_path / "w.xlsx", KPIS, RESULTS, people=PEOPLE)
    outcome = cli("protect", "--sheet", str(sheet))
    assert outcome.exit_code == ExitCode.NOT_AVAILABLE
    assert "Google Sheets only" in outcome.output


def test_validate_reports_what_protection_needs(tmp_path):
    people = [dict(PEOPLE[0], email="p02 at example"), dict(PEOPLE[1], email=None), PEOPLE[2]]
    sheet = str(office_workbook(tmp_path / "w.xlsx", KPIS, RESULTS, {"protect_rows": "ใช่",
                                "coordinator_emails": f"{COORDINATOR}, กพร.สพท"}, people=people))
    outcome = cli("validate", "--sheet", sheet, "--format", "json", "--today", "1/8/2570")
    found = {(p["code"], p["cell"], p["severity"]) for p in json.loads(outcome.output)["problems"]
             if p["code"].startswith(("people.", "settings.coordinator"))}
    assert ("people.email", "บุคลากร!F2", "error") in found
    assert ("people.email_missing", "บุคลากร!F3", "error") in found  # P03 owns KPI 1
    assert ("people.email_missing", "บุคลากร!F2", "error") in found  # P02 supervises both, address unusable
    assert any(code == "settings.coordinator_emails" for code, _, _ in found)


# --- live checks while typing -------------------------------------------------------------------------------


def test_init_lays_down_live_checks_on_a_local_file_once(new_workbook):
    cli("init", "--sheet", str(new_workbook))  # a second init replaces its own rules, never adds twice
    wb = openpyxl.load_workbook(new_workbook)
    results, kpis = wb["ผลการดำเนินงาน"], wb["ตัวชี้วัด"]
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in results.conditional_formatting}
    assert len(rules["E2:E5000"]) == 1 and "OR(E2<0,E2>5)" in rules["E2:E5000"][0]
    assert "COUNTIF(INDIRECT(" in rules["A2:A5000"][0]
    weight_rules = [r.formula[0] for cf in kpis.conditional_formatting for r in cf.rules]
    assert len(weight_rules) == 1 and "<>100" in weight_rules[0] and CHECK_MARK in weight_rules[0]
    validations = {str(dv.sqref): dv for dv in results.data_validations.dataValidation}
    assert validations["A2:A5000"].formula1 == "'ตัวชี้วัด'!$A$2:$A$5000"
    assert (validations["E2:E5000"].type, validations["E2:E5000"].formula1, validations["E2:E5000"].formula2) == \
        ("decimal", "0", "5")


def test_init_lays_down_live_checks_on_google_once(google):
    key = google.create("ทดสอบ")
    for _ in range(2):
        assert cli("init", "--sheet", key, "--fiscal-year", "2570").exit_code == 0
    sheets = {s["properties"]["title"]: s for s in google.snapshot(key)["sheets"]}
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
                for r in sheets["ผลการดำเนินงาน"].get("conditionalFormats", [])]
    assert len(formulas) == 2 and all(CHECK_MARK in f for f in formulas)
    committee = sheets["ผลการดำเนินงาน"]["data"][0]["rowData"][1]["values"][4]["dataValidation"]
    assert committee["condition"]["type"] == "NUMBER_BETWEEN" and committee["strict"] is True
    kpi_ids = sheets["ผลการดำเนินงาน"]["data"][0]["rowData"][1]["values"][0]["dataValidation"]
    assert kpi_ids["condition"]["values"][0]["userEnteredValue"] == "='ตัวชี้วัด'!$A$2:$A"


def _computed_by_libreoffice(path, tab: str, formulas: dict[str, str]) -> dict[str, object]:
    """Each formula put in a spare cell and computed by LibreOffice, as a spreadsheet program computes it."""
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    wb = openpyxl.load_workbook(path)
    for cell, formula in formulas.items():
        wb[tab][cell] = formula
    wb.save(path)
    out = path.parent / "computed"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{path.parent / 'lo-profile'}",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)], check=True, capture_output=True,
                   timeout=300)
    computed = openpyxl.load_workbook(out / path.name, data_only=True)
    return {cell: computed[tab][cell].value for cell in formulas}


@pytest.mark.parametrize("child_weight, red", [(20, True), (30, False)])
def test_the_weight_check_turns_red_exactly_when_the_leaves_do_not_add_up(tmp_path, child_weight, red):
    kpis = [kpi("1", 60), kpi("2", 30), kpi("2.1", 10, parent_id="2"), kpi("2.2", child_weight, parent_id="2")]
    path = office_workbook(tmp_path / "w.xlsx", kpis, [])  # leaves 1, 2.1, 2.2: 60 + 10 + 20 or 30
    rule = [r.formula[0] for cf in openpyxl.load_workbook(path)["ตัวชี้วัด"].conditional_formatting for r in cf.rules][0]
    assert _computed_by_libreoffice(path, "ตัวชี้วัด", {"AD1": "=" + rule}) == {"AD1": red}


def test_the_results_checks_mark_an_unknown_kpi_and_a_committee_score_out_of_range(tmp_path):
    path = office_workbook(tmp_path / "w.xlsx", KPIS, [result("1", 6, 80, committee_score=4.5, override_reason="ก"),
                                                      result("9", 6, 70, committee_score=7, override_reason="ข")])
    rules = {str(cf.sqref): r.formula[0] for cf in openpyxl.load_workbook(path)["ผลการดำเนินงาน"].conditional_formatting
             for r in cf.rules}
    # a rule is written for the area's first cell (row 2); for row 3 it reads one row down, as Excel shifts it
    row3 = {ref: formula.replace("E2", "E3").replace("$A2", "$A3") for ref, formula in rules.items()}
    computed = _computed_by_libreoffice(path, "ผลการดำเนินงาน", {
        "AD2": "=" + rules["E2:E5000"], "AE2": "=" + rules["A2:A5000"],
        "AD3": "=" + row3["E2:E5000"], "AE3": "=" + row3["A2:A5000"]})
    assert computed == {"AD2": False, "AE2": False, "AD3": True, "AE3": True}


def test_a_coordinators_own_whole_tab_protection_is_kept_and_build_protect_and_seal_still_land(google, tool):
    """Google allows one protection over a whole sheet (docs/conformance.md): a person who protected a tab as a
    whole keeps theirs, and the tool's writes, which used to be refused whole, go through and say so."""
    key = google.create("สพป. ทดสอบ")
    for person in (SERVICE_ACCOUNT, COORDINATOR, OWNER_1, OWNER_2, SUPERVISOR):
        google.share(key, person, "writer")
    rows = [result("1", 6, 78.5, certification="รับรองแล้ว"), result("2", 6, 95, certification="รับรองแล้ว")]
    type_office(open_backend(parse_target(key)), KPIS, rows, {"coordinator_emails": COORDINATOR}, people=PEOPLE)
    assert tool("build", "--sheet", key, "--today", "1/5/2570").exit_code == 0
    sheets = {s["properties"]["title"]: s["properties"]["sheetId"] for s in google.snapshot(key)["sheets"]}
    theirs = [{"addProtectedRange": {"protectedRange": {"range": {"sheetId": sheets[title]}, "warningOnly": False,
                                                          "description": f"ของผู้ประสานงาน {title}",
                                                          "editors": {"users": [COORDINATOR, SERVICE_ACCOUNT]}}}}
              for title in ("ตัวชี้วัด", "ผนึกรอบ")]
    built = google.snapshot(key)
    for sheet in built["sheets"]:  # the tool's own warning over ผนึกรอบ (if any) goes first, as a person would
        for p in sheet.get("protectedRanges", []):
            if sheet["properties"]["title"] == "ผนึกรอบ" and "range" in p and len(p["range"]) == 1:
                google_post(open_backend(parse_target(key)), ":batchUpdate",
                            {"requests": [{"deleteProtectedRange": {"protectedRangeId": p["protectedRangeId"]}}]})
    google_post(open_backend(parse_target(key)), ":batchUpdate", {"requests": theirs})

    build = tool("build", "--sheet", key, "--today", "1/5/2570")
    assert build.exit_code == 0, build.output
    protect = tool("protect", "--sheet", key)
    assert protect.exit_code == 0, protect.output
    seal = tool("certify", "--sheet", key, "--round", "6", "--seal", "--yes", "--by", COORDINATOR, "--today", "1/5/2570")
    assert seal.exit_code == 0, seal.output
    assert "already protects the whole tab ผนึกรอบ" in seal.output
    after = {s["properties"]["title"]: s.get("protectedRanges", []) for s in google.snapshot(key)["sheets"]}
    for title in ("ตัวชี้วัด", "ผนึกรอบ"):
        whole = [p for p in after[title] if set(p["range"]) == {"sheetId"}]
        assert [p["description"] for p in whole] == [f"ของผู้ประสานงาน {title}"], after[title]


def test_sealing_twice_on_google_leaves_one_whole_sheet_protection_on_the_seal_tab(google, tool):
    key = google.create("สพป. ทดสอบ")
    for person in (SERVICE_ACCOUNT, COORDINATOR):
        google.share(key, person, "writer")
    rows = [result("1", 6, 78.5, certification="รับรองแล้ว"), result("2", 6, 95, certification="รับรองแล้ว")]
    type_office(open_backend(parse_target(key)), KPIS, rows, {"coordinator_emails": COORDINATOR}, people=PEOPLE)
    assert tool("build", "--sheet", key, "--today", "1/5/2570").exit_code == 0  # the generated tabs' warnings
    for args in (("--seal",), ("--unseal", "--reason", "แก้ผลตัวชี้วัด 1"), ("--seal",)):
        outcome = tool("certify", "--sheet", key, "--round", "6", *args, "--yes", "--by", COORDINATOR,
                       "--today", "1/5/2570")
        assert outcome.exit_code == 0, outcome.output
    assert tool("build", "--sheet", key, "--today", "1/5/2570").exit_code == 0
    seal_tab = next(s for s in google.snapshot(key)["sheets"] if s["properties"]["title"] == "ผนึกรอบ")
    whole = [p for p in seal_tab.get("protectedRanges", []) if set(p["range"]) == {"sheetId"}]
    assert len(whole) == 1 and not whole[0]["warningOnly"] and COORDINATOR in whole[0]["editors"]["users"]


def test_protect_from_a_personal_login_names_itself_and_is_not_locked_out(google, tmp_path):
    """An OAuth token file records no e-mail: the tool asks Drive who it is (about.get) before it writes hard
    protections, so its own account is an editor and its later writes still land."""
    from .conftest import user_token_file

    me = "planner@example.go.th"
    key = google.create("สพป. ทดสอบ")
    for person in (me, COORDINATOR, OWNER_1, OWNER_2, SUPERVISOR):
        google.share(key, person, "writer")
    type_office(open_backend(parse_target(key)), KPIS, RESULTS, {"coordinator_emails": COORDINATOR}, people=PEOPLE)
    mine = str(user_token_file(tmp_path, me))
    outcome = cli("--credentials", mine, "protect", "--sheet", key)
    assert outcome.exit_code == 0, outcome.output
    hard = [p for s in google.snapshot(key)["sheets"] for p in s.get("protectedRanges", []) if not p["warningOnly"]]
    assert hard and all(me in p["editors"]["users"] for p in hard)
    assert all(p["editors"].get("domainUsersCanEdit") is False for p in hard)
    assert cli("--credentials", mine, "validate", "--sheet", key, "--write", "--today", "1/5/2570").exit_code in (0, 3)
    removed = cli("--credentials", mine, "protect", "--sheet", key, "--remove")
    assert removed.exit_code == 0, removed.output


def test_protect_refuses_hard_protection_when_the_tool_cannot_name_its_account(google, tmp_path):
    from .conftest import user_token_file

    me = "planner@example.go.th"
    key = google.create("สพป. ทดสอบ")
    google.share(key, me, "writer")
    type_office(open_backend(parse_target(key)), KPIS, RESULTS, {"coordinator_emails": COORDINATOR}, people=PEOPLE)
    before = google.snapshot(key)
    google.add_fault("200", count=5, match="/drive/v3/about", body={"kind": "drive#about"})  # no user in the answer
    try:
        outcome = cli("--credentials", str(user_token_file(tmp_path, me)), "protect", "--sheet", key)
    finally:
        google.state.faults.clear()
    assert outcome.exit_code == ExitCode.AUTH and "lock the tool out" in outcome.output
    assert google.snapshot(key) == before
