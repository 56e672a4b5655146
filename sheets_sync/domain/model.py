"""The office's year as typed objects, read from the input tabs through the schema.

Every cell that cannot be read as its column's type becomes a Problem pointing at that cell, and the
value is left as None; loading never stops at the first bad cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import Any

from sheets_sync.domain.words import Words
from sheets_sync.domain.cell import Location, Value, is_blank
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.schema import (
    ALL_TABS,
    SETTINGS_DECLARED,
    DIRECTIONS,
    PEOPLE,
    METHODS,
    ROUND_NUMBERS,
    STEP_STATUS,
)
from sheets_sync.domain.scoring import (
    Band,
    Direction,
    Method,
    parse_bands,
)
from sheets_sync.domain.seals import SealBook
from sheets_sync.domain.thai import (
    is_placeholder,
    is_yes,
)

TAB_NAMES = {tab.key: tab.th for tab in ALL_TABS}



def _declared(key: str) -> str:
    """A setting's default as the schema declares it (and init writes it): the one place defaults are spelled."""
    return str(next(s.default for s in SETTINGS_DECLARED if s.key == key))


def _days(key: str) -> tuple[int, ...]:
    return tuple(int(d) for d in _declared(key).split(","))


@dataclass
class Settings:
    """The settings tab as typed values; a setting left blank takes the default schema.SETTINGS_DECLARED gives."""

    office_name: str = ""
    office_code: str = ""
    fiscal_year: int = 0
    start_date: dt.date | None = None
    pass_score: Decimal = Decimal(_declared("pass_score"))
    floor: Decimal = Decimal(_declared("below_level1_score"))
    bands: list[Band] = field(default_factory=lambda: parse_bands(_declared("bands")))
    due: dict[int, dt.date | None] = field(default_factory=dict)
    working_days: bool = is_yes(_declared("working_days"))
    coordinator_emails: tuple[str, ...] = ()  # lower-cased
    certify_in_order: bool = is_yes(_declared("certify_in_order"))
    protect_rows: bool = is_yes(_declared("protect_rows"))
    snapshot_on_build: bool = is_yes(_declared("snapshot_on_build"))
    remind_days_before: tuple[int, ...] = _days("remind_days_before")
    remind_days_after: tuple[int, ...] = _days("remind_days_after")
    smtp_host: str = ""
    smtp_port: int | None = None  # by security when blank: 587, 465 or 25 (mail/smtp.py)
    smtp_from: str = ""
    smtp_security: str = _declared("smtp_security")


@dataclass
class Person:
    person_id: str
    name: str
    roles: str
    row: int
    email: str = ""

    def has_role(self, key: str) -> bool:
        """One of the comma-separated roles typed in บทบาท is `key` (Thai or English spelling)."""
        column = PEOPLE.column("role")
        return any((found := column.choice_for(part)) is not None and found.key == key
                   for part in re.split(r"[,;]", self.roles))


@dataclass
class Kpi:
    kpi_id: str
    parent_id: str | None
    name: str
    unit: str
    weight: Decimal | None
    method: Method | None
    direction: Direction
    criteria: tuple[Decimal | None, ...]
    owner: str | None
    supervisor: str | None
    start_round: int | None
    cancel_round: int | None
    row: int
    collector: str | None = None  # a person id, or a name typed as text
    target: Decimal | None = None
    baselines: tuple[Decimal | None, ...] = (None, None, None)  # baseline_1 (last year) … baseline_3

    def counts_in(self, round_: int) -> bool:
        starts = self.start_round or ROUND_NUMBERS[0]
        return starts <= round_ and (self.cancel_round is None or round_ < self.cancel_round)


@dataclass
class RoundResult:
    kpi_id: str
    round: int
    result: Value  # raw: parsed against the KPI's method when scoring
    self_score: Decimal | None
    committee_score: Decimal | None
    override_reason: str
    certification: str  # the choice key: pending, supervisor_certified, certified, more_data; "" when blank
    reported_on: dt.date | None
    row: int
    evidence: str = ""
    reviewer_comment: str = ""
    certified_by: str = ""
    certified_on: dt.date | None = None

    @property
    def has_result(self) -> bool:
        return not is_blank(self.result) and not is_placeholder(self.result)


@dataclass
class Step:
    number: int
    detail: str
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    status: str | None  # the choice key: not_started, in_progress, done, cancelled
    responsible: str
    note: str
    row: int


@dataclass(frozen=True)
class TabPlace:
    """Where a tab is in the workbook: its title as found and its columns by key (1-based) — enough for the
    domain to name a cell, without knowing how a workbook is read."""

    title: str
    columns: dict[str, int] = field(default_factory=dict)


@dataclass
class Office:
    settings: Settings
    people: list[Person]
    kpis: list[Kpi]
    results: list[RoundResult]
    steps: list[Step]
    places: dict[str, TabPlace]  # tab key → where it is
    problems: list[Problem] = field(default_factory=list)
    seals: SealBook = field(default_factory=lambda: SealBook())
    # the cells that did not read, (tab key, row, column key) → why in words: the same words from every command
    unreadable: dict[tuple[str, int, str], Words] = field(default_factory=dict)
    # the workbook's tables the office was read from, for the tasks that look at them again (validate, protect);
    # opaque here: the domain names cells through `places`
    tables: dict[str, Any] = field(default_factory=dict, repr=False)

    def title(self, tab_key: str) -> str:
        """The tab's title as the workbook has it (its usual Thai name when the tab is missing)."""
        place = self.places.get(tab_key)
        return place.title if place is not None else TAB_NAMES.get(tab_key, tab_key)

    def location(self, tab_key: str, row: int, column: str) -> Location:
        """A column (by key) in a row of a tab (column A when unknown)."""
        place = self.places.get(tab_key)
        return Location(self.title(tab_key), row, place.columns.get(column, 1) if place is not None else 1)

    def cell(self, tab_key: str, row: int, column: str) -> str:
        """The A1 reference of a column (by key) in a row of a tab, e.g. ตัวชี้วัด!E7."""
        return self.location(tab_key, row, column).a1

    def problem(self, severity: Severity, code: str, tab_key: str, row: int, column: str, key: str, th: str,
                en: str) -> Problem:
        """A problem at a cell, its place structured and in A1 alike."""
        where = self.location(tab_key, row, column)
        return Problem(severity, code, where.tab, where.a1, key, th, en, where)

    def kpi(self, kpi_id: str) -> Kpi | None:
        return self._kpis_by_id.get(kpi_id)

    def person(self, person_id: str) -> Person | None:
        return self._people_by_id.get(person_id)

    # looked up once per row by the rules: dictionaries, built on first use (the first of a repeated id wins)
    @cached_property
    def _kpis_by_id(self) -> dict[str, Kpi]:
        found: dict[str, Kpi] = {}
        for k in self.kpis:
            found.setdefault(k.kpi_id, k)
        return found

    @cached_property
    def _people_by_id(self) -> dict[str, Person]:
        found: dict[str, Person] = {}
        for p in self.people:
            found.setdefault(p.person_id, p)
        return found


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def kpi_id_text(value: Value) -> str:
    """KPI ids as typed: `1`, `1.1`; a numeric cell 1.0 reads as `1`, Thai digits as Arabic."""
    from sheets_sync.domain.thai import to_ascii_digits

    return to_ascii_digits(_text(value))


METHOD_TH = {Method(c.key): c.th for c in METHODS}
DIRECTION_TH = {Direction(c.key): c.th for c in DIRECTIONS}
STATUS_TH = {c.key: c.th for c in STEP_STATUS}
