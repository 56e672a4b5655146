"""What each person has to do in a round, and which days are reminder days.

One reminder per person, whatever their roles: as owner (or collector) the KPIs whose result is missing and the
rows sent back for more data; as supervisor the rows waiting for their certification and the rows they sent
back; the coordinators get a digest of the whole round.  Pure: the e-mails are composed in sheets_sync.mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sheets_sync.domain.certification import (
    MORE_DATA,
    PENDING,
    SUPERVISOR_CERTIFIED,
    coordinators,
    due_date,
    is_email,
)
from sheets_sync.domain.model import Kpi, Office, RoundResult
from sheets_sync.domain.round_scores import kpi_sort_key, leaves_of
from sheets_sync.domain.rules import index_results
from sheets_sync.domain.schema import ROUND_NUMBERS

MISSING, TO_CERTIFY, SENT_BACK, TO_CONFIRM = "missing", "to_certify", "sent_back", "to_confirm"
KIND_TH = {
    MISSING: ("ตัวชี้วัดที่ยังไม่รายงานผล", "results still missing"),
    SENT_BACK: ("ผลที่ถูกขอข้อมูลเพิ่ม", "results sent back for more data"),
    TO_CERTIFY: ("ผลที่รอท่านรับรอง (ผู้กำกับดูแล)", "results waiting for your certification as supervisor"),
    TO_CONFIRM: ("ผลที่ผู้กำกับรับรองแล้ว รอหน่วยรับรอง", "results the supervisor certified, waiting for the unit"),
}


def next_round(office: Office, today: dt.date) -> int:
    """The round whose deadline comes next; after the last deadline, the last round."""
    return next((r for r in ROUND_NUMBERS if due_date(office, r) >= today), ROUND_NUMBERS[-1])


def reminder_day(office: Office, round_: int, today: dt.date, before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    """Is today one of the days to remind for this round (days before, or days after, its deadline)?"""
    days = (due_date(office, round_) - today).days
    return days in before if days >= 0 else -days in after


@dataclass(frozen=True)
class Item:
    kind: str
    kpi_id: str
    name: str
    round: int
    due: dt.date
    row: int | None  # the results row, when there is one
    comment: str = ""


@dataclass
class Reminder:
    person_id: str
    name: str
    email: str
    round: int
    due: dt.date
    items: list[Item] = field(default_factory=list)
    digest: bool = False  # a coordinator's digest of the whole round

    def by_kind(self) -> list[tuple[str, list[Item]]]:
        return [(kind, [i for i in self.items if i.kind == kind]) for kind in KIND_TH
                if any(i.kind == kind for i in self.items)]

    @property
    def key(self) -> str:
        return "digest" if self.digest else "todo"


@dataclass
class Digest:
    """The round at a glance, for the coordinators."""

    round: int
    due: dt.date
    counted: int
    reported: int
    states: dict[str, int]
    missing_by_owner: list[tuple[str, str, list[str]]]  # (person id, name, KPI ids)


def _items_for(kpi: Kpi, entry: RoundResult | None, round_: int, due: dt.date) -> dict[str, Item]:
    """role → what that role must do about this KPI in the round."""
    row = entry.row if entry is not None else None
    reported = entry is not None and (entry.has_result or entry.committee_score is not None)
    state = entry.certification if entry is not None else ""
    found: dict[str, Item] = {}
    if state == MORE_DATA:  # sent back, with or without a result typed yet: the comment says what to send
        item = Item(SENT_BACK, kpi.kpi_id, kpi.name, round_, due, row, entry.reviewer_comment if entry else "")
        found["owner"] = found["supervisor"] = item
    elif not reported:
        found["owner"] = Item(MISSING, kpi.kpi_id, kpi.name, round_, due, row)
    elif state in (PENDING, ""):
        found["supervisor"] = Item(TO_CERTIFY, kpi.kpi_id, kpi.name, round_, due, row)
    elif state == SUPERVISOR_CERTIFIED:
        found["coordinator"] = Item(TO_CONFIRM, kpi.kpi_id, kpi.name, round_, due, row)
    return found


def reminders_for(office: Office, round_: int) -> tuple[list[Reminder], Digest]:
    """Everyone with something to do in the round, one reminder each, and the coordinators' digest."""
    due = due_date(office, round_)
    by_key = index_results(office).by_key
    people = {p.person_id: p for p in office.people}
    todo: dict[str, list[Item]] = {}
    unit: list[Item] = []
    counted = [k for k in sorted(leaves_of(office), key=lambda k: kpi_sort_key(k.kpi_id)) if k.counts_in(round_)]
    states: dict[str, int] = {}
    missing_by_owner: dict[str, list[str]] = {}
    for kpi in counted:
        entry = by_key.get((kpi.kpi_id, round_))
        reported = entry is not None and (entry.has_result or entry.committee_score is not None)
        if reported:
            states[entry.certification or PENDING] = states.get(entry.certification or PENDING, 0) + 1  # type: ignore[union-attr]
        else:
            missing_by_owner.setdefault(kpi.owner or "", []).append(kpi.kpi_id)
        for role, item in _items_for(kpi, entry, round_, due).items():
            if role == "coordinator":
                unit.append(item)
                continue
            ids = [kpi.owner, kpi.collector] if role == "owner" else [kpi.supervisor]
            for pid in ids:
                if pid and pid in people and item not in todo.setdefault(pid, []):
                    todo[pid].append(item)
    reminders = [Reminder(pid, people[pid].name, people[pid].email.strip(), round_, due, items)
                 for pid, items in todo.items() if items]
    digest = Digest(round_, due, len(counted), sum(states.values()), states,
                    [(pid, people[pid].name if pid in people else "(ไม่ระบุผู้รับผิดชอบ)", ids)
                     for pid, ids in missing_by_owner.items()])
    unit_people = [people[pid] for pid in coordinators(office)]
    known = {p.email.strip().lower() for p in unit_people}
    recipients = [(p.person_id, p.name, p.email.strip()) for p in unit_people] + \
        [("", address, address) for address in office.settings.coordinator_emails if address not in known]
    for pid, name, email in recipients:
        # one e-mail per person (README): a coordinator who also owns or supervises a KPI finds their own items
        # in the digest, not in a second e-mail
        own = [r for r in reminders if not r.digest and ((pid and r.person_id == pid) or
                                                         (email and r.email.lower() == email.lower()))]
        items = list(unit) + [i for r in own for i in r.items if i not in unit]
        reminders = [r for r in reminders if r not in own]
        reminders.append(Reminder(pid, name, email, round_, due, items, digest=True))
    return reminders, digest


def deliverable(reminder: Reminder) -> bool:
    return is_email(reminder.email)

