from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheets_sync.domain.schema import ROUND_CHOICES

from sheets_sync.domain.thai import format_date_be
from sheets_sync.exit_codes import ExitCode
from sheets_sync.outputs import file_in, safe_file_name, unique_name, write_output
from sheets_sync.tasks.remind import EMAIL, PRINT, RemindOptions, run_remind

from .common import RunRecord, alert_option, backend_for, log_json_option, sheet_option, today_option, writing
from .common import say as shout
from .render import render_notes


@click.command("remind")
@sheet_option
@click.option("--round", "round_", type=click.Choice(ROUND_CHOICES), default=None,
              help="รอบ (ค่าเริ่มต้น: รอบที่ใกล้ถึงกำหนดส่ง) / the round (default: the one whose deadline comes next).")
@today_option
@click.option("--dry-run", is_flag=True, help="แสดงสิ่งที่จะส่งโดยไม่ส่งและไม่เขียน / show what would be sent; send and write nothing.")
@click.option("--channel", type=click.Choice([EMAIL, PRINT]), default=EMAIL, show_default=True,
              help="ส่งอีเมล หรือพิมพ์ข้อความไว้วางในกลุ่มแชต / e-mail, or print a text block per person for chat groups.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="กับ --channel print: เขียนไฟล์ละคน / with --channel print: one file per person in this folder.")
@click.option("--smtp", default=None, metavar="HOST:PORT", help="เซิร์ฟเวอร์อีเมล / the mail server (default: settings).")
@click.option("--on-schedule", is_flag=True,
              help="ส่งเฉพาะวันที่ตั้งไว้ (remind_days_before/after) / send only on the days the settings name (for a daily timer).")
@click.option("--quiet", "-q", is_flag=True, help="ไม่พิมพ์อะไรเมื่อสำเร็จ / print nothing on success (for a timer).")
@log_json_option
@alert_option
def remind_command(sheet: str | None, round_: str | None, today: dt.date, dry_run: bool, channel: str,
                   out_dir: Path | None, smtp: str | None, on_schedule: bool, quiet: bool, log_json: str | None,
                   alert_to: tuple[str, ...]) -> None:
    """แจ้งเตือนสิ่งที่แต่ละคนต้องทำ / Tell each person what is theirs to do in a round, one e-mail each.

    Owners and collectors get their KPIs whose result is missing and rows sent back for more data;
    supervisors the rows waiting for their certification; the coordinators (coordinator_emails) a digest of
    the round. Thai first, English below, with a link to the row on Google. Every e-mail tried is logged in
    การแจ้งเตือน, and a second run on the same day sends nothing again. SMTP: the settings smtp_host,
    smtp_port, smtp_from, smtp_security; the login from SHEETS_SYNC_SMTP_USER / SHEETS_SYNC_SMTP_PASSWORD.
    Exit 4 when some addresses failed, 10 when the login is refused, 9 when the server cannot be reached.

    \b
    Example:
      sheets-sync remind --dry-run
      sheets-sync remind --round 9
      sheets-sync remind --on-schedule --quiet          # from a daily timer
      sheets-sync remind --channel print --out reminders/
    """
    with RunRecord("remind", log_json, alert_to) as record:
        target, backend = backend_for(sheet)
        options = RemindOptions(today, int(round_) if round_ else None, channel, dry_run, on_schedule, smtp)
        with writing(target):
            report = run_remind(backend, options)
        record.fields.update({"round": report.round, "sent": sum(d.sent for d in report.deliveries),
                              "failed": len(report.failed), "already_sent": len(report.already_sent)})
        def say(th: str, en: str) -> None:  # what went as planned: not under --quiet
            shout(th, en, quiet)

        def warn(th: str, en: str) -> None:  # whoever was not reached: always said
            shout(th, en, False)

        render_notes(report.notes)
        if report.not_a_reminder_day:
            say(f"วันนี้ไม่ใช่วันแจ้งเตือนของรอบ {report.round} (กำหนดส่ง {format_date_be(report.due)})",
                f"today is not a reminder day for round {report.round} (due {report.due})")
            return
        taken: set[str] = set()
        for reminder, text in report.texts:
            if out_dir is not None:  # named from a cell: cleaned, inside out_dir, never one file over another
                name = unique_name(safe_file_name(reminder.person_id or reminder.email or reminder.name), taken)
                write_output(file_in(out_dir, f"{name}.txt"), text, backend.file_mode())
            else:
                click.echo(f"===== {reminder.name} <{reminder.email or '-'}> =====\n{text}")
        if out_dir is not None and report.texts:
            say(f"เขียนข้อความ {len(report.texts)} ไฟล์ใน {out_dir}", f"wrote {len(report.texts)} files in {out_dir}")
        for reminder in report.no_address:
            warn(f"ส่งถึง {reminder.person_id} {reminder.name} ไม่ได้: ไม่มีอีเมลที่ใช้ได้ในแท็บบุคลากร",
                f"cannot reach {reminder.person_id} {reminder.name}: no usable e-mail in the people tab")
        if report.already_sent:
            say(f"ส่งไปแล้ววันนี้ {len(report.already_sent)} คน ไม่ส่งซ้ำ", f"{len(report.already_sent)} already sent today; not again")
        for reminder in report.unsure:
            warn(f"ไม่ส่งซ้ำถึง {reminder.person_id} {reminder.name} <{reminder.email}>: การสั่งครั้งก่อนหยุดระหว่างส่ง "
                "อาจได้รับแล้วหรือยังไม่ได้รับ โปรดสอบถามผู้รับ",
                f"not sent again to {reminder.person_id} {reminder.name} <{reminder.email}>: an earlier run stopped "
                "while sending it, so it may or may not have arrived; ask them")
        for delivery in report.failed:
            warn(f"ส่งถึง {delivery.address} ไม่สำเร็จ: {delivery.detail}", f"not delivered to {delivery.address}: {delivery.detail}")
        sent = [d for d in report.deliveries if d.sent]
        if report.deliveries:
            say(f"ส่งอีเมลรอบ {report.round} แล้ว {len(sent)} ฉบับ ผ่าน {report.server}",
                f"sent {len(sent)} reminders for round {report.round} through {report.server}")
        elif channel == EMAIL and not dry_run and not report.texts:
            say("ไม่มีใครต้องได้รับการแจ้งเตือน", "nobody needs a reminder")
        if report.exit_code is not ExitCode.OK:  # someone not reached: a person looks
            raise SystemExit(int(report.exit_code))
