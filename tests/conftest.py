from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from commands.cli import main
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.tasks.init import InitOptions, run_init

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _work_in_tmp_path(tmp_path: Path, monkeypatch) -> None:
    """Every test runs in its own folder: what a command writes beside the working directory (a Google Sheet's
    snapshots, a demo) never piles up in the repository; its seal key, locks and throttle window are its own, never
    the machine's — so tests running side by side (pytest -n 2) never wait on each other's locks."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHEETS_SYNC_SEAL_KEY", str(tmp_path / "config" / "seal.key"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path.with_name(f"{tmp_path.name}-cache")))  # beside, not among, its outputs


@pytest.fixture
def new_workbook(tmp_path: Path) -> Path:
    """A workbook laid out by init for fiscal year 2570, step 1 on 1 ต.ค. 2569, and nothing typed yet."""
    path = tmp_path / "workbook.xlsx"
    run_init(XlsxBackend(path), InitOptions(2570, dt.date(2026, 10, 1), "สพป. ทดสอบ เขต 1"))
    return path


def cli(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)


def sheet_values(path: Path, title: str) -> list[list[object]]:
    wb = openpyxl.load_workbook(path)
    try:
        return [list(row) for row in wb[title].iter_rows(values_only=True)]
    finally:
        wb.close()


PEOPLE_ROWS = [
    {"person_id": "P01", "name": "นายหนึ่ง ทดสอบ", "role": "ผู้อำนวยการ"},
    {"person_id": "P02", "name": "นางสองทดสอบ", "role": "ผู้กำกับดูแลตัวชี้วัด"},
    {"person_id": "P03", "name": "นายสาม ทดสอบ", "role": "ผู้รับผิดชอบตัวชี้วัด"},
]


def kpi(kpi_id: str, weight, method: str = "เทียบบัญญัติไตรยางศ์", criteria=(60, 70, 80, 90, 100), **extra) -> dict:
    row = {"kpi_id": kpi_id, "name": f"ตัวชี้วัด {kpi_id}", "weight": weight, "method": method,
           "owner": "P03", "supervisor": "P02"}
    for level, value in enumerate(criteria, start=1):
        row[f"c{level}"] = value
    row.update(extra)
    return row


def result(kpi_id: str, round_: int, value, **extra) -> dict:
    return {"kpi_id": kpi_id, "round": round_, "result": value, **extra}


def as_typed(value) -> str | None:
    """What a person types into a cell for a Python value: the text, never a typed value."""
    from decimal import Decimal

    from sheets_sync.domain.thai import format_date_be

    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return format_date_be(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    raise TypeError(value)


def sheet_url(backend) -> str:
    import os

    return f"http://{os.environ['SHEETS_EMULATOR_HOST']}/v4/spreadsheets/{backend.key}"


def google_post(backend, path: str, body: dict) -> dict:
    """One request straight to the emulator over HTTP, as a person's browser or another client would send it."""
    import requests

    response = requests.post(sheet_url(backend) + path, json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def person_types(backend, writes: list) -> None:
    """Staff typing the cells of `writes` (WriteCells) into the workbook.  On Google that is values.batchUpdate
    with USER_ENTERED, parsed by the sheet's locale as Google parses typing; on .xlsx the text goes in as
    typed, which is what a file keeps of typing that Excel did not turn into a number or a date."""
    from sheets_sync.backends.google.backend import GoogleBackend
    from sheets_sync.domain.cell import column_letter
    from sheets_sync.workbook.operations import WriteCells, quote_title

    if not isinstance(backend, GoogleBackend):  # a number typed in Excel is a number cell; the rest is text
        def kept(v):
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else as_typed(v)

        backend.apply([WriteCells(op.tab, op.row, op.col, tuple(tuple(kept(v) for v in row) for row in op.values))
                       for op in writes])
        return
    _room_for(backend, writes)
    data = [{"range": f"{quote_title(op.tab)}!{column_letter(op.col)}{op.row}",
             "values": [[as_typed(v) for v in row] for row in op.values]} for op in writes]
    google_post(backend, "/values:batchUpdate", {"valueInputOption": "USER_ENTERED", "data": data})


def _room_for(backend, writes: list) -> None:
    """Rows added at the bottom first, as a person does in the Sheets UI: values.update does not grow the grid."""
    import requests

    sheets = requests.get(sheet_url(backend), params={"fields": "sheets.properties"}, timeout=60).json()["sheets"]
    needed: dict[str, int] = {}
    for op in writes:
        needed[op.tab] = max(needed.get(op.tab, 0), op.row + len(op.values) - 1)
    grow = [{"appendDimension": {"sheetId": s["properties"]["sheetId"], "dimension": "ROWS",
                                 "length": needed[s["properties"]["title"]] - s["properties"]["gridProperties"]["rowCount"]}}
            for s in sheets if needed.get(s["properties"]["title"], 0) > s["properties"]["gridProperties"]["rowCount"]]
    if grow:
        google_post(backend, ":batchUpdate", {"requests": grow})


def set_locale(backend, locale: str) -> None:
    google_post(backend, ":batchUpdate", {"requests": [{"updateSpreadsheetProperties": {
        "properties": {"locale": locale}, "fields": "locale"}}]})


TEST_LOCALE_ENV = "SHEETS_SYNC_TEST_LOCALE"  # the workbook fixture's en_US sheets: staff type into an en_US sheet


def type_office(backend, kpis: list[dict], results: list[dict], settings: dict | None = None,
                people: list[dict] | None = None, agreements: list[dict] | None = None,
                locale: str | None = None) -> None:
    """Lay out a workbook with init and type an office into it the way staff would, through any backend:
    on Google every cell goes in as a person types it (USER_ENTERED), in a sheet of `locale` (init's th_TH
    when None)."""
    import os

    from sheets_sync.domain.schema import AGREEMENTS, KPIS, PEOPLE, RESULTS
    from sheets_sync.workbook.tables import append_rows, set_settings

    run_init(backend, InitOptions(2570, dt.date(2026, 10, 1), "สพป. ทดสอบ เขต 1"))
    locale = locale or os.environ.get(TEST_LOCALE_ENV)
    if locale is not None and hasattr(backend, "key"):
        set_locale(backend, locale)
    data = backend.read()
    ops = append_rows(data, PEOPLE, people if people is not None else PEOPLE_ROWS)
    ops += append_rows(data, KPIS, kpis)
    if results:
        ops += append_rows(data, RESULTS, results)
    if agreements:
        ops += append_rows(data, AGREEMENTS, agreements)
    if settings:
        ops += set_settings(data, settings)
    person_types(backend, ops)


def office_workbook(path: Path, kpis: list[dict], results: list[dict], settings: dict | None = None,
                    people: list[dict] | None = None) -> Path:
    """An office typed into a local workbook at `path`."""
    type_office(XlsxBackend(path), kpis, results, settings, people)
    return path


def tab_records(path: Path, title: str) -> list[dict]:
    rows = sheet_values(path, title)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


# --- who calls Google: the tool's own account, and people typing as themselves --------------------------------

SERVICE_ACCOUNT = "sheets-sync@office-project.iam.gserviceaccount.com"
COORDINATOR = "coordinator@example.go.th"
GRANTED = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"]


@pytest.fixture(scope="session")
def private_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def key_file(tmp_path: Path, private_key: str, email: str = SERVICE_ACCOUNT,
             token_uri: str = "https://oauth2.googleapis.com/token") -> Path:
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps({"type": "service_account", "project_id": "office-project", "private_key_id": "1",
                                "private_key": private_key, "client_email": email, "client_id": "1",
                                "token_uri": token_uri}))
    path.chmod(0o600)
    return path


def user_token_file(tmp_path: Path, email: str = COORDINATOR) -> Path:
    path = tmp_path / "authorized_user.json"
    # the emulator's convention: the refresh token names the user it stands for
    path.write_text(json.dumps({"type": "authorized_user", "client_id": "id", "client_secret": "secret",
                                "refresh_token": email, "token_uri": "https://oauth2.googleapis.com/token",
                                "scopes": GRANTED}))
    path.chmod(0o600)
    return path


def typed_as(backend, email: str, cell: str, text: str):
    """A person signed in as `email` typing `text` into one cell of a Google Sheet (values.update USER_ENTERED),
    with their own OAuth token; the answer as Google gave it, refusals included."""
    import os

    import requests

    from sheets_sync.workbook.operations import quote_title

    token = requests.post(f"http://{os.environ['SHEETS_EMULATOR_HOST']}/token", timeout=60, data={
        "grant_type": "refresh_token", "refresh_token": email}).json()["access_token"]
    tab, ref = cell.rsplit("!", 1)
    return requests.put(f"{sheet_url(backend)}/values/{quote_title(tab)}!{ref}", params={"valueInputOption": "USER_ENTERED"},
                        json={"values": [[text]]}, headers={"Authorization": f"Bearer {token}"}, timeout=60)


@pytest.fixture(scope="session")
def emulator():
    from .emulator import Emulator

    with Emulator() as running:
        yield running


@pytest.fixture
def google(emulator, tmp_path: Path, monkeypatch):
    """The emulator as this test's Google: requests go there, the throttle's window is the test's own, retries
    wait hundredths of a second, the log starts empty and no fault outlives the test."""
    monkeypatch.setenv("SHEETS_EMULATOR_HOST", emulator.host)
    monkeypatch.setenv("SHEETS_SYNC_THROTTLE_DIR", str(tmp_path / "throttle"))
    monkeypatch.setenv("SHEETS_SYNC_RETRY_BASE", "0.01")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    emulator.clear_log()
    yield emulator
    emulator.state.faults.clear()


@dataclass
class Workbook:
    """A workbook on one backend, as the tests see it: what to pass to --sheet, how to look inside, and what the
    backend can do (declared once here, as fsspec's abstract tests do, so a test asks for a capability rather than
    a backend's name, and a third backend is a row in CAPABILITIES)."""

    kind: str
    sheet: str
    emulator: object | None = None
    locale: str | None = None  # the locale staff type in (Google), None for a local file

    CAPABILITIES = {
        # a date is a date cell (Google keeps the BE text staff typed); a person's note is a file comment
        "xlsx": frozenset({"date cells", "file comments"}),
        # requests counted by the emulator; the summaries read by their header; the spreadsheet's JSON to look at
        "google": frozenset({"count requests", "read by ranges", "inspect the spreadsheet"}),
    }

    def can(self, capability: str) -> bool:
        assert any(capability in c for c in self.CAPABILITIES.values()), f"no backend declares {capability!r}"
        return capability in self.CAPABILITIES[self.kind]

    def backend(self):
        from sheets_sync.backends.target import open_backend, parse_target

        return open_backend(parse_target(self.sheet))

    def requests(self) -> list[dict]:
        return self.emulator.requests() if self.emulator is not None else []

    def reads_and_writes(self) -> tuple[int, int]:
        log = self.requests()
        return sum(1 for e in log if e["method"] == "GET"), sum(1 for e in log if e["method"] != "GET")

    def clear_log(self) -> None:
        if self.emulator is not None:
            self.emulator.clear_log()


@pytest.fixture(params=["xlsx", "google", "google-en_US"])
def workbook(request, tmp_path: Path, monkeypatch) -> Workbook:
    """The same tests on a local .xlsx file and on a Google Sheet served by the emulator over real HTTP, in
    th_TH (what init sets) and in en_US (a sheet whose locale someone changed back): staff type alike."""
    monkeypatch.setenv("SHEETS_SYNC_THROTTLE_DIR", str(tmp_path / "throttle"))
    if request.param == "xlsx":
        monkeypatch.delenv("SHEETS_EMULATOR_HOST", raising=False)
        return Workbook("xlsx", str(tmp_path / "workbook.xlsx"))
    if request.param == "google-en_US":
        monkeypatch.setenv(TEST_LOCALE_ENV, "en_US")
    emulator = request.getfixturevalue("emulator")
    monkeypatch.setenv("SHEETS_EMULATOR_HOST", emulator.host)
    key = emulator.create("สพป. ทดสอบ เขต 1 ปีงบประมาณ 2570")
    emulator.clear_log()
    return Workbook("google", key, emulator, "en_US" if request.param == "google-en_US" else "th_TH")
