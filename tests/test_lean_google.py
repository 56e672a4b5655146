"""Lean on Google: what goes over the wire, and that sending less never leaves a tab other than a whole rewrite would.

Google compresses an answer for a client that accepts gzip and names gzip in its User-Agent, and takes gzipped
request bodies; a nightly build sends only the rows of a summary its content mark says changed."""

from __future__ import annotations

import gzip
import json
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.domain.schema import RESULTS, SCORE_SUMMARY
from sheets_sync.tasks.build import content_mark_key

from .conftest import cli, kpi, result, type_office

TODAY = "2027-04-20"


def _writes(google) -> list[dict]:
    return [e for e in google.requests() if e.get("endpoint") == "spreadsheets.batchUpdate"]


def _office(google, kpis: int) -> str:
    key = google.create("สพป. ทดสอบ เขต 1")
    type_office(open_backend(parse_target(key)), [kpi(str(i), 1) for i in range(1, kpis + 1)],
                [result(str(i), r, 60 + (i + r) % 40) for r in (6, 9, 12) for i in range(1, kpis + 1)])
    return key


def _summary_cells(google, key: str) -> dict:
    """สรุปคะแนน as a person sees it: every cell's value, number format and colour."""
    sheet = next(s for s in google.snapshot(key)["sheets"] if s["properties"]["title"] == SCORE_SUMMARY.th)
    cells = {}
    for block in sheet.get("data", []):
        for r, row in enumerate(block.get("rowData", [])):
            for c, cell in enumerate(row.get("values", [])):
                if cell:
                    fmt = cell.get("userEnteredFormat", {})
                    cells[(r, c)] = (cell.get("effectiveValue"), fmt.get("numberFormat"), fmt.get("backgroundColor"))
    return cells


def _forget_content_mark(google, key: str) -> None:
    """The tool's content mark of สรุปคะแนน gone: the next build cannot trust the tab and writes it whole."""
    with google.state.lock:
        book = google.state.book(key)
        book.developer_metadata = [m for m in book.developer_metadata
                                   if m.get("metadataKey") != content_mark_key(SCORE_SUMMARY)]


@pytest.mark.parametrize("change", ["one result retyped", "the last KPI's result removed"])
def test_a_nightly_build_sends_only_the_rows_that_changed_and_leaves_what_a_whole_rewrite_would(google, change):
    key = _office(google, 300)  # สรุปคะแนน: 3 rounds × 300 KPIs and their totals, ten blocks of 100 rows
    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0
    whole = _writes(google)[-1]["body_bytes"]
    # KPI 150's round-6 result, or the last KPI's round-12 result: a block of rows and their round's total change
    row = 151 if change == "one result retyped" else 901
    col = [c.key for c in RESULTS.columns].index("result") + 1
    google.type(key, RESULTS.th, row, col, "99" if change == "one result retyped" else "")
    google.clear_log()

    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0

    reads, writes = [e for e in google.requests() if e["method"] == "GET"], _writes(google)
    assert (len(reads), len(writes)) == (1, 1)  # still one read and one write
    assert writes[0]["body_bytes"] < whole / 3, (writes[0]["body_bytes"], whole)
    incremental = _summary_cells(google, key)

    _forget_content_mark(google, key)
    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0
    assert _writes(google)[-1]["body_bytes"] > whole / 2  # that one was written whole
    assert _summary_cells(google, key) == incremental


def test_a_nightly_build_of_tabs_too_large_for_one_body_whose_changes_fit_one_is_one_read_and_one_write(
        google, monkeypatch):
    """Whether a write surely needs hidden tabs is judged by the rows it sends, not by the whole tabs: a 5,000-KPI
    nightly build once took an extra read and a staged write for 33 KB of changes."""
    from sheets_sync.backends.google import batch as google_batch

    key = _office(google, 300)
    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0
    whole = _writes(google)[-1]["body_bytes"]
    google.type(key, RESULTS.th, 151, [c.key for c in RESULTS.columns].index("result") + 1, "99")
    monkeypatch.setattr(google_batch, "MAX_BODY", whole // 3)  # Google's 2 MB, scaled: the tabs whole would not fit
    google.clear_log()

    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0

    reads, writes = [e for e in google.requests() if e["method"] == "GET"], _writes(google)
    assert (len(reads), len(writes)) == (1, 1)


def test_validate_on_a_fresh_layout_downloads_kilobytes_not_the_formats_of_empty_rows(google):
    key = google.create("สพป. ทดสอบ เขต 1")
    assert cli("init", "--sheet", key).exit_code == 0
    google.clear_log()

    assert cli("validate", "--sheet", key).exit_code == 3  # an empty office has problems to tell, not a failure

    (read,) = google.requests()
    assert read.get("gzip_answer") is True
    # the JSON names the plain-text format of every pre-formatted empty row (hundreds of KB); gzipped it is small
    assert read["answer_bytes"] > 300_000
    assert read["sent"] < 40_000, read["sent"]


def test_a_build_sends_its_write_gzipped_and_reads_gzipped(google):
    key = _office(google, 20)
    google.clear_log()

    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0

    (read,), (write,) = [e for e in google.requests() if e["method"] == "GET"], _writes(google)
    assert read.get("gzip_answer") is True
    assert write.get("gzip_request") is True and write["bytes"] < write["body_bytes"] / 4


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    try:
        with urlopen(Request(url, data=body, method="POST", headers=headers), timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except HTTPError as exc:  # a refusal: its status and body
        return exc.code, dict(exc.headers), exc.read()


def test_google_gzips_an_answer_only_for_a_user_agent_that_names_gzip(google):
    key = google.create("gzip")
    url = f"{google.url}/v4/spreadsheets/{key}?fields=spreadsheetId"
    for agent, compressed in (("python-requests/2.32", False), ("my program (gzip)", True)):
        with urlopen(Request(url, headers={"Accept-Encoding": "gzip", "User-Agent": agent}), timeout=30) as answer:
            raw = answer.read()
            assert (answer.headers.get("Content-Encoding") == "gzip") is compressed, agent
        body = gzip.decompress(raw) if compressed else raw
        assert json.loads(body)["spreadsheetId"] == key


def test_google_takes_a_gzipped_request_body_and_refuses_a_broken_one(google):
    key = google.create("gzip")
    url = f"{google.url}/v4/spreadsheets/{key}:batchUpdate"
    body = json.dumps({"requests": [{"updateSpreadsheetProperties": {
        "properties": {"title": "ย่อแล้ว"}, "fields": "title"}}]}).encode()
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}

    status, _, _ = _post(url, gzip.compress(body), headers)
    assert status == 200
    assert google.snapshot(key)["properties"]["title"] == "ย่อแล้ว"

    status, _, answer = _post(url, body[:-3], headers)  # not gzip at all
    assert status == 400 and b"Invalid JSON payload" in answer


def test_a_nightly_build_over_2_mb_stages_only_the_rows_that_changed(google, monkeypatch):
    """Changed rows too many for one request go into a hidden tab at their own places and are pasted back run by
    run in the last request: the rows between are neither sent nor touched, and the tab ends as a whole rewrite
    leaves it."""
    from sheets_sync.backends.google import batch as google_batch

    key = _office(google, 300)
    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0
    whole = _writes(google)[-1]["body_bytes"]
    col = [c.key for c in RESULTS.columns].index("result") + 1
    for row in (11, 451, 881):  # three results far apart: three runs of changed rows, and their rounds' totals
        google.type(key, RESULTS.th, row, col, "99")
    monkeypatch.setattr(google_batch, "MAX_BODY", 6_000)  # Google's 2 MB, scaled to a 300-KPI office
    google.clear_log()

    assert cli("build", "--sheet", key, "--today", TODAY).exit_code == 0

    writes = _writes(google)
    assert len(writes) > 2  # staged: the changed rows in parts, then one swap
    assert sum(w["body_bytes"] for w in writes) < whole / 2, ([w["body_bytes"] for w in writes], whole)
    incremental = _summary_cells(google, key)
    assert not any(s["properties"]["title"].startswith("~") for s in google.snapshot(key)["sheets"])

    monkeypatch.setattr(google_batch, "MAX_BODY", 2 * 1024 * 1024)
    _forget_content_mark(google, key)
    again = cli("build", "--sheet", key, "--today", TODAY)
    assert again.exit_code == 0, again.output
    assert _summary_cells(google, key) == incremental


def test_a_build_of_very_long_kpi_names_stays_under_google_s_request_limit(google):
    """A block of rows is cut by size as well as by count: the rounds of 120 KPIs, each named in 49,000
    characters (a pasted text, under Google's 50,000 per cell), were one request of 12 MB, which Google refuses
    (10 MiB, docs/conformance.md) — every build after failed until someone shortened the names."""
    name = "ตัวชี้วัดที่วางข้อความยาว " + "x" * 49_000
    key = google.create("สพป. ชื่อยาว")
    type_office(open_backend(parse_target(key)), [kpi(str(i), 1, name=name) for i in range(1, 121)],
                [result(str(i), r, 70) for r in (6, 9, 12) for i in range(1, 121)])
    google.clear_log()
    outcome = cli("build", "--sheet", key, "--today", TODAY)
    assert outcome.exit_code == 0, outcome.output
    writes = _writes(google)
    assert all(w["status"] == 200 for w in writes)
    assert max(w["body_bytes"] for w in writes) <= 2 * 1024 * 1024  # Google's recommendation, kept
    shown = google.cell(key, SCORE_SUMMARY.th, 2, 3)  # cut, and said so, to an .xlsx cell's 32,767 characters
    assert shown.startswith(name[:32_000]) and shown.endswith("cut to fit the cell)") and len(shown) <= 32_767


@pytest.mark.parametrize("input_tab", [False, True])
def test_the_bound_that_sends_a_write_straight_to_hidden_tabs_never_exceeds_the_json_sent(input_tab):
    """A write whose rows surely cannot fit one body is staged without being planned whole first (that built every
    cell of a 5,000-KPI build twice). The bound must stay below the real JSON for every kind of value: were it
    ever above, a write that fits one atomic request would be split needlessly."""
    import datetime as dt
    from decimal import Decimal

    from sheets_sync.backends.google.batch import SheetMeta, _Requests, least_json
    from sheets_sync.backends.google.http import encode_body
    from sheets_sync.workbook.operations import ReplaceTab

    rows = (("หัวข้อ", "ค่า", "", None),
            ("ข้อความ \"ในเครื่องหมาย\"\nสองบรรทัด\t", 1, 2.5, Decimal("3.14159")),
            (dt.date(2026, 10, 1), True, False, "😀" * 5),
            ("=IMPORTXML(\"http://x\")", -0.0, 10**15, "\x00\x1f\\"),
            (None, None, None, None),
            # values whose smallest CellData is exactly what is sent: the bound is pinned to a byte a value
            *[(7, None, "", 0, *(i % 10 for i in range(36)))] * 50)
    planner = _Requests({"ตาราง": SheetMeta(1, "ตาราง", 1, 1)})
    planner.add(ReplaceTab("ตาราง", rows, column_formats=("0.00",), input=input_tab))
    sent = sum(len(encode_body(request["updateCells"]["rows"])) for request in planner.requests
               if "rows" in request.get("updateCells", {}))
    assert 0 < least_json(rows) <= sent
    assert sent - least_json(rows) < 20 * len(rows)  # close: a row's own `{"values":[]}` and the texts' escapes
