"""`init`: lay out a new workbook, or upgrade an old one, without touching anything staff typed.

The plan is computed from one read and carried out in one apply.  It adds missing tabs and missing columns
(at the right of what is there, so staff's own columns and their order stay), seeds settings and the ten
standard steps, and sets the layout: header style, frozen header row, widths of new columns, dropdowns,
BE date formats and protection.  Every cell it writes into an existing tab is written only if it is still
blank when the write happens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from sheets_sync.domain.words import Words
from sheets_sync.domain.cell import is_blank
from sheets_sync.config import config
from sheets_sync.domain.calendar import (
    fiscal_year_bounds,
    fiscal_year_of,
    parse_fiscal_year,
)
from sheets_sync.domain.schema import (
    GENERATED_TABS,
    INPUT_TABS,
    PEOPLE,
    PEOPLE_CHOICES,
    SETTINGS,
    SETTINGS_DECLARED,
    SHEET_LOCALE,
    SHEET_TIME_ZONE,
    STEPS,
    YESNO,
    ColumnType,
    Tab,
)
from sheets_sync.domain.standard_steps import STANDARD_STEPS, planned_dates
from sheets_sync.domain.thai import ParseError, is_yes, parse_date, parse_integer, quoted
from sheets_sync.tasks.live_checks import live_check_operations
from sheets_sync.workbook.operations import (
    INPUT_DATE_FORMAT,
    LAYOUT_MARK_KEY,
    AddTab,
    Backend,
    ColumnFormat,
    ColumnWidth,
    Conflict,
    DeleteTab,
    Dropdown,
    FreezeRows,
    Mark,
    Operation,
    Protect,
    SheetLocale,
    StyleHeader,
    Value,
    WorkbookData,
    WriteCells,
    fingerprint,
)
from sheets_sync.workbook.tables import (
    SettingEntry,
    map_header,
    read_settings,
    read_table,
)


@dataclass
class InitOptions:
    fiscal_year: int | None = None
    start_date: dt.date | None = None
    office_name: str | None = None
    today: dt.date = field(default_factory=lambda: config().today)
    drop_default_tab: bool = False  # a spreadsheet just created: its empty "Sheet1" goes once the tabs exist
    relayout: bool = False  # lay the tabs out again even when the workbook's layout mark says they are


@dataclass
class InitReport:
    target: str = ""
    created_workbook: bool = False
    fiscal_year: int = 0
    start_date: dt.date | None = None
    added_tabs: list[str] = field(default_factory=list)
    added_columns: list[tuple[str, str]] = field(default_factory=list)  # (tab, header)
    added_settings: list[str] = field(default_factory=list)
    seeded_steps: list[int] = field(default_factory=list)
    filled_cells: int = 0
    notes: list[Words] = field(default_factory=list)  # (Thai, English)
    conflicts: list[Conflict] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    layout_in_place: bool = False  # nothing was missing and the layout mark matched: nothing was written

    @property
    def changed_data(self) -> bool:
        return bool(self.added_tabs or self.added_columns or self.added_settings or self.seeded_steps
                    or self.filled_cells)


def layout_mark(layout: list[Operation]) -> str:
    """A fingerprint of the layout init lays down (headers' style, widths, dropdowns, live checks, protection):
    kept in the workbook, it lets an init with nothing missing write nothing. A column moved, or a new version
    of the layout, changes it."""
    return fingerprint([op for op in layout if not isinstance(op, ColumnWidth)])  # widths go with new columns only


def _used_width(data: WorkbookData, title: str) -> int:
    """The right-most column holding anything in any row: new columns go after it, never over a staff column."""
    rows = data.tabs[title].rows
    return max((i + 1 for row in rows for i, v in enumerate(row) if v not in (None, "")), default=0)


def _row_writes(title: str, row: int, cells: Mapping[int, Value], guarded: bool) -> list[WriteCells]:
    """One WriteCells per run of adjacent columns; guarded writes only land on cells still blank."""
    writes: list[WriteCells] = []
    run: list[int] = []
    for col in sorted(cells):
        if run and col != run[-1] + 1:
            writes.append(_write_run(title, row, run, cells, guarded))
            run = []
        run.append(col)
    if run:
        writes.append(_write_run(title, row, run, cells, guarded))
    return writes


def _write_run(title: str, row: int, run: list[int], cells: Mapping[int, Value], guarded: bool) -> WriteCells:
    values = (tuple(cells[c] for c in run),)
    expect = (tuple(None for _ in run),) if guarded else None
    return WriteCells(title, row, run[0], values, expect)


class _Planner:
    def __init__(self, data: WorkbookData, options: InitOptions, report: InitReport) -> None:
        self.data = data
        self.options = options
        self.report = report
        self.ops: list[Operation] = []
        self.layout: list[Operation] = []
        self.titles: dict[str, str] = {}
        self.columns: dict[str, dict[str, int]] = {}

    def plan(self) -> list[Operation]:
        for tab in INPUT_TABS + GENERATED_TABS:
            self._tab_and_columns(tab)
        self._settings()
        self._steps()
        for tab in INPUT_TABS:
            self._input_layout(tab)
        self.layout += live_check_operations(self.titles, self.columns)
        changes = locale_operations(self.data) + self.ops
        mark = layout_mark(self.layout)
        if not changes and self.data.layout_mark == mark and not self.options.relayout:
            self.report.layout_in_place = True
            return []
        return changes + self.layout + [Mark(LAYOUT_MARK_KEY, mark)]

    # tabs and headers

    def _tab_and_columns(self, tab: Tab) -> None:
        title = self.data.title_of(tab)
        existing = title is not None
        if title is None:
            title = tab.th
            self.ops.append(AddTab(title))
            self.report.added_tabs.append(title)
            columns: dict[str, int] = {}
            next_col = 1
        else:
            columns, _, _ = map_header(tab, self.data.tabs[title].header)
            next_col = _used_width(self.data, title) + 1
        self.titles[tab.key] = title
        new_headers: dict[int, Value] = {}
        for col, align in zip(tab.columns, tab.alignments()):
            if col.key in columns:
                continue
            columns[col.key] = next_col
            new_headers[next_col] = col.header
            self.layout.append(ColumnWidth(title, next_col, col.width, align))
            if existing:
                self.report.added_columns.append((title, col.header))
            next_col += 1
        self.ops.extend(_row_writes(title, 1, new_headers, guarded=existing))
        self.columns[tab.key] = columns
        self.layout.append(StyleHeader(title, max(columns.values()), generated=not tab.is_input))
        self.layout.append(FreezeRows(title, 1))
        self.layout.append(Protect(title, header_only=tab.is_input))

    def _input_layout(self, tab: Tab) -> None:
        title, columns = self.titles[tab.key], self.columns[tab.key]
        for col in tab.columns:
            index = columns[col.key]
            if col.choices:
                self.layout.append(Dropdown(title, index, tuple(c.th for c in col.choices), strict=not col.multiple))
            elif col.type is ColumnType.PERSON:
                # picked by name from `P01 — ชื่อ` (build keeps the list), read as the id; a typed id is fine too
                self.layout.append(Dropdown(title, index, source_tab=self.titles[PEOPLE_CHOICES.key], source_col=1,
                                            strict=False))
            if col.type is ColumnType.DATE:
                self.layout.append(ColumnFormat(title, index, INPUT_DATE_FORMAT))

    # settings

    def _settings(self) -> None:
        existing = read_settings(self.data)
        title, columns = self.titles[SETTINGS.key], self.columns[SETTINGS.key]
        fiscal_year = self._fiscal_year(existing)
        start_date = self._start_date(existing, fiscal_year)
        self.report.fiscal_year, self.report.start_date = fiscal_year, start_date
        chosen: dict[str, Value] = {"fiscal_year": fiscal_year, "start_date": start_date}
        if self.options.office_name:
            chosen["office_name"] = self.options.office_name
        grid = self.data.tabs.get(title)
        row = (grid.last_row if grid else 1) + 1
        guarded = grid is not None
        for setting in SETTINGS_DECLARED:
            if setting.key in existing:
                entry = existing[setting.key]
                if setting.key in chosen and is_blank(entry.value):
                    self.ops.extend(_row_writes(title, entry.row, {columns["value"]: chosen[setting.key]}, True))
                    self.report.filled_cells += 1
                continue
            value = chosen.get(setting.key, setting.default)
            if setting.type is ColumnType.YESNO and value in ("yes", "no"):
                value = next(c.th for c in YESNO if c.key == value)
            cells = {
                columns["key"]: setting.key,
                columns["value"]: value,
                columns["description"]: f"{setting.th} / {setting.en}",
            }
            self.ops.extend(_row_writes(title, row, cells, guarded))
            self.report.added_settings.append(setting.key)
            row += 1

    def _fiscal_year(self, existing: dict) -> int:
        entry = existing.get("fiscal_year")
        typed: int | None = None
        if entry is not None and not is_blank(entry.value):
            try:
                typed = parse_fiscal_year(entry.value)
            except ParseError:
                typed = None
                self.report.notes.append(Words(
                    f"อ่านปีงบประมาณ {quoted(entry.value)} ในแท็บตั้งค่าไม่ได้ (ควรเป็นปี พ.ศ. เช่น 2570) จึงใช้ปีที่ระบุหรือปีปัจจุบันในการวางแผน",
                    f"the settings tab's fiscal year {quoted(entry.value)} does not read as a BE year (e.g. 2570); "
                    "planned with the one given or the current one",
                ))
        wanted = self.options.fiscal_year
        if typed is not None:
            if wanted is not None and wanted != typed:
                self.report.notes.append(Words(
                    f"ปีงบประมาณในแท็บตั้งค่าคือ {typed} อยู่แล้ว ไม่ได้เปลี่ยนเป็น {wanted}",
                    f"the settings tab already says fiscal year {typed}; left as is, not changed to {wanted}",
                ))
            return typed
        if wanted is not None:
            return wanted
        return fiscal_year_of(self.options.today)

    def _start_date(self, existing: dict, fiscal_year: int) -> dt.date:
        entry = existing.get("start_date")
        wanted = self.options.start_date
        if entry is not None and not is_blank(entry.value):
            try:
                typed = parse_date(entry.value)
            except ParseError:
                typed = None
            if typed is not None:
                if wanted is not None and wanted != typed:
                    self.report.notes.append(Words(
                        "วันเริ่มในแท็บตั้งค่ามีอยู่แล้ว ไม่ได้เปลี่ยน",
                        "the settings tab already has a start date; left as is",
                    ))
                return typed
        return wanted or fiscal_year_bounds(fiscal_year)[0]

    # the ten standard steps

    def _steps(self) -> None:
        title, columns = self.titles[STEPS.key], self.columns[STEPS.key]
        settings = read_settings(self.data)
        working = is_yes(_effective(settings, "working_days"))
        try:
            due12 = parse_date(_effective(settings, "round12_due"))
        except ParseError:
            due12 = None
        assert self.report.start_date is not None
        plan = planned_dates(self.report.start_date, self.report.fiscal_year, working, due12)
        table = read_table(self.data, STEPS)
        by_number: dict[int, int] = {}
        for record in table.records:
            try:
                by_number.setdefault(parse_integer(record.get("step")), record.row)
            except ParseError:
                continue
        grid = self.data.tabs.get(title)
        row = (grid.last_row if grid else 1) + 1
        guarded = grid is not None
        for step in STANDARD_STEPS:
            start, end = plan[step.step]
            if step.step in by_number:
                existing_row = by_number[step.step]
                record = next(r for r in table.records if r.row == existing_row)
                blanks = {columns[k]: v for k, v in (("planned_start", start), ("planned_end", end))
                          if k not in table.columns or record.blank(k)}
                if blanks:
                    self.ops.extend(_row_writes(title, existing_row, blanks, True))
                    self.report.filled_cells += len(blanks)
                continue
            cells: dict[int, Value] = {
                columns["step"]: step.step,
                columns["work"]: step.work,
                columns["detail"]: step.detail,
                columns["duration"]: step.duration,
                columns["planned_start"]: start,
                columns["planned_end"]: end,
                columns["status"]: "ยังไม่เริ่ม",
                columns["responsible"]: step.responsible,
            }
            if step.quality_standard:
                cells[columns["quality_standard"]] = step.quality_standard
            self.ops.extend(_row_writes(title, row, cells, guarded))
            self.report.seeded_steps.append(step.step)
            row += 1


def _effective(settings: dict[str, SettingEntry], key: str) -> Value:
    """A setting's value as typed, or the default init writes when the row is missing."""
    entry = settings.get(key)
    if entry is not None and not is_blank(entry.value):
        return entry.value
    declared = next(s for s in SETTINGS_DECLARED if s.key == key)
    return declared.default


def locale_operations(data: WorkbookData) -> list[Operation]:
    """A Google Sheet parses what staff type by its locale; one not in th_TH / Asia/Bangkok is set so (a file
    on disk has no locale, and its data says None)."""
    if data.locale is None or (data.locale, data.time_zone) == (SHEET_LOCALE, SHEET_TIME_ZONE):
        return []
    return [SheetLocale(SHEET_LOCALE, SHEET_TIME_ZONE)]


def plan_init(data: WorkbookData, options: InitOptions) -> tuple[list[Operation], InitReport]:
    """What init would do to a workbook whose contents are `data`; pure, no I/O."""
    report = InitReport()
    planner = _Planner(data, options, report)
    report.operations = planner.plan()
    return report.operations, report


def run_init(backend: Backend, options: InitOptions) -> InitReport:
    created = not backend.exists()
    data = WorkbookData() if created else backend.read()
    for tab in INPUT_TABS + GENERATED_TABS:
        data.title_of(tab)  # two tabs that both read as one: refused before anything is planned
    operations, report = plan_init(data, options)
    if options.drop_default_tab:
        from sheets_sync.workbook.operations import empty_default_tabs

        operations += [DeleteTab(t) for t in empty_default_tabs(data)]
    report.target = backend.description
    report.created_workbook = created
    result = backend.apply(operations)
    report.conflicts = result.conflicts
    report.notes += result.notes
    return report
