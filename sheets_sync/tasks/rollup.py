"""`rollup`: one view over many offices' workbooks, each read with one request, within Google's quota.

Offices are read one after another through the shared throttle (60 reads a minute by default), so a run of
245 offices takes about four minutes and meets no 429.  An office that cannot be read — not shared, deleted,
not a workbook, laid out wrongly — is listed with the reason and the run goes on.  Each office read is saved
to a cache at once, so `--resume` after an interruption reads only the offices not yet read.  The target
gets two generated tabs, written in one atomic apply.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from sheets_sync.domain.words import Words
from sheets_sync.backends.google.throttle import READS_PER_MINUTE
from sheets_sync.backends.target import Target, TargetKind, parse_target
from sheets_sync.domain.calendar import rounds_ended
from sheets_sync.domain.problems import Severity
from sheets_sync.domain.schema import ROLLUP, ROLLUP_FAILURES, ROUND_NUMBERS, SCORE_FORMAT, normalize
from sheets_sync.domain.scoring import display
from sheets_sync.domain.step_tracking import StepState
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.validate import ValidateOptions, validate
from sheets_sync.workbook.generated import rewrite_generated_tab
from sheets_sync.workbook.office import compile_office
from sheets_sync.workbook.operations import Backend, Value, WorkbookData

CODE_HEADERS = ("office_code", "code", "รหัสเขต", "รหัส")
NAME_HEADERS = ("office_name", "name", "ชื่อเขต", "ชื่อ")
SHEET_HEADERS = ("sheet", "url", "key", "สมุดงาน", "ลิงก์")


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    sheet: str


@dataclass
class OfficeSummary:
    code: str
    name: str
    sheet: str
    fiscal_year: int = 0
    results: dict[str, str | None] = field(default_factory=dict)  # round → result (4 decimals, text): official if sealed
    certified: list[str] = field(default_factory=list)  # the rounds whose result is official (sealed)
    band: str | None = None
    steps_late: int = 0
    results_missing: int = 0
    validation_errors: int = 0
    failure: Words | None = None  # (Thai, English) why it could not be read

    def result(self, round_: int) -> Decimal | None:
        value = self.results.get(str(round_))
        return Decimal(value) if value is not None else None


ROUNDS = ROUND_NUMBERS


def common_round(summaries: list[OfficeSummary]) -> int | None:
    """The latest round every office read has a result for: offices are ranked on the same round, never round
    12 of one beside round 9 (on half its weight) of another."""
    read = [s for s in summaries if s.failure is None]
    shared = [r for r in ROUNDS if read and all(s.result(r) is not None for s in read)]
    return shared[-1] if shared else None


def read_offices(path: Path) -> list[Office]:
    """offices.csv: a header row naming the code, name and sheet columns (Thai or English), then one row each.
    A relative path to an office's .xlsx is read from the CSV's own folder, wherever the command runs."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SheetsSyncError(ExitCode.NOT_FOUND, f"อ่านรายชื่อเขต {path} ไม่ได้", f"cannot read {path}: {exc}") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise SheetsSyncError(ExitCode.USAGE, f"{path} ว่างเปล่า", f"{path} is empty")
    header = [normalize(h) for h in rows[0]]

    def column(names: tuple[str, ...]) -> int:
        for name in names:
            if normalize(name) in header:
                return header.index(normalize(name))
        raise SheetsSyncError(ExitCode.USAGE, f"{path}: ไม่มีคอลัมน์ {names[2]} ({names[0]})",
                              f"{path}: no {names[0]} column (header: {', '.join(rows[0])})")

    code, name, sheet = column(CODE_HEADERS), column(NAME_HEADERS), column(SHEET_HEADERS)
    offices = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (max(code, name, sheet) + 1 - len(row))
        where = cells[sheet].strip()
        if where and not _is_google(where) and not Path(where).expanduser().is_absolute():
            where = str(path.parent / where)
        offices.append(Office(cells[code].strip(), cells[name].strip(), where))
    return offices


def summarize(office: Office, data: WorkbookData, today: dt.date) -> OfficeSummary:
    summary = OfficeSummary(office.code, office.name, office.sheet)
    compiled = compile_office(data, today)
    summary.fiscal_year = compiled.office.settings.fiscal_year
    summary.results = {str(s.round): str(display(s.official_result if s.seal is not None else s.office_result))
                       if s.seal is not None or s.office_result is not None else None for s in compiled.rounds}
    summary.certified = [str(s.round) for s in compiled.rounds if s.seal is not None]
    latest = next((s for s in reversed(compiled.rounds) if s.office_result is not None or s.seal is not None), None)
    band = (latest.official_band if latest.seal is not None else latest.band) if latest is not None else None
    summary.band = band.name if band else None
    summary.steps_late = sum(1 for p in compiled.steps if p.state is StepState.LATE)
    ended = rounds_ended(summary.fiscal_year, today)
    summary.results_missing = sum(len(s.missing) for s in compiled.rounds if s.round in ended)
    problems = validate(data, ValidateOptions(today), office=compiled.office)  # the office loaded once, for both
    summary.validation_errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return summary


def estimate_seconds(offices: list[Office], reads_per_minute: int = READS_PER_MINUTE) -> float:
    """How long the reads take at the quota: Google sheets pace the run, local files barely count."""
    google = sum(1 for o in offices if _is_google(o.sheet))
    return max(google - reads_per_minute, 0) * 60 / reads_per_minute + google * 0.5 + (len(offices) - google) * 0.1


def _is_google(sheet: str) -> bool:
    try:
        return parse_target(sheet).kind is TargetKind.GOOGLE
    except SheetsSyncError:
        return False


class Cache:
    """The offices already read in this run, saved after each one, keyed by the office list's content."""

    def __init__(self, path: Path, offices: list[Office], resume: bool) -> None:
        self.path = path
        self.run_id = hashlib.sha256(json.dumps([asdict(o) for o in offices]).encode()).hexdigest()[:16]
        self.entries: dict[str, dict] = {}
        if resume and path.is_file():
            saved = json.loads(path.read_text(encoding="utf-8"))
            if saved.get("run") == self.run_id:
                self.entries = saved.get("offices", {})

    def get(self, office: Office) -> OfficeSummary | None:
        entry = self.entries.get(office.code)
        if entry is None:
            return None
        entry = dict(entry)
        if entry.get("failure"):
            entry["failure"] = Words(*entry["failure"])
        return OfficeSummary(**entry)

    def put(self, summary: OfficeSummary) -> None:
        self.entries[summary.code] = asdict(summary)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"run": self.run_id, "offices": self.entries}, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)


@dataclass
class RollupReport:
    summaries: list[OfficeSummary] = field(default_factory=list)
    from_cache: int = 0
    seconds: float = 0.0
    ranked_on: int | None = None  # the round the offices are ranked on

    @property
    def failed(self) -> list[OfficeSummary]:
        return [s for s in self.summaries if s.failure is not None]

    @property
    def exit_code(self) -> ExitCode:
        """4 when an office could not be read: the table is partial and says which."""
        return ExitCode.BUILT_WITH_PROBLEMS if self.failed else ExitCode.OK


Progress = Callable[[OfficeSummary, bool], None]  # (the office just done, whether it came from the cache)


def run_rollup(offices: list[Office], open_office: Callable[[Target], Backend], target: Backend, today: dt.date,
               cache: Cache, progress: Progress | None = None, round_: int | None = None) -> RollupReport:
    """`round_`: the round to rank on; by default the latest round every office has (`common_round`)."""
    report = RollupReport()
    started = time.monotonic()
    seen: set[str] = set()
    for office in offices:
        # a repeated code is refused before the cache is asked: the cache is keyed by code, and would hand the
        # second row the first office's figures
        cached = cache.get(office) if office.code not in seen else None
        if cached is not None:
            summary, from_cache = cached, True
            report.from_cache += 1
        else:
            summary, from_cache = _read_one(office, open_office, today, seen), False
            if office.code not in seen:
                cache.put(summary)
        seen.add(office.code)
        report.summaries.append(summary)
        if progress is not None:
            progress(summary, from_cache)
    report.ranked_on = round_ or common_round(report.summaries)
    target.apply(plan_rollup(target_tabs(target), report.summaries, report.ranked_on))
    report.seconds = time.monotonic() - started
    return report


def _read_one(office: Office, open_office: Callable[[Target], Backend], today: dt.date, seen: set[str]) -> OfficeSummary:
    failed = OfficeSummary(office.code, office.name, office.sheet)
    if not office.code:
        failed.failure = Words("ไม่มีรหัสเขต", "the office has no code")
        return failed
    if office.code in seen:
        failed.failure = Words(f"รหัสเขต {office.code} ซ้ำในรายชื่อ", f"office code {office.code} appears twice in the list")
        return failed
    try:
        backend = open_office(parse_target(office.sheet))
        return summarize(office, backend.read(), today)
    except SheetsSyncError as exc:
        failed.failure = Words(exc.th, exc.en)
    except Exception as exc:  # noqa: BLE001 - one office's surprise must not stop the other 244
        failed.failure = Words("อ่านสมุดงานไม่ได้", f"cannot read the workbook: {type(exc).__name__}: {exc}")
    return failed


def target_tabs(target: Backend) -> set[str]:
    return set(target.read().tabs) if target.exists() else set()


def plan_rollup(existing: set[str], summaries: list[OfficeSummary], ranked_on: int | None = None) -> list:
    """The two tabs; offices ranked on `ranked_on` alone (an office without a result there has no rank)."""
    read = [s for s in summaries if s.failure is None]

    def on(s: OfficeSummary) -> Decimal | None:
        return s.result(ranked_on) if ranked_on is not None else None

    ranked = sorted(read, key=lambda s: (on(s) is None, -(on(s) or 0), s.code))
    rows: list[tuple[Value, ...]] = [tuple(c.th for c in ROLLUP.columns)]
    for rank, s in enumerate(ranked, start=1):
        rows.append((rank if on(s) is not None else None, s.code, s.name, s.fiscal_year or None, s.result(6),
                     s.result(9), s.result(12), ", ".join(s.certified) or None, s.band, s.steps_late,
                     s.results_missing, s.validation_errors, s.sheet))
    failures: list[tuple[Value, ...]] = [tuple(c.th for c in ROLLUP_FAILURES.columns)]
    failures += [(s.code, s.name, s.sheet, s.failure[0], s.failure[1]) for s in summaries if s.failure is not None]
    operations: list = []
    for tab, content in ((ROLLUP, rows), (ROLLUP_FAILURES, failures)):
        formats = tuple(c.number_format if c.number_format == SCORE_FORMAT else None for c in tab.columns)
        operations += rewrite_generated_tab(tab, tab.th if tab.th in existing else None, content, formats)
    return operations
