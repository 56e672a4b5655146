"""Where each step of the cycle stands as of a day: planned against actual, and days late.

Days late count calendar or working days per the `working_days` setting (Thai public holidays skipped).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sheets_sync.domain import palette
from sheets_sync.domain.calendar import days_between
from sheets_sync.domain.model import Office, Step


class StepState(enum.Enum):
    NOT_STARTED = ("not_started", "ยังไม่เริ่ม")
    IN_PROGRESS = ("in_progress", "กำลังดำเนินการ")
    LATE = ("late", "ล่าช้า")
    DONE = ("done", "เสร็จตามกำหนด")
    DONE_LATE = ("done_late", "เสร็จล่าช้า")
    CANCELLED = ("cancelled", "ยกเลิก")

    @property
    def key(self) -> str:
        return self.value[0]

    @property
    def th(self) -> str:
        return self.value[1]


# Fill colours a person reads at a glance: red late, amber done late, green done, blue under way.
STATE_COLOURS = {
    StepState.LATE: palette.RED,
    StepState.DONE_LATE: palette.AMBER,
    StepState.DONE: palette.GREEN,
    StepState.IN_PROGRESS: palette.BLUE,
}


@dataclass
class StepProgress:
    step: Step
    state: StepState
    days_late: int


def track(step: Step, today: dt.date, working_days: bool) -> StepProgress:
    if step.status == "cancelled":
        return StepProgress(step, StepState.CANCELLED, 0)
    end = step.planned_end
    if step.actual_end is not None or step.status == "done":
        finished = step.actual_end or today
        late = days_between(end, finished, working_days) if end else 0
        return StepProgress(step, StepState.DONE_LATE if late else StepState.DONE, late)
    if end is not None and today > end:
        return StepProgress(step, StepState.LATE, days_between(end, today, working_days))
    started = step.actual_start is not None or step.status == "in_progress"
    return StepProgress(step, StepState.IN_PROGRESS if started else StepState.NOT_STARTED, 0)


def track_steps(office: Office, today: dt.date) -> list[StepProgress]:
    return [track(s, today, office.settings.working_days) for s in sorted(office.steps, key=lambda s: s.number)]
