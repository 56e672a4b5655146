"""Which workbook a command works on: `--sheet`, then SHEETS_SYNC_SHEET, then sheets-sync.toml, then
`workbook.xlsx` in the working directory."""

from __future__ import annotations

import enum
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sheets_sync.domain.words import Words
from sheets_sync.config import Config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.operations import Backend

if TYPE_CHECKING:
    from sheets_sync.backends.google.backend import GoogleBackend

DEFAULT_SHEET = "workbook.xlsx"
ENV_VAR = "SHEETS_SYNC_SHEET"

_URL_KEY = re.compile(r"https?://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{25,}")


class TargetKind(enum.Enum):
    XLSX = "xlsx"
    GOOGLE = "google"


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    location: str  # a file path, or a spreadsheet key
    source: str  # where the choice came from, for messages: option, environment, config, default

    def __str__(self) -> str:
        return self.location if self.kind is TargetKind.XLSX else f"Google Sheet {self.location}"


def parse_target(text: str, source: str = "option", base: Path | None = None) -> Target:
    text = text.strip()
    if m := _URL_KEY.match(text):
        return Target(TargetKind.GOOGLE, m[1], source)
    looks_like_file = text.lower().endswith((".xlsx", ".xlsm")) or "/" in text or os.sep in text
    if not looks_like_file and _BARE_KEY.fullmatch(text):
        return Target(TargetKind.GOOGLE, text, source)
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SheetsSyncError(
            ExitCode.USAGE,
            f"ไม่รู้จักเป้าหมาย {text!r}: ใช้ไฟล์ .xlsx, URL ของ Google Sheets หรือรหัสสเปรดชีต",
            f"unknown target {text!r}: give an .xlsx path, a Google Sheets URL or a spreadsheet key",
        )
    return Target(TargetKind.XLSX, str(path), source)


def resolve_target(option: str | None, cwd: Path | None = None, environ: dict[str, str] | None = None) -> Target:
    settings = Config(environ, cwd)
    if option:
        return parse_target(option, "option")
    from_environment = settings.text(ENV_VAR)
    if from_environment:
        return parse_target(from_environment, "environment")
    from_file = settings.sheet_from_file()
    if from_file:
        return parse_target(from_file, "config", base=settings.cwd)
    return parse_target(str(settings.cwd / DEFAULT_SHEET), "default")


def _google_http(credentials: str | None):  # -> GoogleHttp
    from sheets_sync.backends.google.credentials import google_session
    from sheets_sync.backends.google.http import GoogleHttp
    from sheets_sync.backends.google.throttle import Throttle

    session, bucket, identity = google_session(credentials)
    return GoogleHttp(session, Throttle(bucket), identity=identity)


def local_workbook(path: str | os.PathLike[str]) -> Backend:
    """A workbook file on disk (snapshots, the demo): the same factory as any target."""
    return open_backend(Target(TargetKind.XLSX, str(path), "option"))


def open_backend(target: Target, credentials: str | None = None) -> Backend:
    if target.kind is TargetKind.XLSX:
        from sheets_sync.backends.xlsx import XlsxBackend

        return XlsxBackend(target.location)
    from sheets_sync.backends.google.backend import GoogleBackend

    return GoogleBackend(target.location, _google_http(credentials))


def create_google_sheet(title: str, credentials: str | None = None, folder: str | None = None,
                        share_with: tuple[str, ...] = ()) -> "GoogleBackend":
    """A new, empty Google spreadsheet (Drive files.create), in `folder` (a shared drive's folder) when given,
    shared as editor with each of `share_with` — ready for init or copy to fill."""
    from sheets_sync.backends.google.backend import GoogleBackend

    http = _google_http(credentials)
    backend = GoogleBackend(http.create_spreadsheet(title, folder), http)
    backend.share_with = share_with  # shared inside discarded_on_failure: a failed share leaves no file behind
    return backend


@contextmanager
def discarded_on_failure(backend: "GoogleBackend") -> Iterator[None]:
    """A spreadsheet created for init --create or copy --create and not filled is deleted again, so a failed
    attempt leaves no empty file behind; the failure is then raised as it was, with what was done said.  The
    sharing `create_google_sheet` was asked for happens here first, inside the same guard."""
    try:
        backend.invited = [email for email in backend.share_with if backend.http.share(backend.key, email)]
        yield
    except SheetsSyncError as exc:
        try:
            backend.http.delete_file(backend.key)
            th, en = "ลบสเปรดชีตเปล่าที่เพิ่งสร้างแล้ว", "the empty spreadsheet just created was deleted"
        except SheetsSyncError:
            th, en = (f"สเปรดชีตเปล่าที่เพิ่งสร้างยังอยู่ที่ {backend.url} ลบได้", 
                      f"the empty spreadsheet just created is still at {backend.url}; delete it")
        raise SheetsSyncError(exc.code, f"{exc.th} ({th})", f"{exc.en} ({en})") from None


def new_sheet_notes(backend: "GoogleBackend", folder: str | None, share_with: tuple[str, ...]) -> list[Words]:
    """(Thai, English) lines saying who owns a sheet just created and who can open it."""
    identity = backend.http.identity
    th_who, en_who = identity.describe() if identity else ("บัญชีที่ใช้", "the account in use")
    if folder:
        notes = [Words(f"ไฟล์เป็นของไดรฟ์ที่แชร์ (โฟลเดอร์ {folder}) สมาชิกของไดรฟ์เปิดได้",
                  f"the file belongs to the shared drive (folder {folder}); its members can open it")]
    else:
        notes = [Words(f"เจ้าของไฟล์: {th_who}", f"owner of the file: {en_who}")]
    for email in share_with:
        if email in backend.invited:
            notes.append(Words(f"แชร์ให้ {email} เป็นผู้แก้ไขแล้ว โดย Google ส่งอีเมลเชิญไปให้ เพราะที่อยู่นี้ไม่มีบัญชี Google",
                          f"shared with {email} as editor; Google e-mailed them an invitation, since the address "
                          "has no Google account"))
        else:
            notes.append(Words(f"แชร์ให้ {email} เป็นผู้แก้ไขแล้ว", f"shared with {email} as editor"))
    if not folder and not share_with and identity is not None and identity.service_account:
        notes.append(Words("มีเพียงบัญชีบริการที่เปิดไฟล์นี้ได้ ครั้งหน้าใช้ --share-with EMAIL เพื่อให้คนเปิดได้",
                      "only the service account can open this file: use --share-with EMAIL so a person can"))
    return notes
