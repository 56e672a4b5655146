"""`status`: the year at a glance from one read — the office result per round, the late steps, what is still to
report (the same rule as the site), and how many KPI templates are complete.  Writes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheets_sync.domain.outstanding import Outstanding, outstanding
from sheets_sync.domain.step_tracking import StepProgress, StepState
from sheets_sync.domain.year import Compiled
from sheets_sync.workbook.office import compile_office
from sheets_sync.workbook.operations import READ_ONLY, Backend
from sheets_sync.workbook.tables import blank_fields


@dataclass
class StatusReport:
    compiled: Compiled
    late: list[StepProgress]
    outstanding: list[Outstanding]
    templates_complete: int
    templates: int


def run_status(backend: Backend, today: dt.date) -> StatusReport:
    data = backend.read(READ_ONLY)
    compiled = compile_office(data, today)
    blanks = blank_fields(data)
    return StatusReport(compiled, [p for p in compiled.steps if p.state is StepState.LATE],
                        outstanding(compiled.rounds, compiled.office, compiled.today),
                        sum(1 for fields in blanks.values() if not fields), len(blanks))
