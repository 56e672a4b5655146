"""`remind`: tell each person what is theirs to do in a round — one e-mail each, never twice on a day.

One read; the e-mails through one SMTP session; then one write appending what was tried to `การแจ้งเตือน`.
That log, and the journal on this computer (tasks/remind_journal.py) for a run that died before writing it,
keep a second run on the same day from sending again.  `--channel print` and `--dry-run` only compose, and
write nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from sheets_sync.domain.words import Words
from sheets_sync.exit_codes import ExitCode
from sheets_sync.config import config
from sheets_sync.domain.certification import due_date
from sheets_sync.domain.reminders import (
    Item,
    Reminder,
    deliverable,
    next_round,
    reminder_day,
    reminders_for,
)
from sheets_sync.domain.schema import REMINDERS, RESULTS, SEND_STATUS
from sheets_sync.domain.thai import ParseError, parse_date, parse_integer
from sheets_sync.errors import SheetsSyncError
from sheets_sync.mail.smtp import Delivery, Mailer, SmtpSettings, smtp_settings
from sheets_sync.tasks.remind_journal import FAILED, SENDING, SENT, Entry, Journal, journal_path
from sheets_sync.workbook.generated import column_formats, rewrite_generated_tab, rows_so_far
from sheets_sync.workbook.office import load_office
from sheets_sync.workbook.operations import Backend, Value, WorkbookData
from sheets_sync.workbook.tables import read_table

EMAIL, PRINT = "email", "print"
_STATUS_TH = {c.key: c.th for c in SEND_STATUS}
_KIND_TH = {c.key: c.th for c in REMINDERS.column("kind").choices}


@dataclass
class RemindOptions:
    today: dt.date
    round: int | None = None
    channel: str = EMAIL
    dry_run: bool = False
    on_schedule: bool = False
    smtp: str | None = None  # --smtp HOST:PORT
    now: dt.time = field(default_factory=lambda: config().now().time())  # the office's zone, not the computer's


@dataclass
class RemindReport:
    target: str
    round: int
    due: dt.date
    not_a_reminder_day: bool = False
    to_send: list[Reminder] = field(default_factory=list)
    already_sent: list[Reminder] = field(default_factory=list)  # sent earlier today
    unsure: list[Reminder] = field(default_factory=list)  # an earlier run died while sending these: not again
    journal: Path | None = None
    no_address: list[Reminder] = field(default_factory=list)  # nobody to send to: no usable e-mail
    texts: list[tuple[Reminder, str]] = field(default_factory=list)  # composed, for print and dry-run
    deliveries: list[Delivery] = field(default_factory=list)
    server: str = ""
    written: bool = False
    requests: int = 0
    notes: list[Words] = field(default_factory=list)
    dry_run: bool = False

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if not d.sent]

    @property
    def exit_code(self) -> ExitCode:
        """4 when someone was not reached (a refused delivery, a send an earlier run may or may not have made, a
        person with no usable address), so a person looks; 0 otherwise."""
        if self.failed or self.unsure or (self.no_address and not self.dry_run):
            return ExitCode.BUILT_WITH_PROBLEMS
        return ExitCode.OK


def _sent_today(data: WorkbookData, today: dt.date, any_status: bool = False) -> set[tuple[int, str, str]]:
    """(round, address, kind) of every e-mail the log says was sent today (or tried, with `any_status`)."""
    table = read_table(data, REMINDERS)
    kinds, statuses = REMINDERS.column("kind"), REMINDERS.column("status")
    sent = set()
    for record in table.records:
        try:
            day = parse_date(record.get("sent_on"))
            round_ = parse_integer(record.get("round"))
        except (ParseError, ValueError, TypeError):
            continue
        kind, status = kinds.choice_for(str(record.get("kind") or "")), statuses.choice_for(str(record.get("status") or ""))
        if day == today and status is not None and (any_status or status.key == "sent") and kind is not None:
            sent.add((round_, str(record.get("email") or "").strip().lower(), kind.key))
    return sent


def _linker(backend: Backend, data: WorkbookData) -> Callable[[Item], str | None]:
    table = read_table(data, RESULTS)
    title = table.title or RESULTS.th
    result_col = table.columns.get("result", 1)
    next_row = (data.tabs[title].last_row + 1) if title in data.tabs else 2

    def link(item: Item) -> str | None:
        # the row to look at, or for a result not typed yet the first empty row, where it goes
        return backend.link(title, item.row or next_row, result_col if item.row else 1)

    return link


def _log_rows(data: WorkbookData, sent: list[tuple[Reminder, Delivery]], options: RemindOptions) -> list[tuple[Value, ...]]:
    """The log so far with this run's rows (and what the journal knows that the log does not) appended."""
    rows = rows_so_far(data, REMINDERS)
    for reminder, delivery in sent:
        rows.append((options.today, f"{options.now:%H:%M}", reminder.round, reminder.person_id or None, reminder.name,
                     reminder.email, _KIND_TH[reminder.key], ", ".join(i.kpi_id for i in reminder.items) or None,
                     _STATUS_TH["sent" if delivery.sent else "failed"], delivery.detail or None))
    return rows


def run_remind(backend: Backend, options: RemindOptions,
               mailer: Callable[[SmtpSettings], Mailer] = Mailer) -> RemindReport:
    data = backend.read()
    office = load_office(data)
    round_ = options.round or next_round(office, options.today)
    report = RemindReport(backend.description, round_, due_date(office, round_), dry_run=options.dry_run)
    s = office.settings
    if options.on_schedule and not reminder_day(office, round_, options.today, s.remind_days_before,
                                                s.remind_days_after):
        report.not_a_reminder_day = True
        return report
    reminders, digest = reminders_for(office, round_)
    sent_today = _sent_today(data, options.today)
    journal = Journal(journal_path(backend.description), options.today)
    report.journal = journal.path
    known = journal.entries() if options.channel == EMAIL else {}
    logged = _sent_today(data, options.today, any_status=True)
    catch_up: list[tuple[Reminder, Delivery]] = []  # in the journal, not in the log: a log write that never landed
    link = _linker(backend, data)
    for reminder in reminders:
        key = (round_, reminder.email.lower(), reminder.key)
        earlier = known.get(key)
        if options.channel == EMAIL and not deliverable(reminder):
            report.no_address.append(reminder)
        elif options.channel == EMAIL and key in sent_today:
            report.already_sent.append(reminder)
        elif earlier is not None and earlier.state in (SENT, SENDING):
            (report.already_sent if earlier.state == SENT else report.unsure).append(reminder)
            if key not in logged:
                catch_up.append((reminder, Delivery(reminder.email, earlier.state == SENT, _UNSURE
                                                    if earlier.state == SENDING else _FROM_JOURNAL)))
        else:
            report.to_send.append(reminder)
    from sheets_sync.mail.messages import reminder_message, reminder_text  # Jinja2: loaded when there is mail to compose

    office_name = s.office_name or backend.description
    if options.channel == PRINT or options.dry_run:
        report.texts = [(r, reminder_text(r, office_name, digest, link)) for r in report.to_send]
        return report
    if not report.to_send and not catch_up:
        return report
    sent: list[tuple[Reminder, Delivery]] = []
    if report.to_send:
        settings = smtp_settings(options.smtp, s.smtp_host, s.smtp_port, s.smtp_from, s.smtp_security)
        report.server = settings.describe()
        with mailer(settings) as session:
            for reminder in report.to_send:
                entry = Entry(round_, reminder.email, reminder.key, SENDING, reminder.person_id, reminder.name)
                journal.record(entry)  # the intent, on disk before the e-mail leaves
                delivery = session.send(reminder_message(reminder, office_name, digest, link, settings.sender))
                journal.record(replace(entry, state=SENT if delivery.sent else FAILED, detail=delivery.detail))
                sent.append((reminder, delivery))
                report.deliveries.append(delivery)
    try:
        result = backend.apply(rewrite_generated_tab(REMINDERS, data.title_of(REMINDERS),
                                                     _log_rows(data, catch_up + sent, options),
                                                     column_formats(REMINDERS)))
    except SheetsSyncError as exc:
        n = sum(1 for _, d in sent if d.sent)
        raise SheetsSyncError(
            exc.code, f"{exc.th}\nส่งอีเมลไปแล้ว {n} ฉบับ แต่บันทึกลงแท็บ {REMINDERS.th} ไม่สำเร็จ รายการที่ส่งเก็บไว้ใน {journal.path} "
            "สั่งใหม่จะไม่ส่งซ้ำ และจะบันทึกรายการเหล่านี้ลงแท็บให้",
            f"{exc.en}\n{n} e-mails were sent but the log in {REMINDERS.th} could not be written; they are kept in "
            f"{journal.path}: running again sends none of them twice and writes them into the log") from None
    journal.forget_other_days()
    report.notes, report.written, report.requests = result.notes, True, backend.requests
    return report


_FROM_JOURNAL = "ส่งโดยการสั่งครั้งก่อนซึ่งบันทึกไม่สำเร็จ / sent by an earlier run whose log write did not land"
_UNSURE = ("การสั่งครั้งก่อนหยุดระหว่างส่ง อาจส่งถึงแล้วหรือยัง จึงไม่ส่งซ้ำ / an earlier run stopped while sending this; "
           "it may or may not have arrived, so it is not sent again")
