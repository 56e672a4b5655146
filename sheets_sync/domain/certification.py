"""Step 9, the certification chain: the rules a result row's certification must keep, who may certify, what a
seal freezes, and what a change after the seal is.

The chain (DOMAIN.md): the collector reports a result → the KPI's supervisor certifies it (ผู้กำกับรับรอง) or sends
it back with a comment (ขอข้อมูลเพิ่ม) → a coordinator of the certifying unit certifies it (รับรองแล้ว) → when every
KPI of the round is certified, a coordinator seals the round (`certify --seal`) and its official result is
fixed.  The seal tab keeps every seal and unseal with who, when and why.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sheets_sync.domain.words import Words
from sheets_sync.domain.calendar import round_end
from sheets_sync.domain.cell import a1
from sheets_sync.domain.model import Kpi, Office, RoundResult
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.round_scores import RoundSummary, leaves_of
from sheets_sync.domain.rules import index_results
from sheets_sync.domain.schema import (
    CERTIFICATION,
    KPIS,
    RESULTS,
    ROUND_NUMBERS,
    SEALS,
)
from sheets_sync.domain.scoring import display
from sheets_sync.domain.seals import SEAL, TOTAL_KEY, Seal, SealEntry, SealFault, canonical
from sheets_sync.domain.thai import format_date_be

PENDING, SUPERVISOR_CERTIFIED, CERTIFIED, MORE_DATA = (c.key for c in CERTIFICATION)
STATE_TH = {c.key: c.th for c in CERTIFICATION}
APPROVED = (SUPERVISOR_CERTIFIED, CERTIFIED)
_EMAIL = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")


def email_list(value: object) -> tuple[str, ...]:
    """E-mails typed into one cell, separated by commas, semicolons, spaces or new lines; lower-cased."""
    return tuple(part.lower() for part in re.split(r"[\s,;]+", str(value or "")) if part)


def is_email(text: str) -> bool:
    return _EMAIL.fullmatch(text.strip()) is not None


def coordinators(office: Office) -> set[str]:
    """The person ids of the certifying unit: the role ผู้ประสานงานคำรับรอง, or an e-mail in coordinator_emails."""
    emails = set(office.settings.coordinator_emails)
    return {p.person_id for p in office.people if p.has_role("coordinator") or p.email.lower() in emails}


def due_date(office: Office, round_: int) -> dt.date:
    """The round's report deadline: the setting, else the round's last day."""
    return office.settings.due.get(round_) or round_end(office.settings.fiscal_year, round_)


def is_coordinator(office: Office, who: str) -> bool:
    """`who` (a person id, or an e-mail: a Google account or a typed one) is of the certifying unit."""
    wanted = who.strip().lower()
    if not wanted:
        return False
    if wanted in {e.lower() for e in office.settings.coordinator_emails}:
        return True
    ids = coordinators(office)
    return any(wanted in (p.person_id.lower(), p.email.lower()) for p in office.people if p.person_id in ids)


def state_th(state: str) -> str:
    return STATE_TH.get(state, "ยังไม่ระบุ")


# --- the rules validate reports -------------------------------------------------------------------------------


class _Cells:
    """A1 references into the office's tabs by column key."""

    def __init__(self, office: Office) -> None:
        self.office = office

    def at(self, tab_key: str, row: int, column: str) -> tuple[str, str]:
        return self.office.title(tab_key), self.office.cell(tab_key, row, column)


def _problem(cells: _Cells, code: str, tab_key: str, row: int, column: str, key: str, th: str, en: str,
             severity: Severity = Severity.ERROR) -> Problem:
    return cells.office.problem(severity, code, tab_key, row, column, key, th, en)


def _row_rules(office: Office, entry: RoundResult, kpi: Kpi, sealed: dict[int, Seal], allowed: set[str],
               today: dt.date, cells: _Cells, counted_rounds: set[int]) -> list[Problem]:
    key = f"{entry.kpi_id}/{entry.round}"
    found: list[Problem] = []
    if entry.certification == MORE_DATA and not entry.reviewer_comment:
        found.append(_problem(cells, "certification.comment_missing", RESULTS.key, entry.row, "reviewer_comment", key,
                              "ขอข้อมูลเพิ่มต้องมีความเห็นผู้ตรวจ บอกผู้รายงานว่าต้องส่งอะไรเพิ่ม",
                              "ขอข้อมูลเพิ่ม (more data) needs a reviewer comment saying what to send"))
    if entry.certification in APPROVED and not (entry.has_result or entry.committee_score is not None):
        found.append(_problem(cells, "certification.without_result", RESULTS.key, entry.row, "certification", key,
                              f"{state_th(entry.certification)} ได้เมื่อมีผลการดำเนินงาน (หรือคะแนนคณะกรรมการ) แล้วเท่านั้น",
                              f"{entry.certification} only after the row has a result (or a committee score)"))
    if entry.certified_by:
        person = office.person(entry.certified_by)
        if person is None or (entry.certified_by != kpi.supervisor and entry.certified_by not in allowed):
            who = "ไม่มีรหัสนี้ในแท็บบุคลากร" if person is None else f"ไม่ใช่ผู้กำกับดูแลตัวชี้วัด ({kpi.supervisor or '-'})" \
                                                                     " และไม่ใช่ผู้ประสานงาน"
            found.append(_problem(cells, "certification.certifier", RESULTS.key, entry.row, "certified_by", key,
                                  f"ผู้รับรอง {entry.certified_by}: {who}",
                                  f"certified by {entry.certified_by}: "
                                  + ("not in the people tab" if person is None else
                                     f"neither the KPI's supervisor ({kpi.supervisor or '-'}) nor a coordinator")))
    if entry.certified_on is not None and entry.certified_on > today:
        found.append(_problem(cells, "certification.date_future", RESULTS.key, entry.row, "certified_on", key,
                              f"วันที่รับรอง {format_date_be(entry.certified_on)} ยังมาไม่ถึง",
                              f"the certification date {entry.certified_on} is after today ({today})"))
    earlier = [r for r in ROUND_NUMBERS if r < entry.round and r in counted_rounds]
    if office.settings.certify_in_order and entry.certification in APPROVED and earlier and earlier[-1] not in sealed:
        found.append(_problem(cells, "certification.round_order", RESULTS.key, entry.row, "certification", key,
                              f"รอบ {earlier[-1]} ยังไม่ผนึก จึงยังรับรองรอบ {entry.round} ไม่ได้ "
                              "(ตั้งค่า certify_in_order เป็น ไม่ใช่ ถ้าเขตอนุญาต)",
                              f"round {earlier[-1]} is not sealed yet, so round {entry.round} cannot be certified "
                              "(set certify_in_order to no if the office allows it)"))
    return found


def _changed(office: Office, seal: Seal, by_key: dict[tuple[str, int], RoundResult], cells: _Cells) -> list[Problem]:
    found: list[Problem] = []
    kpis = {k.kpi_id: k for k in office.kpis}
    for sealed in seal.rows:
        key = f"{sealed.kpi_id}/{seal.round}"
        entry = by_key.get((sealed.kpi_id, seal.round))
        if entry is None:
            title, _ = cells.at(RESULTS.key, 1, "kpi_id")
            found.append(Problem(Severity.ERROR, "certification.changed_after_seal", title, f"{title}!A1", key,
                                 f"แถวผลของ {key} ที่ผนึกแล้วหายไป (ผนึกเมื่อ {seal.at} โดย {seal.by})",
                                 f"the sealed result row {key} is gone (sealed {seal.at} by {seal.by})"))
            continue
        pairs = (("result", sealed.result, entry.result), ("committee_score", sealed.committee_score, entry.committee_score),
                 ("evidence", sealed.evidence, entry.evidence))
        for column, before, now in pairs:
            if canonical(before) != canonical(now):
                found.append(_problem(cells, "certification.changed_after_seal", RESULTS.key, entry.row, column, key,
                                      f"รอบ {seal.round} ผนึกแล้ว: {RESULTS.column(column).th} ที่ผนึกไว้คือ "
                                      f"{canonical(before) or '(ว่าง)'} แต่ตอนนี้เป็น {canonical(now) or '(ว่าง)'} "
                                      "โปรดคืนค่าเดิม หรือให้ผู้ประสานงานยกเลิกผนึกพร้อมเหตุผล",
                                      f"round {seal.round} is sealed: {column} was sealed as {canonical(before) or '(blank)'} "
                                      f"and is now {canonical(now) or '(blank)'}; put it back, or have a coordinator "
                                      "unseal the round with a reason"))
        if entry.certification != CERTIFIED:
            found.append(_problem(cells, "certification.changed_after_seal", RESULTS.key, entry.row, "certification", key,
                                  f"รอบ {seal.round} ผนึกแล้ว แต่สถานะการรับรองเปลี่ยนเป็น {state_th(entry.certification)}",
                                  f"round {seal.round} is sealed, but the certification is now "
                                  f"{entry.certification or 'blank'}"))
        kpi = kpis.get(sealed.kpi_id)
        if kpi is not None and canonical(kpi.weight) != canonical(sealed.weight):
            found.append(_problem(cells, "certification.changed_after_seal", KPIS.key, kpi.row, "weight", key,
                                  f"รอบ {seal.round} ผนึกแล้วด้วยน้ำหนัก {canonical(sealed.weight)} แต่ตอนนี้เป็น "
                                  f"{canonical(kpi.weight) or '(ว่าง)'} ผลอย่างเป็นทางการของรอบไม่เปลี่ยนตาม",
                                  f"round {seal.round} was sealed with weight {canonical(sealed.weight)}, now "
                                  f"{canonical(kpi.weight) or '(blank)'}; the round's official result does not follow"))
    return found


def certification_problems(office: Office, today: dt.date) -> list[Problem]:
    """Every broken rule of the chain, each at its cell; the seal tab's own rows are checked against their hash."""
    cells = _Cells(office)
    index = index_results(office)
    sealed = office.seals.current()
    allowed = coordinators(office)
    kpis = {k.kpi_id: k for k in office.kpis}
    leaves = leaves_of(office)
    counted_rounds = {r for r in ROUND_NUMBERS if any(k.counts_in(r) for k in leaves)}  # once, not once per row
    found: list[Problem] = []
    for (kpi_id, _), entry in index.by_key.items():
        kpi = kpis.get(kpi_id)
        if kpi is not None:
            found += _row_rules(office, entry, kpi, sealed, allowed, today, cells, counted_rounds)
    for seal in sealed.values():
        found += _changed(office, seal, index.by_key, cells)
    title = office.seals.title or SEALS.th
    for fault in office.seals.faults:
        found.append(seal_fault_problem(fault, title))
    return found


def seal_fault_problem(fault: SealFault, title: str) -> Problem:
    key = f"{fault.kpi_id}/{fault.round}" if fault.round else title
    return Problem(Severity.ERROR, "certification.seal_tampered", title, a1(title, fault.row, 1), key,
                   f"{fault.th} รอบที่ผนึกไว้ก่อนแถวนี้จึงแสดงเป็นผลเบื้องต้น (ยังไม่เป็นทางการ) โปรดกู้แท็บผนึกรอบจากสำเนา "
                   "(restore) หรือผนึกรอบนั้นอีกครั้ง",
                   f"{fault.en}; the rounds sealed before this row are shown as provisional (not official): restore "
                   "the seal tab from a snapshot, or seal those rounds again")


def sealer_problems(office: Office, by: str) -> list[Problem]:
    """Only a coordinator seals or unseals: the one named by `--by` or the credentials' account."""
    if is_coordinator(office, by):
        return []
    title = office.title(SEALS.key)
    who = by or "(ไม่ระบุ)"
    return [Problem(Severity.ERROR, "certification.sealer", title or SEALS.th, f"{title or SEALS.th}!A1", who,
                    f"{who} ไม่ใช่ผู้ประสานงานคำรับรอง ผนึกหรือยกเลิกผนึกได้เฉพาะผู้ประสานงาน: ระบุ --by รหัสหรืออีเมลของผู้ประสานงาน "
                    "(บทบาท ผู้ประสานงานคำรับรอง ในแท็บบุคลากร หรืออีเมลใน coordinator_emails)",
                    f"{who} is not a coordinator; only a coordinator seals or unseals: give --by with a "
                    "coordinator's person id or e-mail (the role ผู้ประสานงานคำรับรอง in the people tab, or an "
                    "address in coordinator_emails)")]


def early_problems(office: Office, round_: int, today: dt.date, early: bool) -> list[Problem]:
    """A round sealed before its report deadline is sealed on purpose only (`--early`)."""
    due = due_date(office, round_)
    if early or today > due:
        return []
    title = office.title(RESULTS.key)
    return [Problem(Severity.ERROR, "certification.early", title or RESULTS.th, f"{title or RESULTS.th}!A1",
                    str(round_),
                    f"รอบ {round_} ยังไม่ถึงกำหนดส่ง ({format_date_be(due)}) ผลอาจยังมาไม่ครบ ถ้าตั้งใจผนึกก่อนกำหนด ให้เพิ่ม --early",
                    f"round {round_} is not due yet ({due.isoformat()}); results may still arrive. To seal it "
                    "before its deadline on purpose, add --early")]


# --- sealing ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealPlan:
    round: int
    entries: list[SealEntry]  # the KPI rows and the total row, to be signed in the chain by the one who writes them
    blockers: list[Problem]  # rows that keep the round from being sealed; the seal is refused while any remain


def plan_seal(office: Office, summary: RoundSummary, by: str, at: str) -> SealPlan:
    """The round's seal when every counted KPI is certified and scorable; otherwise the rows in the way."""
    cells = _Cells(office)
    by_key = index_results(office).by_key
    entries: list[SealEntry] = []
    blockers: list[Problem] = []
    for row in summary.rows:
        if row.is_parent:
            continue
        entry = by_key.get((row.kpi.kpi_id, summary.round))
        key = f"{row.kpi.kpi_id}/{summary.round}"
        if entry is None or entry.certification != CERTIFIED:
            state = state_th(entry.certification) if entry is not None else "ยังไม่มีแถวผล"
            problem_row, column = (entry.row, "certification") if entry is not None else (1, "kpi_id")
            blockers.append(_problem(cells, "certification.not_certified", RESULTS.key, problem_row, column, key,
                                     f"ตัวชี้วัด {row.kpi.kpi_id} รอบ {summary.round}: {state} (ต้องเป็น รับรองแล้ว)",
                                     f"KPI {row.kpi.kpi_id}, round {summary.round}: "
                                     f"{entry.certification or 'not certified' if entry is not None else 'no result row'}"
                                     " (must be รับรองแล้ว)"))
            continue
        if not row.counted:
            reason = row.problem or ("ยังไม่มีผล", "no result")
            blockers.append(_problem(cells, "certification.not_certified", RESULTS.key, entry.row, "result", key,
                                     f"ตัวชี้วัด {row.kpi.kpi_id} รอบ {summary.round}: {reason[0]}",
                                     f"KPI {row.kpi.kpi_id}, round {summary.round}: {reason[1]}"))
            continue
        result = entry.result.strip() if isinstance(entry.result, str) else entry.result
        entries.append(SealEntry(SEAL, summary.round, row.kpi.kpi_id, row.kpi.name, result, display(row.score),
                                 display(row.committee_score), display(row.score_used), row.weight, entry.evidence,
                                 by, at))
    if summary.office_result is None and not blockers:
        blockers.append(_problem(cells, "certification.not_certified", RESULTS.key, 1, "round", str(summary.round),
                                 f"รอบ {summary.round} ยังไม่มีผลที่นับได้", f"round {summary.round} has no countable result"))
    if not blockers:
        entries.append(SealEntry(SEAL, summary.round, TOTAL_KEY, f"ผลอย่างเป็นทางการ รอบ {summary.round} เดือน",
                                 None, None, None, display(summary.office_result), summary.total_weight, "", by,
                                 at))
    return SealPlan(summary.round, entries if not blockers else [], blockers)


def changes_since_seal(office: Office, seal: Seal) -> list[Problem]:
    """Every sealed value that differs in the workbook now, each at its cell; none: sealing again is nothing to do."""
    return _changed(office, seal, index_results(office).by_key, _Cells(office))


# --- how a round's figure is named wherever it is shown ------------------------------------------------------

NOT_CERTIFIED_TH, NOT_CERTIFIED_EN = "ยังไม่ผ่านการรับรอง", "not certified yet"


def official_wording(summary: RoundSummary) -> Words:
    """What to say beside a round's result: the official (sealed) figure, and the provisional one where it
    differs; or that the round is not certified yet."""
    if summary.seal is None and summary.seal_fault is not None:
        return Words(f"{NOT_CERTIFIED_TH} (ผลเบื้องต้น: การผนึกของรอบนี้ตรวจไม่ผ่าน {summary.seal_fault.th})",
                f"{NOT_CERTIFIED_EN} (provisional: this round's seal does not check: {summary.seal_fault.en})")
    if summary.seal is None:
        return Words(NOT_CERTIFIED_TH, NOT_CERTIFIED_EN)
    official = display(summary.official_result)
    th = f"ผลอย่างเป็นทางการ (ผนึกแล้ว {summary.seal.at}) {official}"
    en = f"official result (sealed {summary.seal.at}) {official}"
    if summary.provisional_differs:
        th += f" · ผลจากข้อมูลปัจจุบัน {display(summary.office_result)} (ยังไม่ผ่านการรับรอง)"
        en += f" · from the current entries {display(summary.office_result)} (not certified)"
    return Words(th, en)
