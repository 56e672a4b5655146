"""The emulator's HTTP server: Sheets v4 and Drive v3 `files` endpoints, plus control endpoints for tests.

Control endpoints:
  GET  /_emulator/requests   the request log (method, path, endpoint, status, batch request kinds)
  POST /_emulator/faults     {"kind": "429"|"500"|"503"|"slow"|"drop", "count": N, "retry_after": s,
                              "delay": s, "match": "substring of the path", "skip": K} for the next N
                              requests after the first K that match
  POST /_emulator/latency    {"seconds": 0.15}: every request waits this long
  POST /_emulator/quota      {"read": 60, "write": 60, "window": 60}: Google's per-user quota, answered with 429
  POST /_emulator/reset      forget every spreadsheet, fault and logged request
"""

from __future__ import annotations

import copy
import gc
import gzip
import json
import zlib
import pickle
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import discovery
from .access import (
    OWNER,
    AccessError,
    Accounts,
    Caller,
    Sharing,
    storage_quota_exceeded,
)
from .grid import (
    a1_of,
    clone,
    apply_mask,
    extended_value,
    formatted,
    parse_cells,
    parse_mask,
    plain,
    proto_json,
    split_range,
)
from .state import (
    ApiError,
    Sheet,
    Spreadsheet,
    _now,
    acting_as,
    batch_update,
    check_cell_text,
    check_editable,
    new_spreadsheet,
    set_value,
)
from .typing import shown, typed

MAX_URL = 8192  # Google's front end refuses longer request lines (docs/conformance.md)
MAX_PAYLOAD = 10 * 1024 * 1024  # Google refuses a larger request body, measured here unzipped (docs/conformance.md)


@dataclass
class Fault:
    kind: str
    count: int
    retry_after: float | None = None
    delay: float = 0.0
    match: str | None = None
    body: dict | None = None  # Google's error body to answer with, for refusals the emulator cannot cause itself
    skip: int = 0  # matching requests to let through first: "the third write fails"


def _file_id(path: str) -> str | None:
    m = re.match(r"/v4/spreadsheets/([^/:]+)|/drive/v3/files/([^/?]+)", path)
    return (m[1] or m[2]) if m else None


@dataclass
class EmulatorState:
    spreadsheets: dict[str, Spreadsheet] = field(default_factory=dict)
    log: list[dict] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    latency: float = 0.0
    quota: dict[str, int] = field(default_factory=dict)  # per window, "read"/"write"; empty: no quota
    quota_window: float = 60.0
    recent: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    lock: threading.RLock = field(default_factory=threading.RLock)
    accounts: Accounts = field(default_factory=Accounts)
    sharing: dict[str, Sharing] = field(default_factory=dict)  # spreadsheet id → who may read and write it
    service_accounts_may_create: bool = False  # Google refuses them since April 2025 (docs/conformance.md)
    without_google_account: set[str] = field(default_factory=set)  # addresses Drive can only invite by e-mail

    def over_quota(self, kind: str, now: float) -> float | None:
        """Google's per-user quota: None when the request may go, else the seconds until a slot frees."""
        limit = self.quota.get(kind)
        window = [t for t in self.recent[kind] if now - t < self.quota_window]
        self.recent[kind] = window
        if limit is not None and len(window) >= limit:
            return self.quota_window - (now - window[0])
        window.append(now)
        return None

    def book(self, spreadsheet_id: str) -> Spreadsheet:
        book = self.spreadsheets.get(spreadsheet_id)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        return book

    def create(self, title: str, spreadsheet_id: str | None = None, sharing: Sharing | None = None) -> Spreadsheet:
        book = new_spreadsheet(title, spreadsheet_id)
        self.spreadsheets[book.spreadsheet_id] = book
        self.sharing[book.spreadsheet_id] = sharing or Sharing()
        return book

    def owns(self, path: str, caller: Caller) -> bool:
        file_id = _file_id(path)
        return not (file_id and file_id in self.spreadsheets) or self.sharing.setdefault(
            file_id, Sharing()).role(caller.email) == "owner"

    def check_access(self, path: str, caller: Caller, write: bool) -> None:
        file_id = _file_id(path)
        if file_id and file_id in self.spreadsheets:
            self.sharing.setdefault(file_id, Sharing()).check(caller, write)


# --- rendering ---------------------------------------------------------------------------------------


def _grid_data(sheet: Sheet, r1: int, c1: int, r2: int, c2: int, cell_mask: dict | None) -> dict:
    """One GridData block; only the masked cell fields are rendered, and rows with nothing to show at the end
    are left out, as Google does."""
    by_row: dict[int, dict[int, dict]] = {}
    for (r, c), cell in sheet.cells.items():
        if r1 <= r < r2 and c1 <= c < c2:
            cell = with_effective_format(cell)
            # a masked cell is built anew (its leaves are never changed after); an unmasked one is copied whole
            shown = apply_mask(cell, cell_mask) if cell_mask else clone(cell)
            if shown:
                by_row.setdefault(r, {})[c] = shown
    rows = []
    for r in range(r1, max(by_row, default=r1 - 1) + 1):
        cells = by_row.get(r, {})
        values = [cells.get(c, {}) for c in range(c1, max(cells, default=c1 - 1) + 1)]
        rows.append({"values": values} if values else {})
    data: dict[str, Any] = {}
    if r1:
        data["startRow"] = r1
    if c1:
        data["startColumn"] = c1
    if rows:
        data["rowData"] = rows
    data["rowMetadata"] = [{"pixelSize": 21, **sheet.rows.get(r, {})} for r in range(r1, min(r2, sheet.row_count))]
    data["columnMetadata"] = [{"pixelSize": 100, **sheet.columns.get(c, {})} for c in range(c1, min(c2, sheet.col_count))]
    return data


def with_effective_format(cell: dict) -> dict:
    """The cell as Google answers it: a cell with a format of its own also has an effectiveFormat, that format
    over the defaults ("The effective format being used by the cell … If the effective format is the default
    format, effective format will not be written", CellData reference).  A formula's computed number format
    (kept in effectiveFormat when it is evaluated) gives way to a number format the person set.  Conditional
    formats are not applied here: the product reads no colour through effectiveFormat."""
    user = cell.get("userEnteredFormat")
    if not user:
        return cell
    return {**cell, "effectiveFormat": {**cell.get("effectiveFormat", {}), **user}}


def _sheet_json(sheet: Sheet, grid: bool, ranges: list[tuple[int, int, int, int]] | None,
                cell_mask: dict | None = None) -> dict:
    out: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
    if sheet.protected:
        out["protectedRanges"] = copy.deepcopy(sheet.protected)
        for protected in out["protectedRanges"]:  # read back, the owner is always among the editors
            editors = protected.setdefault("editors", {})
            editors["users"] = editors.get("users") or [OWNER]
    if sheet.conditional_formats:
        out["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
    if sheet.filter_views:
        out["filterViews"] = copy.deepcopy(sheet.filter_views)
    if sheet.merges:
        out["merges"] = copy.deepcopy(sheet.merges)
    if sheet.basic_filter:
        out["basicFilter"] = copy.deepcopy(sheet.basic_filter)
    for dimension, key in (("ROWS", "rowGroups"), ("COLUMNS", "columnGroups")):
        if sheet.groups.get(dimension):
            out[key] = copy.deepcopy(sheet.groups[dimension])
    if grid:
        spans = ranges or [(0, 0, sheet.row_count, sheet.col_count)]
        out["data"] = [_grid_data(sheet, *span, cell_mask) for span in spans]
    return out


def spreadsheet_json(book: Spreadsheet, grid: bool = False, ranges: list[str] | None = None,
                     mask: dict | None = None) -> dict:
    selected: dict[int, list[tuple[int, int, int, int]]] = {}
    for a1 in ranges or []:
        sheet, span = _resolve(book, a1)
        selected.setdefault(sheet.sheet_id, []).append(span)
    sheets = [s for s in book.sheets if not ranges or s.sheet_id in selected]
    out = {
        "spreadsheetId": book.spreadsheet_id,
        "properties": copy.deepcopy(book.properties),
        "sheets": [_sheet_json(s, grid, selected.get(s.sheet_id), _cell_mask(mask)) for s in sheets],
        "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.spreadsheet_id}/edit",
    }
    if book.named_ranges:
        out["namedRanges"] = copy.deepcopy(book.named_ranges)
    if book.developer_metadata:
        out["developerMetadata"] = copy.deepcopy(book.developer_metadata)
    return out


def _outer(mask: dict | None) -> dict | None:
    """The mask with its cells' part taken as done: spreadsheet_json has applied it to each cell already, and
    walking 100,000 cells a second time cost a large read most of its time."""
    values = (mask or {}).get("sheets", {}).get("data", {}).get("rowData", {}).get("values")
    if not values:
        return mask
    outer = copy.deepcopy(mask)
    outer["sheets"]["data"]["rowData"]["values"] = {"*": {}}
    return outer


def _cell_mask(mask: dict | None) -> dict | None:
    if not mask:
        return None
    values = mask.get("sheets", {}).get("data", {}).get("rowData", {}).get("values")
    return values or None


def _encoded(body: Any) -> bytes:
    return b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")

def _resolve(book: Spreadsheet, a1: str) -> tuple[Sheet, tuple[int, int, int, int]]:
    title, cells = split_range(unquote(a1))
    sheet = book.sheets[0] if title is None else None
    if sheet is None:
        matches = [s for s in book.sheets if s.title == title]
        if not matches:
            raise ApiError(400, f"Unable to parse range: {a1}")
        sheet = matches[0]
    try:
        span = parse_cells(cells, sheet.row_count, sheet.col_count)
    except ValueError as exc:
        raise ApiError(400, f"Unable to parse range: {a1}") from exc
    return sheet, span


def _value(cell: dict, render: str) -> Any:
    if render == "FORMULA":
        user = cell.get("userEnteredValue", {})
        if "formulaValue" in user:
            return user["formulaValue"]
        return plain(cell.get("effectiveValue"))
    if render == "UNFORMATTED_VALUE":
        return plain(cell.get("effectiveValue"))
    return cell.get("formattedValue", formatted(plain(cell.get("effectiveValue"))))


def _inside_grid(sheet: Sheet, a1: str, r1: int, c1: int) -> None:
    if r1 >= sheet.row_count or c1 >= sheet.col_count:
        raise ApiError(400, f"Range ({a1}) exceeds grid limits. Max rows: {sheet.row_count}, max columns: "
                            f"{sheet.col_count}")


def value_range(book: Spreadsheet, a1: str, render: str, major: str = "ROWS") -> dict:
    sheet, (r1, c1, r2, c2) = _resolve(book, a1)
    _inside_grid(sheet, a1, r1, c1)
    r2, c2 = min(r2, sheet.row_count), min(c2, sheet.col_count)
    rows = []
    for r in range(r1, r2):
        row = [_value(sheet.cells.get((r, c), {}), render) for c in range(c1, c2)]
        while row and row[-1] in (None, ""):
            row.pop()
        rows.append(["" if v is None else v for v in row])
    while rows and not rows[-1]:
        rows.pop()
    if major == "COLUMNS":
        width = max((len(r) for r in rows), default=0)
        rows = [[r[i] if i < len(r) else "" for r in rows] for i in range(width)]
    out: dict[str, Any] = {"range": a1_of(sheet.title, r1, c1, r2, c2), "majorDimension": major}
    if rows:
        out["values"] = rows
    return out


def write_values(book: Spreadsheet, a1: str, values: list[list[Any]], option: str, major: str = "ROWS") -> dict:
    sheet, (r1, c1, _, _) = _resolve(book, a1)
    if major == "COLUMNS":
        width = max((len(v) for v in values), default=0)
        values = [[col[i] if i < len(col) else None for col in values] for i in range(width)]
    height, width = len(values), max((len(v) for v in values), default=0)
    if r1 + height > sheet.row_count or c1 + width > sheet.col_count:
        raise ApiError(400, f"Range ({a1}) exceeds grid limits. Max rows: {sheet.row_count}, max columns: "
                            f"{sheet.col_count}")
    for i, row in enumerate(values):  # a protected cell refuses the whole write before any cell changes
        for j, value in enumerate(row):
            if value is not None:
                check_editable(sheet, r1 + i, c1 + j)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value is not None:
                type_into(book, sheet, r1 + i, c1 + j, value, option)
    book.modified = _now()
    return {"spreadsheetId": book.spreadsheet_id, "updatedRange": a1_of(sheet.title, r1, c1, r1 + max(height, 1), c1 + max(width, 1)),
            "updatedRows": height, "updatedColumns": width, "updatedCells": sum(len(r) for r in values)}


def type_into(book: Spreadsheet, sheet: Sheet, row: int, col: int, value: Any, option: str = "USER_ENTERED") -> None:
    """One value written through values.update: RAW as given, USER_ENTERED parsed as if a person typed it in
    a sheet of the spreadsheet's locale; a cell that had no number format gets the one the typing implies."""
    cell = sheet.cells.setdefault((row, col), {})
    if option == "USER_ENTERED":
        ev, number_format = typed(value, book.properties.get("locale", "en_US"), cell.get("userEnteredFormat"))
    else:
        ev, number_format = extended_value(value), None
    check_cell_text(ev, f"values ({sheet.title})")
    set_value(cell, ev, sheet)
    user_format = cell.setdefault("userEnteredFormat", {})
    if number_format and "numberFormat" not in user_format:
        user_format["numberFormat"] = number_format
    if not user_format:
        del cell["userEnteredFormat"]
    if "numberValue" in ev:
        text = shown(ev["numberValue"], user_format.get("numberFormat"))
        if text is not None:
            cell["formattedValue"] = text
    if not cell:
        sheet.cells.pop((row, col))


def clear_values(book: Spreadsheet, a1: str) -> str:
    sheet, (r1, c1, r2, c2) = _resolve(book, a1)
    for r, c in [k for k in sheet.cells if r1 <= k[0] < r2 and c1 <= k[1] < c2]:
        check_editable(sheet, r, c)
    for key in [k for k in sheet.cells if r1 <= k[0] < r2 and c1 <= k[1] < c2]:
        set_value(sheet.cells[key], {})
        if not sheet.cells[key]:
            del sheet.cells[key]
    return a1_of(sheet.title, r1, c1, min(r2, sheet.row_count), min(c2, sheet.col_count))


# --- the request handler -----------------------------------------------------------------------------


SHEETS = "sheets.v4"
DRIVE = "drive.v3"


class Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"
    # headers and body go out as two writes: with Nagle's algorithm on, the body waited for the client's delayed
    # ACK, 40 ms a request on Linux — most of the Google tests' time, and no part of what Google does
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:  # quiet: the request log is the record
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self._send_encoded(status, _encoded(body), headers)

    def _send_encoded(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        state = self.server.state
        split = urlsplit(self.path)
        path, query = split.path, parse_qs(split.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        wire = len(raw)  # what the request cost on the wire, compressed or not
        if raw and self.headers.get("Content-Encoding", "").strip().lower() == "gzip":
            try:  # Google's client libraries gzip request bodies (docs/conformance.md, "Compression")
                raw = gzip.decompress(raw)
            except (OSError, EOFError, zlib.error):
                self._send(400, ApiError(400, "Invalid JSON payload received. Unable to decompress the body.").body())
                return
        if path.startswith("/_emulator/"):
            self._control(method, path, raw)
            return
        if path == "/token" and method == "POST":  # oauth2.googleapis.com/token
            with state.lock:
                status, answer = state.accounts.grant(raw)
                state.log.append({"method": method, "path": path, "status": status, "endpoint": "oauth2.token",
                                  "bytes": len(raw), "time": time.time()})
            self._send(status, answer)
            return
        if len(self.path) > MAX_URL:
            with state.lock:
                state.log.append({"method": method, "path": path, "status": 414, "endpoint": _endpoint_name(method, path),
                                  "bytes": len(raw), "time": time.time(), "url_length": len(self.path)})
            self._send_raw(414, b"<!DOCTYPE html><html lang=en><title>Error 414 (Request-URI Too Large)!!1</title>"
                                b"<p><b>414.</b> <ins>That\xe2\x80\x99s an error.</ins><p>The requested URL is too large "
                                b"to process.  <ins>That\xe2\x80\x99s all we know.</ins>", "text/html; charset=UTF-8")
            return
        entry: dict[str, Any] = {"method": method, "path": path, "query": {k: v for k, v in query.items()},
                                 "bytes": wire, "time": time.time(), "body_bytes": len(raw)}
        if wire != len(raw):
            entry["gzip_request"] = True
        if len(raw) > MAX_PAYLOAD:
            entry.update(status=400, endpoint=_endpoint_name(method, path))
            with state.lock:
                state.log.append(entry)
            self._send(400, ApiError(400, f"Request payload size exceeds the limit: {MAX_PAYLOAD} bytes.",
                                     reason="badRequest").body())
            return
        if state.latency:
            time.sleep(state.latency)
        serving = time.monotonic()
        with state.lock:
            wait = state.over_quota(quota_kind(method, path), time.time())
        if wait is not None:
            entry.update(status=429, quota=True, endpoint=_endpoint_name(method, path))
            with state.lock:
                state.log.append(entry)
            self._send(429, quota_exceeded(quota_kind(method, path)))  # no Retry-After: Google sends none
            return
        try:
            with state.lock:
                caller = state.accounts.caller(self.headers.get("Authorization"))
                state.check_access(path, caller, quota_kind(method, path) == "write" and ":copy" not in path
                                   and not path.endswith("/copy"))
        except AccessError as exc:
            entry.update(status=exc.status, endpoint=_endpoint_name(method, path))
            with state.lock:
                state.log.append(entry)
            self._send(exc.status, exc.body)
            return
        self.caller = caller
        fault = self._take_fault(path)
        if fault is not None:
            entry.update(status=fault.kind, fault=True, endpoint=_endpoint_name(method, path))
            with state.lock:
                state.log.append(entry)
            if fault.kind == "drop":
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if fault.kind == "slow":
                time.sleep(fault.delay)
                # the stalled request stays logged as "slow", and its late answer is not logged: the log never
                # changes under a test that reads it (a busy machine made this flaky)
                entry = {"stalled": True}
            else:
                code = int(fault.kind)
                headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
                message = {429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute "
                                "per user' of service 'sheets.googleapis.com'.",
                           500: "Internal error encountered.", 503: "The service is currently unavailable."}.get(code, "")
                self._send(code, fault.body or ApiError(code, message).body(), headers)
                return
        self.nulls = b"null" in raw  # no null anywhere in the text: no null to drop from a batchUpdate
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = None
            status, payload = 400, ApiError(400, "Invalid JSON payload received.").body()
        else:
            try:
                with state.lock, acting_as(caller.email, state.owns(path, caller)):
                    status, payload = self._route(method, path, query, body, entry)
            except ApiError as exc:
                status, payload = exc.code, exc.body()
            except AccessError as exc:
                status, payload = exc.status, exc.body
            except discovery.InvalidRequest as exc:
                status, payload = 400, ApiError(400, str(exc)).body()
        entry["status"] = status
        answer = _encoded(proto_json(payload) if status < 400 else payload)
        headers: dict[str, str] = {}
        entry["answer_bytes"] = len(answer)  # the JSON itself, before any compression
        if self._wants_gzip():
            answer, headers["Content-Encoding"] = gzip.compress(answer, compresslevel=6), "gzip"
            entry["gzip_answer"] = True
        entry["sent"] = len(answer)  # the answer's bytes on the wire: what a read costs the client to download
        entry["served"] = time.monotonic() - serving  # the emulator's own work, beyond the simulated latency
        if not entry.get("stalled"):
            with state.lock:
                state.log.append(entry)
        try:
            self._send_encoded(status, answer, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test): nothing to answer

    def _wants_gzip(self) -> bool:
        """Google compresses an answer only for a client that accepts gzip and says `gzip` in its User-Agent
        (the APIs' performance guides, "Compression using gzip"; docs/conformance.md)."""
        accepts = self.headers.get("Accept-Encoding", "").lower()
        return "gzip" in accepts and "gzip" in self.headers.get("User-Agent", "").lower()

    def _take_fault(self, path: str) -> Fault | None:
        state = self.server.state
        with state.lock:
            for fault in state.faults:
                if fault.count > 0 and (fault.match is None or fault.match in path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.count -= 1
                    return fault
        return None

    def _control(self, method: str, path: str, raw: bytes) -> None:
        state = self.server.state
        body = json.loads(raw) if raw else {}
        with state.lock:
            if path == "/_emulator/requests" and method == "GET":
                self._send(200, {"requests": state.log})
            elif path == "/_emulator/faults" and method == "POST":
                state.faults.append(Fault(str(body["kind"]), int(body.get("count", 1)), body.get("retry_after"),
                                          float(body.get("delay", 0)), body.get("match"),
                                          skip=int(body.get("skip", 0))))
                self._send(200, {"faults": len(state.faults)})
            elif path == "/_emulator/latency" and method == "POST":
                state.latency = float(body.get("seconds", 0))
                self._send(200, {"latency": state.latency})
            elif path == "/_emulator/quota" and method == "POST":
                state.quota = {k: int(v) for k, v in body.items() if k in ("read", "write")}
                state.quota_window = float(body.get("window", 60.0))
                self._send(200, {"quota": state.quota})
            elif path == "/_emulator/share" and method == "POST":
                share(state, body["spreadsheet"], body["email"], body.get("role", "writer"))
                self._send(200, {})
            elif path == "/_emulator/shared-drive" and method == "POST":
                state.accounts.shared_drives[body["id"]] = set(body.get("members", []))
                self._send(200, {})
            elif path == "/_emulator/revoke" and method == "POST":
                state.accounts.revoked.add(body["email"])
                self._send(200, {})
            elif path == "/_emulator/reset" and method == "POST":
                state.sharing.clear()
                state.accounts = Accounts()
                state.quota = {}
                state.spreadsheets.clear()
                state.log.clear()
                state.faults.clear()
                state.latency = 0.0
                self._send(200, {})
            else:
                self._send(404, ApiError(404, "no such control endpoint").body())

    # routing: Sheets v4 and Drive v3 files

    def _route(self, method: str, path: str, query: dict, body: Any, entry: dict) -> tuple[int, Any]:
        state = self.server.state
        entry["endpoint"] = _endpoint_name(method, path)
        m = re.fullmatch(r"/v4/spreadsheets/([^/:]+):getByDataFilter", path)
        if m and method == "POST":
            discovery.check_query(SHEETS, discovery.method(SHEETS, "spreadsheets", "getByDataFilter"), query)
            discovery.check_body(SHEETS, "GetSpreadsheetByDataFilterRequest", body or {})
            book = state.book(m[1])
            mask = parse_mask(query.get("fields", [None])[0])
            ranges = []
            for data_filter in (body or {}).get("dataFilters", []):
                if "a1Range" not in data_filter:
                    raise ApiError(400, "the emulator supports only a1Range data filters")
                ranges.append(data_filter["a1Range"])
            grid = "data" in (mask or {}).get("sheets", {}) if mask else bool((body or {}).get("includeGridData"))
            result = spreadsheet_json(book, grid, ranges, mask)
            return 200, apply_mask(result, _outer(mask))
        m = re.fullmatch(r"/v4/spreadsheets/([^/:]+)(?::batchUpdate)?", path)
        if m and method == "GET" and not path.endswith(":batchUpdate"):
            discovery.check_query(SHEETS, discovery.method(SHEETS, "spreadsheets", "get"), query)
            book = state.book(m[1])
            mask = parse_mask(query.get("fields", [None])[0])
            # with a field mask, includeGridData is ignored: the mask alone says whether grid data comes back
            grid = "data" in (mask or {}).get("sheets", {}) if mask else \
                query.get("includeGridData", ["false"])[0].lower() == "true"
            result = spreadsheet_json(book, grid, query.get("ranges"), mask)
            return 200, apply_mask(result, _outer(mask))
        if m and method == "POST" and path.endswith(":batchUpdate"):
            discovery.check_query(SHEETS, discovery.method(SHEETS, "spreadsheets", "batchUpdate"), query)
            discovery.check_body(SHEETS, "BatchUpdateSpreadsheetRequest", body or {})
            book = state.book(m[1])
            requests = (body or {}).get("requests", [])
            entry["kinds"] = [next(iter(r)) for r in requests if r]
            replies = batch_update(book, requests, nulls=self.nulls)
            out: dict[str, Any] = {"spreadsheetId": book.spreadsheet_id, "replies": replies}
            if (body or {}).get("includeSpreadsheetInResponse"):
                out["updatedSpreadsheet"] = spreadsheet_json(book)
            return 200, out
        if path == "/v4/spreadsheets" and method == "POST":
            discovery.check_body(SHEETS, "Spreadsheet", body or {})
            book = state.create((body or {}).get("properties", {}).get("title", "Untitled spreadsheet"))
            return 200, spreadsheet_json(book)
        m = re.fullmatch(r"/v4/spreadsheets/([^/]+)/values(?::(batchGet|batchUpdate|batchClear)|/([^:]+)(?::(clear|append))?)", path)
        if m:
            return self._values(method, m, query, body)
        if path.startswith("/drive/v3/files") or path.startswith("/upload/drive/"):
            return self._drive(method, path, query, body)
        if path == "/drive/v3/about" and method == "GET":  # Drive about.get: who the caller is
            discovery.check_query(DRIVE, discovery.method(DRIVE, "about", "get"), query)
            caller: Caller = getattr(self, "caller", Caller(OWNER))
            return 200, {"kind": "drive#about", "user": {"kind": "drive#user", "emailAddress": caller.email,
                                                          "me": True}}
        raise ApiError(404, "Not Found")

    def _values(self, method: str, m: re.Match, query: dict, body: Any) -> tuple[int, Any]:
        state = self.server.state
        book = state.book(m[1])
        batch, a1, action = m[2], unquote(m[3]) if m[3] else None, m[4]
        first = lambda name, default: query.get(name, [default])[0]  # noqa: E731
        render = first("valueRenderOption", "FORMATTED_VALUE")
        major = first("majorDimension", "ROWS")
        if batch == "batchGet" and method == "GET":
            discovery.check_query(SHEETS, discovery.method(SHEETS, "spreadsheets", "values", "batchGet"), query)
            return 200, {"spreadsheetId": book.spreadsheet_id,
                         "valueRanges": [value_range(book, r, render, major) for r in query.get("ranges", [])]}
        if batch == "batchUpdate" and method == "POST":
            discovery.check_body(SHEETS, "BatchUpdateValuesRequest", body or {})
            option = body.get("valueInputOption", "RAW")
            snapshot = pickle.dumps(book.sheets)  # all ranges or none, as one request
            try:
                responses = [write_values(book, d["range"], d.get("values", []), option, d.get("majorDimension", "ROWS"))
                             for d in body.get("data", [])]
            except ApiError:
                book.sheets = pickle.loads(snapshot)
                raise
            return 200, {"spreadsheetId": book.spreadsheet_id, "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
                         "totalUpdatedColumns": sum(r["updatedColumns"] for r in responses),
                         "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
                         "totalUpdatedSheets": len({r["updatedRange"].split("!")[0] for r in responses}),
                         "responses": responses}
        if batch == "batchClear" and method == "POST":
            discovery.check_body(SHEETS, "BatchClearValuesRequest", body or {})
            return 200, {"spreadsheetId": book.spreadsheet_id,
                         "clearedRanges": [clear_values(book, r) for r in body.get("ranges", [])]}
        assert a1 is not None
        if action is None and method == "GET":
            discovery.check_query(SHEETS, discovery.method(SHEETS, "spreadsheets", "values", "get"), query)
            return 200, value_range(book, a1, render, major)
        if action is None and method == "PUT":
            discovery.check_query(SHEETS, discovery.method(SHEETS, "spreadsheets", "values", "update"), query)
            discovery.check_body(SHEETS, "ValueRange", body or {})
            if "valueInputOption" not in query:
                raise ApiError(400, "'valueInputOption' is required but not specified")
            result = write_values(book, a1, body.get("values", []), first("valueInputOption", "RAW"),
                                  body.get("majorDimension", "ROWS"))
            if first("includeValuesInResponse", "false") == "true":
                result["updatedData"] = value_range(book, result["updatedRange"], render)
            return 200, result
        if action == "clear" and method == "POST":
            return 200, {"spreadsheetId": book.spreadsheet_id, "clearedRange": clear_values(book, a1)}
        if action == "append" and method == "POST":
            discovery.check_body(SHEETS, "ValueRange", body or {})
            sheet, (r1, c1, r2, c2) = _resolve(book, a1)
            used_rows = max((r + 1 for (r, c) in sheet.cells if c1 <= c < c2 and sheet.cells[(r, c)].get("userEnteredValue")), default=0)
            start = max(used_rows, r1)
            values = body.get("values", [])
            if start + len(values) > sheet.row_count:
                sheet.properties["gridProperties"]["rowCount"] = start + len(values)
            target = a1_of(sheet.title, start, c1, start + len(values), c1 + max((len(v) for v in values), default=1))
            updates = write_values(book, target, values, first("valueInputOption", "RAW"))
            out = {"spreadsheetId": book.spreadsheet_id, "updates": updates}
            if used_rows:
                out["tableRange"] = a1_of(sheet.title, r1, c1, used_rows, c2 if c2 <= sheet.col_count else c1 + 1)
            return 200, out
        raise ApiError(404, "Not Found")

    def _drive(self, method: str, path: str, query: dict, body: Any) -> tuple[int, Any]:
        state = self.server.state
        m = re.fullmatch(r"/drive/v3/files(?:/([^/]+))?(?:/(copy|export|comments|permissions))?", path)
        if not m:
            raise ApiError(404, "Not Found")
        file_id, action = m[1], m[2]
        caller: Caller = getattr(self, "caller", Caller(OWNER))
        if file_id is None and method == "POST":
            discovery.check_query(DRIVE, discovery.method(DRIVE, "files", "create"), query)
            discovery.check_body(DRIVE, "File", body or {})
            if (body or {}).get("mimeType") != "application/vnd.google-apps.spreadsheet":
                raise ApiError(400, "the emulator only creates spreadsheets")
            sharing = _new_file_sharing(state, caller, (body or {}).get("parents") or [])
            book = state.create(body.get("name", "Untitled spreadsheet"), sharing=sharing)
            return 200, {"kind": "drive#file", "id": book.spreadsheet_id, "name": book.properties["title"],
                         "mimeType": "application/vnd.google-apps.spreadsheet"}
        if file_id is None and method == "GET":
            files = [{"id": b.spreadsheet_id, "name": b.properties["title"], "createdTime": b.created,
                      "modifiedTime": b.modified} for b in state.spreadsheets.values()]
            return 200, {"kind": "drive#fileList", "files": files}
        book = state.book(file_id or "")
        if action is None and method == "GET":
            # Drive accepts the shared-drive flags of files.list on files.get too, as the cassettes show
            discovery.check_query(DRIVE, discovery.method(DRIVE, "files", "get"), query,
                                  also=discovery.method(DRIVE, "files", "list"))
            return 200, {"id": book.spreadsheet_id, "name": book.properties["title"], "createdTime": book.created,
                         "modifiedTime": book.modified}
        if action is None and method == "DELETE":
            discovery.check_query(DRIVE, discovery.method(DRIVE, "files", "delete"), query)
            del state.spreadsheets[book.spreadsheet_id]
            return 204, None
        if action == "permissions" and method == "POST":
            discovery.check_query(DRIVE, discovery.method(DRIVE, "permissions", "create"), query)
            discovery.check_body(DRIVE, "Permission", body or {})
            email, role = (body or {}).get("emailAddress"), (body or {}).get("role")
            if (body or {}).get("type") != "user" or not email or role not in ("reader", "commenter", "writer"):
                raise ApiError(400, "The permission type field is required / the emulator shares with users only.")
            silent = str(query.get("sendNotificationEmail", ["true"])[0]).lower() == "false"
            if silent and email.lower() in state.without_google_account:  # docs/conformance.md
                raise ApiError(400, f'Bad Request. User message: "You are trying to invite {email}. Since there is no '
                                    'Google account associated with this email address, you must check the "Notify '
                                    'people" box to invite this recipient."', reason="invalidSharingRequest")
            share(state, book.spreadsheet_id, email, "writer" if role == "writer" else "reader")
            return 200, {"kind": "drive#permission", "id": str(abs(hash(email)) % 10**20), "type": "user",
                         "role": role}
        if action == "copy" and method == "POST":
            copied = copy.deepcopy(book)
            copied.spreadsheet_id = new_spreadsheet("x").spreadsheet_id
            copied.properties["title"] = (body or {}).get("name") or f"Copy of {book.properties['title']}"
            state.spreadsheets[copied.spreadsheet_id] = copied
            return 200, {"kind": "drive#file", "id": copied.spreadsheet_id, "name": copied.properties["title"],
                         "mimeType": "application/vnd.google-apps.spreadsheet"}
        raise ApiError(404, "Not Found")


def share(state: EmulatorState, spreadsheet_id: str, email: str, role: str) -> None:
    sharing = state.sharing.setdefault(spreadsheet_id, Sharing())
    sharing.readers.discard(email)
    sharing.writers.discard(email)
    if role in ("writer", "reader"):
        (sharing.writers if role == "writer" else sharing.readers).add(email)


def _new_file_sharing(state: EmulatorState, caller: Caller, parents: list[str]) -> Sharing:
    """Who owns a new file: a shared drive when it is created in one, else the caller — which Drive refuses to a
    service account (it has no storage), unless the switch says otherwise."""
    for parent in parents:
        if parent not in state.accounts.shared_drives:
            raise ApiError(404, f"File not found: {parent}.")
        members = state.accounts.shared_drives[parent]
        if caller.email not in members and caller.email != OWNER:
            raise ApiError(404, f"File not found: {parent}.")
        return Sharing(owner=f"shared-drive:{parent}", writers=set(members) | {caller.email})
    if caller.service_account and not state.service_accounts_may_create:
        raise storage_quota_exceeded()
    return Sharing(owner=caller.email)


def _endpoint_name(method: str, path: str) -> str:
    if path.startswith("/upload/drive/"):
        return "drive.v2 upload"
    if path.startswith("/drive/"):
        tail = re.sub(r"/files/[^/]+", "/files/ID", path)
        return {"POST /drive/v3/files": "drive.files.create", "GET /drive/v3/files": "drive.files.list",
                "GET /drive/v3/files/ID": "drive.files.get", "DELETE /drive/v3/files/ID": "drive.files.delete",
                "POST /drive/v3/files/ID/copy": "drive.files.copy",
                "POST /drive/v3/files/ID/permissions": "drive.permissions.create",
                "GET /drive/v3/about": "drive.about.get"}.get(f"{method} {tail}", f"drive {method} {tail}")
    if path.endswith(":batchUpdate") and "/values" not in path:
        return "spreadsheets.batchUpdate"
    if path.endswith(":getByDataFilter"):
        return "spreadsheets.getByDataFilter"
    m = re.search(r"/values(?::(\w+)|/[^:]+(?::(\w+))?)", path)
    if m:
        action = m[1] or m[2] or {"GET": "get", "PUT": "update"}.get(method, method.lower())
        return f"values.{action}"
    if method == "GET":
        return "spreadsheets.get"
    return f"{method} {path}"


def quota_exceeded(kind: str) -> dict:
    """Google's 429 for the per-user quota: RESOURCE_EXHAUSTED with a RATE_LIMIT_EXCEEDED ErrorInfo, and no
    Retry-After header (none in the 2,130 answers recorded; docs/conformance.md)."""
    metric = "Read requests" if kind == "read" else "Write requests"
    limit = f"{metric} per minute per user"
    body = ApiError(429, f"Quota exceeded for quota metric '{metric}' and limit '{limit}' of service "
                         "'sheets.googleapis.com' for consumer 'project_number:000000000000'.").body()
    body["error"]["details"] = [{
        "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {"service": "sheets.googleapis.com", "consumer": "projects/000000000000",
                     "quota_metric": f"sheets.googleapis.com/{kind}_requests",
                     "quota_limit": f"{kind.capitalize()}RequestsPerMinutePerUser",
                     "quota_limit_value": "60", "quota_location": "global"}}]
    return body


def quota_kind(method: str, path: str) -> str:
    """Google counts the POST reads (getByDataFilter, batchGetByDataFilter) against the read quota."""
    return "read" if method == "GET" or path.endswith("ByDataFilter") else "write"


def is_write(entry: dict) -> bool:
    return quota_kind(entry["method"], entry["path"]) == "write"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: EmulatorState) -> None:
        super().__init__(address, Handler)
        self.state = state


class Emulator:
    """A running emulator on 127.0.0.1; `state` is the in-memory truth, for tests that look behind the API."""

    def __init__(self, port: int = 0, latency: float = 0.0) -> None:
        self.state = EmulatorState(latency=latency)
        self._server = _Server(("127.0.0.1", port), self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, name="sheets-emulator", daemon=True)

    @property
    def host(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def start(self) -> "Emulator":
        # the stand-in holds every cell of its workbooks as dicts; CPython's default collection thresholds had it
        # rescan them all while building a large answer (a second of a 5,000-KPI read): its speed, not Google's
        gc.set_threshold(10_000, 50, 50)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # direct access for tests

    def requests(self) -> list[dict]:
        with self.state.lock:
            return [dict(e) for e in self.state.log]

    def clear_log(self) -> None:
        with self.state.lock:
            self.state.log.clear()

    def add_fault(self, kind: str, count: int = 1, retry_after: float | None = None, delay: float = 0.0,
                  match: str | None = None, body: dict | None = None, skip: int = 0) -> None:
        with self.state.lock:
            self.state.faults.append(Fault(kind, count, retry_after, delay, match, body, skip))

    def create(self, title: str = "Untitled spreadsheet") -> str:
        with self.state.lock:
            return self.state.create(title).spreadsheet_id

    def share(self, spreadsheet_id: str, email: str, role: str = "writer") -> None:
        """Share a spreadsheet with `email` as "writer" or "reader" ("none" takes the sharing back)."""
        with self.state.lock:
            share(self.state, spreadsheet_id, email, role)

    def owner_of(self, spreadsheet_id: str) -> str:
        with self.state.lock:
            return self.state.sharing[spreadsheet_id].owner

    def shared_with(self, spreadsheet_id: str) -> dict[str, str]:
        with self.state.lock:
            sharing = self.state.sharing[spreadsheet_id]
            return {**{e: "reader" for e in sharing.readers}, **{e: "writer" for e in sharing.writers}}

    def cell(self, spreadsheet_id: str, title: str, row: int, col: int) -> Any:
        """The value a person sees at (row, col), 1-based."""
        with self.state.lock:
            sheet = self.state.book(spreadsheet_id).sheet(title=title)
            return plain(sheet.cells.get((row - 1, col - 1), {}).get("effectiveValue"))

    def type(self, spreadsheet_id: str, title: str, row: int, col: int, value: str) -> None:
        """A person typing into a cell: values.update with USER_ENTERED over HTTP, as every test types."""
        from urllib.parse import quote
        from urllib.request import Request, urlopen

        a1 = quote(a1_of(title, row - 1, col - 1, row, col), safe="")
        request = Request(f"{self.url}/v4/spreadsheets/{spreadsheet_id}/values/{a1}?valueInputOption=USER_ENTERED",
                          data=json.dumps({"values": [[value]]}).encode(), method="PUT",
                          headers={"Content-Type": "application/json"})
        with urlopen(request, timeout=30) as answer:
            assert answer.status == 200

    def snapshot(self, spreadsheet_id: str) -> dict:
        with self.state.lock:
            return spreadsheet_json(self.state.book(spreadsheet_id), grid=True)
