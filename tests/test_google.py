"""The Google backend's own duties, against the emulator over real HTTP: retries, faults, the throttle,
credentials, the guard re-read before writing into staff cells, and splitting a large write."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sheets_sync.backends.google import batch as google_batch
from sheets_sync.backends.google.throttle import Throttle
from sheets_sync.exit_codes import ExitCode
from sheets_sync.backends.google.staging import STAGING_PREFIX
from sheets_sync.tasks.build import BUILD_READ
from sheets_sync.workbook.operations import READ_ONLY, AddTab, ReplaceTab

from .conftest import ROOT, cli, google_post, kpi, result, type_office


@pytest.fixture
def sheet(emulator, tmp_path: Path, monkeypatch) -> str:
    monkeypatch.setenv("SHEETS_EMULATOR_HOST", emulator.host)
    monkeypatch.setenv("SHEETS_SYNC_THROTTLE_DIR", str(tmp_path / "throttle"))
    monkeypatch.setenv("SHEETS_SYNC_RETRY_BASE", "0.01")
    key = emulator.create("ทดสอบ")
    from sheets_sync.backends.target import open_backend, parse_target

    type_office(open_backend(parse_target(key)), [kpi("1", 60), kpi("2", 40)], [result("1", 6, 85), result("2", 6, 70)])
    emulator.clear_log()
    yield key
    emulator.state.faults.clear()


def statuses(emulator) -> list:
    return [(e["endpoint"], e["status"]) for e in emulator.requests()]


def test_429_with_retry_after_is_waited_out_and_retried(emulator, sheet):
    emulator.add_fault("429", count=2, retry_after=0.3)
    started = time.monotonic()
    outcome = cli("build", "--sheet", sheet, "--today", "2027-04-01")
    assert outcome.exit_code == 0, outcome.output
    assert time.monotonic() - started >= 0.6  # never sooner than Retry-After
    assert statuses(emulator) == [("spreadsheets.get", "429"), ("spreadsheets.get", "429"),
                                  ("spreadsheets.get", 200), ("spreadsheets.batchUpdate", 200)]


@pytest.mark.parametrize("reason", ["userRateLimitExceeded", "rateLimitExceeded"])
def test_a_rate_limit_403_is_a_quota_retried_never_share_it_advice(emulator, sheet, reason):
    """Drive's "slow down" comes as a 403 with a rate-limit reason (Drive API "Resolve errors"): a quota,
    not a permission."""
    body = {"error": {"code": 403, "message": "User Rate Limit Exceeded", "status": "PERMISSION_DENIED",
                      "errors": [{"domain": "usageLimits", "reason": reason, "message": "Rate Limit Exceeded"}]}}
    emulator.add_fault("403", count=2, match=":batchUpdate", body=body)
    outcome = cli("build", "--sheet", sheet, "--today", "2027-04-01")
    assert outcome.exit_code == 0, outcome.output
    assert statuses(emulator)[-3:] == [("spreadsheets.batchUpdate", "403"), ("spreadsheets.batchUpdate", "403"),
                                       ("spreadsheets.batchUpdate", 200)]
    emulator.add_fault("403", count=100, match=":batchUpdate", body=body)
    refused = cli("build", "--sheet", sheet, "--today", "2027-04-02", "--round", "6")
    assert refused.exit_code == ExitCode.NETWORK and "Editor" not in refused.stderr, refused.stderr


def test_503_on_the_write_is_retried(emulator, sheet):
    emulator.add_fault("503", count=1, match=":batchUpdate")
    assert cli("build", "--sheet", sheet, "--today", "2027-04-01").exit_code == 0
    assert statuses(emulator)[-2:] == [("spreadsheets.batchUpdate", "503"), ("spreadsheets.batchUpdate", 200)]


def test_a_500_on_a_read_is_retried_but_not_on_a_write(emulator, sheet):
    emulator.add_fault("500", count=1, match="/v4/spreadsheets/")
    assert cli("build", "--sheet", sheet, "--today", "2027-04-01").exit_code == 0
    emulator.clear_log()
    emulator.add_fault("500", count=1, match=":batchUpdate")
    outcome = cli("build", "--sheet", sheet, "--today", "2027-04-02", "--round", "6")
    assert outcome.exit_code == ExitCode.NETWORK
    assert "running the command again is safe" in outcome.stderr
    assert cli("build", "--sheet", sheet, "--today", "2027-04-02", "--round", "6").exit_code == 0


def test_google_refusing_for_good_ends_with_the_network_code_and_nothing_written(emulator, sheet, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_RETRY_ATTEMPTS", "4")
    before = emulator.snapshot(sheet)
    emulator.add_fault("429", count=100, retry_after=0.01)
    outcome = cli("build", "--sheet", sheet, "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.NETWORK
    assert "after 4 attempts" in outcome.stderr
    assert len(emulator.requests()) == 4
    assert emulator.snapshot(sheet) == before


def test_a_dropped_connection_during_the_write_exits_9_and_a_rerun_succeeds(emulator, sheet):
    before = emulator.snapshot(sheet)
    emulator.add_fault("drop", count=1, match=":batchUpdate")
    outcome = cli("build", "--sheet", sheet, "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.NETWORK
    assert emulator.snapshot(sheet) == before  # all or nothing: here, nothing
    assert cli("build", "--sheet", sheet, "--today", "2027-04-01").exit_code == 0


def test_a_read_that_times_out_is_retried(emulator, sheet, monkeypatch):
    # bounds far from a busy machine's normal answer (well under a second): 5 s to answer, a stall of 12 s
    monkeypatch.setenv("SHEETS_SYNC_TIMEOUT", "5")
    emulator.add_fault("slow", count=1, delay=12, match="/v4/spreadsheets/")
    assert cli("build", "--sheet", sheet, "--today", "2027-04-01").exit_code == 0
    assert [s for _, s in statuses(emulator)][:2] == ["slow", 200]


def test_the_throttle_keeps_to_the_limit_in_any_window(tmp_path: Path):
    clock = [0.0]
    throttle = Throttle("t", tmp_path, reads=60, writes=60, clock=lambda: clock[0],
                        sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    times = []
    for _ in range(150):
        throttle.acquire("read")
        times.append(clock[0])
    assert all(sum(1 for t in times if start <= t < start + 60) <= 60 for start in times)
    assert times[-1] >= 120  # 150 reads at 60 a minute need two full windows of waiting


def test_a_client_under_the_throttle_never_meets_googles_quota(emulator, sheet, monkeypatch):
    """The emulator enforces the quota the way Google does (scaled here to 5 reads per 2 seconds) and the
    client's throttle has the same limit: eight status runs take longer than a window, and none gets a 429."""
    monkeypatch.setenv("SHEETS_SYNC_READS_PER_MINUTE", "5")
    monkeypatch.setenv("SHEETS_SYNC_QUOTA_WINDOW", "2.2")  # the client's window, with its margin
    emulator.state.quota, emulator.state.quota_window = {"read": 5}, 2.0
    emulator.state.recent = {"read": [], "write": []}
    started = time.monotonic()
    try:
        for _ in range(8):
            assert cli("status", "--sheet", sheet, "--today", "2027-04-01").exit_code == 0
    finally:
        emulator.state.quota, emulator.state.quota_window = {}, 60.0
    assert time.monotonic() - started >= 2.0
    assert [e for e in emulator.requests() if e.get("quota")] == []


def test_the_throttle_is_shared_between_processes(tmp_path: Path):
    script = ("import sys; from pathlib import Path; from sheets_sync.backends.google.throttle import Throttle; "
              f"t = Throttle('shared', Path({str(tmp_path)!r}), reads=5, window=1.0); "
              "[t.acquire('read') for _ in range(5)]")
    started = time.monotonic()
    workers = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT) for _ in range(2)]
    assert [w.wait(30) for w in workers] == [0, 0]
    assert time.monotonic() - started >= 1.0  # 10 reads at 5 a second cannot all go in the first second
    stamps = json.loads((tmp_path / "shared.json").read_text())["read"]
    assert all(sum(1 for t in stamps if s <= t < s + 1.0) <= 5 for s in stamps)


def test_a_credentials_file_readable_by_others_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SHEETS_EMULATOR_HOST", raising=False)
    key = tmp_path / "key.json"
    key.write_text((ROOT / "credentials.example.json").read_text())
    key.chmod(0o644)
    outcome = cli("--credentials", str(key), "build", "--sheet", "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms")
    assert outcome.exit_code == ExitCode.AUTH
    assert f"chmod 600 {key}" in outcome.stderr


def test_a_broken_key_is_an_auth_error_that_never_shows_the_key(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SHEETS_EMULATOR_HOST", raising=False)
    key = tmp_path / "key.json"
    key.write_text((ROOT / "credentials.example.json").read_text())
    key.chmod(0o600)
    outcome = cli("--credentials", str(key), "--verbose", "build", "--sheet",
                  "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms", "--log-json", str(tmp_path / "log.jsonl"))
    assert outcome.exit_code == ExitCode.AUTH
    everything = outcome.output + outcome.stderr + (tmp_path / "log.jsonl").read_text()
    for marker in ("PLACEHOLDER", "BEGIN PRIVATE KEY", "0000000000000000000000000000000000000000"):
        assert marker not in everything


def test_a_cell_typed_between_the_read_and_the_write_is_left_alone(emulator, sheet, monkeypatch):
    """init adds a missing column; a person types into that header cell meanwhile: their text stays."""
    from sheets_sync.backends.google.backend import GoogleBackend

    backend_read = GoogleBackend.read

    def read_then_someone_types(self, scope=None):
        data = backend_read(self, scope)
        # after our read, a person types their own header into I1, where init is about to put หมายเหตุ back
        emulator.type(sheet, "ข้อตกลง", 1, 9, "คอลัมน์ของเขต")
        return data

    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.workbook.operations import WriteCells

    backend = open_backend(parse_target(sheet))
    backend.read()
    backend.apply([WriteCells("ข้อตกลง", 1, 9, ((None,),))])  # the note header (I1) is gone: init will re-add it
    monkeypatch.setattr(GoogleBackend, "read", read_then_someone_types)
    emulator.clear_log()
    outcome = cli("init", "--sheet", sheet)
    assert outcome.exit_code == 0, outcome.output
    assert "left ข้อตกลง!I1 alone" in outcome.output
    assert emulator.cell(sheet, "ข้อตกลง", 1, 9) == "คอลัมน์ของเขต"
    tool = [e["endpoint"] for e in emulator.requests() if e["endpoint"] != "values.update"]  # not the person's
    assert tool == ["spreadsheets.get", "spreadsheets.getByDataFilter", "spreadsheets.batchUpdate"]
    guard = next(e for e in emulator.requests() if e["endpoint"] == "spreadsheets.getByDataFilter")
    assert guard["method"] == "POST" and "numberFormat" in guard["query"]["fields"][0]


def _visible_tabs(emulator, key: str) -> dict[str, dict]:
    return {s["properties"]["title"]: s["properties"] for s in emulator.snapshot(key)["sheets"]
            if not s["properties"].get("hidden")}


def _rows(label: str) -> tuple:
    return tuple(tuple(f"{label} แถว {r} คอลัมน์ {c}" for c in range(10)) for r in range(300))


def test_a_rewrite_over_2_mb_goes_through_hidden_tabs_and_is_swapped_in_by_one_write(emulator, sheet, monkeypatch):
    monkeypatch.setattr(google_batch, "MAX_BODY", 50_000)  # ~140 KB of tabs: several bodies at this limit
    from sheets_sync.backends.target import open_backend, parse_target

    backend = open_backend(parse_target(sheet))
    backend.read()
    backend.apply([AddTab("ก"), ReplaceTab("ก", _rows("เก่า")), AddTab("ข"), ReplaceTab("ข", _rows("เก่า"))])
    order = [t for t in _visible_tabs(emulator, sheet)]
    gids = {t: p["sheetId"] for t, p in _visible_tabs(emulator, sheet).items()}
    emulator.clear_log()
    backend.read()
    outcome = backend.apply([ReplaceTab("ก", _rows("ใหม่")), ReplaceTab("ข", _rows("ใหม่"))])
    writes = [e for e in emulator.requests() if e["endpoint"] == "spreadsheets.batchUpdate"]
    assert len(writes) >= 3 and all(w["status"] == 200 for w in writes)
    assert any("swapped them in" in en for _, en in outcome.notes)
    assert emulator.cell(sheet, "ข", 300, 10) == "ใหม่ แถว 299 คอลัมน์ 9"
    after = _visible_tabs(emulator, sheet)
    assert list(after) == order  # same tabs, same places, and no staging tab left, hidden or not
    assert len(emulator.snapshot(sheet)["sheets"]) == len(order)
    assert after["ก"]["sheetId"] == gids["ก"] and after["ตัวชี้วัด"]["sheetId"] == gids["ตัวชี้วัด"]  # pasted in place


def test_a_build_over_2_mb_keeps_what_points_at_its_summaries(emulator, sheet, monkeypatch):
    """The staged build pastes onto the real summary tabs (copyPaste) instead of deleting them, so a staff
    formula reading สรุปคะแนน, a named range on it, a person's protection and its gid all survive; deleting the
    tab (the old swap) turned them into #REF! (docs/conformance.md)."""
    monkeypatch.setattr(google_batch, "MAX_BODY", 8_000)  # a small office's build, staged as a 5,000-KPI one is
    from sheets_sync.backends.target import open_backend, parse_target

    assert cli("build", "--sheet", sheet, "--today", "2027-04-01").exit_code == 0
    tabs = {s["properties"]["title"]: s["properties"]["sheetId"] for s in emulator.snapshot(sheet)["sheets"]}
    summary = tabs["สรุปคะแนน"]
    google_post(open_backend(parse_target(sheet)), "/values:batchUpdate", {"valueInputOption": "USER_ENTERED", "data": [
        {"range": "'ตั้งค่า'!F2", "values": [["=สรุปคะแนน!B2"]]},
        {"range": "'ผลการดำเนินงาน'!C2", "values": [["91"]]}]})  # a new result: สรุปคะแนน is rewritten
    google_post(open_backend(parse_target(sheet)), ":batchUpdate", {"requests": [
        {"addNamedRange": {"namedRange": {"name": "ผลรวม", "range": {"sheetId": summary, "startRowIndex": 1,
                                                                       "endRowIndex": 2, "startColumnIndex": 1,
                                                                       "endColumnIndex": 2}}}},
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": summary, "startRowIndex": 0, "endRowIndex": 1},
                                                  "description": "ของผู้ประสานงาน", "warningOnly": True}}}]})
    emulator.clear_log()
    outcome = cli("build", "--sheet", sheet, "--today", "2027-04-02")
    assert outcome.exit_code == 0, outcome.output
    assert "swapped them in" in outcome.output  # it did go through the staging tabs
    book = emulator.snapshot(sheet)
    after = {s["properties"]["title"]: s for s in book["sheets"]}
    assert after["สรุปคะแนน"]["properties"]["sheetId"] == summary
    assert emulator.cell(sheet, "สรุปคะแนน", 2, 1) is not None
    assert [n["name"] for n in book.get("namedRanges", [])] == ["ผลรวม"]
    assert emulator.state.book(sheet).broken_named_ranges == []
    formula = emulator.state.book(sheet).sheet(title="ตั้งค่า").cells[(1, 5)]["userEnteredValue"]["formulaValue"]
    assert formula == "=สรุปคะแนน!B2"
    assert any(p["description"] == "ของผู้ประสานงาน" for p in after["สรุปคะแนน"].get("protectedRanges", []))
    assert not any(t.startswith(STAGING_PREFIX) for t in after)


@pytest.mark.parametrize("failing_write", ["first", "middle", "last"])
def test_a_large_rewrite_that_fails_at_any_write_shows_readers_nothing_and_the_next_run_cleans_up(
        emulator, sheet, monkeypatch, failing_write):
    monkeypatch.setattr(google_batch, "MAX_BODY", 50_000)
    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.errors import SheetsSyncError

    backend = open_backend(parse_target(sheet))
    backend.read()
    backend.apply([AddTab("ก"), ReplaceTab("ก", _rows("เก่า")), AddTab("ข"), ReplaceTab("ข", _rows("เก่า"))])
    backend.read()
    planned = backend.write_requests([ReplaceTab("ก", _rows("ใหม่")), ReplaceTab("ข", _rows("ใหม่"))])
    assert planned >= 3
    skip = {"first": 0, "middle": planned // 2, "last": planned - 1}[failing_write]
    emulator.add_fault("400", count=1, match=":batchUpdate", skip=skip,
                       body={"error": {"code": 400, "message": "Invalid requests[0]: injected", "status":
                                       "INVALID_ARGUMENT"}})
    with pytest.raises(SheetsSyncError):
        backend.apply([ReplaceTab("ก", _rows("ใหม่")), ReplaceTab("ข", _rows("ใหม่"))])
    for title in ("ก", "ข"):  # what people see is the whole old tab, row for row
        assert emulator.cell(sheet, title, 1, 1) == "เก่า แถว 0 คอลัมน์ 0"
        assert emulator.cell(sheet, title, 300, 10) == "เก่า แถว 299 คอลัมน์ 9"
    assert not any(t.startswith("~") for t in _visible_tabs(emulator, sheet))

    backend.read()
    backend.apply([ReplaceTab("ก", _rows("ใหม่")), ReplaceTab("ข", _rows("ใหม่"))])
    assert emulator.cell(sheet, "ก", 300, 10) == "ใหม่ แถว 299 คอลัมน์ 9"
    assert not any(s["properties"]["title"].startswith("~") for s in emulator.snapshot(sheet)["sheets"])


def test_a_small_write_after_a_failed_large_one_removes_its_hidden_leftovers(emulator, sheet, monkeypatch):
    monkeypatch.setattr(google_batch, "MAX_BODY", 50_000)
    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.errors import SheetsSyncError

    backend = open_backend(parse_target(sheet))
    backend.read()
    emulator.add_fault("400", count=1, match=":batchUpdate", skip=1,
                       body={"error": {"code": 400, "message": "Invalid requests[0]: injected", "status":
                                       "INVALID_ARGUMENT"}})
    with pytest.raises(SheetsSyncError):
        backend.apply([AddTab("ก"), ReplaceTab("ก", _rows("ใหม่")), AddTab("ข"), ReplaceTab("ข", _rows("ใหม่"))])
    assert any(s["properties"]["title"].startswith("~") for s in emulator.snapshot(sheet)["sheets"])
    assert "ก" not in _visible_tabs(emulator, sheet)
    backend.read()
    backend.apply([AddTab("ค"), ReplaceTab("ค", (("เล็ก",),))])  # one small body, no staging of its own
    assert not any(s["properties"]["title"].startswith("~") for s in emulator.snapshot(sheet)["sheets"])


def test_a_large_write_into_staff_tabs_alone_is_split_by_tab_and_says_so(emulator, sheet, monkeypatch):
    """Staff tabs are never swapped (people are typing in them): a large write there is split and said to be."""
    monkeypatch.setattr(google_batch, "MAX_BODY", 50_000)
    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.workbook.operations import WriteCells

    backend = open_backend(parse_target(sheet))
    backend.read()
    values = tuple(tuple(f"หมายเหตุ {r}-{c}" for c in range(8)) for r in range(400))
    outcome = backend.apply([WriteCells("ข้อตกลง", 2, 20, values), WriteCells("ตัวชี้วัด", 2, 30, values)])
    assert any("split by tab" in en for _, en in outcome.notes)
    assert emulator.cell(sheet, "ตัวชี้วัด", 401, 37) == "หมายเหตุ 399-7"


def test_the_emulator_runs_as_its_own_process_and_prints_its_url(tmp_path: Path):
    import requests

    process = subprocess.Popen([sys.executable, "-m", "tests.emulator", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        created = requests.post(f"{url}/drive/v3/files", json={"name": "x", "mimeType":
                                "application/vnd.google-apps.spreadsheet"}, timeout=10).json()
        bad = requests.post(f"{url}/v4/spreadsheets/{created['id']}:batchUpdate",
                            json={"requests": [{"addSheet": {"properties": {"titel": "typo"}}}]}, timeout=10)
        assert bad.status_code == 400
        assert bad.json()["error"] == {"code": 400, "status": "INVALID_ARGUMENT", "message":
                                       "Invalid JSON payload received. Unknown name \"titel\" at "
                                       "'requests[0].add_sheet.properties': Cannot find field."}
        log = requests.get(f"{url}/_emulator/requests", timeout=10).json()["requests"]
        assert [e["status"] for e in log] == [200, 400]
    finally:
        process.terminate()
        process.wait(10)


def test_a_failing_request_in_a_batch_leaves_the_spreadsheet_untouched(emulator, sheet):
    import requests

    before = emulator.snapshot(sheet)
    metadata = list(emulator.state.spreadsheets[sheet].developer_metadata)
    other = emulator.state.spreadsheets[sheet].sheets[1]
    assert other.cells  # a tab with values, emptied whole by the batch below
    answer = requests.post(f"{emulator.url}/v4/spreadsheets/{sheet}:batchUpdate", json={"requests": [
        {"addSheet": {"properties": {"title": "ใหม่"}}},
        {"updateCells": {"range": {"sheetId": other.sheet_id}, "fields": "*"}},
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": "เขียนแล้ว"}}]}],
                         "fields": "userEnteredValue"}},
        {"createDeveloperMetadata": {"developerMetadata": {"metadataKey": "k", "metadataValue": "v",
                                                           "location": {"spreadsheet": True},
                                                           "visibility": "DOCUMENT"}}},
        {"copyPaste": {"source": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 3},  # onto cells that hold values
                       "destination": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 4}}},
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 5000, "columnIndex": 0},
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}],
                         "fields": "userEnteredValue"}}]}, timeout=10)
    assert answer.status_code == 400 and "after last row" in answer.json()["error"]["message"]
    assert emulator.snapshot(sheet) == before
    assert emulator.state.spreadsheets[sheet].developer_metadata == metadata


def test_a_failing_batch_that_deleted_a_sheet_gives_back_the_formulas_that_read_it(emulator, sheet):
    import requests

    from sheets_sync.domain.schema import KPIS, PEOPLE, RESULTS

    emulator.type(sheet, RESULTS.th, 2, 12, f"='{KPIS.th}'!C2")  # a person's formula reading another tab
    before = emulator.snapshot(sheet)
    tabs = {s["properties"]["title"]: s["properties"]["sheetId"] for s in before["sheets"]}
    answer = requests.post(f"{emulator.url}/v4/spreadsheets/{sheet}:batchUpdate", json={"requests": [
        {"deleteSheet": {"sheetId": tabs[KPIS.th]}},
        {"updateCells": {"start": {"sheetId": tabs[PEOPLE.th], "rowIndex": 50000, "columnIndex": 0},
                         "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}],
                         "fields": "userEnteredValue"}}]}, timeout=10)
    assert answer.status_code == 400
    assert emulator.snapshot(sheet) == before
    assert emulator.cell(sheet, RESULTS.th, 2, 12) != "#REF!"


@pytest.mark.parametrize("content", ['["not", "a", "window"]', '{"read": "x", "write": [true, null]}', "{",
                                     json.dumps({"read": [time.time() + 3600] * 60, "write": []})])
def test_a_broken_or_future_throttle_file_never_blocks_a_command(tmp_path: Path, content):
    """Valid JSON of the wrong shape once made every Google command exit 1; stamps from a clock stepped back
    made commands sleep past their retry limit."""
    (tmp_path / "t.json").write_text(content)
    throttle = Throttle("t", tmp_path, reads=60, writes=60, window=60, sleep=lambda s: pytest.fail(f"slept {s}"))
    assert throttle.acquire("read") == 0


def test_a_read_by_ranges_reads_everything_when_a_layout_tab_is_missing_or_titled_by_its_key(emulator, sheet):
    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.domain.schema import CHANGES, KPIS

    backend = open_backend(parse_target(sheet))
    tabs = {s["properties"]["title"]: s["properties"]["sheetId"] for s in emulator.snapshot(sheet)["sheets"]}
    google_post(backend, ":batchUpdate", {"requests": [
        {"deleteSheet": {"sheetId": tabs[CHANGES.th]}},
        {"updateSheetProperties": {"properties": {"sheetId": tabs[KPIS.th], "title": KPIS.key}, "fields": "title"}}]})
    emulator.clear_log()
    data = open_backend(parse_target(sheet)).read(READ_ONLY)
    assert statuses(emulator) == [("spreadsheets.get", 400), ("spreadsheets.get", 200)]
    assert [r[0] for r in data.grid(KPIS).rows[1:]] == [1, 2]  # the KPIs, read from the tab titled by its key
    assert data.title_of(CHANGES) is None
    emulator.clear_log()
    assert cli("status", "--sheet", sheet, "--today", "2027-04-01").exit_code == 0


def test_a_write_in_parts_after_a_read_by_ranges_first_learns_every_tab(emulator, sheet, monkeypatch):
    """A failed large write's hidden staging tab lies outside the layout, so a read by ranges does not see it; a
    large write after it would stage into that very title, so it must learn every tab and remove the leftover."""
    monkeypatch.setattr(google_batch, "MAX_BODY", 50_000)
    from sheets_sync.backends.target import open_backend, parse_target

    backend = open_backend(parse_target(sheet))
    backend.read()
    backend.apply([AddTab("ก"), ReplaceTab("ก", _rows("เก่า"))])
    google_post(backend, ":batchUpdate", {"requests": [{"addSheet": {"properties": {
        "title": STAGING_PREFIX + "ก", "hidden": True}}}]})
    emulator.clear_log()
    backend.read(BUILD_READ)
    backend.apply([ReplaceTab("ก", _rows("ใหม่")), AddTab("ข"), ReplaceTab("ข", _rows("ใหม่"))])
    gets = [e for e in emulator.requests() if e["endpoint"] == "spreadsheets.get"]
    assert len(gets) == 2 and "ranges" in gets[0]["query"] and "ranges" not in gets[1]["query"]
    assert emulator.cell(sheet, "ก", 300, 10) == "ใหม่ แถว 299 คอลัมน์ 9"
    assert not any(s["properties"]["title"].startswith(STAGING_PREFIX) for s in emulator.snapshot(sheet)["sheets"])


def test_a_write_in_one_part_after_a_read_by_ranges_reads_nothing_more(emulator, sheet):
    from sheets_sync.backends.target import open_backend, parse_target

    backend = open_backend(parse_target(sheet))
    backend.read(BUILD_READ)
    backend.apply([AddTab("ค"), ReplaceTab("ค", (("เล็ก",),))])
    assert statuses(emulator) == [("spreadsheets.get", 200), ("spreadsheets.batchUpdate", 200)]


def test_marks_are_cleared_by_a_write_that_did_not_read_first(google, tmp_path):
    """The backend learns the marks it must clear itself: an apply() that no read() came before (a fresh process,
    a library caller) once kept last run's notes and colours, because they come only with a read's grid data."""
    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.workbook.marks import is_mark
    from sheets_sync.workbook.operations import MarkCells

    key = google.create("สพป. ทดสอบ")
    type_office(open_backend(parse_target(key)), [kpi("1", "สี่สิบ")], [])
    assert cli("validate", "--sheet", key, "--write").exit_code != 0
    marked = {title: [n for n in grid.notes.values() if is_mark(n)]
              for title, grid in open_backend(parse_target(key)).read().tabs.items()}
    tab = next(title for title, notes in marked.items() if notes)
    fresh = open_backend(parse_target(key))
    fresh.apply([MarkCells(tab, ())])  # no read() before it
    after = open_backend(parse_target(key)).read().tabs[tab]
    assert not [n for n in after.notes.values() if is_mark(n)]
