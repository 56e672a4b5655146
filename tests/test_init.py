"""init lays out a workbook, and re-running it on staff's data adds what is missing and changes nothing typed."""

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.xlsx import XLSX_DATE_FORMAT, XlsxBackend
from sheets_sync.domain.schema import ALL_TABS, KPIS, PEOPLE, STEPS
from sheets_sync.domain.standard_steps import STANDARD_STEPS, planned_dates
from sheets_sync.tasks.init import InitOptions, run_init

from .conftest import cli, sheet_values


def test_a_new_workbook_gets_every_tab_with_thai_headers(new_workbook: Path):
    wb = openpyxl.load_workbook(new_workbook)
    assert wb.sheetnames == [tab.th for tab in ALL_TABS]
    for tab in ALL_TABS:
        header = [c.value for c in wb[tab.th][1]]
        assert header == [col.th for col in tab.columns]
        assert wb[tab.th].freeze_panes == "A2"


def test_ten_standard_steps_are_seeded_with_planned_dates_from_the_start_date(new_workbook: Path):
    rows = sheet_values(new_workbook, STEPS.th)
    header = rows[0]
    steps = [dict(zip(header, row)) for row in rows[1:]]
    assert [s["ลำดับที่"] for s in steps] == list(range(1, 11))
    assert steps[0]["วันเริ่ม (แผน)"].date() == dt.date(2026, 10, 1)
    # working days by default: step 1 (1 week = 5 working days) from Thursday 1 Oct ends Wednesday 7 Oct
    assert steps[0]["วันสิ้นสุด (แผน)"].date() == dt.date(2026, 10, 7)
    # step 2 (2 days) from Thursday 8 Oct ends Friday 9 Oct; step 3 starts Monday 12 Oct, skipping the weekend
    assert steps[1]["วันสิ้นสุด (แผน)"].date() == dt.date(2026, 10, 9)
    assert steps[2]["วันเริ่ม (แผน)"].date() == dt.date(2026, 10, 12)
    assert steps[4]["เวลาดำเนินการ"] == "3 สัปดาห์"
    assert steps[9]["มาตรฐานคุณภาพงาน"] == "เอกสารรายงานผลการปฏิบัติราชการ"
    assert [s["รายละเอียดงาน"] for s in steps] == [s.detail for s in STANDARD_STEPS]


def test_working_days_skip_thai_public_holidays():
    # 13 Oct 2026 is King Bhumibol Memorial Day: step 3's five working days from Monday 12 Oct are
    # 12, 14, 15, 16 and 19 Oct (without the holiday it would end on Friday 16 Oct)
    plan = planned_dates(dt.date(2026, 10, 1), 2570, working_days=True)
    assert plan[3] == (dt.date(2026, 10, 12), dt.date(2026, 10, 19))
    calendar = planned_dates(dt.date(2026, 10, 1), 2570, working_days=False)
    assert calendar[3] == (dt.date(2026, 10, 10), dt.date(2026, 10, 16))


def test_dates_are_date_cells_shown_in_the_buddhist_era(new_workbook: Path):
    ws = openpyxl.load_workbook(new_workbook)[STEPS.th]
    cell = ws["E2"]
    assert cell.is_date and cell.number_format == XLSX_DATE_FORMAT


def test_choice_and_people_columns_get_dropdowns(new_workbook: Path):
    wb = openpyxl.load_workbook(new_workbook)
    kpis = wb[KPIS.th]
    formulas = {str(dv.sqref): dv.formula1 for dv in kpis.data_validations.dataValidation}
    method_col = "F"
    assert formulas[f"{method_col}2:{method_col}5000"] == '"เทียบบัญญัติไตรยางศ์,ช่วงคะแนน,ระดับความสำเร็จ,คณะกรรมการ"'
    assert formulas["Q2:Q5000"] == "'รายชื่อให้เลือก'!$A$2:$A$5000"  # owner ← `P01 — name`, picked by name
    assert formulas["R2:R5000"] == "'รายชื่อให้เลือก'!$A$2:$A$5000"  # supervisor
    owner = next(dv for dv in kpis.data_validations.dataValidation if str(dv.sqref) == "Q2:Q5000")
    assert owner.errorStyle == "information"  # a typed id is accepted too
    people = {str(dv.sqref): dv for dv in wb[PEOPLE.th].data_validations.dataValidation}
    assert people["E2:E5000"].errorStyle == "information"  # several roles may be typed, comma-separated


def test_generated_tabs_are_protected_and_input_tabs_are_not(new_workbook: Path):
    wb = openpyxl.load_workbook(new_workbook)
    for tab in ALL_TABS:
        assert wb[tab.th].protection.sheet is (not tab.is_input)


def test_running_init_again_changes_nothing(new_workbook: Path):
    before = {t.th: sheet_values(new_workbook, t.th) for t in ALL_TABS}
    report = run_init(XlsxBackend(new_workbook), InitOptions(2570, dt.date(2026, 10, 1)))
    assert not report.changed_data and not report.conflicts
    assert {t.th: sheet_values(new_workbook, t.th) for t in ALL_TABS} == before


def _staff_workbook(path: Path) -> None:
    """A workbook typed by staff before this tool: columns reordered, English-key headers, their own column,
    some columns missing, loosely typed values, and a custom step 11."""
    wb = openpyxl.Workbook()
    kpis = wb.active
    kpis.title = "ตัวชี้วัด"
    kpis.append(["ชื่อตัวชี้วัด", "kpi_id", "หมายเหตุของกลุ่ม", "น้ำหนัก", "owner"])
    kpis.append(["ร้อยละนักเรียนอ่านออก", "1", "ติดตามทุกเดือน", "๖๐", "P01"])
    kpis.append(["ความพึงพอใจ", "2", None, 40, "P02"])
    steps = wb.create_sheet("steps")
    steps.append(["ลำดับที่", "รายละเอียดงาน", "วันเริ่มจริง", "สถานะ"])
    steps.append([1, "ศึกษาแนวทาง (ข้อความของเขตเอง)", "1 ต.ค. 2569", "เสร็จสิ้น"])
    steps.append([11, "ขั้นตอนเพิ่มของเขต", None, None])
    settings = wb.create_sheet("ตั้งค่า")
    settings.append(["รายการ", "ค่า"])
    settings.append(["fiscal_year", 2569])
    settings.append(["ชื่อหน่วยงาน", "สพม. เดิม"])
    wb.save(path)


def test_init_on_a_filled_workbook_keeps_everything_staff_typed(tmp_path: Path):
    path = tmp_path / "staff.xlsx"
    _staff_workbook(path)
    before = {title: sheet_values(path, title) for title in ("ตัวชี้วัด", "steps", "ตั้งค่า")}

    report = run_init(XlsxBackend(path), InitOptions(fiscal_year=2570))

    after_wb = openpyxl.load_workbook(path)
    for title, rows in before.items():
        ws = after_wb[title]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                assert ws.cell(r, c).value == value, f"{title}!{ws.cell(r, c).coordinate} changed"
    # missing columns were added at the right of the staff's own column, never in between
    kpi_header = [c.value for c in after_wb["ตัวชี้วัด"][1]]
    assert kpi_header[:5] == ["ชื่อตัวชี้วัด", "kpi_id", "หมายเหตุของกลุ่ม", "น้ำหนัก", "owner"]
    assert kpi_header[5] == "ตัวชี้วัดหลัก" and "ผู้รับผิดชอบ" not in kpi_header  # owner found by its key
    assert ("ตัวชี้วัด", "ชื่อตัวชี้วัด") not in report.added_columns
    # the typed fiscal year wins over the option, and the coordinator is told
    assert report.fiscal_year == 2569
    assert any("2569" in en for _, en in report.notes)
    # the tab named by its English key is used, not doubled; standard steps 2–10 are added after step 11
    assert "ขั้นตอน" not in after_wb.sheetnames
    steps = [row[0] for row in after_wb["steps"].iter_rows(min_row=2, values_only=True)]
    assert steps == [1, 11, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    # step 1 keeps the office's own detail text; its blank planned dates are filled in
    header = [c.value for c in after_wb["steps"][1]]
    row2 = dict(zip(header, [c.value for c in after_wb["steps"][2]]))
    assert row2["รายละเอียดงาน"] == "ศึกษาแนวทาง (ข้อความของเขตเอง)"
    assert row2["วันเริ่ม (แผน)"].date() == dt.date(2025, 10, 1)
    assert set(report.added_tabs) == {"บุคลากร", "ผลการดำเนินงาน", "ข้อตกลง", "สรุปคะแนน", "สรุปขั้นตอน",
                                      "สรุปผู้รับผิดชอบ", "รายชื่อให้เลือก", "ตรวจสอบข้อมูล", "ผนึกรอบ", "การแจ้งเตือน", "ประวัติการแก้ไข"}


def test_init_twice_on_a_filled_workbook_is_a_fixed_point(tmp_path: Path):
    path = tmp_path / "staff.xlsx"
    _staff_workbook(path)
    run_init(XlsxBackend(path), InitOptions())
    first = {t: sheet_values(path, t) for t in openpyxl.load_workbook(path).sheetnames}
    second_report = run_init(XlsxBackend(path), InitOptions())
    assert not second_report.changed_data
    assert {t: sheet_values(path, t) for t in first} == first


def test_init_command_prints_what_it_did_in_thai_and_english(tmp_path: Path):
    result = cli("init", "--sheet", str(tmp_path / "new.xlsx"), "--fiscal-year", "2570", "--start-date", "1/10/2569")
    assert result.exit_code == 0, result.output
    assert "สร้างสมุดงานใหม่" in result.output and "created workbook" in result.output
    assert "1 ต.ค. 2569" in result.output
    again = cli("init", "--sheet", str(tmp_path / "new.xlsx"))
    assert "nothing to add" in again.output


def test_init_refuses_a_workbook_with_the_same_tab_twice(tmp_path: Path):
    path = tmp_path / "double.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "kpis"
    wb.create_sheet("ตัวชี้วัด")
    wb.save(path)
    result = cli("init", "--sheet", str(path))
    assert result.exit_code == 8
    assert "kpis" in result.output and "ตัวชี้วัด" in result.output


@pytest.mark.parametrize("bad_date", ["31/02/2570", "tomorrow"])
def test_a_bad_start_date_is_a_usage_error_naming_the_value(tmp_path: Path, bad_date: str):
    result = cli("init", "--sheet", str(tmp_path / "x.xlsx"), "--start-date", bad_date)
    assert result.exit_code == 2
    assert bad_date in result.output


def test_a_fiscal_year_typed_as_80_is_read_by_one_rule_in_init_and_validate(tmp_path):
    """Settings were parsed in three places with three rules: init crashed with "year -464 is out of range"."""
    from sheets_sync.tasks.init import InitOptions, run_init
    from sheets_sync.workbook.tables import set_settings

    path = tmp_path / "workbook.xlsx"
    backend = XlsxBackend(path)
    run_init(backend, InitOptions(2570, dt.date(2026, 10, 1), "สพป. ทดสอบ"))
    backend.apply(set_settings(backend.read(), {"fiscal_year": "80"}))
    outcome = cli("init", "--sheet", str(path))
    assert outcome.exit_code == 0, outcome.output
    assert "does not read as a BE year" in outcome.output
    checked = cli("validate", "--sheet", str(path), "--format", "json")
    codes = {p["code"] for p in json.loads(checked.output)["problems"]}
    assert "settings.fiscal_year.unreadable" in codes


def test_the_workbook_reads_and_prints_for_people(new_workbook: Path):
    """A font with Thai in it, filter buttons on input tabs, long text wrapped, and wide tabs printed over as many
    pages as keep the text readable (one page wide printed ตัวชี้วัด at about 4 pt)."""
    wb = openpyxl.load_workbook(new_workbook)
    kpis = wb["ตัวชี้วัด"]
    assert kpis["A1"].font.name == "TH Sarabun New" and kpis["A1"].font.b
    assert kpis.auto_filter.ref.startswith("A1:") and wb["สรุปคะแนน"].auto_filter.ref is None
    assert kpis.page_setup.fitToWidth >= 2 and wb["ตั้งค่า"].page_setup.fitToWidth == 1
    assert kpis.column_dimensions["C"].alignment.wrap_text  # ชื่อตัวชี้วัด, 50 characters wide


def test_google_sheets_get_filters_on_input_tabs(google):
    key = google.create("ทดสอบ")
    assert cli("init", "--sheet", key, "--fiscal-year", "2570").exit_code == 0
    sheets = {s["properties"]["title"]: s for s in google.snapshot(key)["sheets"]}
    assert "basicFilter" in sheets["ตัวชี้วัด"] and "basicFilter" not in sheets["สรุปคะแนน"]


def test_built_cells_read_in_a_thai_font_with_codes_centred_and_long_text_on_lines_of_its_own(tmp_path: Path):
    """A right-aligned round 6 beside a left-aligned KPI id 1 read as 61: short codes are centred, text after a
    number is indented, every cell without a font of its own is in TH Sarabun New (Calibri has no Thai), and a
    row whose name wraps is as tall as its lines (LibreOffice opens a file's rows one line high)."""
    assert cli("demo", "--dir", str(tmp_path)).exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "workbook.xlsx")
    summary = wb["สรุปคะแนน"]
    header = [c.value for c in summary[1]]
    first = summary[2]
    round_, kpi_id, band = (first[header.index(name)] for name in ("รอบ", "รหัสตัวชี้วัด", "ระดับผล"))
    assert round_.value == 6 and round_.alignment.horizontal == "center"
    assert kpi_id.alignment.horizontal == "center"
    assert band.alignment.horizontal == "left" and band.alignment.indent == 1  # after คะแนนถ่วงน้ำหนัก
    assert first[header.index("คะแนนที่คำนวณ")].font.name == "TH Sarabun New"  # a plain number cell
    results = wb["ผลการดำเนินงาน"]
    assert results["B2"].value in (6, 9, 12) and results["B2"].alignment.horizontal == "center"  # typed by demo
    name = header.index("ชื่อตัวชี้วัด")
    long_rows = [c.row for c in summary["C"][1:] if isinstance(c.value, str) and len(c.value) > 60]
    assert name == 2 and long_rows
    assert all((summary.row_dimensions[r].height or 0) >= 38 for r in long_rows)
    assert summary.row_dimensions[1].height >= 38  # two-line headers stay inside the header band


def test_an_init_with_nothing_missing_writes_nothing_and_relayout_lays_the_tabs_out_again(tmp_path: Path):
    """A rewrite of the whole file for nothing took 76 s at 20,000 KPIs; a dropdown removed by hand comes back
    with --relayout (the layout mark cannot see a hand edit)."""
    path = tmp_path / "w.xlsx"
    assert cli("init", "--sheet", str(path), "--fiscal-year", "2570").exit_code == 0
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    again = cli("init", "--sheet", str(path))
    assert again.exit_code == 0 and "the workbook was not written" in again.output
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before

    wb = openpyxl.load_workbook(path)
    wb["ผลการดำเนินงาน"].data_validations.dataValidation.clear()  # someone removed the dropdowns by hand
    wb.save(path)
    assert cli("init", "--sheet", str(path), "--relayout").exit_code == 0
    assert openpyxl.load_workbook(path)["ผลการดำเนินงาน"].data_validations.dataValidation


def test_a_second_init_on_google_reads_once_and_writes_nothing(google):
    key = google.create("ทดสอบ")
    assert cli("init", "--sheet", key, "--fiscal-year", "2570").exit_code == 0
    google.clear_log()
    outcome = cli("init", "--sheet", key)
    assert outcome.exit_code == 0, outcome.output
    assert [e["endpoint"] for e in google.requests()] == ["spreadsheets.get"]
    google.clear_log()
    assert cli("init", "--sheet", key, "--relayout").exit_code == 0
    assert [e["endpoint"] for e in google.requests()] == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    google.clear_log()
    assert cli("init", "--sheet", key).exit_code == 0  # the mark was updated in place, not added twice
    assert [e["endpoint"] for e in google.requests()] == ["spreadsheets.get"]
    assert len(google.snapshot(key)["developerMetadata"]) == 1


def test_a_rewritten_tab_keeps_no_row_height_from_its_previous_contents(tmp_path: Path):
    from sheets_sync.workbook.operations import AddTab, ReplaceTab

    backend = XlsxBackend(tmp_path / "w.xlsx")
    long_text = "ข้อความยาวมากที่ต้องตัดขึ้นบรรทัดใหม่ " * 6
    backend.apply([AddTab("แท็บ"), ReplaceTab("แท็บ", (("หัว",), (long_text,)), alignments=("wrap",))])
    assert openpyxl.load_workbook(tmp_path / "w.xlsx")["แท็บ"].row_dimensions[2].height >= 38
    backend.apply([ReplaceTab("แท็บ", (("หัว",), ("สั้น",)), alignments=("wrap",))])
    assert openpyxl.load_workbook(tmp_path / "w.xlsx")["แท็บ"].row_dimensions[2].height is None
