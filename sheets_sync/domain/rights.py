"""Who may change what (issue: each person edits only their own rows on Google).

- a results row's staff columns: the KPI's owner, data collector and supervisor, the coordinators, the tool;
- its review columns (committee score and reason, certification, reviewer comment, who and when): the KPI's
  supervisor, the coordinators, the tool;
- the KPI, people, settings and agreements tabs: the coordinators and the tool;
- the tabs the tool writes (summaries, problems, reminders, history): the coordinators and the tool;
- a sealed round's rows: the coordinators and the tool (the seal's own protection, `certify`).

People are named by the e-mail in บุคลากร; a person without one can be given no rights, which `validate` reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets_sync.domain.certification import coordinators, is_email
from sheets_sync.domain.model import Kpi, Office
from sheets_sync.domain.schema import AGREEMENTS, GENERATED_TABS, KPIS, PEOPLE, SEALS, SETTINGS, Tab

STAFF_COLUMNS = ("kpi_id", "round", "result", "self_score", "evidence", "reported_by", "reported_on")
REVIEW_COLUMNS = ("committee_score", "override_reason", "certification", "reviewer_comment", "certified_by",
                  "certified_on")
COORDINATOR_TABS: tuple[Tab, ...] = (KPIS, PEOPLE, SETTINGS, AGREEMENTS)
# the tabs the tool writes whole (the seal tab keeps the seal's own protection): on Google a build reads them by
# their header alone, so a hand edit there would stay until its rows next change — under protection only the
# coordinators and the tool may edit them
TOOL_TABS: tuple[Tab, ...] = tuple(tab for tab in GENERATED_TABS if tab is not SEALS)
ROLE_TH = {"owner": "ผู้รับผิดชอบ", "supervisor": "ผู้กำกับดูแล", "collector": "ผู้จัดเก็บข้อมูล"}


def _email(office: Office, person_id: str | None) -> str | None:
    person = office.person(person_id) if person_id else None
    return person.email.strip().lower() if person is not None and is_email(person.email) else None


def coordinator_emails(office: Office) -> set[str]:
    """The coordinators' addresses: the setting's, and those of people whose role is coordinator."""
    found = {e for e in office.settings.coordinator_emails if is_email(e)}
    return found | {e for pid in coordinators(office) if (e := _email(office, pid))}


def always_editors(office: Office, account: str | None) -> set[str]:
    """Who may edit everything the tool protects: the coordinators and the tool's own account."""
    return coordinator_emails(office) | ({account.lower()} if account else set())


def kpi_people(kpi: Kpi) -> dict[str, str]:
    """role → person id, for the roles that name someone (the collector only when it is a person id)."""
    return {role: pid for role, pid in (("owner", kpi.owner), ("supervisor", kpi.supervisor),
                                        ("collector", kpi.collector)) if pid}


@dataclass(frozen=True)
class RowRights:
    staff: tuple[str, ...]  # may edit the staff columns
    review: tuple[str, ...]  # may edit the review columns


def row_rights(office: Office, kpi: Kpi | None, always: set[str]) -> RowRights:
    """`always`: the coordinators and the tool's own account."""
    if kpi is None:
        return RowRights(tuple(sorted(always)), tuple(sorted(always)))
    people = {role: _email(office, pid) for role, pid in kpi_people(kpi).items()}
    staff = {e for e in people.values() if e} | always
    supervisor = people.get("supervisor")
    review = ({supervisor} if supervisor else set()) | always
    return RowRights(tuple(sorted(staff)), tuple(sorted(review)))


@dataclass(frozen=True)
class MissingEmail:
    person_id: str
    role: str
    kpi_id: str
    row: int  # the KPI's row
    known: bool  # the person is in บุคลากร (without a usable e-mail), or not at all


def missing_emails(office: Office) -> list[MissingEmail]:
    """Owners and supervisors that protection cannot name: no e-mail, or one that is not an address."""
    found = []
    for kpi in office.kpis:
        for role in ("owner", "supervisor"):
            pid = getattr(kpi, role)
            if pid and _email(office, pid) is None:
                found.append(MissingEmail(pid, role, kpi.kpi_id, kpi.row, office.person(pid) is not None))
    return found


def people_to_view(office: Office) -> list[tuple[str, str]]:
    """(person id, name) of everyone who owns, supervises or collects a KPI: each gets their own filter view."""
    ids = {pid for kpi in office.kpis for pid in kpi_people(kpi).values()}
    return [(p.person_id, p.name or p.person_id) for p in office.people if p.person_id in ids]

