"""How the Google backend authenticates — never printing or logging a token or key.

In order: `--credentials FILE`, then $GOOGLE_APPLICATION_CREDENTIALS, then gspread's default files
(~/.config/gspread/service_account.json, then authorized_user.json), then application default credentials.
A file may hold a service account's key or an OAuth user token; one readable by other users is refused.
With $SHEETS_EMULATOR_HOST set, requests go to that emulator over plain HTTP and need no credentials.
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from sheets_sync.domain.words import Words
from sheets_sync.config import config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.file")
EMULATOR_ENV = "SHEETS_EMULATOR_HOST"
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com", "https://oauth2.googleapis.com")


def gspread_dir() -> Path:
    return config().path("GSPREAD_CONFIG_DIR") or Path.home() / ".config" / "gspread"


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


@dataclass(frozen=True)
class Identity:
    """Who sheets-sync acts as on Google, for messages and the live check; never a secret."""

    kind: str  # service_account, user, external_account, impersonated_service_account, application_default, emulator
    email: str | None = None
    scopes: tuple[str, ...] = ()
    quota_project: str | None = None

    @property
    def service_account(self) -> bool:
        return self.kind in ("service_account", "impersonated_service_account") or \
            bool(self.email and self.email.endswith(".iam.gserviceaccount.com"))

    def describe(self) -> Words:
        """(Thai, English) of this identity, e.g. for "who owns the new file"."""
        names = {"service_account": ("บัญชีบริการ", "service account"), "user": ("บัญชีผู้ใช้", "user account"),
                 "external_account": ("บัญชีภายนอก (workload identity)", "external account (workload identity)"),
                 "impersonated_service_account": ("บัญชีบริการที่สวมสิทธิ์", "impersonated service account"),
                 "application_default": ("ข้อมูลรับรองเริ่มต้นของเครื่อง (ADC)", "application default credentials"),
                 "emulator": ("ตัวจำลอง", "emulator")}
        th, en = names.get(self.kind, (self.kind, self.kind))
        who = self.email or "?"
        return Words(f"{th} {who}", f"{en} {who}")


# The kinds google-auth reads from a file; a key file is read here directly so a refused file never reaches it.
SUPPORTED_KINDS = ("service_account", "authorized_user", "external_account", "impersonated_service_account")


def _from_file(path: Path):  # -> (google.auth.credentials.Credentials, Identity)
    from google.oauth2 import credentials as user_credentials
    from google.oauth2 import service_account

    check_private(path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        kind = info.get("type") if isinstance(info, dict) else None
        if kind == "service_account":
            creds = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
            return creds, Identity(kind, info.get("client_email"), SCOPES)
        if kind == "authorized_user":
            # refresh with the scopes the person granted (gspread.oauth() grants spreadsheets + drive), never
            # with ours: asking for a scope that was not granted makes Google refuse the refresh
            granted = tuple(info.get("scopes") or ())
            creds = user_credentials.Credentials.from_authorized_user_info(info, scopes=list(granted) or None)
            return creds, Identity("user", info.get("account") or None, granted)
        if kind == "external_account":  # workload identity federation: built offline (no project lookup)
            from google.auth import aws, identity_pool, pluggable

            source = info.get("credential_source") or {}
            maker = aws if str(source.get("environment_id", "")).startswith("aws") else \
                pluggable if "executable" in source else identity_pool
            creds = maker.Credentials.from_info(info, scopes=list(SCOPES))
            return creds, Identity(kind, _impersonated_email(info), SCOPES, info.get("quota_project_id"))
        if kind == "impersonated_service_account":  # the kind's own loader: google-auth deprecated the generic
            from google.auth import impersonated_credentials  # one (it would load any kind the file claims)

            creds = impersonated_credentials.Credentials.from_impersonated_service_account_info(info, scopes=SCOPES)
            email = getattr(creds, "service_account_email", None) or _impersonated_email(info)
            return creds, Identity(kind, email, SCOPES,
                                   getattr(creds, "quota_project_id", None) or info.get("quota_project_id"))
    except ValueError:
        # the exception text may quote the key: say only which file and what is wrong with it
        raise SheetsSyncError(ExitCode.AUTH, f"กุญแจในไฟล์ข้อมูลรับรอง {path} ไม่ถูกต้อง (คัดลอกมาไม่ครบหรือถูกแก้) "
                              "โปรดดาวน์โหลดกุญแจใหม่จาก Google Cloud Console",
                              f"the key in the credentials file {path} is not valid (cut short or edited); download a "
                              "new key from the Google Cloud console") from None
    except (OSError, KeyError, TypeError) as exc:
        raise SheetsSyncError(ExitCode.AUTH, f"อ่านไฟล์ข้อมูลรับรอง {path} ไม่ได้",
                              f"cannot read the credentials file {path} ({type(exc).__name__})") from None
    except Exception as exc:  # google.auth.exceptions.DefaultCredentialsError and kin: the kind is not usable
        raise SheetsSyncError(ExitCode.AUTH, f"ใช้ไฟล์ข้อมูลรับรอง {path} ไม่ได้",
                              f"cannot use the credentials file {path} ({type(exc).__name__})") from None
    raise SheetsSyncError(
        ExitCode.AUTH, f"ไฟล์ {path} ไม่ใช่ข้อมูลรับรองชนิดที่รองรับ ({', '.join(SUPPORTED_KINDS)})",
        f"{path} is not a kind of credentials sheets-sync supports: {', '.join(SUPPORTED_KINDS)}")


def _impersonated_email(info: dict) -> str | None:
    url = str(info.get("service_account_impersonation_url") or "")
    tail = url.rsplit("/serviceAccounts/", 1)[-1]
    return tail.split(":", 1)[0] or None


def credentials_file(option: str | None) -> Path | None:
    for candidate in (option, config().text("GOOGLE_APPLICATION_CREDENTIALS")):
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


def google_session(option: str | None) -> tuple[requests.Session, str, Identity]:
    """An HTTP session for Google (or the emulator), a name for its quota bucket, and who it acts as.

    With $SHEETS_EMULATOR_HOST and no credentials named, requests carry no credentials (the emulator treats
    them as the owner's); with a credentials file named too, its tokens come from the emulator's token endpoint,
    so tests exercise the real OAuth flows over HTTP.
    """
    settings = config()
    host = settings.text(EMULATOR_ENV)
    named = option or settings.text("GOOGLE_APPLICATION_CREDENTIALS")
    if host and not named:
        return emulator_session(host), f"emulator-{host.replace(':', '-')}", Identity("emulator", "owner")
    from google.auth.transport.requests import AuthorizedSession, Request

    path = credentials_file(option)
    if path is not None:
        creds, identity = _from_file(path)
    else:
        import google.auth
        from google.auth.exceptions import DefaultCredentialsError

        try:
            creds, project = google.auth.default(scopes=SCOPES)
        except DefaultCredentialsError:
            raise SheetsSyncError(
                ExitCode.AUTH,
                "ไม่พบข้อมูลรับรองของ Google ใช้ --credentials FILE หรือดูวิธีตั้งค่าใน README",
                "no Google credentials found: pass --credentials FILE or see the README's Google Sheets section",
            ) from None
        identity = Identity("application_default", getattr(creds, "service_account_email", None), SCOPES,
                            getattr(creds, "quota_project_id", None) or project)
    if host:
        session = emulator_session(host)
        authorized = AuthorizedSession(creds, auth_request=Request(session))
        for base in GOOGLE_HOSTS:
            authorized.mount(base, EmulatorAdapter(host))
    else:
        authorized = AuthorizedSession(creds)
    name = identity.email or (path.stem if path else "application-default")
    return authorized, "quota-" + "".join(ch if ch.isalnum() else "-" for ch in name)[:60], identity
