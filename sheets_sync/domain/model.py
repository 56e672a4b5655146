"""The office's year as typed objects, read from the input tabs through the schema.

Every cell that cannot be read as its column's type becomes a Problem pointing at that cell, and the
value is left as None; loading never stops at the first bad cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, TypeVar

from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.schema import (
    DIRECTIONS,
    INPUT_TABS,
    KPIS,
    METHODS,
    PEOPLE,
    RESULTS,
    ROUND_NUMBERS,
    STEP_STATUS,
    STEPS,
)
from sheets_sync.domain.scoring import (
    DEFAULT_BANDS_TEXT,
    Band,
    Direction,
    Method,
    parse_bands,
)
from sheets_sync.domain.thai import (
    ParseError,
    fiscal_year_bounds,
    fiscal_year_of,
    is_placeholder,
    is_yes,
    parse_date,
    parse_integer,
    parse_number,
)
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.operations import Value, WorkbookData, a1
from sheets_sync.workbook.tables import (
    Record,
    SettingEntry,
    Table,
    read_settings,
    read_table,
)

T = TypeVar("T")


@dataclass
class Settings:
    office_name: str = ""
    office_code: str = ""
    fiscal_year: int = 0
    start_date: dt.date | None = None
    pass_score: Decimal = Decimal(3)
    floor: Decimal = Decimal(1)
    bands: list[Band] = field(default_factory=lambda: parse_bands(DEFAULT_BANDS_TEXT))
    due: dict[int, dt.date | None] = field(default_factory=dict)
    working_days: bool = True


@dataclass
class Person:
    person_id: str
    name: str
    roles: str
    row: int


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
    certification: str
    reported_on: dt.date | None
    row: int

    @property
    def has_result(self) -> bool:
        return self.result not in (None, "") and not is_placeholder(self.result)


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


@dataclass
class Office:
    settings: Settings
    people: list[Person]
    kpis: list[Kpi]
    results: list[RoundResult]
    steps: list[Step]
    tables: dict[str, Table]
    problems: list[Problem] = field(default_factory=list)

    def kpi(self, kpi_id: str) -> Kpi | None:
        return next((k for k in self.kpis if k.kpi_id == kpi_id), None)

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.person_id == person_id), None)


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


class _Reader:
    """Parses cells by column, collecting a problem per cell that cannot be read."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems

    def field(self, table: Table, record: Record, key: str, parse: Callable[[Value], T], row_key: str,
              what_th: str, what_en: str) -> T | None:
        value = record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse(value)
        except (ParseError, ValueError) as exc:
            col = table.tab.column(key)
            self.problems.append(Problem(
                Severity.ERROR, f"{table.tab.key}.{key}.unreadable", table.title or table.tab.th,
                table.cell(record, key), row_key,
                f"{col.th}: อ่าน {value!r} เป็น{what_th}ไม่ได้",
                f"{col.key}: cannot read {value!r} as {what_en}" + (f" ({exc})" if isinstance(exc, ValueError)
                                                                      and not isinstance(exc, ParseError) else ""),
            ))
            return None

    def choice(self, table: Table, record: Record, key: str, row_key: str) -> str | None:
        col = table.tab.column(key)

        def parse(value: Value) -> str:
            found = col.choice_for(_text(value))
            if found is None:
                raise ParseError(value)
            return found.key

        options = " / ".join(c.th for c in col.choices)
        return self.field(table, record, key, parse, row_key, f"ค่าในรายการ ({options})", f"one of: {options}")

    def round(self, table: Table, record: Record, key: str, row_key: str) -> int | None:
        def parse(value: Value) -> int:
            number = parse_integer(value)
            if number not in ROUND_NUMBERS:
                raise ParseError(value)
            return number

        return self.field(table, record, key, parse, row_key, "รอบ 6, 9 หรือ 12", "round 6, 9 or 12")

    def number(self, table: Table, record: Record, key: str, row_key: str) -> Decimal | None:
        return self.field(table, record, key, parse_number, row_key, "ตัวเลข", "a number")

    def date(self, table: Table, record: Record, key: str, row_key: str) -> dt.date | None:
        return self.field(table, record, key, parse_date, row_key, "วันที่ (เช่น 1 ต.ค. 2569)", "a date (e.g. 1/10/2569)")


def require_layout(data: WorkbookData, tables: dict[str, Table] | None = None) -> dict[str, Table]:
    """Every input tab and its required columns must be there once; otherwise nothing can be trusted."""
    tables = tables or {tab.key: read_table(data, tab) for tab in INPUT_TABS}
    missing = [t.tab.th for t in tables.values() if not t.exists]
    if missing:
        raise SheetsSyncError(ExitCode.LAYOUT, f"ไม่พบแท็บ {', '.join(missing)} โปรดเรียก sheets-sync init",
                              f"missing tabs {', '.join(missing)}; run `sheets-sync init`")
    for table in tables.values():
        lacking = [c for c in table.missing_columns() if c.required]
        doubled = {k: [a1(table.title or table.tab.th, 1, i) for i in places[1:]]
                   for k, places in table.duplicate_columns.items()}
        if lacking or doubled:
            th = "; ".join([f"ไม่มีคอลัมน์ {c.th} (เพิ่มได้ด้วย sheets-sync init)" for c in lacking] +
                           [f"หัวคอลัมน์ {table.tab.column(k).th} ซ้ำที่ {', '.join(cells)} โปรดลบหรือเปลี่ยนชื่อ"
                            for k, cells in doubled.items()])
            en = "; ".join([f"column {c.key} is missing (run `sheets-sync init` to add it)" for c in lacking] +
                           [f"the header of {k} is typed again at {', '.join(cells)}; remove or rename it"
                            for k, cells in doubled.items()])
            raise SheetsSyncError(ExitCode.LAYOUT, f"แท็บ {table.title}: {th}", f"tab {table.title}: {en}")
    return tables


def _be_year(value: Value) -> int:
    year = parse_integer(value)
    if not 2400 < year < 2800:
        raise ParseError(value)
    return year


def _settings(data: WorkbookData, reader: _Reader, problems: list[Problem]) -> Settings:
    entries = read_settings(data)
    settings = Settings()

    def parsed(key: str, parse: Callable[[Value], T], th: str, en: str) -> T | None:
        entry: SettingEntry | None = entries.get(key)
        if entry is None or entry.value in (None, ""):
            return None
        try:
            return parse(entry.value)
        except (ParseError, ValueError):
            problems.append(Problem(Severity.ERROR, f"settings.{key}.unreadable", entry.cell.split("!")[0],
                                    entry.cell, key, f"การตั้งค่า {key}: อ่าน {entry.value!r} เป็น{th}ไม่ได้",
                                    f"setting {key}: cannot read {entry.value!r} as {en}"))
            return None

    settings.office_name = _text(entries["office_name"].value) if "office_name" in entries else ""
    settings.office_code = _text(entries["office_code"].value) if "office_code" in entries else ""
    settings.start_date = parsed("start_date", parse_date, "วันที่", "a date")
    settings.fiscal_year = parsed("fiscal_year", _be_year, "ปี พ.ศ. (เช่น 2570)", "a BE year (e.g. 2570)") or fiscal_year_of(
        settings.start_date or dt.date.today())
    if settings.start_date is None:
        settings.start_date = fiscal_year_bounds(settings.fiscal_year)[0]
    settings.pass_score = parsed("pass_score", parse_number, "ตัวเลข", "a number") or Decimal(3)
    floor = parsed("below_level1_score", parse_number, "0 หรือ 1", "0 or 1")
    settings.floor = floor if floor in (Decimal(0), Decimal(1)) else Decimal(1)
    bands = parsed("bands", parse_bands, "ช่วงระดับผล (คะแนนต่ำสุด:ชื่อ;…)", "bands (lowest score:name;…)")
    if bands:
        settings.bands = bands
    for round_ in ROUND_NUMBERS:
        settings.due[round_] = parsed(f"round{round_}_due", parse_date, "วันที่", "a date")
    working = entries.get("working_days")
    if working is not None and working.value not in (None, ""):
        settings.working_days = is_yes(working.value)
    return settings


def load_office(data: WorkbookData, tables: dict[str, Table] | None = None) -> Office:
    """The input tabs as typed objects; `tables`, when the caller has read them already, are not read again."""
    tables = require_layout(data, tables)
    problems: list[Problem] = []
    reader = _Reader(problems)
    settings = _settings(data, reader, problems)

    people_table = tables[PEOPLE.key]
    people = [Person(_text(r.get("person_id")), _text(r.get("name")), _text(r.get("role")), r.row)
              for r in people_table.records]

    kpi_table = tables[KPIS.key]
    kpis: list[Kpi] = []
    for r in kpi_table.records:
        kid = kpi_id_text(r.get("kpi_id"))
        method_key = reader.choice(kpi_table, r, "method", kid)
        direction_key = reader.choice(kpi_table, r, "direction", kid)
        kpis.append(Kpi(
            kpi_id=kid,
            parent_id=kpi_id_text(r.get("parent_id")) or None,
            name=_text(r.get("name")),
            unit=_text(r.get("unit")),
            weight=reader.number(kpi_table, r, "weight", kid),
            method=Method(method_key) if method_key else None,
            direction=Direction(direction_key) if direction_key else Direction.HIGHER,
            criteria=tuple(reader.number(kpi_table, r, f"c{n}", kid) for n in range(1, 6)),
            owner=_text(r.get("owner")) or None,
            supervisor=_text(r.get("supervisor")) or None,
            start_round=reader.round(kpi_table, r, "start_round", kid),
            cancel_round=reader.round(kpi_table, r, "cancel_round", kid),
            row=r.row,
        ))

    result_table = tables[RESULTS.key]
    results: list[RoundResult] = []
    for r in result_table.records:
        kid = kpi_id_text(r.get("kpi_id"))
        key = f"{kid}/{_text(r.get('round'))}"
        round_ = reader.round(result_table, r, "round", key)
        certification = reader.choice(result_table, r, "certification", key)
        results.append(RoundResult(
            kpi_id=kid,
            round=round_ or 0,
            result=r.get("result"),
            self_score=reader.number(result_table, r, "self_score", key),
            committee_score=reader.number(result_table, r, "committee_score", key),
            override_reason=_text(r.get("override_reason")),
            certification=certification or "",
            reported_on=reader.date(result_table, r, "reported_on", key),
            row=r.row,
        ))

    step_table = tables[STEPS.key]
    steps: list[Step] = []
    for r in step_table.records:
        number = reader.field(step_table, r, "step", parse_integer, _text(r.get("step")), "เลขลำดับ", "a whole number")
        if number is None:
            continue
        key = str(number)
        steps.append(Step(
            number=number,
            detail=_text(r.get("detail")),
            planned_start=reader.date(step_table, r, "planned_start", key),
            planned_end=reader.date(step_table, r, "planned_end", key),
            actual_start=reader.date(step_table, r, "actual_start", key),
            actual_end=reader.date(step_table, r, "actual_end", key),
            status=reader.choice(step_table, r, "status", key),
            responsible=_text(r.get("responsible")),
            note=_text(r.get("note")),
            row=r.row,
        ))
    return Office(settings, people, kpis, results, steps, tables, problems)


METHOD_TH = {Method(c.key): c.th for c in METHODS}
DIRECTION_TH = {Direction(c.key): c.th for c in DIRECTIONS}
STATUS_TH = {c.key: c.th for c in STEP_STATUS}
