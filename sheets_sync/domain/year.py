"""The office's year compiled from what was typed: each round's scores, the steps against their plan, each owner's
load, and the problems that left something out.  Pure: from an Office and a day, nothing read or written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheets_sync.domain.calendar import rounds_ended
from sheets_sync.domain.certification import seal_fault_problem
from sheets_sync.domain.model import Office
from sheets_sync.domain.owners import OwnerLoad, owner_loads
from sheets_sync.domain.problems import Problem
from sheets_sync.domain.round_scores import RoundSummary, compile_rounds, rounds_with_results
from sheets_sync.domain.schema import ROUND_NUMBERS, SEALS
from sheets_sync.domain.step_tracking import StepProgress, track_steps


@dataclass
class Compiled:
    office: Office
    rounds: list[RoundSummary]
    steps: list[StepProgress]
    owners: list[OwnerLoad]
    problems: list[Problem]  # rows that could not be scored: these set the exit code
    today: dt.date


def compile_year(office: Office, today: dt.date, rounds: tuple[int, ...] | None = None) -> Compiled:
    """`rounds`: the rounds to score; by default those with results and those that have ended by `today`."""
    if rounds is None:
        ended = rounds_ended(office.settings.fiscal_year, today)
        rounds = tuple(r for r in ROUND_NUMBERS if r in rounds_with_results(office) or r in ended)
    summaries, problems = compile_rounds(office, rounds)
    title = office.seals.title or SEALS.th
    problems += [seal_fault_problem(fault, title) for fault in office.seals.faults]  # a seal that does not check
    return Compiled(office, summaries, track_steps(office, today), owner_loads(office, summaries, today), problems, today)
