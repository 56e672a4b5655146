"""What every command shares: the target option, bilingual messages, and turning errors into exit codes."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable, NoReturn

import click

from sheets_sync.domain.schema import ROUND_CHOICES

from sheets_sync.config import config
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode

if TYPE_CHECKING:  # loaded when a command runs, not for `--help`
    from sheets_sync.backends.target import Target
    from sheets_sync.workbook.operations import Backend


class _StderrHandler(logging.Handler):
    """What the core library says while it works (e.g. waiting out Google's quota) goes to stderr: the core
    never prints, the command line decides where its words go."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def _listen_to_the_core() -> None:
    core = logging.getLogger("sheets_sync")
    if not any(isinstance(h, _StderrHandler) for h in core.handlers):
        core.addHandler(_StderrHandler())
        core.setLevel(logging.INFO)
        core.propagate = False


_USAGE_TH = (  # Click's own messages, said in Thai first
    (r"No such option:? '?([^'\s.]+)", "ไม่มีตัวเลือก {0}"),
    (r"No such command '([^']+)'", "ไม่มีคำสั่ง {0}"),
    (r"Missing option '([^']+)'", "ขาดตัวเลือก {0} ซึ่งจำเป็น"),
    (r"Missing argument '([^']+)'", "ขาดอาร์กิวเมนต์ {0}"),
    (r"Invalid value for '([^']+)'", "ค่าของ {0} ไม่ถูกต้อง"),
    (r"Option '([^']+)' requires an argument", "ตัวเลือก {0} ต้องมีค่า"),
    (r"Got unexpected extra argument", "มีอาร์กิวเมนต์เกินมา"),
)


def usage_in_thai(message: str) -> str:
    import re

    for pattern, thai in _USAGE_TH:
        found = re.search(pattern, message)
        if found:
            return thai.format(*found.groups())
    return "พิมพ์คำสั่งหรือตัวเลือกไม่ถูกต้อง"


class Group(click.Group):
    """Turns the core's errors into a Thai and English message on stderr and the documented exit code."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        try:
            value = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except click.UsageError as exc:  # Click says it in English only: the Thai line comes first
            where = exc.ctx.command_path if exc.ctx is not None else "sheets-sync"  # the command typed, not a placeholder
            click.echo(f"ผิดพลาด: {usage_in_thai(exc.format_message())} (ดูวิธีใช้: {where} --help)", err=True)
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("ยกเลิก / Aborted!", err=True)
            sys.exit(1)
        sys.exit(value if isinstance(value, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        _listen_to_the_core()
        try:
            return super().invoke(ctx)
        except SheetsSyncError as exc:
            fail(exc.th, exc.en, exc.code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `validate | head`: the reader has all it wanted; end quietly, as standard tools do
            _quiet_stdout()
            sys.exit(int(ExitCode.OK))
        except Exception as exc:  # noqa: BLE001 - the last line of defence for a scheduled run
            from sheets_sync.outputs import no_room

            said = no_room(exc, exc.filename or "ไฟล์ / a file") if isinstance(exc, OSError) else None
            if said is not None:  # a full disk or a file-size limit anywhere (the workbook's save too), in words
                fail(said.th, said.en, said.code)
            if config().debug:
                raise
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            fail("ผิดพลาดที่ไม่คาดคิด (ตั้ง SHEETS_SYNC_DEBUG=1 เพื่อดูรายละเอียด)",
                 f"unexpected error (set SHEETS_SYNC_DEBUG=1 for the traceback): {detail}", ExitCode.FAILED)


def progress_on_stderr(quiet: bool = False) -> Callable[[int, int, str], None]:
    """`[n/N] what` on stderr for work that takes more than a second: only for a person at a terminal, never
    under --quiet or in a scheduled run's log."""
    shown = not quiet and sys.stderr.isatty()

    def show(done: int, total: int, name: str) -> None:
        if shown:
            click.echo(f"[{done}/{total}] {name}", err=True)

    return show


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so Python's own flush at exit does not hit the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def fail(th: str, en: str, code: ExitCode) -> NoReturn:
    click.echo(f"ผิดพลาด: {th}\nError: {en}", err=True)
    sys.exit(int(code))


def say(th: str, en: str, quiet: bool = False) -> None:
    """A line for the coordinator: Thai first, English alongside."""
    if not quiet:
        click.echo(f"{th}  ({en})")


sheet_option = click.option(
    "--sheet",
    "sheet",
    metavar="PATH|URL|KEY",
    help="สมุดงาน: ไฟล์ .xlsx, URL ของ Google Sheets หรือรหัส / the workbook: an .xlsx path, a Google Sheets "
    "URL or key. Default: $SHEETS_SYNC_SHEET, then `sheet` in sheets-sync.toml, then workbook.xlsx.",
)


@dataclass
class Session:
    """What the options before the command say, for every command: the typed context object (ctx.obj)."""

    credentials: str | None = None
    verbose: bool = False
    sheet: str | None = None  # `sheets-sync --sheet X build`: the global option, below the command's own


def session() -> Session:
    ctx = click.get_current_context(silent=True)
    return (ctx.find_object(Session) if ctx is not None else None) or Session()


def backend_for(sheet: str | None) -> tuple[Target, Backend]:
    from sheets_sync.backends.target import open_backend, resolve_target

    ctx = click.get_current_context()
    target = resolve_target(sheet or session().sheet)
    backend = open_backend(target, session().credentials)
    if session().verbose:
        ctx.call_on_close(lambda: report_requests(backend))
    return target, backend


LOCK_WAIT = 30.0  # seconds a writing command waits for another one on the same workbook


def writing(target: Target, wait: float | None = None) -> Any:
    """Every command that writes a workbook holds its lock for the whole read-plan-write (README: one build at
    a time): a fix beside a build waits instead of writing over it."""
    from sheets_sync.backends.locking import workbook_lock

    return workbook_lock(target, wait if wait is not None else config().number("SHEETS_SYNC_LOCK_WAIT", LOCK_WAIT))


def report_requests(backend: Backend) -> None:
    reads, writes, detail = backend.request_counts()
    click.echo(f"คำขอ Google: อ่าน {reads} เขียน {writes}  (Google requests: {reads} reads, {writes} writes: {detail})",
               err=True)


class ThaiDate(click.ParamType):
    """A date option that takes every form staff type: 1/10/2569, 1 ต.ค. 2569, 2026-10-01 …"""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from sheets_sync.domain.thai import ParseError, parse_date

        try:
            return parse_date(value)
        except ParseError:
            self.fail(f"อ่านวันที่ {value!r} ไม่ได้ / cannot read {value!r} as a date (e.g. 1/10/2569)", param, ctx)


def be(day: dt.date | None) -> str:
    from sheets_sync.domain.thai import format_date_be

    return format_date_be(day) if day else "-"



today_option = click.option(
    "--today", type=ThaiDate(), default=None, callback=lambda ctx, param, value: value or config().today,
    help="ถือว่าวันนี้คือวันที่ / take this day as today, e.g. 20/7/2570 (for reports and tests).")

round_option = click.option(
    "--round", "round_", type=click.Choice(ROUND_CHOICES), default=None,
    help="รอบ 6, 9 หรือ 12 เดือน / only this round (default: rounds with results and rounds already ended).")


ALERT_CODES = (ExitCode.FAILED, ExitCode.NOT_FOUND, ExitCode.LAYOUT, ExitCode.NETWORK, ExitCode.AUTH)
"""The exit codes that need a person: a scheduled run alerts on these, and on nothing else."""


class RunRecord:
    """The one-line JSON record of a run, written at the end whether the run succeeded or failed; and, when the
    run ended with a code that needs a person, an alert e-mail with the record attached."""

    def __init__(self, command: str, destination: str | None, alert_to: tuple[str, ...] = ()) -> None:
        self.destination = destination
        self.alert_to = alert_to
        self.fields: dict[str, Any] = {"command": command}
        self.started = config().now()

    def __enter__(self) -> "RunRecord":
        return self

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> None:
        code: int = int(ExitCode.OK)
        error_th = ""
        if isinstance(exc, SheetsSyncError):
            code = int(exc.code)
            self.fields["error"], error_th = exc.en, exc.th
        elif isinstance(exc, SystemExit):
            code = int(exc.code or 0)
        elif exc is not None:
            code = int(ExitCode.FAILED)
            self.fields["error"] = f"{type(exc).__name__}: {exc}"
        finished = config().now()
        record = {
            "time": self.started.isoformat(timespec="seconds"),
            **self.fields,
            "exit_code": code,
            "exit_name": ExitCode(code).name if code in {int(c) for c in ExitCode} else str(code),
            "seconds": round((finished - self.started).total_seconds(), 3),
        }
        if self.destination is not None:
            line = json.dumps(record, ensure_ascii=False, default=str)
            if self.destination == "-":
                click.echo(line)
            else:
                with open(self.destination, "a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
        if code in ALERT_CODES:
            _alert(self.alert_to, record, error_th)


def _alert(alert_to: tuple[str, ...], record: dict[str, Any], error_th: str) -> None:
    """Tell a person a scheduled run failed; the mail server comes from the environment, since the sheet may be
    what could not be read.  A failure to alert is said on stderr and never changes the run's exit code."""
    from sheets_sync.mail.messages import alert_message
    from sheets_sync.mail.smtp import Mailer, smtp_settings

    recipients = [a.strip() for a in (alert_to or tuple((config().text("SHEETS_SYNC_ALERT_TO") or "").split(",")))
                  if a.strip()]
    if not recipients:
        return
    try:
        settings = smtp_settings()
        with Mailer(settings) as mailer:
            failed = [d for d in (mailer.send(alert_message(record, error_th, settings.sender, to)) for to in recipients)
                      if not d.sent]
    except SheetsSyncError as exc:
        click.echo(f"ส่งอีเมลแจ้งเตือนไม่ได้: {exc.th}\nalert not sent: {exc.en}", err=True)
        return
    for delivery in failed:
        click.echo(f"ส่งอีเมลแจ้งเตือนถึง {delivery.address} ไม่ได้ / alert not delivered to {delivery.address}: "
                   f"{delivery.detail}", err=True)


alert_option = click.option(
    "--alert-to", "alert_to", multiple=True, metavar="EMAIL",
    help="แจ้งอีเมลนี้เมื่อจบด้วยรหัสที่ต้องมีคนดูแล (1, 5, 8, 9, 10) / e-mail this address when the run ends with a "
    "code that needs a person (1, 5, 8, 9, 10); default $SHEETS_SYNC_ALERT_TO.")


log_json_option = click.option(
    "--log-json", "log_json", metavar="FILE|-", default=None,
    help="เขียนบันทึกการทำงาน 1 บรรทัดแบบ JSON / append a one-line JSON run record to FILE (or stdout with -).")


def create_options(command: Any) -> Any:
    """--folder and --share-with, for the commands that create a Google Sheet (init --create, copy --create)."""
    command = click.option(
        "--share-with", "share_with", multiple=True, metavar="EMAIL",
        help="แชร์ไฟล์ที่สร้างให้อีเมลนี้เป็นผู้แก้ไข (ใส่ได้หลายครั้ง) / share the new sheet with this person as "
             "editor (repeatable).")(command)
    return click.option(
        "--folder", metavar="FOLDER_ID",
        help="สร้างในโฟลเดอร์ของไดรฟ์ที่แชร์ (จำเป็นสำหรับบัญชีบริการ) / create the new sheet in this shared-drive "
             "folder (what a service account needs: it cannot own files).")(command)


def say_new_sheet(backend: Any, folder: str | None, share_with: tuple[str, ...]) -> None:
    from sheets_sync.backends.target import new_sheet_notes

    for th, en in new_sheet_notes(backend, folder, share_with):
        say(th, en)
