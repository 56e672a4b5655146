"""`certify`: where a round stands in the certification chain, sealing it, and unsealing it with a reason.

A seal is written in one atomic apply: the seal tab rewritten with the new rows appended (the history is never
dropped), and on Google a hard protection over the round's result rows and the seal tab that only the
coordinators (`coordinator_emails`) and the tool's own account may edit.  Sealing a round that is sealed with
the same values is nothing to do, so a scheduled run may repeat it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from sheets_sync.domain.words import Words
from sheets_sync.exit_codes import ExitCode
from sheets_sync.config import config
from sheets_sync.domain.cell import consecutive_runs
from sheets_sync.domain.certification import (
    changes_since_seal,
    early_problems,
    plan_seal,
    sealer_problems,
    state_th,
)
from sheets_sync.domain.model import Office
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.rights import always_editors, coordinator_emails
from sheets_sync.domain.round_scores import RoundSummary
from sheets_sync.domain.rules import index_results
from sheets_sync.domain.schema import RESULTS, SEALS
from sheets_sync.domain.seals import HEAD_MARK, UNSEAL, Seal, SealBook, SealEntry, head_text
from sheets_sync.domain.thai import format_date_be
from sheets_sync.workbook.generated import column_formats, rewrite_generated_tab
from sheets_sync.workbook.office import compile_office
from sheets_sync.seal_key import key_for_sealing
from sheets_sync.workbook.operations import Area, Backend, EditRights, Mark, Operation
from sheets_sync.workbook.seal_tab import seal_tab_rows

STATUS, SEAL_ACTION, UNSEAL_ACTION = "status", "seal", "unseal"


@dataclass
class CertifyOptions:
    round: int
    action: str = STATUS
    by: str = ""
    reason: str = ""
    today: dt.date = field(default_factory=lambda: config().today)
    now: dt.time = field(default_factory=lambda: config().now().time())  # the office's zone, not the computer's
    dry_run: bool = False
    early: bool = False  # seal before the round's deadline, on purpose


@dataclass
class CertifyReport:
    target: str
    round: int
    action: str
    summary: RoundSummary
    states: dict[str, list[str]]  # Thai state → the KPI ids in it, for the round's counted KPIs
    blockers: list[Problem] = field(default_factory=list)  # why the seal was refused
    seal: Seal | None = None  # the seal in force after the command
    nothing_to_do: bool = False
    cancelled: bool = False  # the coordinator answered no
    written: bool = False
    locked_rows: int = 0
    requests: int = 0
    notes: list[Words] = field(default_factory=list)
    key_made: Path | None = None  # the seal key file this command made (the first seal on this computer)

    @property
    def refused(self) -> bool:
        return bool(self.blockers)

    @property
    def exit_code(self) -> ExitCode:
        """3 when a seal or certification asked for was refused; a status that lists blockers is still a status."""
        return ExitCode.INVALID_DATA if self.blockers and self.action != STATUS else ExitCode.OK


def seal_scope(round_: int) -> str:
    return f"seal {round_}"


def _editors(office: Office, backend: Backend) -> tuple[str, ...]:
    return tuple(sorted(always_editors(office, backend.account)))  # the same people `protect` names


def _protect_seal(office: Office, seal_rows: list[SealEntry], round_: int, backend: Backend,
                  seal_title: str) -> tuple[EditRights, int]:
    by_key = index_results(office).by_key
    rows = [by_key[(e.kpi_id, round_)].row for e in seal_rows if (e.kpi_id, round_) in by_key and not e.is_total]
    title = office.title(RESULTS.key)
    editors = _editors(office, backend)
    label = f"รอบ {round_} ผนึกแล้ว แก้ได้เฉพาะผู้ประสานงาน / round {round_} is sealed: coordinators only"
    areas = tuple((Area(title, first, last), editors, label) for first, last in consecutive_runs(rows))
    return EditRights(seal_scope(round_), areas), len(rows)


def _seal_tab_rights(office: Office, backend: Backend, title: str) -> EditRights:
    label = "ประวัติการผนึก แก้ได้เฉพาะผู้ประสานงาน / the seal history: coordinators only"
    return EditRights("seal tab", ((Area(title), _editors(office, backend), label),))


def _states(office: Office, summary: RoundSummary) -> dict[str, list[str]]:
    by_key = index_results(office).by_key
    states: dict[str, list[str]] = {}
    for row in summary.rows:
        if row.is_parent:
            continue
        entry = by_key.get((row.kpi.kpi_id, summary.round))
        states.setdefault(state_th(entry.certification if entry else ""), []).append(row.kpi.kpi_id)
    return states


def run_certify(backend: Backend, options: CertifyOptions,
                confirm: Callable[[CertifyReport], bool] = lambda report: True) -> CertifyReport:
    """One read; for a seal or an unseal, `confirm` sees the planned report before the one write."""
    data = backend.read()
    compiled = compile_office(data, options.today, (options.round,))
    office, summary = compiled.office, compiled.rounds[0]
    current = office.seals.current().get(options.round)
    report = CertifyReport(backend.description, options.round, options.action, summary, _states(office, summary),
                           seal=current)
    if options.action == STATUS:  # what keeps the round from a seal, as information: nothing is refused yet
        blockers = [] if current else plan_seal(office, summary, options.by, "").blockers
        report.blockers = [replace(p, severity=Severity.INFO) for p in blockers]
        return report
    at = f"{format_date_be(options.today)} {options.now:%H:%M:%S}"
    book = SealBook(list(office.seals.entries), office.seals.title, faults=list(office.seals.faults), checked=True)
    title = office.seals.title or SEALS.th
    new_entries: list[SealEntry] = []
    report.blockers = sealer_problems(office, options.by)
    if options.action == SEAL_ACTION:
        if current is not None:
            report.blockers = changes_since_seal(office, current)
            report.nothing_to_do = not report.blockers
            return report
        report.blockers += early_problems(office, options.round, options.today, options.early)
        plan = plan_seal(office, summary, options.by, at)
        report.blockers += plan.blockers
        new_entries = plan.entries
    else:
        if current is None:
            report.blockers, report.nothing_to_do = [], True
            return report
        new_entries = [SealEntry(UNSEAL, options.round, by=options.by, at=at, reason=options.reason)]
    if report.blockers:
        return report
    book.entries += new_entries
    report.seal = book.current().get(options.round) if options.action == SEAL_ACTION else None
    if not coordinator_emails(office) and backend.url is not None:
        report.notes.append(Words("ยังไม่ได้ตั้งค่า coordinator_emails แถวที่ผนึกจึงแก้ได้เฉพาะเจ้าของไฟล์และบัญชีของเครื่องมือ",
                             "coordinator_emails is not set: only the sheet's owner and the tool's account can edit "
                             "the sealed rows"))
    if options.dry_run:
        return report
    if not confirm(report):
        report.cancelled = True
        return report
    key, report.key_made = key_for_sealing()  # made on the first seal on this computer, never for a dry run
    del book.entries[-len(new_entries):]
    previous = book.last_signature
    for entry in new_entries:  # each row signed over the one before it: the chain
        book.entries.append(entry.signed(key, previous))
        previous = book.entries[-1].sha256
    operations: list[Operation] = rewrite_generated_tab(SEALS, office.seals.title, seal_tab_rows(book),
                                                        column_formats(SEALS))
    operations.append(_seal_tab_rights(office, backend, title))
    if options.action == SEAL_ACTION:
        rights, report.locked_rows = _protect_seal(office, new_entries, options.round, backend, title)
        operations.append(rights)
    else:
        operations.append(EditRights(seal_scope(options.round)))  # the round's rows are open again
    operations.append(Mark(HEAD_MARK, head_text(key, len(book.entries), book.last_signature)))
    result = backend.apply(operations)
    report.notes += result.notes
    report.written = True
    report.requests = backend.requests
    return report

