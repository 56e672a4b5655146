"""`build`: compile the generated tabs from the staff's entries, in one read and one atomic apply.

Staff tabs are never written.  When the compiled tabs equal what the workbook already holds, nothing is
written at all, so a scheduled build that finds no change costs one read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sheets_sync.domain.words import Words
from sheets_sync.domain import palette
from sheets_sync.exit_codes import ExitCode
from sheets_sync.domain.scoring import verdict as pass_words
from sheets_sync.config import config
from sheets_sync.domain.cell import listed, within_cell
from sheets_sync.domain.certification import (
    NOT_CERTIFIED_EN,
    NOT_CERTIFIED_TH,
    official_wording,
)
from sheets_sync.domain.model import METHOD_TH
from sheets_sync.domain.problems import Problem
from sheets_sync.domain.round_scores import (
    KpiScore,
)
from sheets_sync.domain.schema import (
    ALL_TABS,
    OWNER_SUMMARY,
    PEOPLE_CHOICES,
    PERSON_SEPARATOR,
    SCORE_SUMMARY,
    STEP_SUMMARY,
    Tab,
)
from sheets_sync.domain.scoring import Band, band_for, display
from sheets_sync.domain.step_tracking import STATE_COLOURS
from sheets_sync.tasks.protect import plan_protection
from sheets_sync.tasks.snapshot import take_snapshot
from sheets_sync.workbook.generated import column_formats, rewrite_generated_tab
from sheets_sync.domain.year import Compiled
from sheets_sync.workbook.office import compile_office
from sheets_sync.workbook.operations import (
    MARK_PREFIX,
    Backend,
    Conflict,
    Mark,
    Operation,
    ReadScope,
    ReplaceTab,
    Value,
    WorkbookData,
    fingerprint,
    block_rows,
    row_blocks,
    unchanged_spans,
)

BUILT_TABS: tuple[Tab, ...] = (SCORE_SUMMARY, STEP_SUMMARY, OWNER_SUMMARY, PEOPLE_CHOICES)
BUILD_READ = ReadScope(ALL_TABS, BUILT_TABS)
"""What build reads: the staff's tabs whole, its own summaries by their header (their content marks say whether
they changed), so a build does not download what it is about to replace."""
FAIL_COLOUR, PASS_COLOUR, GOOD_COLOURS = palette.RED, palette.AMBER, palette.GREENS


@dataclass
class BuildOptions:
    today: dt.date = field(default_factory=lambda: config().today)
    rounds: tuple[int, ...] | None = None  # None: rounds with results, and rounds already ended
    dry_run: bool = False
    snapshot: bool | None = None  # keep a snapshot of what was read; None: the setting snapshot_on_build


@dataclass
class TabChange:
    title: str
    rows_before: int
    rows_after: int
    changed: bool


@dataclass
class BuildReport:
    target: str
    compiled: Compiled
    changes: list[TabChange]
    written: bool
    requests: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[Words] = field(default_factory=list)  # (Thai, English) the backend said while writing
    snapshot: Path | None = None

    @property
    def problems(self) -> list[Problem]:
        return self.compiled.problems

    @property
    def exit_code(self) -> ExitCode:
        """4 when the tabs were built but some entries could not be used (they are listed); 0 otherwise."""
        return ExitCode.BUILT_WITH_PROBLEMS if self.problems else ExitCode.OK


def band_colour(band: Band | None, bands: list[Band], pass_score: Decimal) -> str:
    if band is None or band.threshold < pass_score:
        return FAIL_COLOUR
    above = [b for b in bands if b.threshold >= pass_score]
    index = above.index(band) if band in above else 0
    return PASS_COLOUR if index == 0 else GOOD_COLOURS[min(index - 1, len(GOOD_COLOURS) - 1)]


def _status_text(row: KpiScore) -> str | None:
    if row.problem is not None:
        return f"{row.problem[0]} / {row.problem[1]}"
    if row.is_parent:
        return "ผลรวมของตัวชี้วัดย่อย ไม่นับซ้ำ / from its sub-KPIs, not counted twice"
    if not row.reported:
        return "ยังไม่รายงาน / not reported"
    if row.note is not None:
        return f"{row.note[0]} / {row.note[1]}"
    return None


def score_rows(compiled: Compiled) -> tuple[list[tuple[Value, ...]], list[tuple[int, int, str]]]:
    settings = compiled.office.settings
    col = {c.key: i for i, c in enumerate(SCORE_SUMMARY.columns, start=1)}
    rows: list[tuple[Value, ...]] = [tuple(c.th for c in SCORE_SUMMARY.columns)]
    fills: list[tuple[int, int, str]] = []
    for summary in compiled.rounds:
        for r in summary.rows:
            band = None
            if r.score_used is not None and r.problem is None:
                band = band_for(r.score_used, settings.bands)
                fills.append((len(rows) + 1, col["score_used"], band_colour(band, settings.bands, settings.pass_score)))
            rows.append((
                summary.round, r.kpi.kpi_id, r.kpi.name, METHOD_TH.get(r.kpi.method, "") if r.kpi.method else "",
                r.result if not isinstance(r.result, str) else r.result.strip(),
                display(r.score), display(r.self_score), display(r.committee_score), display(r.score_used),
                r.weight, display(r.weighted), band.name if band else None, _status_text(r),
            ))
        verdict = None
        if summary.office_result is not None:
            verdict = " / ".join(pass_words(summary.passed))
            total_row = len(rows) + 1
            colour = band_colour(summary.band, settings.bands, settings.pass_score)
            fills += [(total_row, c, colour) for c in range(1, len(SCORE_SUMMARY.columns) + 1)]
        if summary.seal is None and verdict is not None:
            verdict += f" · {NOT_CERTIFIED_TH} / {NOT_CERTIFIED_EN}"
        rows.append((
            summary.round, "รวม", f"ผลคะแนนเฉลี่ยถ่วงน้ำหนัก รอบ {summary.round} เดือน (office result)"
            + (" จากข้อมูลปัจจุบัน (provisional)" if summary.seal is not None else ""), None, None,
            None, None, None, display(summary.office_result), summary.total_weight, display(summary.total_weighted),
            summary.band.name if summary.band else None, verdict or "ยังไม่มีผลที่นับได้ / no countable result yet",
        ))
        if summary.seal is not None:
            official_th, official_en = official_wording(summary)
            verdict = " / ".join(pass_words(summary.official_passed))
            fills += [(len(rows) + 1, c, band_colour(summary.official_band, settings.bands, settings.pass_score))
                      for c in range(1, len(SCORE_SUMMARY.columns) + 1)]
            rows.append((
                summary.round, "ทางการ", f"ผลอย่างเป็นทางการ รอบ {summary.round} เดือน (official result, sealed)", None,
                None, None, None, None, display(summary.official_result), None, None,
                summary.official_band.name if summary.official_band else None,
                f"{verdict} · {official_th} / {official_en}",
            ))
    return rows, fills


def step_rows(compiled: Compiled) -> tuple[list[tuple[Value, ...]], list[tuple[int, int, str]]]:
    rows: list[tuple[Value, ...]] = [tuple(c.th for c in STEP_SUMMARY.columns)]
    fills: list[tuple[int, int, str]] = []
    state_col = [c.key for c in STEP_SUMMARY.columns].index("state") + 1
    for progress in compiled.steps:
        s = progress.step
        if progress.state in STATE_COLOURS:
            fills.append((len(rows) + 1, state_col, STATE_COLOURS[progress.state]))
        rows.append((s.number, s.detail, s.planned_start, s.planned_end, s.actual_start, s.actual_end,
                     progress.days_late, progress.state.th, s.responsible or None))
    return rows, fills


def owner_rows(compiled: Compiled) -> list[tuple[Value, ...]]:
    rows: list[tuple[Value, ...]] = [tuple(c.th for c in OWNER_SUMMARY.columns)]
    for load in compiled.owners:
        rows.append((load.person_id, load.name, listed(load.owned), listed(load.supervised),
                     load.missing.get(6), load.missing.get(9), load.missing.get(12), display(load.average_score)))
    return rows


def choice_rows(compiled: Compiled) -> list[tuple[Value, ...]]:
    """`P01 — name` per person with an id: the person dropdowns' list."""
    rows: list[tuple[Value, ...]] = [tuple(c.th for c in PEOPLE_CHOICES.columns)]
    rows += [(f"{p.person_id}{PERSON_SEPARATOR}{p.name}" if p.name else p.person_id,)
             for p in compiled.office.people if p.person_id]
    return rows


def generated_contents(compiled: Compiled) -> dict[str, tuple[list[tuple[Value, ...]], list[tuple[int, int, str]]]]:
    contents = {
        SCORE_SUMMARY.key: score_rows(compiled),
        STEP_SUMMARY.key: step_rows(compiled),
        OWNER_SUMMARY.key: (owner_rows(compiled), []),
        PEOPLE_CHOICES.key: (choice_rows(compiled), []),
    }
    # no text longer than a cell holds: a cut cell would read back changed and every build would write again
    return {key: ([tuple(within_cell(v) for v in row) for row in rows], fills)
            for key, (rows, fills) in contents.items()}


# --- comparing with what the workbook holds ---------------------------------------------------------


def _norm(value: Value) -> Value:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).normalize()
    if isinstance(value, dt.datetime):
        return value.date()
    if value == "":
        return None
    return value


def _norm_rows(rows: list) -> list[tuple]:
    out = []
    for row in rows:
        values = [_norm(v) for v in row]
        while values and values[-1] is None:
            values.pop()
        out.append(tuple(values))
    while out and not out[-1]:
        out.pop()
    return out


def content_mark_key(tab: Tab) -> str:
    return f"{MARK_PREFIX}content {tab.key}"


def _rows_in(mark: str | None) -> int:
    """The row count a content mark holds ("<fingerprint> <rows> [b<rows per block>:<block>,…]")."""
    parts = (mark or "").split(" ")
    return int(parts[1]) if len(parts) > 1 and re.fullmatch(r"[0-9]+", parts[1]) else 0  # not `²`, which isdigit


def _blocks_in(mark: str | None, size: int) -> list[str]:
    """The per-block fingerprints a content mark holds, when its blocks were `size` rows long."""
    parts = (mark or "").split(" ")
    tag = f"b{size}:"
    return parts[2][len(tag):].split(",") if len(parts) > 2 and parts[2].startswith(tag) else []


def plan_build(data: WorkbookData, compiled: Compiled) -> tuple[list[Operation], list[TabChange]]:
    """The rewrites of the summaries that changed.  Each rewrite leaves a content mark (its fingerprint and row
    count) in the workbook; a summary read by its header alone (Google) is changed when its mark differs, one read
    whole (a file) when its cells or its mark differ."""
    operations: list[Operation] = []
    changes: list[TabChange] = []
    contents = generated_contents(compiled)  # once for all three tabs, not once per tab
    for tab in BUILT_TABS:
        rows, fills = contents[tab.key]
        title = data.title_of(tab)
        rewrite = rewrite_generated_tab(tab, title, rows, column_formats(tab), tuple(fills))
        key, mark = content_mark_key(tab), f"{fingerprint(rewrite)} {len(rows) - 1}"
        stored = data.marks.get(key)
        if data.headers_only:  # a workbook read by headers (Google) also fingerprints each block of rows: see below
            replace_op = next(op for op in rewrite if isinstance(op, ReplaceTab))
            size = block_rows(len(rows))
            blocks = row_blocks(replace_op, size)
            mark += f" b{size}:{','.join(blocks)}"
        known_by_mark = title is not None and title in data.headers_only
        if known_by_mark:
            rows_before, changed = _rows_in(stored), stored != mark
        else:
            before = data.tabs[title].rows if title else []
            rows_before = max(len(before) - 1, 0)
            changed = title is None or stored != mark or _norm_rows(before) != _norm_rows(rows)
        changes.append(TabChange(title or tab.th, rows_before, len(rows) - 1, changed))
        if changed:
            if known_by_mark:
                # read by its header, the tab is known by its mark alone: rows the mark says the workbook already
                # holds are not sent (a tab read whole, whose cells may differ from its mark, is written whole)
                keep = unchanged_spans(_blocks_in(stored, size), blocks, len(rows), size)
                rewrite = [dataclasses.replace(replace_op, unchanged=keep) if op is replace_op else op for op in rewrite]
            operations += [*rewrite, Mark(key, mark)]
    return operations, changes


def run_build(backend: Backend, options: BuildOptions) -> BuildReport:
    # a snapshot keeps every tab whole; otherwise the summaries are read by their header and their marks
    data = backend.read(None if options.snapshot else BUILD_READ)
    compiled = compile_office(data, options.today, options.rounds)
    keep = options.snapshot if options.snapshot is not None else compiled.office.settings.snapshot_on_build
    if keep and data.headers_only:  # the setting asks for a snapshot: one more read, whole, for it
        data = backend.read()
    operations, changes = plan_build(data, compiled)
    if compiled.office.settings.protect_rows and data.protections is not None:
        # rows staff added since the last run get their people's protection, in the same one write
        operations += plan_protection(data, compiled.office, backend.account).operations()
    report = BuildReport(backend.description, compiled, changes, written=False)
    if keep and not options.dry_run:  # from the data already read: a history at no extra read
        report.snapshot = take_snapshot(backend, data, "build")
    if operations and not options.dry_run:
        result = backend.apply(operations)
        report.written = True
        report.conflicts = result.conflicts
        report.notes = result.notes
    report.requests = backend.requests
    return report

