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
    # one pass over each round's rows, counted per owner: linear in KPIs, whatever the number of people
    missing: dict[tuple[int, str | None], int] = {}
    for round_ in ROUND_NUMBERS:
        summary = by_round.get(round_)
        if round_ in ended and summary is not None:
            for r in summary.missing:
                missing[(round_, r.kpi.owner)] = missing.get((round_, r.kpi.owner), 0) + 1
    scores: dict[str | None, list[Decimal]] = {}
    for r in latest.rows if latest is not None else []:
        if r.counted and r.score_used is not None:
            scores.setdefault(r.kpi.owner, []).append(r.score_used)
    for load in loads.values():
        for round_ in ROUND_NUMBERS:
            if round_ in ended and round_ in by_round:
                load.missing[round_] = missing.get((round_, load.person_id), 0)
        mine = scores.get(load.person_id)
        if mine:
            load.average_score = sum(mine, Decimal(0)) / len(mine)
    return [load for load in loads.values() if load.owned or load.supervised]
