"""How the Google backend authenticates — never printing or logging a token or key.

In order: `--credentials FILE`, then $GOOGLE_APPLICATION_CREDENTIALS, then gspread's default files
(~/.config/gspread/service_account.json, then authorized_user.json), then application default credentials.
A file may hold a service account's key or an OAuth user token; one readable by other users is refused.
With $SHEETS_EMULATOR_HOST set, requests go to that emulator over plain HTTP and need no credentials.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from .errors import SheetsSyncError
from .exit_codes import ExitCode

SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.file")
EMULATOR_ENV = "SHEETS_EMULATOR_HOST"
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


def gspread_dir() -> Path:
    return Path(os.environ.get("GSPREAD_CONFIG_DIR", Path.home() / ".config" / "gspread"))


class EmulatorAdapter(HTTPAdapter):
    """Sends requests meant for Google's hosts to a local emulator instead, over plain HTTP."""

    def __init__(self, host: str) -> None:
        super().__init__()
        self.base = f"http://{host}"

    def send(self, request: requests.PreparedRequest, **kwargs):  # type: ignore[override]
        for google in GOOGLE_HOSTS:
            if request.url and request.url.startswith(google):
                request.url = self.base + request.url[len(google):]
        return super().send(request, **kwargs)


def emulator_session(host: str) -> requests.Session:
    session = requests.Session()
    adapter = EmulatorAdapter(host)
    for google in GOOGLE_HOSTS:
        session.mount(google, adapter)
    return session


def check_private(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SheetsSyncError(
            ExitCode.AUTH,
            f"ไฟล์ข้อมูลรับรอง {path} เปิดให้ผู้อื่นอ่านได้ โปรดสั่ง chmod 600 {path} ก่อน",
            f"the credentials file {path} is readable by other users; run `chmod 600 {path}` first",
        )


def _from_file(path: Path):  # -> google.auth.credentials.Credentials
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    check_private(path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        if info.get("type") == "service_account":
            return service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
        if info.get("type") == "authorized_user":
            return user_credentials.Credentials.from_authorized_user_info(info, scopes=SCOPES)
    except (OSError, ValueError, KeyError) as exc:
        # the exception text may quote the key: say only which file and what kind of problem
        raise SheetsSyncError(ExitCode.AUTH, f"อ่านไฟล์ข้อมูลรับรอง {path} ไม่ได้",
                              f"cannot read the credentials file {path} ({type(exc).__name__})") from None
    raise SheetsSyncError(ExitCode.AUTH, f"ไฟล์ {path} ไม่ใช่ข้อมูลรับรองของบัญชีบริการหรือผู้ใช้",
                          f"{path} is neither a service-account key nor an OAuth user token")


def credentials_file(option: str | None) -> Path | None:
    for candidate in (option, os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")):
        if candidate:
            path = Path(candidate).expanduser()
            if not path.is_file():
                raise SheetsSyncError(ExitCode.AUTH, f"ไม่พบไฟล์ข้อมูลรับรอง {path}", f"credentials file not found: {path}")
            return path
    for name in ("service_account.json", "authorized_user.json"):
        path = gspread_dir() / name
        if path.is_file():
            return path
    return None


def google_session(option: str | None) -> tuple[requests.Session, str]:
    """An HTTP session for Google (or the emulator) and a name for its quota bucket."""
    host = os.environ.get(EMULATOR_ENV)
    if host:
        return emulator_session(host), f"emulator-{host.replace(':', '-')}"
    from google.auth.transport.requests import AuthorizedSession

    path = credentials_file(option)
    if path is not None:
        creds = _from_file(path)
        identity = getattr(creds, "service_account_email", None) or path.stem
    else:
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError

        try:
            creds, _ = google.auth.default(scopes=SCOPES)
        except DefaultCredentialsError:
            raise SheetsSyncError(
                ExitCode.AUTH,
                "ไม่พบข้อมูลรับรองของ Google ใช้ --credentials FILE หรือดูวิธีตั้งค่าใน README",
                "no Google credentials found: pass --credentials FILE or see the README's Google Sheets section",
            ) from None
        identity = "application-default"
    return AuthorizedSession(creds), "quota-" + "".join(ch if ch.isalnum() else "-" for ch in identity)[:60]
