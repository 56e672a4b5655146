"""Per person: the KPIs they own and supervise, results still missing per round, and their average score."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sheets_sync.domain.calendar import rounds_ended
from sheets_sync.domain.model import Office
from sheets_sync.domain.round_scores import RoundSummary, kpi_sort_key
from sheets_sync.domain.schema import ROUND_NUMBERS


@dataclass
class OwnerLoad:
    person_id: str
    name: str
    owned: list[str] = field(default_factory=list)
    supervised: list[str] = field(default_factory=list)
    missing: dict[int, int] = field(default_factory=dict)  # round → results missing (rounds that have ended)
    average_score: Decimal | None = None


def owner_loads(office: Office, summaries: list[RoundSummary], today: dt.date) -> list[OwnerLoad]:
    loads = {p.person_id: OwnerLoad(p.person_id, p.name) for p in office.people if p.person_id}
    for kpi in sorted(office.kpis, key=lambda k: kpi_sort_key(k.kpi_id)):
        for person_id, bucket in ((kpi.owner, "owned"), (kpi.supervisor, "supervised")):
            if person_id:
                load = loads.setdefault(person_id, OwnerLoad(person_id, "(ไม่พบในแท็บบุคลากร / not in people)"))
                getattr(load, bucket).append(kpi.kpi_id)
    ended = rounds_ended(office.settings.fiscal_year, today)
    by_round = {s.round: s for s in summaries}
    latest = max((s for s in summaries if any(r.counted for r in s.rows)), key=lambda s: s.round, default=None)
    for load in loads.values():
        for round_ in ROUND_NUMBERS:
            summary = by_round.get(round_)
            if round_ in ended and summary is not None:
                load.missing[round_] = sum(1 for r in summary.missing if r.kpi.owner == load.person_id)
        if latest is not None:
            scores = [r.score_used for r in latest.rows
                      if r.counted and r.kpi.owner == load.person_id and r.score_used is not None]
            if scores:
                load.average_score = sum(scores, Decimal(0)) / len(scores)
    return [load for load in loads.values() if load.owned or load.supervised]
