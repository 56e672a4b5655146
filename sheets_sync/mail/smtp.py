"""Sending through SMTP with the standard library: one connection for a whole run, a result per address.

Where the server, the sender and the security come from: a command's `--smtp HOST:PORT`, then the environment
(`SHEETS_SYNC_SMTP_*`, needed for alerts, which must work when the sheet cannot be read), then the sheet's
settings.  The user and password only ever come from the environment — never from the sheet, never printed.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from sheets_sync.config import config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

SECURITIES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30.0


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


def smtp_settings(option: str | None = None, host: str = "", port: int | None = None, sender: str = "",
                  security: str = "") -> SmtpSettings:
    """The settings from `--smtp HOST:PORT`, the environment, then the values given (the sheet's)."""
    env = config()
    security = (env.text("SHEETS_SYNC_SMTP_SECURITY") or security or "starttls").lower()
    if security not in SECURITIES:
        raise SheetsSyncError(ExitCode.USAGE, f"smtp_security ต้องเป็น {', '.join(SECURITIES)} ไม่ใช่ {security!r}",
                              f"smtp_security must be one of {', '.join(SECURITIES)}, not {security!r}")
    option_host, option_port = "", None
    if option:
        option_host, _, port_text = option.partition(":")
        if port_text and not (port_text.isascii() and port_text.isdecimal()):
            raise SheetsSyncError(ExitCode.USAGE, f"--smtp ต้องเป็น HOST:PORT ไม่ใช่ {option!r}",
                                  f"--smtp must be HOST:PORT, not {option!r}")
        option_port = int(port_text) if port_text else None
    host = option_host or env.text("SHEETS_SYNC_SMTP_HOST") or host
    port = option_port or env.number_or_none("SHEETS_SYNC_SMTP_PORT") or port or DEFAULT_PORTS[security]
    sender = env.text("SHEETS_SYNC_SMTP_FROM") or sender
    if not host or not sender:
        raise SheetsSyncError(
            ExitCode.USAGE,
            "ยังไม่ได้ตั้งค่าการส่งอีเมล: ต้องมี smtp_host และ smtp_from ในแท็บตั้งค่า (หรือ --smtp และตัวแปร "
            "SHEETS_SYNC_SMTP_FROM)",
            "e-mail is not set up: smtp_host and smtp_from are needed in the settings tab (or --smtp and "
            "SHEETS_SYNC_SMTP_FROM)")
    return SmtpSettings(host, int(port), sender, security, env.text("SHEETS_SYNC_SMTP_USER"),
                        env.text("SHEETS_SYNC_SMTP_PASSWORD"))


@dataclass
class Delivery:
    address: str
    sent: bool
    detail: str = ""  # why it failed, as the server said


class Mailer:
    """One SMTP session: connect and log in once (errors there stop the run), then a result per message."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.session: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        s = self.settings
        try:
            if s.security == "ssl":
                self.session = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=ssl.create_default_context())
            else:
                self.session = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
                if s.security == "starttls":
                    self.session.starttls(context=ssl.create_default_context())
            if s.user:
                self.session.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            self._close()
            raise SheetsSyncError(
                ExitCode.AUTH, f"เซิร์ฟเวอร์อีเมล {s.describe()} ไม่รับการเข้าสู่ระบบของ {s.user} ({exc.smtp_code}) "
                "ตรวจ SHEETS_SYNC_SMTP_USER และ SHEETS_SYNC_SMTP_PASSWORD (Gmail ใช้รหัสผ่านสำหรับแอป)",
                f"the mail server {s.describe()} refused the login of {s.user} ({exc.smtp_code}); check "
                "SHEETS_SYNC_SMTP_USER and SHEETS_SYNC_SMTP_PASSWORD (Gmail needs an app password)") from None
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise SheetsSyncError(
                ExitCode.NETWORK, f"ติดต่อเซิร์ฟเวอร์อีเมล {s.describe()} ไม่ได้ ({type(exc).__name__})",
                f"cannot reach the mail server {s.describe()}: {type(exc).__name__}: {exc}") from None
        return self

    def send(self, message: EmailMessage) -> Delivery:
        address = str(message["To"])
        assert self.session is not None
        try:
            refused = self.session.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            return Delivery(address, False, f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}")
        except (smtplib.SMTPException, socket.timeout, OSError) as exc:
            return Delivery(address, False, f"{type(exc).__name__}: {exc}")
        if refused:
            return Delivery(address, False, str(refused))
        return Delivery(address, True)

    def _close(self) -> None:
        if self.session is not None:
            try:
                self.session.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.session = None

    def __exit__(self, *exc: object) -> None:
        self._close()
