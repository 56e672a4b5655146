"""Per round: every KPI's score, weighted score, and the office result (Σ w·s / Σ w over the leaves).

A row that cannot be scored (an unreadable result, bad criteria, a committee KPI with no committee score,
a leaf with no weight) is left out of the total and carries its reason; a KPI with no result yet is shown
as not reported and is not a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sheets_sync.domain.words import Words
from sheets_sync.domain.cell import Value
from sheets_sync.domain.model import Kpi, Office, RoundResult
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.cell_reading import result_unreadable
from sheets_sync.domain.rules import committee_findings, index_results
from sheets_sync.domain.schema import ROUND_NUMBERS
from sheets_sync.domain.scoring import (
    Band,
    Method,
    ScoringError,
    band_for,
    display,
    score,
    weight_scale,
    weighted,
    weighted_mean,
)
from sheets_sync.domain.seals import Seal, SealFault
from sheets_sync.domain.thai import ParseError, parse_level, parse_number


@dataclass
class KpiScore:
    round: int
    kpi: Kpi
    result: Value = None  # as typed
    result_value: Decimal | None = None
    score: Decimal | None = None
    self_score: Decimal | None = None
    committee_score: Decimal | None = None
    score_used: Decimal | None = None
    weight: Decimal | None = None
    weighted: Decimal | None = None
    reported: bool = False
    is_parent: bool = False
    problem: Words | None = None  # (Thai, English): why it is left out
    problem_at: tuple[str, int, str] = ("kpis", 0, "kpi_id")  # (tab key, row, column key) of the cause
    note: Words | None = None  # (Thai, English): a remark that does not stop scoring

    @property
    def counted(self) -> bool:
        return self.score_used is not None and self.problem is None and not self.is_parent

    def shown_result(self, unit: bool = False) -> str:
        """The result as read, the one way every output shows it: `๘๕`, `85%` and `ร้อยละ 85` are all 85, a level
        is `ระดับ 5`; text that does not read as a result is shown as typed.  With `unit`, the KPI's unit beside
        it (`ร้อยละ 85`, `6 วัน`)."""
        if self.result_value is None:
            return "" if self.result is None else " ".join(str(self.result).split())
        if self.kpi.method is Method.MILESTONE:
            return f"ระดับ {int(self.result_value)}"
        text = format(self.result_value.normalize(), "f")
        name = self.kpi.unit.strip() if unit and self.kpi.unit else ""
        if not name:
            return text
        return f"{name} {text}" if name in ("ร้อยละ", "ระดับ") else f"{text} {name}"


@dataclass
class RoundSummary:
    round: int
    rows: list[KpiScore] = field(default_factory=list)
    office_result: Decimal | None = None
    total_weight: Decimal = Decimal(0)
    total_weighted: Decimal = Decimal(0)
    band: Band | None = None
    passed: bool = False
    seal: Seal | None = None  # the seal in force: the round's official result
    seal_fault: SealFault | None = None  # why a seal the tab shows for the round is not official (does not check)
    official_band: Band | None = None
    official_passed: bool = False

    @property
    def full_weight(self) -> Decimal:
        """The weight of every KPI that counts in the round, reported or not: what a final figure stands on."""
        return sum((r.weight for r in self.rows if not r.is_parent and r.weight is not None), Decimal(0))

    @property
    def weight_shown(self) -> Words:
        """How much weight the round's figure stands on, in words, while it is not all of it."""
        if self.total_weight >= self.full_weight:
            return Words("", "")
        counted, full = format(self.total_weight.normalize(), "f"), format(self.full_weight.normalize(), "f")
        return Words(f"คิดจากน้ำหนัก {counted} จาก {full} (ผลยังไม่ครบ)", f"on {counted} of {full} weight (incomplete)")

    @property
    def official_result(self) -> Decimal | None:
        return self.seal.official_result if self.seal is not None else None

    @property
    def provisional_differs(self) -> bool:
        return self.seal is not None and display(self.office_result) != display(self.official_result)

    @property
    def missing(self) -> list[KpiScore]:
        return [r for r in self.rows if not r.reported and not r.is_parent and r.problem is None]


def kpi_sort_key(kpi_id: str) -> tuple[tuple[int, int, str], ...]:
    """`2` < `2.1` < `2.10` < `10`: hierarchical ids compare part by part, numbers as numbers."""
    return tuple((0, int(p), "") if p.isdecimal() else (1, 0, p) for p in kpi_id.split("."))  # "²" is a digit, not a number


def leaves_of(office: Office) -> list[Kpi]:
    parents = {k.parent_id for k in office.kpis if k.parent_id}
    return [k for k in office.kpis if k.kpi_id not in parents]


def _score_leaf(kpi: Kpi, round_: int, entry: RoundResult | None, office: Office, scale: Decimal) -> KpiScore:
    row = KpiScore(round_, kpi, weight=kpi.weight)
    floor = office.settings.floor
    if entry is not None:
        row.result = entry.result
        row.self_score = entry.self_score
        row.committee_score = entry.committee_score
        row.reported = entry.has_result or entry.committee_score is not None
    # a cell that did not read leaves the KPI out with the words validate puts on that cell
    unread = office.unreadable
    if kpi.weight is None:
        row.problem = unread.get(("kpis", kpi.row, "weight"), Words("ไม่มีน้ำหนักตัวชี้วัด", "the KPI has no weight"))
        row.problem_at = ("kpis", kpi.row, "weight")
        return row
    if kpi.method is None:
        row.problem = unread.get(("kpis", kpi.row, "method"), Words("ไม่ได้ระบุวิธีให้คะแนน", "the KPI has no scoring method"))
        row.problem_at = ("kpis", kpi.row, "method")
        return row
    if not row.reported:
        return row
    if kpi.method in (Method.INTERPOLATE, Method.BANDED):
        bad = next((f"c{n}" for n in range(1, 6) if ("kpis", kpi.row, f"c{n}") in unread), None)
        if bad is not None:
            row.problem, row.problem_at = unread[("kpis", kpi.row, bad)], ("kpis", kpi.row, bad)
            return row
    if entry is not None and ("results", entry.row, "committee_score") in unread:  # never silently the formula's
        row.problem = unread[("results", entry.row, "committee_score")]
        row.problem_at = ("results", entry.row, "committee_score")
        return row
    for finding in committee_findings(entry) if entry is not None else []:
        # one rule with validate (domain/rules.py): a score out of range cannot be used; one without its reason
        # is used as the committee gave it, and the row says what is missing
        if finding.code == "results.committee_range":
            row.problem = Words(finding.th, finding.en)
            row.problem_at = ("results", entry.row if entry else 0, finding.column)
            return row
        row.note = Words(finding.th, finding.en)
    if entry is not None and entry.has_result and kpi.method is not Method.MANUAL:
        try:
            if kpi.method is Method.MILESTONE:
                level = parse_level(entry.result)
                row.result_value = Decimal(level)
                row.score = score(Method.MILESTONE, level, None, kpi.direction, floor)
            else:
                row.result_value = parse_number(entry.result)
                criteria = kpi.criteria
                if any(c is None for c in criteria):
                    raise ScoringError("เกณฑ์ต้องมีครบ 5 ระดับ", "criteria need all five levels")
                row.score = score(kpi.method, row.result_value, criteria, kpi.direction, floor)  # type: ignore[arg-type]
        except ParseError:
            row.problem = result_unreadable(kpi.method, entry.result)
            row.problem_at = ("results", entry.row, "result")
            return row
        except ScoringError as exc:
            row.problem = exc.words
            row.problem_at = ("kpis", kpi.row, "c1")
            return row
    row.score_used = row.committee_score if row.committee_score is not None else row.score
    if row.score_used is None:
        row.problem = Words("ตัวชี้วัดที่คณะกรรมการให้คะแนนต้องมีคะแนนคณะกรรมการ",
                       "a committee-scored KPI needs a committee score")
        row.problem_at = ("results", entry.row if entry else kpi.row, "committee_score")
        return row
    row.weighted = weighted(row.score_used, kpi.weight, scale)
    return row


def _parent_row(parent: Kpi, children: list[KpiScore], round_: int, scale: Decimal) -> KpiScore:
    counted = [c for c in children if c.counted and c.weight]
    row = KpiScore(round_, parent, is_parent=True, reported=bool(counted))
    row.weight = parent.weight if parent.weight is not None else sum((c.weight or Decimal(0) for c in children), Decimal(0))
    row.score_used = weighted_mean((c.weight, c.score_used) for c in counted)  # type: ignore[misc]
    row.score = row.score_used
    if row.score_used is not None and row.weight:
        row.weighted = weighted(row.score_used, row.weight, scale)
    return row


def compile_rounds(office: Office, rounds: tuple[int, ...] = ROUND_NUMBERS) -> tuple[list[RoundSummary], list[Problem]]:
    """Score every KPI that counts in each round; return the summaries and the problems they raised."""
    index = index_results(office)
    by_key, problems = index.by_key, list(index.problems)

    leaves = leaves_of(office)
    leaf_ids = {k.kpi_id for k in leaves}
    scale = weight_scale(k.weight for k in leaves if k.weight is not None)
    summaries: list[RoundSummary] = []
    seals = office.seals.current()
    voided = office.seals.voided()
    ordered = sorted(office.kpis, key=lambda k: kpi_sort_key(k.kpi_id))
    for round_ in rounds:
        summary = RoundSummary(round_, seal=seals.get(round_), seal_fault=voided.get(round_))
        if summary.official_result is not None:
            summary.official_band = band_for(summary.official_result, office.settings.bands)
            summary.official_passed = display(summary.official_result) >= office.settings.pass_score  # type: ignore[operator]
        leaf_rows = {k.kpi_id: _score_leaf(k, round_, by_key.get((k.kpi_id, round_)), office, scale)
                     for k in leaves if k.counts_in(round_)}
        children_of: dict[str | None, list[KpiScore]] = {}  # parent → its leaves, built once: linear, not KPIs²
        for leaf_row in leaf_rows.values():
            children_of.setdefault(leaf_row.kpi.parent_id, []).append(leaf_row)
        rows: list[KpiScore] = []
        for kpi in ordered:
            if kpi.kpi_id in leaf_rows:
                rows.append(leaf_rows[kpi.kpi_id])
            elif kpi.kpi_id not in leaf_ids and kpi.counts_in(round_):
                rows.append(_parent_row(kpi, children_of.get(kpi.kpi_id, []), round_, scale))
        summary.rows = rows
        counted = [r for r in rows if r.counted]
        summary.total_weight = sum((r.weight for r in counted if r.weight is not None), Decimal(0))
        summary.total_weighted = sum((r.weighted for r in counted if r.weighted is not None), Decimal(0))
        summary.office_result = weighted_mean((r.weight, r.score_used) for r in counted if r.weight)  # type: ignore[misc]
        if summary.office_result is not None:
            summary.band = band_for(summary.office_result, office.settings.bands)
            summary.passed = display(summary.office_result) >= office.settings.pass_score  # type: ignore[operator]
        for r in rows:
            if r.problem is not None:
                tab_key, row_number, col_key = r.problem_at
                problems.append(office.problem(Severity.ERROR, "score.unscorable", tab_key, row_number or r.kpi.row,
                                               col_key, f"{r.kpi.kpi_id}/{round_}",
                                               f"รอบ {round_} ตัวชี้วัด {r.kpi.kpi_id}: {r.problem[0]} จึงไม่นำมารวม",
                                               f"round {round_}, KPI {r.kpi.kpi_id}: {r.problem[1]}; left out of the total"))
        summaries.append(summary)
    return summaries, problems


def rounds_with_results(office: Office) -> tuple[int, ...]:
    """The rounds that have any result typed, in order; round 6 when there is none yet."""
    found = tuple(r for r in ROUND_NUMBERS if any(e.round == r and (e.has_result or e.committee_score is not None)
                                                  for e in office.results))
    return found or ROUND_NUMBERS[:1]
