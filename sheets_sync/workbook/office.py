"""The office loaded from a workbook: the input tabs read through the schema into the domain's model, and the
office compiled for a day (rounds scored, steps tracked, owners' loads) — the one loader every command uses.

Every cell that cannot be read as its column's type becomes a Problem pointing at that cell, and the value is
left as None; loading never stops at the first bad cell.
"""


from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from sheets_sync.domain.words import Words
from sheets_sync.domain.cell import is_blank
from sheets_sync.config import config
from sheets_sync.domain.calendar import (
    fiscal_year_bounds,
    fiscal_year_of,
    parse_fiscal_year,
)
from sheets_sync.domain.cell_reading import unreadable
from sheets_sync.domain.certification import email_list
from sheets_sync.domain.year import Compiled, compile_year
from sheets_sync.domain.model import (
    TabPlace,
    Kpi,
    Office,
    Person,
    RoundResult,
    Settings,
    Step,
    _text,
    kpi_id_text,
)
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.schema import (
    INPUT_TABS,
    KPIS,
    PEOPLE,
    RESULTS,
    ROUND_NUMBERS,
    STEPS,
    person_ref,
)
from sheets_sync.domain.scoring import (
    Direction,
    Method,
    parse_bands,
)
from sheets_sync.domain.thai import (
    quoted,
    ParseError,
    is_yes,
    parse_date,
    parse_integer,
    parse_number,
)
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.operations import Value, WorkbookData, a1
from sheets_sync.seal_key import load_key
from sheets_sync.workbook.seal_tab import read_seal_book
from sheets_sync.workbook.tables import (
    Record,
    SettingEntry,
    Table,
    read_settings,
    read_table,
)

T = TypeVar("T")


class _Reader:
    """Parses cells by column, collecting a problem per cell that cannot be read."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.unreadable: dict[tuple[str, int, str], Words] = {}  # (tab, row, column) → the words

    def field(self, table: Table, record: Record, key: str, parse: Callable[[Value], T], row_key: str) -> T | None:
        value = record.get(key)
        if is_blank(value):
            return None
        try:
            return parse(value)
        except (ParseError, ValueError):
            # the words validate puts on this cell (domain/cell_reading.py): every command says the same
            words = unreadable(table.tab.column(key), value)
            self.unreadable[(table.tab.key, record.row, key)] = words
            where = table.location(record, key)
            self.problems.append(Problem(
                Severity.ERROR, f"{table.tab.key}.{key}.unreadable", where.tab, where.a1, row_key, *words, where))
            return None

    def choice(self, table: Table, record: Record, key: str, row_key: str) -> str | None:
        col = table.tab.column(key)

        def parse(value: Value) -> str:
            found = col.choice_for(_text(value))
            if found is None:
                raise ParseError(value)
            return found.key

        return self.field(table, record, key, parse, row_key)

    def round(self, table: Table, record: Record, key: str, row_key: str) -> int | None:
        def parse(value: Value) -> int:
            number = parse_integer(value)
            if number not in ROUND_NUMBERS:
                raise ParseError(value)
            return number

        return self.field(table, record, key, parse, row_key)

    def number(self, table: Table, record: Record, key: str, row_key: str) -> Decimal | None:
        return self.field(table, record, key, parse_number, row_key)

    def date(self, table: Table, record: Record, key: str, row_key: str) -> dt.date | None:
        return self.field(table, record, key, parse_date, row_key)


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


def _day_list(value: Value) -> tuple[int, ...]:
    days = tuple(parse_integer(part) for part in str(value).replace(";", ",").split(",") if part.strip())
    if any(d < 0 for d in days):
        raise ValueError(value)
    return days


def _security(value: Value) -> str:
    text = _text(value).lower()
    if text not in ("starttls", "ssl", "none"):
        raise ValueError(value)
    return text


def _settings(data: WorkbookData, reader: _Reader, problems: list[Problem]) -> Settings:
    entries = read_settings(data)
    settings = Settings()

    def parsed(key: str, parse: Callable[[Value], T], th: str, en: str) -> T | None:
        entry: SettingEntry | None = entries.get(key)
        if entry is None or is_blank(entry.value):
            return None
        try:
            return parse(entry.value)
        except (ParseError, ValueError):
            problems.append(Problem(Severity.ERROR, f"settings.{key}.unreadable", entry.cell.split("!")[0],
                                    entry.cell, key, f"การตั้งค่า {key}: อ่าน {quoted(entry.value)} เป็น{th}ไม่ได้",
                                    f"setting {key}: cannot read {quoted(entry.value)} as {en}"))
            return None

    settings.office_name = _text(entries["office_name"].value) if "office_name" in entries else ""
    settings.office_code = _text(entries["office_code"].value) if "office_code" in entries else ""
    settings.start_date = parsed("start_date", parse_date, "วันที่", "a date")
    settings.fiscal_year = parsed("fiscal_year", parse_fiscal_year, "ปี พ.ศ. (เช่น 2570)", "a BE year (e.g. 2570)") or fiscal_year_of(
        settings.start_date or config().today)
    if settings.start_date is None:
        settings.start_date = fiscal_year_bounds(settings.fiscal_year)[0]
    settings.pass_score = parsed("pass_score", parse_number, "ตัวเลข", "a number") or settings.pass_score
    floor = parsed("below_level1_score", parse_number, "0 หรือ 1", "0 or 1")
    settings.floor = floor if floor in (Decimal(0), Decimal(1)) else settings.floor
    bands = parsed("bands", lambda value: parse_bands(str(value)), "ช่วงระดับผล (คะแนนต่ำสุด:ชื่อ;…)", "bands (lowest score:name;…)")
    if bands:
        settings.bands = bands
    for round_ in ROUND_NUMBERS:
        settings.due[round_] = parsed(f"round{round_}_due", parse_date, "วันที่", "a date")
    for key in ("working_days", "certify_in_order", "protect_rows", "snapshot_on_build"):
        entry = entries.get(key)
        if entry is not None and not is_blank(entry.value):
            setattr(settings, key, is_yes(entry.value))
    for key in ("remind_days_before", "remind_days_after"):
        days = parsed(key, _day_list, "จำนวนวันคั่นด้วย , (เช่น 7,3,1)", "days, comma-separated (e.g. 7,3,1)")
        if days is not None:
            setattr(settings, key, days)
    for key in ("smtp_host", "smtp_from"):
        setattr(settings, key, _text(entries[key].value) if key in entries else "")
    settings.smtp_port = parsed("smtp_port", parse_integer, "เลขพอร์ต (เช่น 587)", "a port number (e.g. 587)")
    security = parsed("smtp_security", _security, "starttls, ssl หรือ none", "starttls, ssl or none")
    settings.smtp_security = security or settings.smtp_security
    emails = entries.get("coordinator_emails")
    if emails is not None:
        settings.coordinator_emails = email_list(emails.value)
    return settings


def load_office(data: WorkbookData, tables: dict[str, Table] | None = None) -> Office:
    """The input tabs as typed objects; `tables`, when the caller has read them already, are not read again."""
    tables = require_layout(data, tables)
    problems: list[Problem] = []
    reader = _Reader(problems)
    settings = _settings(data, reader, problems)

    people_table = tables[PEOPLE.key]
    people = [Person(_text(r.get("person_id")), _text(r.get("name")), _text(r.get("role")), r.row,
                     _text(r.get("email")))
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
            owner=person_ref(r.get("owner")) or None,  # `P01 — name` picked from the list is P01
            supervisor=person_ref(r.get("supervisor")) or None,
            start_round=reader.round(kpi_table, r, "start_round", kid),
            cancel_round=reader.round(kpi_table, r, "cancel_round", kid),
            row=r.row,
            collector=person_ref(r.get("collector")) or None,
            target=reader.number(kpi_table, r, "target", kid),
            baselines=tuple(reader.number(kpi_table, r, f"baseline_{n}", kid) for n in (1, 2, 3)),
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
            evidence=_text(r.get("evidence")),
            reviewer_comment=_text(r.get("reviewer_comment")),
            certified_by=person_ref(r.get("certified_by")),
            certified_on=reader.date(result_table, r, "certified_on", key),
        ))

    step_table = tables[STEPS.key]
    steps: list[Step] = []
    for r in step_table.records:
        number = reader.field(step_table, r, "step", parse_integer, _text(r.get("step")))
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
    places = {key: TabPlace(t.title or t.tab.th, dict(t.columns)) for key, t in tables.items()}
    return Office(settings, people, kpis, results, steps, places, problems, read_seal_book(data, load_key()),
                  reader.unreadable, tables)




def compile_office(data: WorkbookData, today: dt.date, rounds: tuple[int, ...] | None = None) -> Compiled:
    """The year compiled (domain/year.py) from the office this read holds."""
    return compile_year(load_office(data), today, rounds)


# --- the generated tabs' rows ----------------------------------------------------------------------


