"""Requests to Google through gspread's HTTP client, with our own retries, timeout, throttle and count.

gspread's BackOffHTTPClient retries forever; a scheduled build must end.  Here: 429, 503 and connection
failures are retried with exponential backoff and full jitter, never sooner than Retry-After, up to a number
of attempts and a total time; then a clear error.  Reads are idempotent and retried on any 5xx and timeout
too.  A write (batchUpdate) that timed out or got a 500 may have landed, so it is not retried blindly: the
command stops with the network exit code, and running it again is safe because every write this tool makes
says what the cells must hold, not how to change them.
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote

import requests
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.urls import (
    DRIVE_FILES_API_V3_URL,
    SPREADSHEET_BATCH_UPDATE_URL,
    SPREADSHEET_URL,
)

from sheets_sync import __version__
from sheets_sync.backends.google.credentials import Identity
from sheets_sync.backends.google.errors import SharingNeedsNotice, error_body, explain, reasons, refresh_failed
from sheets_sync.backends.google.throttle import Throttle
from sheets_sync.config import config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

log = logging.getLogger(__name__)

RETRY_ALWAYS = {429, 503}
RETRY_READS = {500, 502, 504}
# Drive (and older Sheets answers) say "slow down" as a 403 with these reasons: a quota, not a permission; the
# request was not carried out, so it is retried with backoff like a 429 (Drive API "Resolve errors": 403
# userRateLimitExceeded / rateLimitExceeded, "use exponential backoff")
RATE_LIMIT_REASONS = {"userRateLimitExceeded", "rateLimitExceeded"}
# Google compresses an answer only for a client that accepts gzip and names gzip in its User-Agent (the APIs'
# performance guides, "Compression using gzip"): a read of a whole office is JSON that shrinks 10-30 times
USER_AGENT = f"sheets-sync/{__version__} (gzip)"
# request bodies are gzipped too, as Google's own client libraries do by default (docs/conformance.md); a body
# this small is not worth it
GZIP_FROM = 1024


@dataclass
class RetryPolicy:
    attempts: int = 6
    base: float = 1.0
    cap: float = 32.0
    total: float = 150.0  # two refills of the per-minute quota window and the backoff around them
    timeout: tuple[float, float] = (10.0, 60.0)  # connect, read

    @classmethod
    def from_env(cls) -> "RetryPolicy":
        policy = cls()
        settings = config()
        policy.base = settings.number("SHEETS_SYNC_RETRY_BASE", policy.base)
        policy.total = settings.number("SHEETS_SYNC_RETRY_TOTAL", policy.total)
        policy.attempts = int(settings.number("SHEETS_SYNC_RETRY_ATTEMPTS", policy.attempts))
        read_timeout = settings.number("SHEETS_SYNC_TIMEOUT", policy.timeout[1])
        policy.timeout = (min(policy.timeout[0], read_timeout), read_timeout)
        return policy


@dataclass
class CallRecord:
    kind: str  # read or write
    what: str
    attempts: int = 0
    statuses: list[str] = field(default_factory=list)


class GoogleHttp:
    def __init__(self, session: requests.Session, throttle: Throttle, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep, identity: Identity | None = None) -> None:
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept-Encoding"] = "gzip"
        self.client = HTTPClient(auth=None, session=session)  # type: ignore[arg-type]
        self.identity = identity
        self.policy = policy or RetryPolicy.from_env()
        self.client.set_timeout(self.policy.timeout)
        self.throttle = throttle
        self.sleep = sleep
        self.calls: list[CallRecord] = []

    @property
    def requests(self) -> int:
        return sum(c.attempts for c in self.calls)

    def _call(self, kind: str, what: str, send: Callable[[], Any]) -> Any:
        from google.auth.exceptions import RefreshError, TransportError

        record = CallRecord(kind, what)
        self.calls.append(record)
        started = time.monotonic()
        delay = self.policy.base
        while True:
            self.throttle.acquire(kind)
            record.attempts += 1
            retry_after: float | None = None
            failure: BaseException
            try:
                return send()
            except APIError as exc:
                status = exc.response.status_code
                record.statuses.append(str(status))
                retryable = status in RETRY_ALWAYS or (kind == "read" and status in RETRY_READS) or \
                    (status == 403 and bool(reasons(error_body(exc.response)) & RATE_LIMIT_REASONS))
                if not retryable and status >= 500:
                    raise SheetsSyncError(
                        ExitCode.NETWORK,
                        f"Google ผิดพลาด ({status}) ระหว่างเขียน ({what}) เรียกคำสั่งเดิมอีกครั้งได้อย่างปลอดภัย",
                        f"Google failed ({status}) during a write ({what}); running the command again is safe",
                    ) from None
                if not retryable:
                    raise explain(status, error_body(exc.response), kind, what, self.identity) from None
                retry_after = _retry_after(exc.response)
                if status == 429 and retry_after is None:
                    # Google sends no Retry-After on quota 429s; its guide: the per-minute window refills after a
                    # minute.  Someone else uses this account's quota: wait the window out, once, and say so.
                    retry_after = self.throttle.window
                    log.warning("โควตาต่อนาทีของ Google สำหรับบัญชีนี้หมด กำลังรอ %.0f วินาทีให้โควตาคืน  "
                                "(Google's per-minute quota for this account is used up: waiting %.0f s for it "
                                "to refill)", retry_after, retry_after)
                failure = exc
            except RefreshError as exc:
                if not isinstance(exc.__cause__, TransportError) and "Transport" not in repr(exc.args):
                    raise refresh_failed(exc, self.identity) from None
                record.statuses.append("token-endpoint")
                failure = exc
            except TransportError as exc:  # the token endpoint could not be reached: nothing was sent yet
                record.statuses.append("token-endpoint")
                failure = exc
            except (requests.ConnectionError, requests.Timeout) as exc:
                record.statuses.append(type(exc).__name__)
                never_sent = isinstance(exc, requests.ConnectTimeout) or "NewConnectionError" in repr(exc)
                if kind == "write" and not never_sent:
                    raise SheetsSyncError(
                        ExitCode.NETWORK,
                        f"การเขียนไป Google ขาดการติดต่อระหว่างทาง ({what}) อาจเขียนแล้วหรือยังไม่เขียน "
                        "เรียกคำสั่งเดิมอีกครั้งได้อย่างปลอดภัย",
                        f"the connection broke during a write ({what}); it may or may not have landed — "
                        "running the command again is safe",
                    ) from None
                failure = exc
            elapsed = time.monotonic() - started
            wait = max(random.uniform(0, min(self.policy.cap, delay)), retry_after or 0)
            if record.attempts >= self.policy.attempts or elapsed + wait > self.policy.total:
                raise _gave_up(record, elapsed, what, failure) from None
            self.sleep(wait)
            delay *= 2

    def type_values(self, key: str, a1_range: str, rows: list[list[str]]) -> dict:
        """values.update with USER_ENTERED: text parsed as if a person typed it (the live check only)."""
        return self._call("write", "values.update", lambda: self.client.request(
            "put", SPREADSHEET_URL % key + "/values/" + quote(a1_range, safe=""),
            params={"valueInputOption": "USER_ENTERED"}, json={"values": rows}).json())

    def delete_file(self, key: str) -> None:
        """Drive files.delete: only for a spreadsheet this tool has just created and could not fill."""
        self._call("write", "drive.files.delete", lambda: self.client.request(
            "delete", f"{DRIVE_FILES_API_V3_URL}/{key}", params={"supportsAllDrives": True}))

    def share(self, key: str, email: str) -> bool:
        """Drive permissions.create: `email` may edit the file, without a notification e-mail from Google where
        Drive allows it.  An address with no Google account can only be invited by e-mail (Drive answers 400
        invalidSharingRequest to a silent share): it is invited so, and True says Google e-mailed them."""
        body = {"type": "user", "role": "writer", "emailAddress": email}

        def create(notify: bool) -> None:
            self._call("write", "drive.permissions.create", lambda: self.client.request(
                "post", f"{DRIVE_FILES_API_V3_URL}/{key}/permissions", json=body,
                params={"supportsAllDrives": True, "sendNotificationEmail": notify}))

        try:
            create(False)
            return False
        except SharingNeedsNotice:
            create(True)
            return True

    def whoami(self) -> str | None:
        """Drive about.get: the signed-in user's e-mail, for a credential that does not carry it (an OAuth
        token file records none)."""
        about = DRIVE_FILES_API_V3_URL.rsplit("/", 1)[0] + "/about"
        answer = self._call("read", "drive.about.get", lambda: self.client.request(
            "get", about, params={"fields": "user(emailAddress)"}).json())
        email = (answer or {}).get("user", {}).get("emailAddress")
        return str(email).lower() if email else None

    def get_spreadsheet(self, key: str, params: dict[str, Any]) -> dict:
        return self._call("read", "spreadsheets.get", lambda: self.client.spreadsheets_get(key, params=params))

    def get_by_data_filter(self, key: str, a1_ranges: list[str], fields: str) -> dict:
        """spreadsheets.getByDataFilter: cells by A1 range in a POST body, so the URL stays short; a read."""
        data, headers = json_body({"dataFilters": [{"a1Range": r} for r in a1_ranges], "includeGridData": True})
        return self._call("read", "spreadsheets.getByDataFilter", lambda: self.client.request(
            "post", SPREADSHEET_URL % key + ":getByDataFilter", params={"fields": fields}, data=data,
            headers=headers).json())

    def batch_update(self, key: str, body: dict, gzipped: bool = False) -> dict:
        """One spreadsheets.batchUpdate; `gzipped` compresses even a small body (doctor tries that Google takes it)."""
        data, headers = json_body(body, always=gzipped)
        return self._call("write", "spreadsheets.batchUpdate", lambda: self.client.request(
            "post", SPREADSHEET_BATCH_UPDATE_URL % key, data=data, headers=headers).json())

    def create_spreadsheet(self, title: str, folder: str | None = None) -> str:
        payload: dict[str, Any] = {"name": title, "mimeType": "application/vnd.google-apps.spreadsheet"}
        if folder:
            payload["parents"] = [folder]
        response = self._call("write", "drive.files.create", lambda: self.client.request(
            "post", DRIVE_FILES_API_V3_URL, json=payload, params={"supportsAllDrives": True}))
        return response.json()["id"]


def encode_body(body: dict) -> bytes:
    """Compact UTF-8, not the \\uXXXX escapes `json=` would send: Thai text costs half as many bytes."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_body(body: dict, always: bool = False) -> tuple[bytes, dict[str, str]]:
    """A request body as sent, and its headers: gzipped from GZIP_FROM bytes (a 2 MB write goes as about 70 KB).
    Google's 2 MB recommendation is kept on the JSON itself (batch.MAX_BODY), not on the compressed bytes."""
    data = encode_body(body)
    headers = {"Content-Type": "application/json; charset=UTF-8"}
    if always or len(data) >= GZIP_FROM:
        data, headers["Content-Encoding"] = gzip.compress(data, compresslevel=6), "gzip"
    return data, headers


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, APIError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__


def _gave_up(record: CallRecord, elapsed: float, what: str, failure: BaseException) -> SheetsSyncError:
    """The last word after the retries, by what kept happening: no answer in time, no connection, the token
    endpoint out of reach, the quota used up by someone else, or Google refusing."""
    last = record.statuses[-1] if record.statuses else ""
    tried = f"{record.attempts} attempts in {elapsed:.0f} s ({what})"
    if last in ("ReadTimeout", "Timeout", "ConnectTimeout"):
        th, en = "Google ไม่ตอบภายในเวลาที่กำหนด", f"Google did not answer in time after {tried}"
    elif last == "ConnectionError":
        th, en = "ติดต่อ Google ไม่ได้ ตรวจการเชื่อมต่ออินเทอร์เน็ต", f"could not reach Google after {tried}"
    elif last == "token-endpoint":
        th, en = ("ติดต่อเซิร์ฟเวอร์ยืนยันตัวตนของ Google ไม่ได้",
                  f"could not reach Google's token endpoint (oauth2.googleapis.com) after {tried}")
    elif last == "429":
        th, en = ("โควตาต่อนาทีของ Google สำหรับบัญชีนี้ยังหมดอยู่ อาจมีโปรแกรมอื่นใช้บัญชีเดียวกัน โปรดลองใหม่ภายหลัง",
                  f"Google's per-minute quota for this account stayed used up after {tried}: another program may "
                  "use the same account; try again later")
    else:
        th, en = "Google ไม่ตอบรับ", f"Google kept refusing ({', '.join(record.statuses)}) after {tried}: " \
                                     f"{_describe(failure)}"
    return SheetsSyncError(ExitCode.NETWORK, f"{th} (ลอง {record.attempts} ครั้งใน {elapsed:.0f} วินาที)", en)
