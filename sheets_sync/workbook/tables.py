"""A tab's grid read through the schema: columns found by header, rows as records keyed by column key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sheets_sync.domain.cell import Location, is_blank
from sheets_sync.domain.schema import (
    KPIS,
    PERSON_SEPARATOR,
    SETTINGS,
    Column,
    ColumnType,
    Tab,
    normalize,
    person_ref,
    setting_by_key,
)
from sheets_sync.domain.thai import ParseError, format_date_be, parse_date, parse_number
from sheets_sync.workbook.operations import Grid, Value, WorkbookData, WriteCells, a1


@dataclass
class Record:
    row: int  # the sheet row, 1-based
    values: dict[str, Value]  # raw cell values by column key

    def get(self, key: str) -> Value:
        return self.values.get(key)

    def blank(self, key: str) -> bool:
        value = self.values.get(key)
        return is_blank(value)


@dataclass
class Table:
    tab: Tab
    title: str | None  # None when the workbook has no such tab
    grid: Grid | None
    columns: dict[str, int] = field(default_factory=dict)  # column key → 1-based column index
    duplicate_columns: dict[str, list[int]] = field(default_factory=dict)
    unknown_columns: dict[int, str] = field(default_factory=dict)  # staff's own columns, kept untouched
    records: list[Record] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return self.title is not None

    def location(self, record: Record, key: str) -> Location:
        """A record's cell by column key; the row's first cell if the column is unknown."""
        return Location(self.title or self.tab.th, record.row, self.columns.get(key, 1))

    def cell(self, record: Record, key: str) -> str:
        """A1 reference of a record's cell; the row's first cell if the column is unknown."""
        return self.location(record, key).a1

    def column_cell(self, key: str) -> str:
        return a1(self.title or self.tab.th, 1, self.columns.get(key, 1))

    def missing_columns(self) -> list[Column]:
        return [col for col in self.tab.columns if col.key not in self.columns]


def map_header(tab: Tab, header: list[Value]) -> tuple[dict[str, int], dict[str, list[int]], dict[int, str]]:
    columns: dict[str, int] = {}
    duplicates: dict[str, list[int]] = {}
    unknown: dict[int, str] = {}
    for index, text in enumerate(header, start=1):
        col = tab.column_for_header(text)
        if col is None:
            if normalize(text):
                unknown[index] = str(text)
            continue
        if col.key in columns:
            duplicates.setdefault(col.key, [columns[col.key]]).append(index)
            continue
        columns[col.key] = index
    return columns, duplicates, unknown


def read_table(data: WorkbookData, tab: Tab) -> Table:
    title = data.title_of(tab)
    if title is None:
        return Table(tab, None, None)
    grid = data.tabs[title]
    columns, duplicates, unknown = map_header(tab, grid.header)
    table = Table(tab, title, grid, columns, duplicates, unknown)
    for row_number, row in enumerate(grid.rows[1:], start=2):
        values = {key: (row[index - 1] if index <= len(row) else None) for key, index in columns.items()}
        if all(is_blank(v) for v in values.values()):
            continue  # blank rows are ignored (WORKBOOK.md); a row of only staff columns is theirs
        table.records.append(Record(row_number, values))
    return table


@dataclass
class SettingEntry:
    key: str
    value: Value
    row: int
    cell: str  # A1 reference of the value cell


def read_settings(data: WorkbookData) -> dict[str, SettingEntry]:
    """The settings tab as key → entry; keys may be typed as the English key or the Thai label."""
    table = read_table(data, SETTINGS)
    entries: dict[str, SettingEntry] = {}
    for record in table.records:
        setting = setting_by_key(str(record.get("key") or ""))
        key = setting.key if setting else normalize(record.get("key"))
        if key and key not in entries:
            entries[key] = SettingEntry(key, record.get("value"), record.row, table.cell(record, "value"))
    return entries


def append_rows(data: WorkbookData, tab: Tab, rows: list[dict[str, Value]]) -> list[WriteCells]:
    """Operations that add `rows` (column key → value) below the last row of `tab`, by header position."""
    table = read_table(data, tab)
    if table.title is None or table.grid is None:
        raise KeyError(f"the workbook has no {tab.key} tab")
    unknown = {key for row in rows for key in row} - set(table.columns)
    if unknown:
        raise KeyError(f"{tab.key} has no column for {sorted(unknown)}")
    first = table.grid.last_row + 1
    width = max(table.columns.values())
    writes = []
    for offset, row in enumerate(rows):
        values: list[Value] = [None] * width
        for key, value in row.items():
            values[table.columns[key] - 1] = value
        writes.append(WriteCells(table.title, first + offset, 1, (tuple(values),)))
    return writes


def set_settings(data: WorkbookData, values: dict[str, Value]) -> list[WriteCells]:
    """Operations that put `values` into the value cells of existing setting rows."""
    table = read_table(data, SETTINGS)
    entries = read_settings(data)
    if table.title is None:
        raise KeyError("the workbook has no settings tab")
    return [
        WriteCells(table.title, entries[key].row, table.columns["value"], ((value,),))
        for key, value in values.items()
    ]


def loose_value(col: Column, value: Value, dates_as_text: bool = False) -> Value:
    """The canonical value a loosely typed cell stands for, or None when it is not loose or does not read.

    Canonical is a number cell for numbers; for dates, a date cell on .xlsx, and on Google (`dates_as_text`)
    the BE text `1 ต.ค. 2569`, since a Google date cell cannot show a BE year.  A date cell whose year a
    spreadsheet made of BE typing (2569, or 1969 for `69`) is loose too: it shows the wrong year.
    """
    if col.type is ColumnType.DATE and isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        try:
            meant = parse_date(day)
        except ParseError:
            return None
        if dates_as_text:
            return format_date_be(meant)
        return meant if meant != day else None
    if not isinstance(value, str) or not value.strip():
        return None
    if col.type is ColumnType.PERSON and PERSON_SEPARATOR.strip() in value:
        return person_ref(value)  # picked by name from the list: kept as the id
    try:
        if col.type is ColumnType.DATE:
            meant = parse_date(value)
            if dates_as_text:
                canonical = format_date_be(meant)
                return canonical if canonical != value.strip() else None
            return meant
        if col.type in (ColumnType.NUMBER, ColumnType.INTEGER, ColumnType.ROUND, ColumnType.RESULT):
            number = parse_number(value)
            if len(number.as_tuple().digits) > 15:
                return None  # beyond a number cell's 15 significant digits: kept as the text it is, never rounded
            return int(number) if number == number.to_integral_value() else number
    except ParseError:
        return None
    return None


TEMPLATE_FIELDS = ("unit", "definition", "formula", "data_source", "evidence_required", "target", "collector")
"""The KPI template's fields an office fills in for each KPI (`validate --templates` lists the blank ones)."""


def blank_fields(data: WorkbookData) -> dict[int, list[str]]:
    """KPI row → the template fields left blank."""
    table = read_table(data, KPIS)
    return {r.row: [k for k in TEMPLATE_FIELDS if k in table.columns and r.blank(k)] for r in table.records}
