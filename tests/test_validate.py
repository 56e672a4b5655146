"""validate: one workbook per rule, each asserting the exact cell and the message key."""

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.xlsx import MARK_AUTHOR, XlsxBackend
from sheets_sync.domain.problems import Severity
from sheets_sync.domain.schema import AGREEMENTS
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.validate import ValidateOptions, validate
from sheets_sync.workbook.tables import append_rows

from .conftest import cli, kpi, office_workbook, result, sheet_values

EARLY = dt.date(2026, 10, 5)  # step 1 under way, no round due yet
MILESTONE = "ระดับความสำเร็จ"


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = office_workbook(tmp_path / "clean.xlsx", [
        kpi("1", 60), kpi("2", 40, MILESTONE, ()),
    ], [result("1", 6, 85), result("2", 6, "ระดับ 3")])
    backend = XlsxBackend(path)
    backend.apply(append_rows(backend.read(), AGREEMENTS, [{
        "level": "สพฐ./จังหวัด ↔ เขต", "maker": "นายหนึ่ง ทดสอบ", "receiver": "เลขาธิการ กพฐ.",
    }]))
    return path


def problems(path: Path, today: dt.date = EARLY, strict: bool = False):
    return validate(XlsxBackend(path).read(), ValidateOptions(today, strict))


def type_into(path: Path, title: str, ref: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb[title][ref] = value
    wb.save(path)


def found(path: Path, today: dt.date = EARLY, strict: bool = False) -> set[tuple[str, str]]:
    return {(p.code, p.cell) for p in problems(path, today, strict)}


def test_the_clean_workbook_has_no_problems_and_exits_0(clean: Path):
    assert problems(clean) == []
    outcome = cli("validate", "--sheet", str(clean), "--today", "2026-10-05")
    assert outcome.exit_code == 0 and "no problems found" in outcome.output


@pytest.mark.parametrize("title, ref, value, code, cell", [
    ("ตัวชี้วัด", "C2", None, "kpis.name.missing", "ตัวชี้วัด!C2"),
    ("ตัวชี้วัด", "F2", "เดาเอา", "kpis.method.unreadable", "ตัวชี้วัด!F2"),
    ("ตัวชี้วัด", "G2", "ขึ้น", "kpis.direction.unreadable", "ตัวชี้วัด!G2"),
    ("ตัวชี้วัด", "J2", "แปดสิบ", "kpis.c3.unreadable", "ตัวชี้วัด!J2"),
    ("ตัวชี้วัด", "Y2", "7", "kpis.start_round.unreadable", "ตัวชี้วัด!Y2"),
    ("ผลการดำเนินงาน", "I2", "32/13/2569", "results.reported_on.unreadable", "ผลการดำเนินงาน!I2"),
    ("ผลการดำเนินงาน", "B2", 7, "results.round.unreadable", "ผลการดำเนินงาน!B2"),
    ("ผลการดำเนินงาน", "J2", "อนุมัติ", "results.certification.unreadable", "ผลการดำเนินงาน!J2"),
    ("ผลการดำเนินงาน", "C2", "ประมาณ 85", "results.result_unreadable", "ผลการดำเนินงาน!C2"),
    ("ผลการดำเนินงาน", "C3", "ระดับ 3.5", "results.level_unreadable", "ผลการดำเนินงาน!C3"),
    ("ผลการดำเนินงาน", "A2", "9", "results.unknown_kpi", "ผลการดำเนินงาน!A2"),
    ("ผลการดำเนินงาน", "E2", 6, "results.committee_range", "ผลการดำเนินงาน!E2"),
    ("ผลการดำเนินงาน", "E2", 4, "results.committee_reason", "ผลการดำเนินงาน!F2"),
    ("ตัวชี้วัด", "Q2", "P99", "kpis.owner_unknown", "ตัวชี้วัด!Q2"),
    ("ตัวชี้วัด", "R2", None, "kpis.supervisor.missing", "ตัวชี้วัด!R2"),
    ("ตัวชี้วัด", "E2", 50, "kpis.weights_total", "ตัวชี้วัด!E2"),
    ("ตัวชี้วัด", "K2", 80, "kpis.criteria_not_monotonic", "ตัวชี้วัด!H2"),
    ("ตัวชี้วัด", "G2", "น้อยดี", "kpis.criteria_direction", "ตัวชี้วัด!G2"),
    ("ตัวชี้วัด", "Y2", 9, "results.round_not_counted", "ผลการดำเนินงาน!B2"),
    ("ขั้นตอน", "G2", "1/10/2568", "steps.actual_start.before_year", "ขั้นตอน!G2"),
    ("ขั้นตอน", "G2", "6 ต.ค. 2569", "steps.actual_start.future", "ขั้นตอน!G2"),
    ("ขั้นตอน", "I2", "เสร็จสิ้น", "steps.done_without_end", "ขั้นตอน!H2"),
    ("บุคลากร", "A3", "P01", "people.duplicate_key", "บุคลากร!A3"),
    ("ข้อตกลง", "A2", "เขต ↔ บุคลากร", "agreements.top_level_missing", "ข้อตกลง!A1"),
])
def test_each_rule_points_at_the_cell(clean: Path, title, ref, value, code, cell):
    type_into(clean, title, ref, value)
    assert (code, cell) in found(clean)


def test_a_problem_carries_severity_tab_key_and_both_languages(clean: Path):
    type_into(clean, "ตัวชี้วัด", "F2", "เดาเอา")
    [problem] = problems(clean)
    assert problem.severity is Severity.ERROR and problem.tab == "ตัวชี้วัด" and problem.key == "1"
    assert "เทียบบัญญัติไตรยางศ์" in problem.th and "not in the list" in problem.en


def test_every_problem_is_collected_in_one_pass(clean: Path):
    wb = openpyxl.load_workbook(clean)
    wb["ตัวชี้วัด"]["F2"] = "เดาเอา"
    wb["ตัวชี้วัด"]["Q3"] = "P99"
    wb["ผลการดำเนินงาน"]["I2"] = "ไม่ใช่วันที่"
    wb.save(clean)
    assert {p.code for p in problems(clean)} == {"kpis.method.unreadable", "kpis.owner_unknown",
                                                  "results.reported_on.unreadable"}


def test_sub_kpis_must_add_up_to_their_parent(tmp_path: Path):
    path = office_workbook(tmp_path / "n.xlsx", [
        kpi("1", 60, criteria=()), kpi("1.1", 30, parent_id="1"), kpi("1.2", 20, parent_id="1"), kpi("2", 50),
    ], [])
    codes = found(path)
    assert ("kpis.parent_weight", "ตัวชี้วัด!E2") in codes
    assert not any(code == "kpis.weights_total" for code, _ in codes)  # the leaves do add up to 100


def test_a_milestone_level_must_not_go_down(clean: Path):
    backend = XlsxBackend(clean)
    from sheets_sync.domain.schema import RESULTS

    backend.apply(append_rows(backend.read(), RESULTS, [result("2", 9, "ระดับ 2")]))
    assert ("results.level_down", "ผลการดำเนินงาน!C4") in found(clean)


def test_missing_results_past_the_deadline_are_errors(clean: Path):
    assert not any(code == "results.overdue" for code, _ in found(clean, dt.date(2027, 6, 1)))
    overdue = [p for p in problems(clean, dt.date(2027, 7, 1)) if p.code == "results.overdue"]
    assert {p.key for p in overdue} == {"1/9", "2/9"}  # no deadline set: round 9 is due when it ends, 30 June
    assert "P03" in overdue[0].en


def test_a_late_step_without_a_note_is_a_warning_and_warnings_alone_exit_0(clean: Path):
    late = [p for p in problems(clean, dt.date(2026, 10, 9)) if p.code == "steps.late_without_note"]
    assert [(p.severity, p.cell) for p in late] == [(Severity.WARNING, "ขั้นตอน!M2")]
    type_into(clean, "ขั้นตอน", "M2", "รอเอกสารจาก สพฐ.")
    assert not any(p.code == "steps.late_without_note" for p in problems(clean, dt.date(2026, 10, 9)))
    type_into(clean, "ขั้นตอน", "M2", None)
    assert cli("validate", "--sheet", str(clean), "--today", "2026-10-09").exit_code == 0


def test_layout_problems_name_the_header_cell(clean: Path):
    type_into(clean, "ตัวชี้วัด", "D1", "หน่วยวัต")
    assert ("layout.header_unknown", "ตัวชี้วัด!D1") in found(clean)
    type_into(clean, "ตัวชี้วัด", "AB1", "น้ำหนัก")
    assert ("layout.column_doubled", "ตัวชี้วัด!AB1") in found(clean)
    type_into(clean, "ตัวชี้วัด", "C1", None)
    assert "layout.column_missing" in {code for code, _ in found(clean)}


def test_a_missing_tab_is_reported_not_raised(clean: Path):
    wb = openpyxl.load_workbook(clean)
    del wb["ข้อตกลง"]
    wb.save(clean)
    assert ("layout.tab_missing", "ข้อตกลง!A1") in found(clean)


def test_a_missing_tab_does_not_hide_the_problems_in_the_tabs_that_are_there(clean: Path):
    type_into(clean, "ตัวชี้วัด", "E2", "หก")  # a weight that does not read
    type_into(clean, "ผลการดำเนินงาน", "B2", "7")  # not a round
    wb = openpyxl.load_workbook(clean)
    del wb["ข้อตกลง"]
    wb.save(clean)
    codes = found(clean)
    assert ("layout.tab_missing", "ข้อตกลง!A1") in codes
    assert any(cell == "ผลการดำเนินงาน!B2" for _, cell in codes)
    assert ("kpis.weight.unreadable", "ตัวชี้วัด!E2") in codes
    assert any(code == "layout.rules_skipped" for code, _ in codes)


def test_loosely_typed_values_are_accepted_and_reported_only_when_strict(clean: Path):
    type_into(clean, "ผลการดำเนินงาน", "C2", "๘๕")
    type_into(clean, "ผลการดำเนินงาน", "I2", "15/04/2570")
    type_into(clean, "ตัวชี้วัด", "E2", "ร้อยละ ๖๐")
    assert problems(clean) == []
    strict = {(p.severity, p.code, p.cell) for p in problems(clean, strict=True)}
    assert strict == {
        (Severity.INFO, "results.result.loose", "ผลการดำเนินงาน!C2"),
        (Severity.INFO, "results.reported_on.loose", "ผลการดำเนินงาน!I2"),
        (Severity.INFO, "kpis.weight.loose", "ตัวชี้วัด!E2"),
    }


def test_errors_exit_3_and_json_lists_them(clean: Path):
    type_into(clean, "ตัวชี้วัด", "Q2", "P99")
    outcome = cli("validate", "--sheet", str(clean), "--today", "2026-10-05", "--format", "json")
    assert outcome.exit_code == ExitCode.INVALID_DATA
    data = json.loads(outcome.output)
    assert data["errors"] == 1
    assert data["problems"][0] | {} == {
        "severity": "error", "code": "kpis.owner_unknown", "tab": "ตัวชี้วัด", "cell": "ตัวชี้วัด!Q2", "key": "1",
        "th": data["problems"][0]["th"], "en": "owner “P99” is not in the people tab; use a person id from it",
    }


def test_write_lists_problems_with_links_and_marks_cells_without_changing_values(clean: Path):
    type_into(clean, "ตัวชี้วัด", "Q2", "P99")
    before = {t: sheet_values(clean, t) for t in ("ตัวชี้วัด", "ผลการดำเนินงาน")}
    outcome = cli("validate", "--sheet", str(clean), "--today", "2026-10-05", "--write")
    assert outcome.exit_code == ExitCode.INVALID_DATA
    assert {t: sheet_values(clean, t) for t in before} == before
    wb = openpyxl.load_workbook(clean)
    cell = wb["ตัวชี้วัด"]["Q2"]
    assert cell.comment.author == MARK_AUTHOR and "P99" in cell.comment.text
    listed = wb["ตรวจสอบข้อมูล"]
    assert listed["C2"].value == "ตัวชี้วัด!Q2" and listed["C2"].hyperlink.location == "'ตัวชี้วัด'!Q2"
    # fixed and validated again: the old mark and the old list are gone
    type_into(clean, "ตัวชี้วัด", "Q2", "P03")
    cli("validate", "--sheet", str(clean), "--today", "2026-10-05", "--write")
    wb = openpyxl.load_workbook(clean)
    assert wb["ตัวชี้วัด"]["Q2"].comment is None and wb["ตัวชี้วัด"]["Q2"].fill.fill_type is None
    assert wb["ตรวจสอบข้อมูล"].max_row == 1


def test_fix_normalises_loose_values_after_a_snapshot(clean: Path):
    type_into(clean, "ผลการดำเนินงาน", "C2", "ร้อยละ ๘๕")
    type_into(clean, "ผลการดำเนินงาน", "I2", "15/04/2570")
    outcome = cli("fix", "--sheet", str(clean))
    assert outcome.exit_code == 0
    wb = openpyxl.load_workbook(clean)
    assert wb["ผลการดำเนินงาน"]["C2"].value == 85
    assert wb["ผลการดำเนินงาน"]["I2"].value.date() == dt.date(2027, 4, 15)
    snapshots = list((clean.parent / ".sheets-sync" / "snapshots").glob("*.xlsx"))
    assert len(snapshots) == 1
    old = openpyxl.load_workbook(snapshots[0])["ผลการดำเนินงาน"]
    assert old["C2"].value == "ร้อยละ ๘๕"
    assert problems(clean, strict=True) == []


def test_fix_leaves_alone_a_cell_changed_after_its_read(clean: Path, monkeypatch):
    from sheets_sync.tasks import fix as fix_module

    type_into(clean, "ผลการดำเนินงาน", "C2", "๘๕")
    real_snapshot = fix_module.take_snapshot

    def snapshot_then_someone_types(backend, data, reason):
        taken = real_snapshot(backend, data, reason)
        type_into(clean, "ผลการดำเนินงาน", "C2", "๙๐")  # a person edits between our read and our write
        return taken

    monkeypatch.setattr(fix_module, "take_snapshot", snapshot_then_someone_types)
    report = fix_module.run_fix(XlsxBackend(clean))
    assert [c.cell for c in report.conflicts] == ["ผลการดำเนินงาน!C2"]
    assert openpyxl.load_workbook(clean)["ผลการดำเนินงาน"]["C2"].value == "๙๐"


@pytest.mark.parametrize("typed", ["ร้อยละ ๘๐", "สองห้าเจ็ดศูนย์", 80])
def test_an_unreadable_fiscal_year_is_a_settings_problem_not_a_crash(clean: Path, typed):
    # found by the fuzz test: a percent typed into the fiscal-year row read as year 80
    type_into(clean, "ตั้งค่า", "B4", typed)
    assert ("settings.fiscal_year.unreadable", "ตั้งค่า!B4") in found(clean)
    assert cli("build", "--sheet", str(clean), "--today", "2026-10-05").exit_code == 0


def test_every_problem_code_the_code_emits_is_registered_and_documented():
    """Codes are stable keys: every emitting site's code (f-string families included) is in the registry, and
    the registry is README's table."""
    from sheets_sync.domain.problems import CODES, codes_table, registered

    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert codes_table() in readme
    source = "\n".join(p.read_text(encoding="utf-8") for p in (root / "sheets_sync").rglob("*.py"))
    emitted = set(re.findall(r'Severity\.[A-Z]+,\s*f?"([a-z{][^"]*)"', source))
    emitted |= set(re.findall(r'Finding\("([^"]+)"', source))
    assert len(emitted) > 30
    families = {re.sub(r"<[a-z]+>", "*", c.pattern) for c in CODES}
    unregistered = {code for code in emitted
                    if not registered(code) and re.sub(r"\{[^}]+\}", "*", code) not in families}
    assert unregistered == set()


def test_every_code_a_messy_office_raises_is_registered(tmp_path: Path):
    from sheets_sync.domain.problems import registered

    directory = tmp_path / "demo"
    assert cli("demo", "--dir", str(directory)).exit_code == 0
    checked = cli("validate", "--sheet", str(directory / "workbook.xlsx"), "--format", "json", "--strict")
    codes = {p["code"] for p in json.loads(checked.output)["problems"]}
    assert codes and all(registered(code) for code in codes), codes


def test_a_scheduled_validate_prints_nothing_without_errors_and_logs_one_line_each_run(clean: Path, tmp_path):
    log = tmp_path / "runs.jsonl"
    scheduled = ("validate", "--sheet", str(clean), "--write", "--quiet", "--log-json", str(log), "--today", "2026-10-09")
    quiet = cli(*scheduled)  # a late step's warning: nothing a person must act on tonight
    assert (quiet.exit_code, quiet.output) == (0, "")
    type_into(clean, "ตัวชี้วัด", "F2", "เดาเอา")
    loud = cli(*scheduled)
    assert loud.exit_code == ExitCode.INVALID_DATA and "ตัวชี้วัด!F2" in loud.output  # errors are said, --quiet or not
    first, second = (json.loads(line) for line in log.read_text(encoding="utf-8").splitlines())
    assert (first["command"], first["write"], first["errors"], first["exit_code"]) == ("validate", True, 0, 0)
    assert first["warnings"] == 1 and first["target"].endswith(clean.name)
    assert second["errors"] >= 1 and second["exit_code"] == ExitCode.INVALID_DATA and second["marked_cells"] >= 1
