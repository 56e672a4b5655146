"""The one reader of the environment and of `sheets-sync.toml`: every setting the tool takes from outside a
command's options, declared once here with its default and meaning (README's table is made from it).

A bad value names its variable and stops the command with the usage exit code; nothing else in the code reads
`os.environ`.  `today` lives here too, so a scheduled run and a test can fix the day in one place.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

CONFIG_FILE = "sheets-sync.toml"


def _positive_int(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ValueError(text)
    return number


def _positive_float(text: str) -> float:
    number = float(text)
    if not number > 0:
        raise ValueError(text)
    return number


def _flag(text: str) -> bool:
    return text.strip().lower() not in ("", "0", "no", "false")


def _day(text: str) -> dt.date:
    from sheets_sync.domain.thai import parse_date

    return parse_date(text)


def _zone(text: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(text) from None
    return text.strip()


DEFAULT_TIME_ZONE = "Asia/Bangkok"


@dataclass(frozen=True)
class Variable:
    name: str
    parse: Callable[[str], object]
    default: str  # as the README shows it
    meaning: str


VARIABLES: tuple[Variable, ...] = (
    Variable("SHEETS_SYNC_SHEET", str, "—", "the workbook when `--sheet` is not given (then `sheet` in "
             "sheets-sync.toml, then workbook.xlsx)"),
    Variable("SHEETS_SYNC_TODAY", _day, "today in the time zone", "take this day as today, e.g. 2027-04-01 or "
             "1/4/2570 (a command's `--today` wins)"),
    Variable("SHEETS_SYNC_TIME_ZONE", _zone, "Asia/Bangkok", "the time zone of every time the tool records or "
             "decides by (today, seal and reminder times), whatever the computer's own zone"),
    Variable("GOOGLE_APPLICATION_CREDENTIALS", str, "—", "a Google credentials file (`--credentials` wins)"),
    Variable("GSPREAD_CONFIG_DIR", Path, "~/.config/gspread", "where gspread's own credential files are looked for"),
    Variable("SHEETS_SYNC_READS_PER_MINUTE", _positive_int, "60", "the throttle's read limit"),
    Variable("SHEETS_SYNC_WRITES_PER_MINUTE", _positive_int, "60", "the throttle's write limit"),
    Variable("SHEETS_SYNC_QUOTA_WINDOW", _positive_float, "61", "seconds of Google's quota window (the "
             "throttle's, and the wait after a quota 429)"),
    Variable("SHEETS_SYNC_THROTTLE_DIR", Path, "~/.cache/sheets-sync", "where the shared throttle window lives"),
    Variable("XDG_CACHE_HOME", Path, "~/.cache", "the cache folder for locks, the throttle and the Thai holidays"),
    Variable("SHEETS_SYNC_RETRY_ATTEMPTS", _positive_int, "6", "attempts per Google request"),
    Variable("SHEETS_SYNC_RETRY_TOTAL", _positive_float, "150", "seconds a Google request may take with its retries"),
    Variable("SHEETS_SYNC_RETRY_BASE", _positive_float, "1", "first backoff in seconds"),
    Variable("SHEETS_SYNC_TIMEOUT", _positive_float, "60", "seconds to wait for Google's answer"),
    Variable("SHEETS_SYNC_LOCK_WAIT", _positive_float, "30", "seconds a writing command other than build waits "
             "for another one on the same workbook (build: `--wait`)"),
    Variable("SHEETS_EMULATOR_HOST", str, "—", "`host:port` of a local Sheets emulator: plain HTTP (testing)"),
    Variable("SHEETS_SYNC_SEAL_KEY", Path, "~/.config/sheets-sync/seal.key", "the secret seals are signed with: "
             "made on the first `certify --seal`, never in the workbook; back it up with the credentials"),
    Variable("SHEETS_SYNC_DEBUG", _flag, "—", "show the traceback of an unexpected error"),
    Variable("SHEETS_SYNC_SMTP_HOST", str, "the sheet's `smtp_host`", "the mail server for reminders and alerts "
             "(`--smtp HOST:PORT` wins)"),
    Variable("SHEETS_SYNC_SMTP_PORT", _positive_int, "587 / 465 / 25 by security", "the mail server's port"),
    Variable("SHEETS_SYNC_SMTP_FROM", str, "the sheet's `smtp_from`", "the sender address of reminders and alerts"),
    Variable("SHEETS_SYNC_SMTP_SECURITY", str, "starttls", "`starttls`, `ssl` or `none`"),
    Variable("SHEETS_SYNC_SMTP_USER", str, "—", "the mail server login (never in the sheet, never printed)"),
    Variable("SHEETS_SYNC_SMTP_PASSWORD", str, "—", "its password, e.g. a Gmail app password (never printed)"),
    Variable("SHEETS_SYNC_ALERT_TO", str, "—", "comma-separated addresses a failed scheduled run alerts "
             "(`--alert-to` wins)"),
)
_BY_NAME = {v.name: v for v in VARIABLES}


class Config:
    """The environment (and sheets-sync.toml) as typed values; read each time a command asks, so a test or a
    long-lived process sees the current environment."""

    def __init__(self, environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> None:
        self.environ = dict(os.environ) if environ is None else dict(environ)
        self.cwd = cwd or Path.cwd()

    def get(self, name: str) -> object:
        """The variable's typed value, or None when it is not set (blank counts as not set)."""
        variable = _BY_NAME[name]
        text = self.environ.get(name, "")
        if not text.strip():
            return None
        try:
            return variable.parse(text)
        except (ValueError, TypeError):
            raise SheetsSyncError(
                ExitCode.USAGE,
                f"ค่าของตัวแปร {name}={text!r} ใช้ไม่ได้ ({variable.meaning})",
                f"the environment variable {name}={text!r} is not valid: {variable.meaning}",
            ) from None

    def number(self, name: str, default: float) -> float:
        value = self.get(name)
        return float(value) if isinstance(value, (int, float)) else default

    def number_or_none(self, name: str) -> int | None:
        value = self.get(name)
        return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def path(self, name: str) -> Path | None:
        value = self.get(name)
        return Path(value).expanduser() if isinstance(value, (str, Path)) else None

    def text(self, name: str) -> str | None:
        value = self.get(name)
        return value if isinstance(value, str) else None

    @property
    def time_zone(self) -> str:
        value = self.get("SHEETS_SYNC_TIME_ZONE")
        return value if isinstance(value, str) else DEFAULT_TIME_ZONE

    def now(self) -> dt.datetime:
        """Now in the office's time zone (Asia/Bangkok unless set): a server on UTC is seven hours behind, and
        its "today" a day off each evening."""
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(self.time_zone))

    @property
    def today(self) -> dt.date:
        value = self.get("SHEETS_SYNC_TODAY")
        return value if isinstance(value, dt.date) else self.now().date()

    @property
    def cache_dir(self) -> Path:
        return (self.path("XDG_CACHE_HOME") or Path.home() / ".cache") / "sheets-sync"

    @property
    def debug(self) -> bool:
        return bool(self.get("SHEETS_SYNC_DEBUG"))

    def sheet_from_file(self) -> str | None:
        """`sheet = "…"` in sheets-sync.toml in the working directory, if there is one."""
        path = self.cwd / CONFIG_FILE
        if not path.is_file():
            return None
        try:
            settings = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SheetsSyncError(ExitCode.USAGE, f"อ่าน {path} ไม่ได้: {exc}", f"cannot read {path}: {exc}") from exc
        sheet = settings.get("sheet")
        return sheet if isinstance(sheet, str) else None


def config() -> Config:
    return Config()


def variables_table() -> str:
    """README's table of environment variables, made from the declaration above."""
    lines = ["| environment variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{v.name}` | {v.default} | {v.meaning} |" for v in VARIABLES]
    return "\n".join(lines)
