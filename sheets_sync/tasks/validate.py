"""`validate`: every problem in the staff's entries, each pointed at its cell, collected in one pass.

Three layers, each adding to one list and none stopping at the first problem:
1. layout — tabs and headers (a missing required column, a doubled one, a header that looks misspelt);
2. cells — each value read as its column's declared type (after accepting every Thai form in DOMAIN.md);
3. rules — what only makes sense across rows and tabs: keys, weights, criteria, rounds, people, dates, steps,
   agreements, deadlines, and the certification chain with its sealed rounds (domain/certification.py).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sheets_sync.domain.words import Words
from sheets_sync.exit_codes import ExitCode
from sheets_sync.config import config
from sheets_sync.domain.calendar import fiscal_year_bounds, round_end
from sheets_sync.domain.cell import is_blank
from sheets_sync.domain.cell_reading import read_as, result_unreadable, unreadable
from sheets_sync.domain.certification import (
    certification_problems,
    email_list,
    is_email,
)
from sheets_sync.domain.model import Office, kpi_id_text
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.rights import ROLE_TH, missing_emails
from sheets_sync.domain.round_scores import leaves_of
from sheets_sync.domain.rules import committee_findings, index_results
from sheets_sync.domain.official_words import office_only
from sheets_sync.domain.schema import (
    AGREEMENTS,
    INPUT_TABS,
    KPIS,
    PEOPLE,
    RESULTS,
    ROUND_NUMBERS,
    SEALS,
    SETTINGS,
    SHEET_LOCALE,
    STEPS,
    Column,
    ColumnType,
    normalize,
    setting_by_key,
)
from sheets_sync.domain.scoring import (
    Direction,
    Method,
    ScoringError,
    check_criteria,
    weight_scale,
)
from sheets_sync.domain.step_tracking import StepState, track
from sheets_sync.domain.thai import (
    quoted,
    ParseError,
    format_date_be,
    is_yes,
    parse_date,
    parse_integer,
    parse_level,
    parse_number,
    typed_short_year,
)
from sheets_sync.tasks.validate_write import plan_write
from sheets_sync.workbook.office import load_office
from sheets_sync.workbook.operations import READ_ONLY, Backend, Grid, Value, WorkbookData, a1
from sheets_sync.workbook.tables import (
    Record,
    Table,
    blank_fields,
    loose_value,
    read_table,
)

EXCEL_CELL_LIMIT = 32_767  # characters an .xlsx cell can hold (Google Sheets: 50,000)


LAYOUT_BLOCKERS = ("layout.tab_missing", "layout.column_missing", "layout.column_doubled")


@dataclass
class ValidateOptions:
    today: dt.date
    strict: bool = False
    templates: bool = False  # also list each KPI template's blank fields (kpis.template_incomplete, info)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, severity: Severity, code: str, table: Table, cell: str, key: str, th: str, en: str) -> None:
        self.problems.append(Problem(severity, code, table.title or table.tab.th, cell, key, th, en))

    def at(self, severity: Severity, code: str, table: Table, record: Record, column: str, key: str,
           th: str, en: str) -> None:
        where = table.location(record, column)
        self.problems.append(Problem(severity, code, where.tab, where.a1, key, th, en, where))


def _row_key(table: Table, record: Record) -> str:
    parts = []
    for key in table.tab.key_columns:
        value = record.get(key)
        parts.append(kpi_id_text(value) if value is not None else "")
    return "/".join(parts) if any(parts) else f"row {record.row}"


# --- 1. layout ----------------------------------------------------------------------------------------


def _layout(tables: dict[str, Table], out: _Collector) -> None:
    for table in tables.values():
        tab = table.tab
        if not table.exists:
            out.add(Severity.ERROR, "layout.tab_missing", table, f"{tab.th}!A1", tab.key,
                    f"ไม่พบแท็บ {tab.th} ({tab.key}) โปรดเรียก sheets-sync init",
                    f"the tab {tab.th} ({tab.key}) is missing; run `sheets-sync init`")
            continue
        for col in table.missing_columns():
            if col.required:
                out.add(Severity.ERROR, "layout.column_missing", table, table.column_cell(tab.key_columns[0])
                        if tab.key_columns else f"{table.title}!A1", col.key,
                        f"ไม่มีคอลัมน์ {col.th} ที่จำเป็น โปรดเพิ่มหัวคอลัมน์ หรือเรียก sheets-sync init",
                        f"the required column {col.th} ({col.key}) is missing; add the header or run `sheets-sync init`")
        for key, positions in table.duplicate_columns.items():
            for position in positions[1:]:
                out.add(Severity.ERROR, "layout.column_doubled", table, a1(table.title or tab.th, 1, position), key,
                        f"หัวคอลัมน์ {tab.column(key).th} ซ้ำ โปรดลบหรือเปลี่ยนชื่อคอลัมน์ใดคอลัมน์หนึ่ง",
                        f"the header {tab.column(key).th} ({key}) appears twice; remove or rename one")
        labels = [c.th for c in tab.columns] + [c.key for c in tab.columns]
        for position, header in table.unknown_columns.items():
            close = difflib.get_close_matches(normalize(header), [normalize(x) for x in labels], n=1, cutoff=0.75)
            if close:
                out.add(Severity.WARNING, "layout.header_unknown", table, a1(table.title or tab.th, 1, position),
                        header, f"ไม่รู้จักหัวคอลัมน์ {quoted(header)} หมายถึง {quoted(close[0])} หรือไม่ (ถ้าเป็นคอลัมน์ของเขตเองไม่ต้องแก้)",
                        f"unknown header {quoted(header)}: did you mean {quoted(close[0])}? (an office's own column may stay)")


# --- 2. cells -----------------------------------------------------------------------------------------


def _check_cell(col: Column, value: Value) -> Words | None:
    """(Thai, English) of what is wrong with `value` for `col`, or None when it reads (domain/cell_reading.py: the
    one reading every command shares, so build says the same words for this cell)."""
    try:
        read_as(col, value)
    except ParseError:
        return unreadable(col, value)
    return None


def _short_year(col: Column, value: Value) -> Words | None:
    """A date cell a spreadsheet put in 19xx: a BE year typed with two digits (`1/10/69`).  It is read as
    meant (2569 BE) but shows 1969 on screen, so staff are told what to type instead."""
    if col.type is not ColumnType.DATE or not isinstance(value, dt.date) or not typed_short_year(value):
        return None
    meant = format_date_be(parse_date(value))
    return Words(f"{col.th}: สเปรดชีตเก็บเป็นปี ค.ศ. {value.year} (พิมพ์ปี พ.ศ. 2 หลัก) เครื่องมืออ่านเป็น {meant} "
            f"โปรดพิมพ์ปี พ.ศ. 4 หลัก เช่น {meant} หรือสั่ง sheets-sync fix",
            f"{col.named_en}: the spreadsheet stored the year {value.year} (a two-digit BE year); read as {meant} — "
            f"type the BE year in four digits, e.g. {meant}, or run `sheets-sync fix`")


def _cells(tables: dict[str, Table], out: _Collector, strict: bool, dates_as_text: bool = False) -> None:
    for table in tables.values():
        for record in table.records:
            key = _row_key(table, record)
            for col in table.tab.columns:
                if col.key not in table.columns:
                    continue
                value = record.get(col.key)
                if is_blank(value):
                    if col.required:
                        out.at(Severity.ERROR, f"{table.tab.key}.{col.key}.missing", table, record, col.key, key,
                               f"ยังไม่ได้กรอก{col.th} ซึ่งจำเป็น", f"{col.named_en} is required and empty")
                    continue
                if isinstance(value, str) and len(value) >= EXCEL_CELL_LIMIT:
                    out.at(Severity.WARNING, "cell.at_excel_limit", table, record, col.key, key,
                           f"{col.th}: ข้อความยาวถึงขีดจำกัด {EXCEL_CELL_LIMIT:,} ตัวอักษรของ Excel ส่วนที่เกินอาจถูกตัด",
                           f"{col.named_en}: the text is at Excel's limit of {EXCEL_CELL_LIMIT:,} characters per cell; "
                           "anything beyond it may have been cut")
                if isinstance(value, str) and value.startswith("=") and len(value) > 1:
                    out.at(Severity.WARNING, "cell.formula_text", table, record, col.key, key,
                           f"{col.th}: ค่าขึ้นต้นด้วย = ซึ่งดูเหมือนสูตร จะถือเป็นข้อความ ไม่คำนวณ",
                           f"{col.named_en}: the value starts with = like a formula; it is read as text, never evaluated")
                problem = _check_cell(col, value)
                short_year = _short_year(col, value) if problem is None else None
                if problem is not None:
                    out.at(Severity.ERROR, f"{table.tab.key}.{col.key}.unreadable", table, record, col.key, key, *problem)
                elif short_year is not None:
                    out.at(Severity.WARNING, f"{table.tab.key}.{col.key}.short_year", table, record, col.key, key,
                           *short_year)
                elif strict and (canonical := loose_value(col, value, dates_as_text)) is not None:
                    kind = ("วันที่", "a date") if isinstance(canonical, dt.date) else ("ตัวเลข", "a number")
                    if quoted(value) == quoted(canonical):  # `20 ต.ค. 2569` typed as text: the same words, another kind
                        th = f"{col.th}: {quoted(value)} เก็บเป็นข้อความ ควรเก็บเป็นเซลล์{kind[0]} (sheets-sync fix แก้ให้ได้)"
                        en = (f"{col.named_en}: {quoted(value)} is stored as text; it is better stored as {kind[1]} "
                              "cell (`sheets-sync fix` converts it)")
                    else:
                        th = f"{col.th}: {quoted(value)} อ่านได้ แต่ควรเก็บเป็น {quoted(canonical)} (sheets-sync fix แก้ให้ได้)"
                        en = (f"{col.named_en}: {quoted(value)} reads, but is better stored as {quoted(canonical)} "
                              "(`sheets-sync fix` converts it)")
                    out.at(Severity.INFO, f"{table.tab.key}.{col.key}.loose", table, record, col.key, key, th, en)


def _locale(data: WorkbookData, tables: dict[str, Table], out: _Collector) -> None:
    """A Google Sheet parses what staff type by its locale: outside th_TH, `1/10/2569` can become 10 January."""
    if data.locale is None or data.locale == SHEET_LOCALE:
        return
    table = tables[SETTINGS.key]
    out.add(Severity.WARNING, "sheet.locale", table, f"{table.title or SETTINGS.th}!A1", data.locale,
            f"สเปรดชีตนี้ตั้งภาษาและภูมิภาคเป็น {data.locale} ซึ่งอ่านวันที่ที่พิมพ์ต่างจากที่ตั้งใจได้ "
            f"(เช่น 1/10/2569 เป็น 10 มกราคม) โปรดตั้งเป็น ไทย (ประเทศไทย) ที่ ไฟล์ > การตั้งค่า หรือสั่ง sheets-sync init",
            f"this spreadsheet's locale is {data.locale}, which can read typed dates otherwise than meant "
            f"(1/10/2569 as 10 January); set it to Thai (Thailand) in File > Settings, or run `sheets-sync init`")


# --- 3. rules -----------------------------------------------------------------------------------------


def _duplicate_keys(tables: dict[str, Table], out: _Collector) -> None:
    for table in tables.values():
        if not table.tab.key_columns or table.tab.key in ("agreements", "results"):  # results: domain/rules.py
            continue
        seen: dict[str, int] = {}
        for record in table.records:
            parts = [record.get(k) for k in table.tab.key_columns]
            if any(is_blank(p) for p in parts):
                continue
            key = "/".join(kpi_id_text(p) for p in parts)
            if key in seen:
                out.at(Severity.ERROR, f"{table.tab.key}.duplicate_key", table, record, table.tab.key_columns[0], key,
                       f"{key} ซ้ำกับแถว {seen[key]} แต่ละรายการควรมีแถวเดียว",
                       f"{key} is entered again (first in row {seen[key]}); each should have one row")
            else:
                seen[key] = record.row


def _weights(office: Office, table: Table, out: _Collector) -> None:
    leaves = [k for k in leaves_of(office) if k.weight is not None]
    weights = [k.weight for k in leaves if k.weight is not None]
    if not weights:
        return
    total = sum(weights, Decimal(0))
    scale = weight_scale(weights)
    if all(w <= 1 for w in weights) and total < 2:  # fractions that miss 1 are still fractions, not percents
        scale = Decimal(1)
    if total != scale:
        first = min(leaves, key=lambda k: k.row)
        out.add(Severity.ERROR, "kpis.weights_total", table, a1(table.title or KPIS.th, first.row, table.columns.get("weight", 1)),
                "weight", f"น้ำหนักของตัวชี้วัดย่อยสุดรวมกันได้ {total} ควรเป็น {scale}",
                f"the leaf KPIs' weights add up to {total}; they should add up to {scale}")
    by_id = {k.kpi_id: k for k in office.kpis}
    children: dict[str, list] = defaultdict(list)
    for k in office.kpis:
        if k.parent_id:
            children[k.parent_id].append(k)
    for parent_id, kids in children.items():
        parent = by_id.get(parent_id)
        if parent is None:
            for kid in kids:
                out.add(Severity.ERROR, "kpis.parent_unknown", table,
                        a1(table.title or KPIS.th, kid.row, table.columns.get("parent_id", 1)), kid.kpi_id,
                        f"ไม่มีตัวชี้วัดหลักรหัส {quoted(parent_id)}", f"no parent KPI {quoted(parent_id)}")
            continue
        sub = sum((k.weight or Decimal(0) for k in kids), Decimal(0))
        if parent.weight is not None and parent.weight != sub:
            out.add(Severity.ERROR, "kpis.parent_weight", table,
                    a1(table.title or KPIS.th, parent.row, table.columns.get("weight", 1)), parent.kpi_id,
                    f"น้ำหนักตัวชี้วัด {parent.kpi_id} คือ {parent.weight} แต่ตัวชี้วัดย่อยรวมกันได้ {sub}",
                    f"KPI {parent.kpi_id} weighs {parent.weight} but its sub-KPIs add up to {sub}")


def _kpis(office: Office, tables: dict[str, Table], out: _Collector) -> None:
    table = tables[KPIS.key]
    people = {p.person_id for p in office.people}
    parents = {k.parent_id for k in office.kpis if k.parent_id}
    records = {r.row: r for r in table.records}
    for kpi in office.kpis:
        record = records[kpi.row]
        if kpi.kpi_id not in parents:
            for role, th in (("owner", "ผู้รับผิดชอบ"), ("supervisor", "ผู้กำกับดูแล")):
                person = getattr(kpi, role)
                if person and person not in people:
                    out.at(Severity.ERROR, f"kpis.{role}_unknown", table, record, role, kpi.kpi_id,
                           f"{th} {quoted(person)} ไม่มีในแท็บบุคลากร ควรเป็นรหัสจากแท็บบุคลากร",
                           f"{role} {quoted(person)} is not in the people tab; use a person id from it")
        if kpi.method in (Method.INTERPOLATE, Method.BANDED) and kpi.kpi_id not in parents:
            criteria = kpi.criteria
            if any(c is None for c in criteria):
                if all(_check_cell(KPIS.column(f"c{n}"), record.get(f"c{n}")) is None for n in range(1, 6)):
                    out.at(Severity.ERROR, "kpis.criteria_missing", table, record, "c1", kpi.kpi_id,
                           "เกณฑ์ต้องมีครบ 5 ระดับ", "the criteria need all five levels")
                continue
            try:
                check_criteria(criteria, kpi.direction)  # type: ignore[arg-type]
            except ScoringError:
                rising = all(a < b for a, b in zip(criteria, criteria[1:]))  # type: ignore[operator]
                falling = all(a > b for a, b in zip(criteria, criteria[1:]))  # type: ignore[operator]
                if rising or falling:
                    right = "มากดี" if rising else "น้อยดี"
                    out.at(Severity.ERROR, "kpis.criteria_direction", table, record, "direction", kpi.kpi_id,
                           f"เกณฑ์เรียงแบบ{right} แต่ทิศทางเป็น{'น้อยดี' if rising else 'มากดี'} ควรแก้ทิศทางเป็น {right}",
                           f"the criteria run {'up' if rising else 'down'} but the direction says "
                           f"{kpi.direction.value}; set the direction to {right}")
                else:
                    levels = ", ".join(str(c) for c in criteria)
                    out.at(Severity.ERROR, "kpis.criteria_not_monotonic", table, record, "c1", kpi.kpi_id,
                           f"เกณฑ์ {levels} ไม่เรียงขึ้นหรือลงทุกระดับ แต่ละระดับต้องต่างกัน",
                           f"the criteria {levels} are not strictly monotonic; every level must differ")
        if kpi.start_round and kpi.cancel_round and kpi.cancel_round <= kpi.start_round:
            out.at(Severity.ERROR, "kpis.rounds", table, record, "cancel_round", kpi.kpi_id,
                   "รอบที่ยกเลิกต้องอยู่หลังรอบที่เริ่ม", "the cancel round must come after the start round")


def _baselines(office: Office, tables: dict[str, Table], out: _Collector) -> None:
    """A target that asks for less than last year's figure (higher-is-better), or more (lower-is-better)."""
    table = tables[KPIS.key]
    records = {r.row: r for r in table.records}
    last_year = office.settings.fiscal_year - 1
    for kpi in office.kpis:
        baseline = kpi.baselines[0]
        if kpi.target is None or baseline is None:
            continue
        worse = kpi.target < baseline if kpi.direction is Direction.HIGHER else kpi.target > baseline
        if worse:
            out.at(Severity.WARNING, "kpis.target_vs_baseline", table, records[kpi.row], "target", kpi.kpi_id,
                   f"ค่าเป้าหมาย {kpi.target} {'ต่ำกว่า' if kpi.direction is Direction.HIGHER else 'สูงกว่า'}"
                   f"ข้อมูลพื้นฐานปี {last_year} ({baseline}) ตรวจว่าตั้งใจหรือไม่",
                   f"the target {kpi.target} is {'below' if kpi.direction is Direction.HIGHER else 'above'} the "
                   f"{last_year} baseline ({baseline}); check it is meant")


def _templates(data: WorkbookData, tables: dict[str, Table], out: _Collector) -> None:
    """The KPI template's fields still blank (step 5): information, for the one who writes the templates."""
    table = tables[KPIS.key]
    records = {r.row: r for r in table.records}
    for row, blank in blank_fields(data).items():
        if blank:
            names = ", ".join(KPIS.column(k).th for k in blank)
            out.at(Severity.INFO, "kpis.template_incomplete", table, records[row], "kpi_id", _row_key(table, records[row]),
                   f"รายละเอียดตัวชี้วัดยังไม่ครบ: {names}", f"the KPI template is missing: {', '.join(blank)}")


def _results(office: Office, tables: dict[str, Table], out: _Collector) -> None:
    out.problems += index_results(office).problems  # unknown KPIs and repeats: the rule build applies too
    table = tables[RESULTS.key]
    records = {r.row: r for r in table.records}
    by_id = {k.kpi_id: k for k in office.kpis}
    levels: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # kpi → (round, level, row)
    for entry in office.results:
        record = records[entry.row]
        key = f"{entry.kpi_id}/{entry.round or record.get('round')}"
        kpi = by_id.get(entry.kpi_id)
        if kpi is None or not entry.round:
            continue
        if not kpi.counts_in(entry.round):
            out.at(Severity.ERROR, "results.round_not_counted", table, record, "round", key,
                   f"ตัวชี้วัด {kpi.kpi_id} ไม่นับในรอบ {entry.round} (เริ่มรอบ {kpi.start_round or 6}"
                   + (f" ยกเลิกรอบ {kpi.cancel_round})" if kpi.cancel_round else ")"),
                   f"KPI {kpi.kpi_id} does not count in round {entry.round}")
        if entry.has_result:
            if kpi.method is Method.MILESTONE:
                try:
                    levels[kpi.kpi_id].append((entry.round, parse_level(entry.result), entry.row))
                except ParseError:
                    out.at(Severity.ERROR, "results.level_unreadable", table, record, "result", key,
                           *result_unreadable(kpi.method, entry.result))
            elif kpi.method is not Method.MANUAL:
                try:
                    parse_number(entry.result)
                except ParseError:
                    out.at(Severity.ERROR, "results.result_unreadable", table, record, "result", key,
                           *result_unreadable(kpi.method, entry.result))
        for finding in committee_findings(entry):
            out.at(Severity.ERROR, finding.code, table, record, finding.column, key, finding.th, finding.en)
        if is_blank(record.get("committee_score")) and kpi.method is Method.MANUAL and entry.has_result:
            out.at(Severity.ERROR, "results.manual_needs_committee", table, record, "committee_score", key,
                   "ตัวชี้วัดที่คณะกรรมการให้คะแนนต้องมีคะแนนคณะกรรมการ",
                   "a committee-scored KPI needs a committee score")
    for kpi_id, seen in levels.items():
        ordered = sorted(seen)
        for (r1, l1, _), (r2, l2, row) in zip(ordered, ordered[1:]):
            if l2 < l1:
                out.add(Severity.ERROR, "results.level_down", table, a1(table.title or RESULTS.th, row,
                        table.columns.get("result", 1)), f"{kpi_id}/{r2}",
                        f"ระดับความสำเร็จลดลงจากระดับ {l1} ในรอบ {r1} เป็นระดับ {l2} ในรอบ {r2} ซึ่งไม่ควรลดลง",
                        f"the level went down from {l1} in round {r1} to {l2} in round {r2}; levels are cumulative")


def _deadlines(office: Office, tables: dict[str, Table], today: dt.date, out: _Collector) -> None:
    table = tables[RESULTS.key]
    reported = {(e.kpi_id, e.round) for e in office.results if e.has_result or e.committee_score is not None}
    fy = office.settings.fiscal_year
    for round_ in ROUND_NUMBERS:
        due = office.settings.due.get(round_) or round_end(fy, round_)
        if today <= due:
            continue
        for kpi in leaves_of(office):
            if kpi.counts_in(round_) and (kpi.kpi_id, round_) not in reported:
                out.add(Severity.ERROR, "results.overdue", table, f"{table.title or RESULTS.th}!A1",
                        f"{kpi.kpi_id}/{round_}",
                        f"ตัวชี้วัด {kpi.kpi_id} ยังไม่รายงานผลรอบ {round_} เดือน ซึ่งครบกำหนดแล้ว ({format_date_be(due)})"
                        f" ผู้รับผิดชอบ {kpi.owner or '-'}",
                        f"KPI {kpi.kpi_id} has no round-{round_} result and the deadline {due} has passed "
                        f"(owner {kpi.owner or '-'})")


def _steps(office: Office, tables: dict[str, Table], today: dt.date, out: _Collector) -> None:
    table = tables[STEPS.key]
    records = {r.row: r for r in table.records}
    year_start = min(d for d in (office.settings.start_date, fiscal_year_bounds(office.settings.fiscal_year)[0]) if d)
    for step in office.steps:
        record = records[step.row]
        key = str(step.number)
        for column in ("actual_start", "actual_end"):
            day = getattr(step, column)
            if day is None:
                continue
            if day < year_start:
                out.at(Severity.ERROR, f"steps.{column}.before_year", table, record, column, key,
                       f"วันที่ {format_date_be(day)} อยู่ก่อนวันเริ่มของปี ({format_date_be(year_start)}) ตรวจปี พ.ศ. อีกครั้ง",
                       f"{day} is before the year's start ({year_start}); check the year (BE = CE + 543)")
            elif day > today:
                out.at(Severity.ERROR, f"steps.{column}.future", table, record, column, key,
                       f"วันที่ {format_date_be(day)} ยังมาไม่ถึง (วันนี้ {format_date_be(today)})",
                       f"{day} is after today ({today})")
        if step.actual_start and step.actual_end and step.actual_end < step.actual_start:
            out.at(Severity.ERROR, "steps.end_before_start", table, record, "actual_end", key,
                   "วันเสร็จจริงอยู่ก่อนวันเริ่มจริง", "the actual end is before the actual start")
        if step.status == "done" and step.actual_end is None and is_blank(record.get("actual_end")):
            out.at(Severity.ERROR, "steps.done_without_end", table, record, "actual_end", key,
                   "สถานะเสร็จสิ้นแต่ไม่มีวันเสร็จจริง โปรดกรอกวันเสร็จจริง",
                   "marked done but has no actual end date; type the day it ended")
        progress = track(step, today, office.settings.working_days)
        if progress.state in (StepState.LATE, StepState.DONE_LATE) and not step.note:
            out.at(Severity.WARNING, "steps.late_without_note", table, record, "note", key,
                   f"ขั้นตอนนี้ล่าช้า {progress.days_late} วัน โปรดบันทึกเหตุผลในหมายเหตุ",
                   f"this step is {progress.days_late} days late; note why")


def _agreements(tables: dict[str, Table], out: _Collector) -> None:
    table = tables[AGREEMENTS.key]
    level = AGREEMENTS.column("level")
    top = next(c for c in level.choices if c.key == "obec_office")
    if not any(level.choice_for(str(r.get("level") or "")) == top for r in table.records):
        out.add(Severity.ERROR, "agreements.top_level_missing", table, f"{table.title or AGREEMENTS.th}!A1",
                top.key, f"ยังไม่มีคำรับรองระดับ {top.th} (ผู้อำนวยการเขตกับเลขาธิการ กพฐ. หรือผู้ว่าราชการจังหวัด)",
                "no agreement between the office director and the OBEC secretary-general or governor yet")


def _school_annex(office: Office, tables: dict[str, Table], out: _Collector) -> None:
    """A KPI of the office's own work (its budget, ITA, internal control…) typed ใช่ in ใช้กับสถานศึกษา goes into
    every school's annex: a school director would sign for the office's disbursement.  Said at the cell."""
    level = AGREEMENTS.column("level")
    if not any((c := level.choice_for(str(r.get("level") or ""))) and c.key == "office_school"
               for r in tables[AGREEMENTS.key].records):
        return
    kpis = tables[KPIS.key]
    if "for_schools" not in kpis.columns:
        return
    by_row = {k.row: k for k in office.kpis}
    for record in kpis.records:
        kpi = by_row.get(record.row)
        if kpi is not None and not record.blank("for_schools") and is_yes(record.get("for_schools")) \
                and office_only(kpi):
            out.at(Severity.WARNING, "agreements.office_kpi_for_schools", kpis, record, "for_schools", kpi.kpi_id,
                   f"ตัวชี้วัด {kpi.kpi_id} เป็นงานของสำนักงานเขตเอง แต่ระบุให้ใช้กับสถานศึกษา จึงอยู่ในข้อตกลงของทุกโรงเรียน "
                   "ตรวจว่าตั้งใจให้ผู้อำนวยการโรงเรียนรับรองตัวชี้วัดนี้",
                   f"KPI {kpi.kpi_id} is the office's own work but is marked for schools, so every school's agreement "
                   "holds it; check that school directors are meant to sign for it")


def _people(office: Office, tables: dict[str, Table], out: _Collector) -> None:
    """E-mails name people for protection (protect, protect_rows): errors when it is on, else warnings."""
    table = tables[PEOPLE.key]
    severity = Severity.ERROR if office.settings.protect_rows else Severity.WARNING
    for record in table.records:
        email = record.get("email")
        if not is_blank(email) and not is_email(str(email)):
            out.at(severity, "people.email", table, record, "email", _row_key(table, record),
                   f"อีเมล {quoted(email)} ไม่ใช่ที่อยู่อีเมล (เช่น somchai@obec.go.th)",
                   f"the e-mail {quoted(email)} is not an address (e.g. somchai@obec.go.th)")
    if office.settings.protect_rows:
        records = {r.row: r for r in table.records}
        people_rows = {p.person_id: p.row for p in office.people}
        for missing in missing_emails(office):
            if missing.known:
                cell = table.cell(records[people_rows[missing.person_id]], "email")
                where, key = table, missing.person_id
            else:
                where, key = tables[KPIS.key], missing.kpi_id
                cell = a1(where.title or KPIS.th, missing.row, where.columns.get(missing.role, 1))
            out.add(Severity.ERROR, "people.email_missing", where, cell, key,
                    f"{ROLE_TH[missing.role]}ของตัวชี้วัด {missing.kpi_id} ({missing.person_id}) ไม่มีอีเมลที่ใช้ได้ "
                    "จึงกำหนดสิทธิ์แก้ไขแถวของตนไม่ได้ (protect_rows เปิดอยู่)",
                    f"the {missing.role} of KPI {missing.kpi_id} ({missing.person_id}) has no usable e-mail, so "
                    "protection cannot give them their rows (protect_rows is on)")
    settings = tables[SETTINGS.key]
    for record in settings.records:
        setting = setting_by_key(str(record.get("key") or ""))
        if setting is not None and setting.key == "office_name" and _lines(record.get("value")) > 1:
            out.at(Severity.WARNING, "settings.office_name_lines", settings, record, "value", "office_name",
                   "ชื่อสำนักงานพิมพ์ไว้หลายบรรทัด ในหัวเรื่องอีเมลและเอกสารจะต่อเป็นบรรทัดเดียว โปรดพิมพ์ในบรรทัดเดียว",
                   "the office name is typed on several lines; e-mail subjects and documents join it into one line: "
                   "type it on one line")
        if setting is not None and setting.key == "coordinator_emails":
            for address in email_list(record.get("value")):
                if not is_email(address):
                    out.at(Severity.ERROR, "settings.coordinator_emails", settings, record, "value", "coordinator_emails",
                           f"{quoted(address)} ในรายการอีเมลผู้ประสานงานไม่ใช่ที่อยู่อีเมล",
                           f"{quoted(address)} in coordinator_emails is not an e-mail address")


def _lines(value: object) -> int:
    return len([line for line in str(value or "").splitlines() if line.strip()])


def _certification(office: Office, tables: dict[str, Table], today: dt.date, out: _Collector) -> None:
    out.problems += certification_problems(office, today)


def _settings_read(office: Office, out: _Collector) -> None:
    out.problems += [p for p in office.problems if p.code.startswith("settings.")]


# Each rule across tabs and the tabs it reads: with a tab missing or broken, only the rules that read it wait;
# every other rule runs (a missing ข้อตกลง once hid an unknown owner id in ตัวชี้วัด and seven more defects).
_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("settings", frozenset({SETTINGS.key})),
    ("weights", frozenset({KPIS.key})),
    ("kpis", frozenset({KPIS.key, PEOPLE.key})),
    ("baselines", frozenset({KPIS.key})),
    ("templates", frozenset({KPIS.key})),
    ("results", frozenset({RESULTS.key, KPIS.key})),
    ("deadlines", frozenset({RESULTS.key, KPIS.key, SETTINGS.key})),
    ("steps", frozenset({STEPS.key, SETTINGS.key})),
    ("agreements", frozenset({AGREEMENTS.key})),
    ("school_annex", frozenset({AGREEMENTS.key, KPIS.key})),
    ("people", frozenset({PEOPLE.key, KPIS.key, SETTINGS.key})),
    ("certification", frozenset({RESULTS.key, KPIS.key, PEOPLE.key, SETTINGS.key})),
)
_RULE_TH = {"settings": "ค่าตั้ง", "weights": "น้ำหนัก", "kpis": "ตัวชี้วัดและผู้รับผิดชอบ", "baselines": "ข้อมูลพื้นฐาน",
            "templates": "รายละเอียดตัวชี้วัด", "results": "ผลการดำเนินงาน", "deadlines": "กำหนดส่ง",
            "steps": "ขั้นตอน", "agreements": "ข้อตกลง", "school_annex": "ข้อตกลงของสถานศึกษา", "people": "บุคลากร", "certification": "การรับรอง"}


def _stand_ins(data: WorkbookData, tables: dict[str, Table], broken: set[str]) -> WorkbookData:
    """The workbook with each broken or missing input tab replaced by an empty one of the full layout, so the
    office loads and the rules that do not read those tabs can run."""
    tabs = dict(data.tabs)
    for key in broken:
        table = tables[key]
        if table.title is not None:
            tabs.pop(table.title, None)
        tabs[table.tab.th] = Grid(table.tab.th, [[c.th for c in table.tab.columns]])
    return replace(data, tabs=tabs)


def validate(data: WorkbookData, options: ValidateOptions, office: Office | None = None) -> list[Problem]:
    """Every problem in the staff's entries; `office`, when the caller has loaded it already, is reused."""
    tables: dict[str, Table] = office.tables if office is not None else {tab.key: read_table(data, tab) for tab in INPUT_TABS}
    out = _Collector()
    _layout(tables, out)
    broken_titles = {p.tab for p in out.problems if p.code in LAYOUT_BLOCKERS}
    broken = {key for key, t in tables.items() if not t.exists or (t.title or t.tab.th) in broken_titles}
    whole = {key: t for key, t in tables.items() if key not in broken}
    _locale(data, tables, out)
    _cells(whole, out, options.strict, data.dates_as_text)
    _duplicate_keys(whole, out)
    if broken:
        stand_in = _stand_ins(data, tables, broken)
        tables = {tab.key: read_table(stand_in, tab) for tab in INPUT_TABS}
        office = load_office(stand_in, tables)
    else:
        office = office or load_office(data, tables)
    rules = {
        "settings": lambda: _settings_read(office, out),
        "weights": lambda: _weights(office, tables[KPIS.key], out),
        "kpis": lambda: _kpis(office, tables, out),
        "baselines": lambda: _baselines(office, tables, out),
        "templates": lambda: _templates(data, tables, out) if options.templates else None,
        "results": lambda: _results(office, tables, out),
        "deadlines": lambda: _deadlines(office, tables, options.today, out),
        "steps": lambda: _steps(office, tables, options.today, out),
        "agreements": lambda: _agreements(tables, out),
        "school_annex": lambda: _school_annex(office, tables, out),
        "people": lambda: _people(office, tables, out),
        "certification": lambda: _certification(office, tables, options.today, out),
    }
    skipped = []
    for name, reads in _RULES:
        if reads & broken:
            skipped.append(name)
        else:
            rules[name]()
    if skipped:
        first = next(p for p in out.problems if p.code in LAYOUT_BLOCKERS)
        th_names = ", ".join(_RULE_TH[n] for n in skipped)
        out.problems.append(Problem(
            Severity.INFO, "layout.rules_skipped", first.tab, first.cell, "layout",
            f"กฎที่อ่านแท็บหรือคอลัมน์ที่หายไปจะตรวจเมื่อแก้แล้ว ({th_names}) กฎอื่นตรวจครบแล้ว",
            f"the rules that read the missing tab or column wait until it is fixed ({', '.join(skipped)}); "
            "every other rule was checked"))
    return _sorted_unique(out.problems)


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_TAB_ORDER = {tab.th: i for i, tab in enumerate(INPUT_TABS + (SEALS,))}


def _sorted_unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for p in problems:
        if (p.code, p.cell, p.key) not in seen:
            seen.add((p.code, p.cell, p.key))
            unique.append(p)
    return sorted(unique, key=lambda p: (_SEVERITY_ORDER[p.severity], _TAB_ORDER.get(p.tab, 99), _cell_order(p.cell)))


def _cell_order(cell: str) -> tuple[int, str]:
    ref = cell.rsplit("!", 1)[-1]
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdecimal())
    return (int(digits) if digits else 0, letters.rjust(3))


# --- the command: validate, and with --write the problems tab and the marks ----------------------


@dataclass
class ValidateReport:
    target: str
    problems: list[Problem]
    written: bool = False
    marked_cells: int = 0
    today: dt.date = field(default_factory=lambda: config().today)
    notes: list[Words] = field(default_factory=list)  # (Thai, English) the backend said while writing

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)

    @property
    def exit_code(self) -> ExitCode:
        """3 when any entry is an error; warnings and notes alone pass."""
        return ExitCode.INVALID_DATA if self.count(Severity.ERROR) else ExitCode.OK


def run_validate(backend: Backend, options: ValidateOptions, write: bool = False) -> ValidateReport:
    data = backend.read() if write else backend.read(READ_ONLY)
    problems = validate(data, options)
    report = ValidateReport(backend.description, problems, today=options.today)
    if write:
        operations, report.marked_cells = plan_write(data, problems)
        report.notes = backend.apply(operations).notes
        report.written = True
    return report
