"""The command suite on both backends — a local .xlsx and a Google Sheet on the emulator — with the same
results, and on Google within the request budget: at most 2 reads and 1 write per command."""

import datetime as dt
import json

import pytest

from sheets_sync.domain.schema import AGREEMENTS, ALL_TABS, WRITE_ONLY_TABS
from sheets_sync.domain.thai import parse_date
from sheets_sync.workbook.operations import READ_ONLY

from .conftest import cli, kpi, person_types, result, type_office

MILESTONE = "ระดับความสำเร็จ"
KPIS = [kpi("1", 4, MILESTONE, ()), kpi("2", 4, MILESTONE, ()), kpi("3", 3), kpi("4", 3),
        kpi("5", 86, criteria=(10, 20, 30, 40, 50))]
RESULTS = [result("1", 6, "ระดับ 5"),
           result("2", 6, "ระดับ 5", committee_score=4.8, override_reason="ส่งรายงานไม่ครบ 1 ครั้ง"),
           result("3", 6, 70), result("4", 6, 66), result("5", 6, "ร้อยละ ๕๐", reported_on="15/04/2570")]
AGREEMENT = [{"level": "สพฐ./จังหวัด ↔ เขต", "maker": "นายหนึ่ง ทดสอบ", "receiver": "เลขาธิการ กพฐ."}]


def typed(workbook) -> None:
    type_office(workbook.backend(), KPIS, RESULTS, agreements=AGREEMENT)
    workbook.clear_log()


def run(workbook, *args: str):
    return cli(*args, "--sheet", workbook.sheet)


def test_init_lays_out_a_new_workbook_in_one_read_and_one_write(workbook):
    outcome = run(workbook, "init", "--fiscal-year", "2570", "--start-date", "1/10/2569")
    assert outcome.exit_code == 0, outcome.output
    data = workbook.backend().read()
    assert {"ตั้งค่า", "ขั้นตอน", "บุคลากร", "ตัวชี้วัด", "ผลการดำเนินงาน", "ข้อตกลง", "สรุปคะแนน"} <= set(data.tabs)
    steps = data.tabs["ขั้นตอน"].rows
    assert [r[0] for r in steps[1:]] == list(range(1, 11))
    # a date cell on .xlsx (shown BE by its format); on Google the BE text staff would type, in a plain-text cell
    assert steps[1][4] == (dt.date(2026, 10, 1) if workbook.can("date cells") else "1 ต.ค. 2569")
    assert parse_date(steps[1][4]) == dt.date(2026, 10, 1)
    if workbook.can("count requests"):
        assert workbook.reads_and_writes() == (1 + 1, 1)  # the read above is the test's own
        write = next(e for e in workbook.requests() if e["method"] == "POST")
        assert {"addSheet", "updateCells", "setDataValidation", "addProtectedRange", "repeatCell"} <= set(write["kinds"])


def test_validate_build_export_and_status_agree_on_both_backends(workbook):
    typed(workbook)
    checked = run(workbook, "validate", "--format", "json", "--today", "2027-04-01", "--strict")
    problems = json.loads(checked.output)["problems"]
    locale_warning = {("sheet.locale", "ตั้งค่า!A1")} if workbook.locale == "en_US" else set()
    assert {(p["code"], p["cell"]) for p in problems} == locale_warning | {
        ("results.result.loose", "ผลการดำเนินงาน!C6"), ("results.reported_on.loose", "ผลการดำเนินงาน!I6"),
        ("steps.late_without_note", "ขั้นตอน!M2"), ("steps.late_without_note", "ขั้นตอน!M3"),
        ("steps.late_without_note", "ขั้นตอน!M4"), ("steps.late_without_note", "ขั้นตอน!M5"),
        ("steps.late_without_note", "ขั้นตอน!M6"), ("steps.late_without_note", "ขั้นตอน!M8"),
    }
    built = run(workbook, "build", "--today", "2027-04-01")
    assert built.exit_code == 0, built.output
    summary = {r[1]: r for r in workbook.backend().read().tabs["สรุปคะแนน"].rows[1:]}
    assert [summary[k][10] for k in "1234"] == [0.2, 0.192, 0.06, 0.048]
    exported = json.loads(run(workbook, "export", "--today", "2027-04-01").output)
    assert exported["rounds"][0]["office_result"] == 4.8
    status = run(workbook, "status", "--today", "2027-04-01")
    assert "round 6: office result 4.8000" in status.output


def test_the_request_budget_holds_whatever_the_size(workbook):
    if not workbook.can("count requests"):
        pytest.skip("the request budget is Google's; a local file makes no requests")
    many = [kpi(str(n), 1) for n in range(1, 101)]
    type_office(workbook.backend(), many, [result(str(n), 6, 60 + n % 40) for n in range(1, 101)])
    for args, budget, code in ((["build", "--today", "2027-04-01"], (1, 1), 0),
                               (["build", "--today", "2027-04-01"], (1, 0), 0),  # nothing changed: nothing written
                               # the office has no top-level agreement yet: an error, so exit 3
                               (["validate", "--write", "--today", "2027-04-01"], (1, 1), 3),
                               # nothing missing: nothing written, unless someone set the sheet back to
                               # en_US, which init puts back to th_TH
                               (["init"], (1, 1 if workbook.locale == "en_US" else 0), 0),
                               (["export"], (1, 0), 0), (["status"], (1, 0), 0)):
        workbook.clear_log()
        outcome = run(workbook, *args)
        assert outcome.exit_code == code, (args, outcome.output)
        assert workbook.reads_and_writes() == budget, (args, workbook.requests())


def test_verbose_prints_the_request_count(workbook):
    typed(workbook)
    outcome = cli("--verbose", "build", "--sheet", workbook.sheet, "--today", "2027-04-01")
    if workbook.can("count requests"):
        assert "Google requests: 1 reads, 1 writes" in outcome.stderr
    else:
        assert "Google requests: 0 reads, 0 writes" in outcome.stderr


def test_values_are_written_raw_and_typed(workbook):
    typed(workbook)
    backend = workbook.backend()
    from sheets_sync.workbook.tables import append_rows

    # text already stored in the cells (typed with a leading ' on Google), so a formula-looking value stays text
    backend.apply(append_rows(backend.read(), AGREEMENTS, [{
        "level": "เขต ↔ บุคลากร", "maker": '=IMPORTXML("http://x","//a")', "receiver": "+66 81 234 5678",
        "note": "@everyone", "unit": "-5"}]))
    run(workbook, "build", "--today", "2027-04-01")
    row = workbook.backend().read().tabs["ข้อตกลง"].rows[-1]
    assert row[1] == '=IMPORTXML("http://x","//a")' and row[3] == "+66 81 234 5678"
    assert row[5] == "-5" and row[8] == "@everyone"
    if workbook.can("inspect the spreadsheet"):
        snapshot = workbook.emulator.snapshot(workbook.sheet)
        tab = next(s for s in snapshot["sheets"] if s["properties"]["title"] == "ข้อตกลง")
        cells = [v for row in tab["data"][0]["rowData"] for v in row.get("values", [])]
        typed_in = [c for c in cells if "IMPORTXML" in str(c.get("userEnteredValue", ""))]
        assert [c["userEnteredValue"] for c in typed_in] == [{"stringValue": '=IMPORTXML("http://x","//a")'}]
        summary = next(s for s in snapshot["sheets"] if s["properties"]["title"] == "สรุปขั้นตอน")
        planned = summary["data"][0]["rowData"][1]["values"][2]
        assert planned["userEnteredValue"] == {"numberValue": 46296}
        assert planned["userEnteredFormat"]["numberFormat"]["type"] == "DATE"


def test_two_builds_leave_identical_tabs(workbook):
    typed(workbook)
    run(workbook, "build", "--today", "2027-04-01")
    first = workbook.backend().read()
    run(workbook, "build", "--today", "2027-04-01")
    second = workbook.backend().read()
    for title in ("สรุปคะแนน", "สรุปขั้นตอน", "สรุปผู้รับผิดชอบ"):
        assert first.tabs[title].rows == second.tabs[title].rows


def test_validate_write_marks_cells_and_clears_old_marks(workbook):
    typed(workbook)
    backend = workbook.backend()
    data = backend.read()
    from sheets_sync.workbook.operations import WriteCells

    person_types(backend, [WriteCells("ตัวชี้วัด", 2, 17, (("P99",),))])
    run(workbook, "validate", "--write", "--today", "2026-10-05")
    data = workbook.backend().read()
    listed = data.tabs["ตรวจสอบข้อมูล"].rows
    assert any(r[2] == "ตัวชี้วัด!Q2" for r in listed[1:])
    assert "P99" in data.tabs["ตัวชี้วัด"].notes[(2, 17)]  # the mark says what is wrong, on every backend
    backend = workbook.backend()
    backend.read()
    person_types(backend, [WriteCells("ตัวชี้วัด", 2, 17, (("P03",),))])
    run(workbook, "validate", "--write", "--today", "2026-10-05")
    data = workbook.backend().read()
    assert not any(r[2] == "ตัวชี้วัด!Q2" for r in data.tabs["ตรวจสอบข้อมูล"].rows[1:])
    assert (2, 17) not in data.tabs["ตัวชี้วัด"].notes


def staff_note_and_colour(workbook, row: int, col: int, note: str, fill: str) -> None:
    """A person adds a note and a background colour to a cell (Insert > Note, the fill bucket)."""
    if workbook.can("file comments"):
        import openpyxl
        from openpyxl.comments import Comment
        from openpyxl.styles import PatternFill

        book = openpyxl.load_workbook(workbook.sheet)
        cell = book["ตัวชี้วัด"].cell(row=row, column=col)
        cell.comment = Comment(note, "ครูสมศรี")
        cell.fill = PatternFill("solid", fgColor=fill)
        book.save(workbook.sheet)
        return
    from .conftest import google_post

    sheet_id = next(s["properties"]["sheetId"] for s in workbook.emulator.snapshot(workbook.sheet)["sheets"]
                    if s["properties"]["title"] == "ตัวชี้วัด")
    rgb = {k: int(fill[i:i + 2], 16) / 255 for k, i in (("red", 0), ("green", 2), ("blue", 4))}
    google_post(workbook.backend(), ":batchUpdate", {"requests": [{"updateCells": {
        "start": {"sheetId": sheet_id, "rowIndex": row - 1, "columnIndex": col - 1},
        "rows": [{"values": [{"note": note, "userEnteredFormat": {"backgroundColor": rgb}}]}],
        "fields": "note,userEnteredFormat.backgroundColor"}}]})


def note_and_colour(workbook, row: int, col: int) -> tuple[str | None, str | None]:
    if workbook.can("file comments"):
        import openpyxl

        cell = openpyxl.load_workbook(workbook.sheet)["ตัวชี้วัด"].cell(row=row, column=col)
        fill = cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None
        return (cell.comment.text if cell.comment else None), fill
    from sheets_sync.backends.google.batch import hex_colour

    sheet = next(s for s in workbook.emulator.snapshot(workbook.sheet)["sheets"]
                 if s["properties"]["title"] == "ตัวชี้วัด")
    cell = sheet["data"][0]["rowData"][row - 1]["values"][col - 1]
    return cell.get("note"), hex_colour(cell.get("userEnteredFormat", {}).get("backgroundColor"))


def test_validate_write_keeps_a_staff_note_and_colour_on_a_flagged_cell_and_gives_them_back(workbook):
    """The mark once replaced the staff's note and colour, and the next --write cleared both."""
    from sheets_sync.workbook.operations import WriteCells

    typed(workbook)
    backend = workbook.backend()
    backend.read()
    person_types(backend, [WriteCells("ตัวชี้วัด", 2, 17, (("P99",),))])
    staff_note_and_colour(workbook, 2, 17, "รอยืนยันจากกลุ่มนโยบาย / waiting for the policy group", "C6EFCE")
    assert run(workbook, "validate", "--write", "--today", "2026-10-05").exit_code == 3
    note, fill = note_and_colour(workbook, 2, 17)
    assert "P99" in note and "รอยืนยันจากกลุ่มนโยบาย / waiting for the policy group" in note  # kept inside the mark
    assert fill == "FFD966"
    assert run(workbook, "validate", "--write", "--today", "2026-10-05").exit_code == 3  # marked again: still kept
    assert "waiting for the policy group" in note_and_colour(workbook, 2, 17)[0]
    backend = workbook.backend()
    backend.read()
    person_types(backend, [WriteCells("ตัวชี้วัด", 2, 17, (("P03",),))])
    run(workbook, "validate", "--write", "--today", "2026-10-05")
    assert note_and_colour(workbook, 2, 17) == ("รอยืนยันจากกลุ่มนโยบาย / waiting for the policy group", "C6EFCE")


def test_a_command_that_writes_nothing_reads_the_summaries_by_their_header_alone_on_google(workbook):
    typed(workbook)
    assert run(workbook, "build", "--today", "2027-04-01").exit_code == 0
    workbook.clear_log()
    whole = workbook.backend().read()
    whole_bytes = sum(e.get("sent", 0) for e in workbook.requests())
    workbook.clear_log()
    scoped = workbook.backend().read(READ_ONLY)
    header_only = {t.th for t in WRITE_ONLY_TABS} if workbook.can("read by ranges") else set()  # a file is read whole
    assert scoped.headers_only == header_only
    for tab in ALL_TABS:
        expected = whole.tabs[tab.th].rows[:1] if tab.th in header_only else whole.tabs[tab.th].rows
        assert scoped.tabs[tab.th].rows == expected, tab.th
    assert len(whole.tabs["สรุปคะแนน"].rows) > 1  # there was something to leave out
    if workbook.can("count requests"):
        assert workbook.reads_and_writes() == (1, 0)
        assert sum(e["sent"] for e in workbook.requests()) < whole_bytes


def test_build_tells_a_changed_summary_by_the_mark_it_left_without_reading_the_summary_back(workbook):
    from sheets_sync.domain.schema import RESULTS as RESULTS_TAB
    from sheets_sync.workbook.tables import append_rows

    typed(workbook)
    assert run(workbook, "build", "--today", "2027-04-01").exit_code == 0
    workbook.clear_log()
    workbook.backend().read()
    whole_read = sum(e.get("sent", 0) for e in workbook.requests())
    workbook.clear_log()
    again = run(workbook, "build", "--today", "2027-04-01")
    assert "nothing written" in again.output, again.output
    if workbook.can("count requests"):
        assert workbook.reads_and_writes() == (1, 0)
        assert sum(e["sent"] for e in workbook.requests()) < whole_read  # the summaries by their header only
    backend = workbook.backend()
    person_types(backend, append_rows(backend.read(), RESULTS_TAB, [result("3", 9, 90)]))
    workbook.clear_log()
    assert run(workbook, "build", "--today", "2027-07-20").exit_code == 0
    if workbook.can("count requests"):
        assert workbook.reads_and_writes() == (1, 1)
    rows = workbook.backend().read().tabs["สรุปคะแนน"].rows
    assert [9, "3", 90] == [rows[i][j] for i in range(len(rows)) for j in (0, 1, 4) if rows[i][:2] == [9, "3"]]


# --- what every backend must do (the Backend protocol's docstring), on each of them -----------------------------


def test_a_write_with_no_read_before_it_clears_last_runs_marks(workbook):
    from sheets_sync.workbook.marks import is_mark
    from sheets_sync.workbook.operations import MarkCells

    type_office(workbook.backend(), [kpi("1", "สี่สิบ")], [])
    assert run(workbook, "validate", "--write", "--today", "1/4/2570").exit_code == 3
    marked = [t for t, g in workbook.backend().read().tabs.items() if any(is_mark(n) for n in g.notes.values())]
    assert marked
    fresh = workbook.backend()
    fresh.apply([MarkCells(t, ()) for t in marked])  # a new process: no read() before this write
    after = workbook.backend().read()
    assert not [n for t in marked for n in after.tabs[t].notes.values() if is_mark(n)]


def test_a_guarded_write_leaves_a_cell_a_person_changed_and_says_so(workbook):
    from sheets_sync.workbook.operations import WriteCells

    typed(workbook)
    backend = workbook.backend()
    data = backend.read()
    title = next(t for t in data.tabs if t == "ข้อตกลง")
    before = data.tabs[title].rows[1][7] if len(data.tabs[title].rows[1]) > 7 else None
    person_types(workbook.backend(), [WriteCells(title, 2, 8, (("https://drive.example/signed.pdf",),))])
    result = backend.apply([WriteCells(title, 2, 8, (("/tmp/mine.docx",),), expect=((before,),))])
    assert [(c.tab, c.row, c.col) for c in result.conflicts] == [(title, 2, 8)]
    assert workbook.backend().read().tabs[title].rows[1][7] == "https://drive.example/signed.pdf"
