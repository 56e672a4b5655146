"""`rollover`: next fiscal year's workbook from this year's, in one read of each side and one write.

Carried: settings (the new fiscal year and start date; round deadlines moved a year; the rest kept), people,
KPIs (baselines shifted a year, `baseline_1` ← this year's round-12 result — the sealed one when round 12 is
sealed, else the latest round reported, noted in the cell — and a note on the criteria: check the new
year's), agreements (not signed yet), and the office's own steps re-planned from the new start date.
Not carried: results, certification, seals, reminder logs, summaries.  The new year's workbook is then written
as `copy` writes one (layout, dropdowns, checks as `init` lays them down), refusing a target that already holds
data unless forced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sheets_sync.domain.words import Words
from sheets_sync.domain.calendar import fiscal_year_bounds
from sheets_sync.domain.model import Office, _text
from sheets_sync.domain.schema import (
    AGREEMENTS,
    GENERATED_TABS,
    INPUT_TABS,
    KPIS,
    PEOPLE,
    RESULTS,
    ROUND_NUMBERS,
    SETTINGS,
    SETTINGS_DECLARED,
    STEPS,
    Tab,
    setting_by_key,
)
from sheets_sync.domain.scoring import Method
from sheets_sync.domain.standard_steps import planned_dates
from sheets_sync.domain.thai import ParseError, parse_date, parse_integer, parse_level, parse_number
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.domain.cell import is_blank
from sheets_sync.domain.seals import canonical
from sheets_sync.tasks.copy import plan_copy
from sheets_sync.tasks.snapshot import take_snapshot
from sheets_sync.workbook.office import load_office
from sheets_sync.workbook.operations import Backend, Grid, Value, WorkbookData
from sheets_sync.workbook.tables import read_settings, read_table

CRITERIA_NOTE = "ตรวจเกณฑ์ของปีงบประมาณใหม่ก่อนใช้ / check the new year's criteria before use"
NOT_STARTED = next(c.th for c in STEPS.column("status").choices if c.key == "not_started")


@dataclass
class RolloverOptions:
    fiscal_year: int
    start_date: dt.date | None = None  # default: 1 October before the fiscal year
    dry_run: bool = False
    force: bool = False


@dataclass
class RolloverReport:
    source: str
    target: str
    fiscal_year: int
    start_date: dt.date
    carried: list[tuple[str, int]] = field(default_factory=list)  # (tab, rows)
    baselines: list[tuple[str, Decimal | None, str]] = field(default_factory=list)  # (KPI, new baseline_1, from)
    written: bool = False
    notes: list[Words] = field(default_factory=list)
    safety_snapshot: Path | None = None  # the target as it was, before a forced rollover wrote over it


_LAID_BY_INIT = ("fiscal_year", "start_date", "office_name")  # what init itself types into the settings
_TYPED_STEP_COLUMNS = ("actual_start", "actual_end", "evidence", "note")


def typed_data(data: WorkbookData) -> list[str]:
    """The tabs of a workbook that hold what a person typed: any row of people, KPIs, results or agreements; a
    step with progress; a setting other than its default (e.g. coordinator_emails)."""
    held = [t.th for t in (PEOPLE, KPIS, RESULTS, AGREEMENTS) if read_table(data, t).records]
    steps = read_table(data, STEPS)
    if any(not is_blank(r.get(k)) for r in steps.records for k in _TYPED_STEP_COLUMNS) or \
            any(not is_blank(r.get("status")) and _text(r.get("status")) != NOT_STARTED for r in steps.records):
        held.append(steps.title or STEPS.th)
    defaults = {s.key: s.default for s in SETTINGS_DECLARED}
    for key, entry in read_settings(data).items():
        if key in _LAID_BY_INIT or is_blank(entry.value):
            continue
        default = defaults.get(key)
        shown = {"yes": "ใช่", "no": "ไม่ใช่"}.get(str(default), default)
        if canonical(entry.value) not in (canonical(default), canonical(shown)):
            held.append(f"{data.title_of(SETTINGS) or SETTINGS.th} ({key})")
            break
    return held


def _next_year(value: Value) -> Value:
    try:
        day = parse_date(value)
    except ParseError:
        return value
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _rows(grid: Grid | None) -> list[list[Value]]:
    return [list(r) for r in grid.rows] if grid is not None else []


def _settings(data: WorkbookData, options: RolloverOptions, start: dt.date) -> list[list[Value]]:
    table = read_table(data, SETTINGS)
    rows = _rows(table.grid)
    for record in table.records:
        key = normalize_key(record.get("key"))
        row, col = rows[record.row - 1], table.columns["value"] - 1
        row.extend([None] * (col + 1 - len(row)))
        if key == "fiscal_year":
            row[col] = options.fiscal_year
        elif key == "start_date":
            row[col] = start
        elif key in {f"round{r}_due" for r in ROUND_NUMBERS}:
            row[col] = _next_year(row[col])
    return rows


def normalize_key(value: Value) -> str:
    setting = setting_by_key(_text(value))
    return setting.key if setting else _text(value)


def _latest_result(office: Office, kpi_id: str, method: Method | None) -> tuple[Decimal | None, str]:
    """This year's figure for next year's baseline_1: round 12 as sealed, else as reported, else the latest round
    reported; and where it came from."""
    seals = office.seals.current()
    by_round = {e.round: e for e in office.results if e.kpi_id == kpi_id and e.has_result}
    for round_ in reversed(ROUND_NUMBERS):
        sealed = seals.get(round_).row(kpi_id) if round_ in seals else None  # type: ignore[union-attr]
        value = sealed.result if sealed is not None else (by_round[round_].result if round_ in by_round else None)
        if is_blank(value):
            continue
        try:
            number = Decimal(parse_level(value)) if method is Method.MILESTONE else parse_number(value)
        except ParseError:
            continue
        source = f"รอบ {round_}" + (" (ผนึกแล้ว)" if sealed is not None else "")
        return number, source
    return None, ""


def _kpis(data: WorkbookData, office: Office) -> tuple[list[list[Value]], dict[tuple[int, int], str],
                                                    list[tuple[str, Decimal | None, str]]]:
    table = read_table(data, KPIS)
    rows = _rows(table.grid)
    notes = dict(table.grid.notes) if table.grid is not None else {}
    kpis = {k.row: k for k in office.kpis}
    baselines = []
    cols = table.columns
    for record in table.records:
        row = rows[record.row - 1]
        row.extend([None] * (max(cols.values()) - len(row)))
        kpi = kpis.get(record.row)
        if kpi is None:
            continue
        if all(k in cols for k in ("baseline_1", "baseline_2", "baseline_3")):
            b1, b2, b3 = (cols[f"baseline_{n}"] - 1 for n in (1, 2, 3))
            row[b3], row[b2] = row[b2], row[b1]
            value, source = _latest_result(office, kpi.kpi_id, kpi.method)
            row[b1] = value
            baselines.append((kpi.kpi_id, value, source))
            if source and not source.startswith("รอบ 12"):
                notes[(record.row, b1 + 1)] = f"จากผล{source} (ไม่มีผลรอบ 12) / from {source}: no round-12 result"
        for n in range(1, 6):
            if f"c{n}" in cols and not record.blank(f"c{n}"):
                notes[(record.row, cols[f"c{n}"])] = CRITERIA_NOTE
    return rows, notes, baselines


def _steps(data: WorkbookData, office: Office, fiscal_year: int, start: dt.date) -> list[list[Value]]:
    table = read_table(data, STEPS)
    rows = _rows(table.grid)
    due12 = _next_year(office.settings.due.get(12)) if office.settings.due.get(12) else None
    plan = planned_dates(start, fiscal_year, office.settings.working_days,
                         due12 if isinstance(due12, dt.date) else None)
    cols = table.columns
    for record in table.records:
        row = rows[record.row - 1]
        row.extend([None] * (max(cols.values()) - len(row)))
        try:
            planned = plan.get(parse_integer(record.get("step")))
        except ParseError:
            planned = None
        for key, value in (("planned_start", planned[0] if planned else None),
                           ("planned_end", planned[1] if planned else None), ("actual_start", None),
                           ("actual_end", None), ("status", NOT_STARTED), ("evidence", None), ("note", None)):
            if key in cols:
                row[cols[key] - 1] = value
    return rows


def _agreements(data: WorkbookData) -> list[list[Value]]:
    table = read_table(data, AGREEMENTS)
    rows = _rows(table.grid)
    for record in table.records:
        row = rows[record.row - 1]
        for key in ("signed_on", "document"):
            if key in table.columns and table.columns[key] - 1 < len(row):
                row[table.columns[key] - 1] = None
    return rows


def _header_only(data: WorkbookData, tab: Tab) -> list[list[Value]]:
    grid = data.grid(tab)
    return [list(grid.header)] if grid is not None and grid.rows else []


def rolled(data: WorkbookData, office: Office, options: RolloverOptions, start: dt.date) -> tuple[WorkbookData, RolloverReport]:
    """Next year's input tabs, made from this year's; nothing is read or written here."""
    new = WorkbookData()
    kpi_rows, kpi_notes, baselines = _kpis(data, office)
    contents: dict[str, tuple[list[list[Value]], dict[tuple[int, int], str]]] = {
        SETTINGS.key: (_settings(data, options, start), {}),
        STEPS.key: (_steps(data, office, options.fiscal_year, start), {}),
        PEOPLE.key: (_rows(data.grid(PEOPLE)), {}),
        KPIS.key: (kpi_rows, kpi_notes),
        RESULTS.key: (_header_only(data, RESULTS), {}),
        AGREEMENTS.key: (_agreements(data), {}),
    }
    report = RolloverReport("", "", options.fiscal_year, start, baselines=baselines)
    for tab in INPUT_TABS:
        rows, notes = contents[tab.key]
        if rows:
            title = data.title_of(tab) or tab.th
            new.tabs[title] = Grid(title, rows, notes)
            report.carried.append((title, max(len(rows) - 1, 0)))
    return new, report


def run_rollover(source: Backend, target: Backend, options: RolloverOptions) -> RolloverReport:
    data = source.read()
    office = load_office(data)
    start = options.start_date or fiscal_year_bounds(options.fiscal_year)[0]
    new, report = rolled(data, office, options, start)
    report.source, report.target = source.description, target.description
    if options.fiscal_year <= office.settings.fiscal_year:
        report.notes.append(Words(f"ปีงบประมาณใหม่ {options.fiscal_year} ไม่ได้อยู่หลังปี {office.settings.fiscal_year} ของต้นทาง",
                             f"the new fiscal year {options.fiscal_year} is not after the source's "
                             f"{office.settings.fiscal_year}"))
    destination = target.read() if target.exists() else WorkbookData()
    for tab in GENERATED_TABS:  # last year's summaries, seals and logs in a forced target start empty
        title = destination.title_of(tab)
        if title is not None:
            new.tabs[title] = Grid(title, [[c.th for c in tab.columns]])
    if target.description == source.description:
        raise SheetsSyncError(ExitCode.USAGE, "ปลายทางคือสมุดงานปีนี้เอง ปีใหม่ต้องเป็นสมุดงานอีกเล่ม",
                              "the target is this year's workbook itself; next year goes into another workbook")
    held = typed_data(destination)
    if held and not options.force:  # what init alone lays out is an empty workbook; anything typed is kept
        raise SheetsSyncError(
            ExitCode.USAGE, f"ปลายทางมีข้อมูลที่พิมพ์ไว้ในแท็บ {', '.join(held)} อยู่แล้ว ใช้ --force ถ้าต้องการเขียนทับ "
            "(จะบันทึกสำเนาไว้ก่อน)",
            f"the target already holds typed data in {', '.join(held)}; pass --force to overwrite it (a snapshot "
            "is taken first)")
    operations = plan_copy(new, destination, force=True)
    if held and not options.dry_run:  # forced over typed data: what was there can be restored
        report.safety_snapshot = take_snapshot(target, destination, "before a forced rollover")
    if not options.dry_run:
        report.notes += target.apply(operations).notes
        report.written = True
    return report

