"""Problems are data: each names its severity, tab, cell, the row's key, and says what is wrong in Thai and
English.  They are collected all at once, never raised one at a time."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def th(self) -> str:
        return {"error": "ผิดพลาด", "warning": "คำเตือน", "info": "ข้อสังเกต"}[self.value]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str  # a stable message key, e.g. "result.not_a_number"
    tab: str
    cell: str  # A1 reference, e.g. ตัวชี้วัด!F7
    key: str  # the row's key: kpi_id, "kpi_id/round", step number, person_id …
    th: str
    en: str

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def count(problems: list[Problem], severity: Severity) -> int:
    return sum(1 for p in problems if p.severity is severity)
