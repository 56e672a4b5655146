"""`changes`: what changed in the input tabs since a snapshot — who typed what where is Google's to know; what
changed is ours, and snapshots are the only record of the past (Google's API gives only the current state).

Rows are matched by their key (KPI id; KPI id + round; person id; step; setting; agreement level + parties),
never by row number: a row inserted above others does not make them all "changed".  Values are compared as a
person means them: a date cell and the BE text of the same day are the same, as are 3 and 3.0, and a choice
typed in Thai or as its English key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sheets_sync.domain.cell import is_blank
from sheets_sync.config import config
from sheets_sync.domain.model import kpi_id_text
from sheets_sync.domain.schema import CHANGES, INPUT_TABS, SETTINGS, Column, ColumnType, Tab, normalize, setting_by_key
from sheets_sync.domain.seals import canonical
from sheets_sync.domain.thai import ParseError, format_date_be, parse_date
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.snapshot import read_snapshot, snapshots_of
from sheets_sync.workbook.generated import column_formats, rewrite_generated_tab, rows_so_far
from sheets_sync.workbook.operations import Backend, Value, WorkbookData
from sheets_sync.workbook.tables import Record, Table, read_table

CHANGED, ADDED, REMOVED = "changed", "added", "removed"
KIND_TH = {c.key: c.th for c in CHANGES.column("kind").choices}


@dataclass(frozen=True)
class Change:
    kind: str
    tab: str  # the tab's title now (or then, for a tab that is gone)
    cell: str  # A1 now; for a removed row, where it was
    key: str
    column: str  # the column key; "" for a whole row added or removed
    before: Value = None
    after: Value = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "tab": self.tab, "cell": self.cell, "key": self.key, "column": self.column,
                "before": _shown(self.before), "after": _shown(self.after)}


def _shown(value: Value) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date_be(value if isinstance(value, dt.date) else value.date())
    return canonical(value) if not is_blank(value) else None


def _meaning(col: Column, value: Value) -> str:
    """A value as a person means it, for comparing."""
    if is_blank(value):
        return ""
    if col.type is ColumnType.DATE:
        try:
            return parse_date(value).isoformat()
        except ParseError:
            pass
    if col.choices:
        choice = col.choice_for(str(value))
        if choice is not None:
            return choice.key
    if col.key in ("kpi_id", "parent_id"):
        return kpi_id_text(value)
    return canonical(value)


def _key(table: Table, record: Record) -> str:
    if table.tab is SETTINGS:
        setting = setting_by_key(str(record.get("key") or ""))
        return setting.key if setting else normalize(record.get("key"))
    return "/".join(_meaning(table.tab.column(k), record.get(k)) for k in table.tab.key_columns)


def repeated(key: str, occurrence: int) -> str:
    return f"{key} (รหัสซ้ำ ครั้งที่ {occurrence} / repeated key, occurrence {occurrence})"


def _keyed(table: Table) -> dict[str, Record]:
    """Rows by key; a key typed on several rows is told apart by its occurrence, so a row added or edited under a
    repeated key is reported (and says that the key is repeated) rather than hidden behind the first."""
    found: dict[str, Record] = {}
    seen: dict[str, int] = {}
    for record in table.records:
        key = _key(table, record)
        seen[key] = seen.get(key, 0) + 1
        found[key if seen[key] == 1 else repeated(key, seen[key])] = record
    return found


def diff(then: WorkbookData, now: WorkbookData, tabs: tuple[Tab, ...] = INPUT_TABS) -> list[Change]:
    changes: list[Change] = []
    for tab in tabs:
        old, new = read_table(then, tab), read_table(now, tab)
        if not old.exists and not new.exists:
            continue
        title = new.title or old.title or tab.th
        before, after = _keyed(old), _keyed(new)
        for key, record in after.items():
            if key not in before:
                changes.append(Change(ADDED, title, new.cell(record, tab.key_columns[0]), key, ""))
                continue
            previous = before[key]
            for col in tab.columns:
                if col.key in tab.key_columns and tab is not SETTINGS:
                    continue
                a, b = previous.get(col.key), record.get(col.key)
                if _meaning(col, a) != _meaning(col, b):
                    changes.append(Change(CHANGED, title, new.cell(record, col.key), key, col.key, a, b))
        for key, record in before.items():
            if key not in after:
                changes.append(Change(REMOVED, title, old.cell(record, tab.key_columns[0]), key, ""))
    return changes


@dataclass
class ChangesReport:
    target: str
    since: Path
    changes: list[Change] = field(default_factory=list)
    written: bool = False


def latest_snapshot(backend: Backend) -> Path:
    found = snapshots_of(backend)
    if not found:
        raise SheetsSyncError(ExitCode.NOT_FOUND, "ยังไม่มีสำเนา (snapshot) ของสมุดงานนี้ สั่ง sheets-sync snapshot ก่อน",
                              "there is no snapshot of this workbook yet; run `sheets-sync snapshot` first")
    return found[-1]


def history_rows(data: WorkbookData, changes: list[Change], since: Path, today: dt.date) -> list[tuple[Value, ...]]:
    rows = rows_so_far(data, CHANGES)
    for c in changes:
        shown = c.as_dict()
        rows.append((today, since.stem, KIND_TH[c.kind], c.tab, c.cell, c.key, c.column or None,
                     shown["before"], shown["after"]))
    return rows


def run_changes(backend: Backend, since: Path | None, tabs: tuple[Tab, ...] = INPUT_TABS, write: bool = False,
                today: dt.date | None = None) -> ChangesReport:
    since = since or latest_snapshot(backend)
    then = read_snapshot(since, verify=False)  # only compared, never written back: a copy without manifest will do
    now = backend.read()
    report = ChangesReport(backend.description, since, diff(then, now, tabs))
    if write and report.changes:
        backend.apply(rewrite_generated_tab(CHANGES, now.title_of(CHANGES),
                                            history_rows(now, report.changes, since, today or config().today),
                                            column_formats(CHANGES)))
        report.written = True
    return report
