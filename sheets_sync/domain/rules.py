"""The rules about staff's entries that more than one command applies, written once: validate reports them,
build and export act on the same verdict (issue: "the same rule is written twice and the copies disagree").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sheets_sync.domain.thai import quoted
from sheets_sync.domain.model import Office, RoundResult
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.schema import RESULTS

COMMITTEE_LOW, COMMITTEE_HIGH = (Decimal(b) for b in RESULTS.column("committee_score").bounds or (0, 5))


@dataclass(frozen=True)
class Finding:
    """One rule broken by one entry: its stable code, the column it points at, and what to say."""

    code: str
    column: str
    th: str
    en: str


def committee_findings(entry: RoundResult) -> list[Finding]:
    """A committee score is 0–5 and carries its reason (DOMAIN.md: an override must carry a reason)."""
    if entry.committee_score is None:
        return []
    findings = []
    if not COMMITTEE_LOW <= entry.committee_score <= COMMITTEE_HIGH:
        findings.append(Finding("results.committee_range", "committee_score",
                                f"คะแนนคณะกรรมการ {entry.committee_score} ต้องอยู่ระหว่าง 0 ถึง 5",
                                f"the committee score {entry.committee_score} must be between 0 and 5"))
    if not entry.override_reason:
        findings.append(Finding("results.committee_reason", "override_reason",
                                "มีคะแนนคณะกรรมการแต่ไม่มีเหตุผล โปรดระบุเหตุผล",
                                "a committee score needs a reason; type it in override_reason"))
    return findings


@dataclass
class ResultsIndex:
    """The round results that count, one per KPI and round, and the entries that could not be placed."""

    by_key: dict[tuple[str, int], RoundResult] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def index_results(office: Office) -> ResultsIndex:
    """Each result row of a known KPI, the first of any repeated KPI and round; unknown KPIs and repeats are
    problems at the row's KPI cell."""
    index = ResultsIndex()
    known = {k.kpi_id for k in office.kpis}
    first_row: dict[tuple[str, int], int] = {}
    for entry in office.results:
        key = f"{entry.kpi_id}/{entry.round}"
        if entry.kpi_id and entry.kpi_id not in known:
            index.problems.append(office.problem(Severity.ERROR, "results.unknown_kpi", RESULTS.key, entry.row, "kpi_id",
                                                 key, f"ไม่มีตัวชี้วัดรหัส {quoted(entry.kpi_id)} ในแท็บตัวชี้วัด",
                                                 f"no KPI {quoted(entry.kpi_id)} in the KPI tab"))
            continue
        if not entry.kpi_id or not entry.round:
            continue
        pair = (entry.kpi_id, entry.round)
        if pair in index.by_key:
            index.problems.append(office.problem(
                Severity.ERROR, "results.duplicate_key", RESULTS.key, entry.row, "kpi_id", key,
                f"{key} ซ้ำกับแถว {first_row[pair]} แต่ละรายการควรมีแถวเดียว (ใช้แถวแรก)",
                f"{key} is entered again (first in row {first_row[pair]}); each should have one row (the first "
                "is used)"))
            continue
        index.by_key[pair] = entry
        first_row[pair] = entry.row
    return index
