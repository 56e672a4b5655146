"""init --create makes a new Google Sheet; copy moves a whole workbook between .xlsx and Google, both ways."""

import datetime as dt
from pathlib import Path

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.domain.schema import ALL_TABS, INPUT_TABS
from sheets_sync.domain.thai import ParseError, parse_date
from sheets_sync.exit_codes import ExitCode

from .conftest import cli, kpi, office_workbook, result


def test_init_create_makes_a_laid_out_google_sheet_and_prints_its_url(google):
    google.clear_log()
    outcome = cli("init", "--create", "คำรับรอง สพป. ทดสอบ ปี 2570", "--fiscal-year", "2570")
    assert outcome.exit_code == 0, outcome.output
    url = next(line for line in outcome.output.splitlines() if "docs.google.com" in line)
    key = url.split("/d/")[1].split("/")[0]
    titles = [s["properties"]["title"] for s in google.snapshot(key)["sheets"]]
    assert titles == [t.th for t in ALL_TABS]  # the empty default Sheet1 is gone
    assert [e["endpoint"] for e in google.requests()] == ["drive.files.create", "spreadsheets.get",
                                                         "spreadsheets.batchUpdate"]


def test_copy_an_offices_xlsx_into_a_new_google_sheet_and_back(google, tmp_path: Path):
    local = office_workbook(tmp_path / "office.xlsx", [kpi("1", 60), kpi("2", 40)],
                            [result("1", 6, 85), result("2", 6, "ร้อยละ ๗๐")])
    original = XlsxBackend(local).read()
    google.clear_log()
    outcome = cli("copy", str(local), "--create", "สำเนา")
    assert outcome.exit_code == 0, outcome.output
    key = next(line for line in outcome.output.splitlines() if "docs.google.com" in line).split("/d/")[1].split("/")[0]
    endpoints = [e["endpoint"] for e in google.requests()]
    assert endpoints == ["drive.files.create", "spreadsheets.get", "spreadsheets.batchUpdate"]
    copied = open_backend(parse_target(key)).read()
    for tab in INPUT_TABS:  # on Google the dates are the BE text staff would type; they read as the same days
        assert as_meant(copied.tabs[tab.th].rows) == as_meant(original.tabs[tab.th].rows), tab.th
    assert copied.tabs["ขั้นตอน"].rows[1][4] == "1 ต.ค. 2569"
    back = tmp_path / "offline.xlsx"
    assert cli("copy", key, str(back)).exit_code == 0
    offline = XlsxBackend(back).read()
    for tab in INPUT_TABS:
        assert offline.tabs[tab.th].rows == original.tabs[tab.th].rows, tab.th
    assert cli("build", "--sheet", str(back), "--today", "2027-04-01").exit_code == 0


def as_meant(rows: list[list]) -> list[list]:
    """Rows with every value that reads as a BE date turned into that day."""
    def meant(value):
        if isinstance(value, (str, dt.date)) and not isinstance(value, bool):
            try:
                return parse_date(value)
            except ParseError:
                return value
        return value
    return [[meant(v) for v in row] for row in rows]


def test_copy_refuses_to_overwrite_data_unless_forced(tmp_path: Path):
    a = office_workbook(tmp_path / "a.xlsx", [kpi("1", 100)], [])
    b = office_workbook(tmp_path / "b.xlsx", [kpi("9", 100)], [])
    refused = cli("copy", str(a), str(b))
    assert refused.exit_code == ExitCode.USAGE and "--force" in refused.stderr
    assert cli("copy", str(a), str(b), "--force").exit_code == 0
    assert XlsxBackend(b).read().tabs["ตัวชี้วัด"].rows[1][0] == "1"


def test_copy_create_of_a_workbook_with_a_blank_planned_date_and_a_missing_setting_succeeds(google, tmp_path: Path):
    """It once failed with exit 1 (the guard read ranges of tabs the same write was adding) and left an empty
    spreadsheet behind on every attempt."""
    import openpyxl

    local = office_workbook(tmp_path / "office.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    book = openpyxl.load_workbook(local)
    book["ขั้นตอน"]["E2"] = None
    book["ตั้งค่า"].delete_rows(5)
    book.save(local)
    before = len(google.state.spreadsheets)
    outcome = cli("copy", str(local), "--create", "สำเนา")
    assert outcome.exit_code == 0, outcome.output + outcome.stderr
    assert len(google.state.spreadsheets) == before + 1


def test_a_create_that_fails_leaves_no_empty_spreadsheet_behind(google, tmp_path: Path):
    local = office_workbook(tmp_path / "office.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    before = len(google.state.spreadsheets)
    google.add_fault("500", count=1, match=":batchUpdate")  # the write that fills the new sheet fails
    outcome = cli("copy", str(local), "--create", "สำเนา")
    assert outcome.exit_code == ExitCode.NETWORK
    assert "the empty spreadsheet just created was deleted" in outcome.stderr
    assert len(google.state.spreadsheets) == before


def test_sharing_with_an_address_without_a_google_account_invites_by_email_and_says_so(google, tmp_path: Path):
    """Drive refuses a silent share with an address that has no Google account (400 invalidSharingRequest,
    docs/conformance.md): the tool invites it by e-mail instead and says so."""
    local = office_workbook(tmp_path / "office.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    google.state.without_google_account.add("principal@school.example.org")
    outcome = cli("copy", str(local), "--create", "สำเนา", "--share-with", "principal@school.example.org",
                  "--share-with", "coordinator@example.go.th")
    assert outcome.exit_code == 0, outcome.output
    assert "Google e-mailed them an invitation" in outcome.output
    key = next(line for line in outcome.output.splitlines() if "docs.google.com" in line).split("/d/")[1].split("/")[0]
    assert google.shared_with(key)["principal@school.example.org"] == "writer"
    shares = [e for e in google.requests() if e["endpoint"] == "drive.permissions.create"]
    assert [e["status"] for e in shares] == [400, 200, 200]


def test_a_share_that_fails_leaves_no_empty_spreadsheet_behind(google, tmp_path: Path):
    local = office_workbook(tmp_path / "office.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    before = len(google.state.spreadsheets)
    google.add_fault("500", count=1, match="/permissions")
    outcome = cli("copy", str(local), "--create", "สำเนา", "--share-with", "coordinator@example.go.th")
    assert outcome.exit_code == ExitCode.NETWORK
    assert "the empty spreadsheet just created was deleted" in outcome.stderr
    assert len(google.state.spreadsheets) == before


def test_copy_create_lays_the_sheet_out_as_init_does(google, tmp_path: Path):
    """Dropdowns, live checks and protection come along, and a date typed later into a new row stays the text
    staff typed (`1/10/69`), never a date Google reads as 1969."""
    from .conftest import google_post

    local = office_workbook(tmp_path / "office.xlsx", [kpi("1", 60), kpi("2", 40)], [result("1", 6, 85)])
    outcome = cli("copy", str(local), "--create", "สำเนา")
    assert outcome.exit_code == 0, outcome.output
    key = next(line for line in outcome.output.splitlines() if "docs.google.com" in line).split("/d/")[1].split("/")[0]
    sheets = {s["properties"]["title"]: s for s in google.snapshot(key)["sheets"]}
    assert sheets["ผลการดำเนินงาน"].get("conditionalFormats")  # the live checks
    assert sheets["ตัวชี้วัด"].get("protectedRanges")  # the header rows
    book = google.state.book(key)
    assert any("dataValidation" in cell for cell in book.sheet(title="ผลการดำเนินงาน").cells.values())
    google_post(open_backend(parse_target(key)), "/values:batchUpdate", {"valueInputOption": "USER_ENTERED", "data": [
        {"range": "'ขั้นตอน'!G12", "values": [["1/10/69"]]}]})  # actual start, a row the copy did not write
    assert google.cell(key, "ขั้นตอน", 12, 7) == "1/10/69"
