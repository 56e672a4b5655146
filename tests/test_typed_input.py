"""What staff type into a Google Sheet is read as they meant, as on a local .xlsx (issue: th_TH locale,
percents, BE dates).  Typing is values.update / values.batchUpdate with USER_ENTERED over real HTTP: the API's
own stand-in for a person at the keyboard, parsed by the emulator the way docs/conformance.md says Google does."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os

import pytest
import requests

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.domain.schema import RESULTS, STEPS
from sheets_sync.domain.thai import to_serial
from sheets_sync.workbook.tables import append_rows, read_table

from .conftest import cli, google_post, kpi, person_types, result, type_office

TODAY = "2027-04-20"




def typed_cell(google, locale: str, text: str, text_format: bool = False) -> dict:
    """What the emulator stores when a person types `text` into A1 of a new sheet of `locale`."""
    key = google.create("typing")
    host = f"http://{os.environ['SHEETS_EMULATOR_HOST']}/v4/spreadsheets/{key}"
    setup = [{"updateSpreadsheetProperties": {"properties": {"locale": locale}, "fields": "locale"}}]
    if text_format:
        setup.append({"repeatCell": {"range": {"sheetId": 0}, "cell": {"userEnteredFormat": {
            "numberFormat": {"type": "TEXT", "pattern": "@"}}}, "fields": "userEnteredFormat.numberFormat"}})
    assert requests.post(f"{host}:batchUpdate", json={"requests": setup}, timeout=30).status_code == 200
    typed = requests.put(f"{host}/values/Sheet1!A1", params={"valueInputOption": "USER_ENTERED"},
                         json={"values": [[text]]}, timeout=30)
    assert typed.status_code == 200, typed.text
    got = requests.get(host, params={"ranges": "Sheet1!A1", "fields": "sheets.data.rowData.values("
                                     "effectiveValue,formattedValue,userEnteredFormat.numberFormat)"}, timeout=30)
    return got.json()["sheets"][0]["data"][0]["rowData"][0]["values"][0]


@pytest.mark.parametrize("locale, text, effective, kind", [
    ("th_TH", "80%", {"numberValue": 0.8}, "PERCENT"),
    ("th_TH", "78.5%", {"numberValue": 0.785}, "PERCENT"),
    ("th_TH", "1/10/2569", {"numberValue": to_serial(dt.date(2569, 10, 1))}, "DATE"),  # 2569 CE: no BE calendar
    ("th_TH", "1/10/69", {"numberValue": to_serial(dt.date(1969, 10, 1))}, "DATE"),  # a two-digit year is 19xx
    ("en_US", "1/10/2026", {"numberValue": to_serial(dt.date(2026, 1, 10))}, "DATE"),  # month first
    ("en_US", "2026-10-01", {"numberValue": to_serial(dt.date(2026, 10, 1))}, "DATE"),
    ("th_TH", "1,234.5", {"numberValue": 1234.5}, "NUMBER"),
    ("th_TH", "14:30", {"numberValue": 14.5 / 24}, "TIME"),
    ("th_TH", "true", {"boolValue": True}, None),
    ("th_TH", "'80", {"stringValue": "80"}, None),  # a leading apostrophe keeps text
    ("th_TH", "๘๐", {"stringValue": "๘๐"}, None),  # not documented: kept as text (conformance.md)
    ("th_TH", "ร้อยละ 80", {"stringValue": "ร้อยละ 80"}, None),
    ("th_TH", "1 ต.ค. 2569", {"stringValue": "1 ต.ค. 2569"}, None),
    ("th_TH", "31/02/2569", {"stringValue": "31/02/2569"}, None),  # no such day: text
])
def test_typing_is_stored_as_google_parses_it_by_the_sheets_locale(google, locale, text, effective, kind):
    cell = typed_cell(google, locale, text)
    assert cell["effectiveValue"] == effective
    assert cell.get("userEnteredFormat", {}).get("numberFormat", {}).get("type") == kind


def test_a_plain_text_cell_keeps_what_was_typed(google):
    cell = typed_cell(google, "th_TH", "1/10/2569", text_format=True)
    assert cell["effectiveValue"] == {"stringValue": "1/10/2569"}


# --- every documented input form, on .xlsx and on Google in th_TH and en_US --------------------------------

FORMS_KPIS = [kpi(str(n), 10) for n in range(1, 10)] + [
    kpi("10", 5, criteria=("ร้อยละ ๖๐", "70%", "๘๐", "90", "1,00")),  # 1,00: no thousands group, Google keeps text
    kpi("11", 5, "ระดับความสำเร็จ", ())]
FORMS_RESULTS = [
    result("1", 6, "80%", reported_on="15/04/2570"),
    result("2", 6, "78.5%", reported_on="15/4/70"),
    result("3", 6, "ร้อยละ 80", reported_on="15 เม.ย. 2570"),
    result("4", 6, "๘๐", reported_on="15 เมษายน 2570"),
    result("5", 6, "1,234.5", reported_on="๑๕/๐๔/๒๕๗๐"),
    result("6", 6, "N/A", reported_on="15 เม.ย 2570"),
    result("7", 6, "85", self_score="4.5", reported_on="2027-04-15"),
    result("8", 6, "ไม่ได้รายงาน"),
    result("9", 6, "eighty", reported_on="31/02/2570"),  # neither reads: the same errors everywhere
    result("11", 6, "ระดับ 5", committee_score="4.8", override_reason="ส่งรายงานไม่ครบ"),
]


def export_and_problems(sheet: str) -> tuple[dict, set[tuple[str, str]]]:
    exported = cli("export", "--sheet", sheet, "--today", TODAY)
    assert exported.exit_code == 0, exported.output
    checked = cli("validate", "--sheet", sheet, "--format", "json", "--today", TODAY)
    problems = {(p["code"], p["cell"]) for p in json.loads(checked.output)["problems"]}
    return json.loads(exported.output), problems


def test_every_documented_input_form_scores_and_validates_alike_on_xlsx_and_on_google(google, tmp_path):
    local = tmp_path / "office.xlsx"
    type_office(open_backend(parse_target(str(local))), FORMS_KPIS, FORMS_RESULTS)
    expected_export, expected_problems = export_and_problems(str(local))
    scores = {k["kpi_id"]: (k["result"], k["score"]) for k in expected_export["rounds"][0]["kpis"]}
    assert scores["1"] == (80, 3.0) and scores["2"] == (78.5, 2.85) and scores["4"] == (80, 3.0)
    assert {("results.result_unreadable", "ผลการดำเนินงาน!C10"),
            ("results.reported_on.unreadable", "ผลการดำเนินงาน!I10")} <= expected_problems
    for locale in ("th_TH", "en_US"):
        key = google.create(f"forms {locale}")
        type_office(open_backend(parse_target(key)), FORMS_KPIS, FORMS_RESULTS, locale=locale)
        exported, problems = export_and_problems(key)
        assert exported == expected_export, locale
        if locale == "en_US":
            assert ("sheet.locale", "ตั้งค่า!A1") in problems
        assert problems - {("sheet.locale", "ตั้งค่า!A1")} == expected_problems, locale


# --- a sheet whose date columns are not plain text (laid out by hand, or before this version) -------------


def test_be_and_two_digit_year_date_cells_are_read_as_meant_warned_and_fixed(google):
    key = google.create("old layout")
    backend = open_backend(parse_target(key))
    type_office(backend, [kpi("1", 50), kpi("2", 50)], [])
    data = backend.read()
    column = read_table(data, RESULTS).columns["reported_on"]
    sheet_id = next(s["properties"]["sheetId"] for s in google.snapshot(key)["sheets"]
                    if s["properties"]["title"] == "ผลการดำเนินงาน")
    google_post(backend, ":batchUpdate", {"requests": [{"repeatCell": {  # back to Google's automatic format
        "range": {"sheetId": sheet_id, "startColumnIndex": column - 1, "endColumnIndex": column},
        "cell": {}, "fields": "userEnteredFormat.numberFormat"}}]})
    person_types(backend, append_rows(data, RESULTS, [result("1", 6, 85, reported_on="15/4/2570"),
                                                     result("2", 6, 75, reported_on="15/4/70")]))
    assert google.cell(key, "ผลการดำเนินงาน", 2, column) == to_serial(dt.date(2570, 4, 15))
    assert google.cell(key, "ผลการดำเนินงาน", 3, column) == to_serial(dt.date(1970, 4, 15))

    checked = cli("validate", "--sheet", key, "--format", "json", "--today", TODAY)
    problems = {(p["code"], p["cell"]): p for p in json.loads(checked.output)["problems"]}
    warning = problems[("results.reported_on.short_year", f"ผลการดำเนินงาน!{chr(64 + column)}3")]
    assert "15 เม.ย. 2570" in warning["th"] and warning["severity"] == "warning"
    assert not any(code.endswith("unreadable") for code, _ in problems)

    fixed = cli("fix", "--sheet", key)
    assert fixed.exit_code == 0, fixed.output
    assert google.cell(key, "ผลการดำเนินงาน", 2, column) == "15 เม.ย. 2570"
    assert google.cell(key, "ผลการดำเนินงาน", 3, column) == "15 เม.ย. 2570"
    again = cli("validate", "--sheet", key, "--format", "json", "--strict", "--today", TODAY)
    assert not [p for p in json.loads(again.output)["problems"] if p["code"].startswith("results.reported_on")]
    assert "nothing to normalise" in cli("fix", "--sheet", key, "--dry-run").output  # fix is idempotent


def test_a_result_typed_as_a_percent_scores_what_was_typed(google):
    key = google.create("percent")
    type_office(open_backend(parse_target(key)), [kpi("1", 100)], [result("1", 6, "78.5%")])
    exported = json.loads(cli("export", "--sheet", key, "--today", TODAY).output)
    row = exported["rounds"][0]["kpis"][0]
    assert (row["result"], row["score"]) == (78.5, 2.85)  # not 0.785 → 1.0


# --- the tool's own writes ----------------------------------------------------------------------------


def test_init_sets_the_thai_locale_and_bangkok_time_in_its_one_write(google):
    key = google.create("new")
    assert google.snapshot(key)["properties"]["locale"] == "en_US"  # what a service account's new sheet gets
    google.clear_log()
    assert cli("init", "--sheet", key, "--fiscal-year", "2570").exit_code == 0
    properties = google.snapshot(key)["properties"]
    assert (properties["locale"], properties["timeZone"]) == ("th_TH", "Asia/Bangkok")
    writes = [e for e in google.requests() if e["method"] == "POST"]
    assert len(writes) == 1 and "updateSpreadsheetProperties" in writes[0]["kinds"]
    google.clear_log()
    assert cli("init", "--sheet", key).exit_code == 0  # already th_TH: not set again
    assert all("updateSpreadsheetProperties" not in e.get("kinds", []) for e in google.requests())


def test_input_date_columns_are_plain_text_and_generated_dates_show_their_be_year(google):
    key = google.create("formats")
    backend = open_backend(parse_target(key))
    type_office(backend, [kpi("1", 100)], [result("1", 6, 80)])
    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0
    sheets = {s["properties"]["title"]: s for s in google.snapshot(key)["sheets"]}
    steps_column = read_table(backend.read(), STEPS).columns["actual_start"]
    typed_cell_format = sheets["ขั้นตอน"]["data"][0]["rowData"][1]["values"][steps_column - 1]["userEnteredFormat"]
    assert typed_cell_format["numberFormat"] == {"type": "TEXT", "pattern": "@"}
    summary_dates = [v for row in sheets["สรุปขั้นตอน"]["data"][0]["rowData"][1:] for v in row.get("values", [])
                     if v.get("userEnteredFormat", {}).get("numberFormat", {}).get("type") == "DATE"]
    assert summary_dates and all(v["userEnteredFormat"]["numberFormat"]["pattern"] in ('d mmm "2569"', 'd mmm "2570"')
                                 for v in summary_dates)


def test_a_guard_over_a_thousand_cells_keeps_every_url_short(google):
    key = google.create("thousand")
    backend = open_backend(parse_target(key))
    type_office(backend, [kpi(str(n), 1) for n in range(1, 1001)],
                [result(str(n), 6, "๘๐") for n in range(1, 1001)])
    google.clear_log()
    fixed = cli("fix", "--sheet", key)
    assert fixed.exit_code == 0, fixed.output
    log = google.requests()
    assert [e["endpoint"] for e in log] == ["spreadsheets.get", "spreadsheets.getByDataFilter",
                                            "spreadsheets.batchUpdate"]
    assert all(e["status"] == 200 for e in log)  # the emulator answers 414 above 8 KB, as Google's front end
    assert google.cell(key, "ผลการดำเนินงาน", 1001, 3) == 80


# --- Google's limits ----------------------------------------------------------------------------------


def test_the_emulator_refuses_what_google_refuses(google):
    key = google.create("limits")
    host = f"http://{google.host}/v4/spreadsheets/{key}"

    def batch(*reqs):
        return requests.post(f"{host}:batchUpdate", json={"requests": list(reqs)}, timeout=30)

    too_long = batch({"updateCells": {"start": {"sheetId": 0}, "fields": "userEnteredValue",
                                      "rows": [{"values": [{"userEnteredValue": {"stringValue": "ก" * 50_001}}]}]}})
    assert too_long.status_code == 400 and "50000 characters" in too_long.json()["error"]["message"]
    assert batch({"addSheet": {"properties": {"title": "x" * 101}}}).status_code == 400
    assert batch({"addSheet": {"properties": {"title": "x" * 100}}}).status_code == 200
    over = batch({"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 400_000}})
    assert over.status_code == 400 and "10000000 cells" in over.json()["error"]["message"]
    outside = requests.get(f"{host}/values/Sheet1!A1001", timeout=30)
    assert outside.status_code == 400 and "exceeds grid limits" in outside.json()["error"]["message"]
    long_url = requests.get(f"{host}/values:batchGet", params={"ranges": [f"Sheet1!A{n}" for n in range(1, 800)]},
                            timeout=30)
    assert long_url.status_code == 414


def test_the_emulator_refuses_a_request_over_ten_mib_as_google_does_even_gzipped(google):
    """Google refuses a body over 10,485,760 bytes whatever it holds (docs/conformance.md); whether it measures a
    gzipped body before or after unzipping is not known, so the emulator measures the JSON (the larger)."""
    key = google.create("payload")
    url = f"http://{google.host}/v4/spreadsheets/{key}:batchUpdate"
    rows = [{"values": [{"userEnteredValue": {"stringValue": "ก" * 40_000}}]} for _ in range(90)]
    body = json.dumps({"requests": [{"updateCells": {"start": {"sheetId": 0}, "fields": "userEnteredValue",
                                                     "rows": rows}}]}).encode()
    assert len(body) > 10 * 1024 * 1024 > len(gzip.compress(body))
    refused = requests.post(url, data=gzip.compress(body), timeout=60,
                            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["message"] == "Request payload size exceeds the limit: 10485760 bytes."
    assert error["status"] == "INVALID_ARGUMENT" and error["errors"][0]["reason"] == "badRequest"
    assert google.cell(key, "Sheet1", 1, 1) is None  # nothing of it was applied
    under = json.dumps({"requests": [{"updateCells": {"start": {"sheetId": 0}, "fields": "userEnteredValue",
                                                      "rows": rows[:10]}}]}).encode()
    assert requests.post(url, data=under, timeout=60, headers={"Content-Type": "application/json"}).status_code == 200


def test_a_result_a_formula_shows_as_a_percent_reads_as_the_percentage(google):
    """`=C2` of a cell typed `80%` shows 80 % in Google: the formula's cell has no format of its own, Google
    gives its result the percent format in effectiveFormat (docs/conformance.md); read as 80, not 0.8."""
    key = google.create("formula percent")
    type_office(open_backend(parse_target(key)), [kpi("1", 50), kpi("2", 50)],
                [result("2", 6, "80%"), result("1", 6, "=C2")])
    exported = json.loads(cli("export", "--sheet", key, "--today", TODAY).output)
    rows = {r["kpi_id"]: r for r in exported["rounds"][0]["kpis"]}
    assert (rows["2"]["result"], rows["2"]["score"]) == (80, 3.0)
    assert (rows["1"]["result"], rows["1"]["score"]) == (80, 3.0)  # not 0.8 → 1.0
