"""What is still to report: every result not yet in, in each round that is due or past due — one rule for the
status screen and the site, so the two never disagree about what is missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheets_sync.domain.certification import due_date
from sheets_sync.domain.model import Office
from sheets_sync.domain.reminders import next_round
from sheets_sync.domain.round_scores import RoundSummary


@dataclass(frozen=True)
class Outstanding:
    round: int
    owner: str | None  # the owner's person id; None for KPIs nobody owns (listed, never dropped)
    kpi_ids: tuple[str, ...]
    due: dt.date
    overdue: bool


def outstanding(rounds: list[RoundSummary], office: Office, today: dt.date) -> list[Outstanding]:
    """Per round that is past its deadline, or the round now open, and per owner: the KPIs with no result yet.
    Overdue first, then by round and owner."""
    current = next_round(office, today)
    found: list[Outstanding] = []
    for summary in rounds:
        due = due_date(office, summary.round)
        if not (due < today or summary.round == current):
            continue
        by_owner: dict[str | None, list[str]] = {}
        for row in summary.missing:
            by_owner.setdefault(row.kpi.owner, []).append(row.kpi.kpi_id)
        found += [Outstanding(summary.round, owner, tuple(ids), due, due < today) for owner, ids in by_owner.items()]
    return sorted(found, key=lambda o: (not o.overdue, o.round, o.owner or "\uffff"))
