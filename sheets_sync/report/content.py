"""What the year's performance report says, whatever its format: the data, the tables' rows, the words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sheets_sync.domain.cell import is_blank
from sheets_sync.domain.certification import NOT_CERTIFIED_TH
from sheets_sync.domain.official_words import full_name, levels_in_words
from sheets_sync.domain.round_scores import KpiScore, RoundSummary, kpi_sort_key
from sheets_sync.domain.schema import AGREEMENTS, CERTIFICATION, ROUND_NUMBERS
from sheets_sync.domain.scoring import display
from sheets_sync.domain.scoring import verdict as pass_words
from sheets_sync.domain.thai import ParseError, format_date_be, parse_date
from sheets_sync.domain.year import Compiled
from sheets_sync.workbook.office import compile_office
from sheets_sync.workbook.operations import WorkbookData
from sheets_sync.workbook.tables import read_table

TITLE = "เอกสารรายงานผลการปฏิบัติราชการ"
FORMATS = (".docx", ".pdf", ".html")


def round_headline(summary: RoundSummary) -> str:
    """The round's figure as the report states it: the official (sealed) result, or the result from the current
    entries marked ยังไม่ผ่านการรับรอง — one wording for every format."""
    if summary.office_result is None and summary.seal is None:
        return "ผลคะแนนเฉลี่ยถ่วงน้ำหนัก - (ยังไม่มีผล)"
    if summary.seal is not None:
        band = summary.official_band.name if summary.official_band else "-"
        verdict = pass_words(summary.official_passed)[0]
        line = f"ผลอย่างเป็นทางการ (รับรองและผนึกแล้ว) {fmt(summary.official_result)} ระดับ {band} ({verdict})"
        if summary.provisional_differs:
            line += f" · ผลจากข้อมูลปัจจุบัน {fmt(summary.office_result) or '-'} (ยังไม่ผ่านการรับรอง)"
        return line
    band = summary.band.name if summary.band else "-"
    verdict = pass_words(summary.passed)[0]
    return (f"ผลเบื้องต้น: ผลคะแนนเฉลี่ยถ่วงน้ำหนัก {fmt(summary.office_result)} ระดับ {band} ({verdict}) "
            f"{weight_reported(summary)} — {NOT_CERTIFIED_TH}")


def provisional(summary: RoundSummary) -> str:
    """What an unsealed figure says wherever it stands (the cover, a chart's bar): provisional, and on how much
    weight.  Blank for a sealed round."""
    if summary.seal is not None:
        return ""
    possible = summary.full_weight
    weight = f"น้ำหนัก {fmt_plain(summary.total_weight)}/{fmt_plain(possible)}"
    return f"ผลเบื้องต้น ยังไม่ผ่านการรับรอง ({weight})"


def weight_reported(summary: RoundSummary) -> str:
    """How much of the round's weight the figure stands on: 4.2588 from weight 51 of 100 is not the year's result."""
    possible = sum((r.weight or 0 for r in summary.rows if not r.is_parent), Decimal(0))
    counted = summary.total_weight
    if counted >= possible:
        return f"จากน้ำหนักครบ {fmt_plain(counted)}"
    return f"จากน้ำหนักที่รายงานแล้ว {fmt_plain(counted)} จาก {fmt_plain(possible)} (ยังรายงานไม่ครบ)"


@dataclass
class Agreement:
    level: str
    maker: str
    maker_position: str
    receiver: str
    receiver_position: str
    signed_on: str


@dataclass
class Section:
    """A table the report adds when the workbook has what it needs: its heading, header and rows."""

    heading: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Comparison:
    kpi_id: str
    name: str
    last_year: Decimal | None  # last year's score at the same round (the sealed one when sealed)
    this_year: Decimal | None  # this year's score at that round
    this_round: int | None


@dataclass
class ReportData:
    compiled: Compiled
    round: int
    agreements: list[Agreement] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    comparison: list[Comparison] = field(default_factory=list)
    last_fiscal_year: int | None = None
    certification: dict[int, dict[str, int]] = field(default_factory=dict)  # round → Thai state → count
    notes: list[str] = field(default_factory=list)

    @property
    def settings(self):
        return self.compiled.office.settings

    @property
    def summary(self) -> RoundSummary:
        return next(s for s in self.compiled.rounds if s.round == self.round)

    @property
    def heading(self) -> str:
        return f"{TITLE} {self.office_name} ปีงบประมาณ พ.ศ. {self.settings.fiscal_year}"

    @property
    def office_name(self) -> str:
        """Spelled in full, as the cover of an official report names the office."""
        return full_name(self.settings.office_name)


def cover_lines(report: "ReportData") -> list[tuple[str, int, bool]]:
    """The cover, line by line (text, size, bold), the same in every format: the title, the office in full, the
    year, the round — and, while the round is not sealed, that its figures are provisional and on what weight."""
    lines = [(TITLE, 26, True), (report.office_name, 20, True),
             (f"ปีงบประมาณ พ.ศ. {report.settings.fiscal_year}", 20, True),
             (f"ผลการดำเนินงานรอบ {report.round} เดือน", 18, False)]
    mark = provisional(report.summary)
    if mark:
        lines.append((f"{mark} — ตัวเลขในรายงานนี้อาจเปลี่ยนได้จนกว่าจะรับรองและผนึกผล", 16, True))
    return lines


def fmt(value) -> str:
    """A figure as the official tables print it: 4 decimals, half-up; blank when there is none."""
    shown = display(value) if value is not None else None
    return "" if shown is None else f"{shown}"


def weighted_share(row: KpiScore, summary: RoundSummary) -> Decimal | None:
    """A KPI's part of the office result: score used × weight ÷ the weight the round's figure stands on.  With every
    KPI reported that is score × weight / 100; with 51 of 100 reported, ÷ 51 — so the column adds up to the office
    result either way, and a reader can check it with a pencil."""
    if not row.counted or row.weight is None or not summary.total_weight:
        return None
    return row.score_used * row.weight / summary.total_weight  # type: ignore[operator]


def kpi_rows(summary: RoundSummary) -> list[list[str]]:
    """The official layout: KPI, unit, weight, levels 1–5, result, self score, committee score, the score used and
    its weighted share.  A sub-KPI sits indented under its parent, its weight in parentheses (inside the
    parent's); the parent's score is its children's mean and carries no share of its own: the leaves do."""
    parents = {r.kpi.kpi_id for r in summary.rows if r.is_parent}
    rows = []
    for r in summary.rows:
        child = r.kpi.parent_id in parents
        weight = fmt_plain(r.weight)
        self_score = r.self_score if r.self_score is not None else r.score
        rows.append([("\u2003" if child else "") + f"{r.kpi.kpi_id} {r.kpi.name}", r.kpi.unit,
                     f"({weight})" if child and weight else weight, *levels_in_words(r.kpi), r.shown_result(),
                     "" if r.is_parent else fmt(self_score), fmt(r.committee_score), fmt(r.score_used),
                     fmt(weighted_share(r, summary))])
    return rows


def kpi_total(summary: RoundSummary) -> list[str]:
    """The closing row: the weight the figure stands on and the sum of the shares, which is the office result."""
    return ["รวม", "", fmt_plain(summary.total_weight), *("",) * 9, fmt(summary.office_result)]


def kpi_note(summary: RoundSummary) -> str:
    """How the weighted column is computed, under the table: the denominator said, not left to guess."""
    return (f"คะแนนถ่วงน้ำหนัก = คะแนนที่ใช้ × น้ำหนัก ÷ {fmt_plain(summary.total_weight)} "
            f"(น้ำหนักรวมของตัวชี้วัดที่มีผล) ผลรวมคือผลคะแนนเฉลี่ยถ่วงน้ำหนัก; คะแนนที่ใช้คือคะแนนคณะกรรมการเมื่อมี "
            f"มิฉะนั้นคะแนนประเมินตนเอง")


def fmt_plain(value) -> str:
    if value is None:
        return ""
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


KPI_HEADER = ["ตัวชี้วัด", "หน่วยวัด", "น้ำหนัก", "ระดับ 1", "ระดับ 2", "ระดับ 3", "ระดับ 4", "ระดับ 5",
              "ผลการดำเนินงาน", "ประเมินตนเอง", "คณะกรรมการ", "คะแนนที่ใช้", "คะแนนถ่วงน้ำหนัก"]
# millimetres of a landscape page at 9 pt, relative for Word: each header word and a band's range (`ต่ำกว่า 75`)
# fits its column whole, and the name takes the rest
KPI_WIDTHS = (53, 13.5, 12, 15.5, 15.5, 15.5, 15.5, 15.5, 25.5, 16, 21, 16, 17.5)
# Word sets the table at 12 pt: a score (0.0000) needs 17 mm with the cell's margins, so the name gives way
KPI_WIDTHS_WORD = (60, 17, 12, 14, 14, 14, 14, 14, 20, 17, 17, 17, 18)
STEP_HEADER = ["ขั้นตอน", "เริ่ม (แผน)", "สิ้นสุด (แผน)", "เริ่มจริง", "เสร็จจริง", "สถานะ"]


def step_rows(compiled: Compiled) -> list[list[str]]:
    def day(value) -> str:
        return format_date_be(value) if value else ""

    return [[f"{p.step.number}. {p.step.detail}", day(p.step.planned_start), day(p.step.planned_end),
             day(p.step.actual_start), day(p.step.actual_end),
             p.state.th + (f" ({p.days_late} วัน)" if p.days_late else "")] for p in compiled.steps]


def sign_off(report: "ReportData") -> list[list[str]]:
    """The report's closing: who prepared it and the director who approves it, each with a line to sign."""
    director = next((p for p in report.compiled.office.people if p.has_role("director")), None)
    return [["ลงชื่อ ........................................ ผู้จัดทำรายงาน", "(........................................)",
             "ตำแหน่ง ........................................", "วันที่ ........................"],
            ["ลงชื่อ ........................................ ผู้อนุมัติ",
             f"({director.name if director else '........................................'})",
             "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "วันที่ ........................"]]


def baseline_section(compiled: Compiled) -> Section | None:
    """The KPIs' baselines under their BE years (baseline 1 is last year's)."""
    fy = compiled.office.settings.fiscal_year
    kpis = [k for k in compiled.office.kpis if any(b is not None for b in k.baselines)]
    if not kpis:
        return None
    return Section("ข้อมูลพื้นฐานย้อนหลัง (ผลของปีที่ผ่านมา)",
                   ["ตัวชี้วัด", f"ปี {fy - 3}", f"ปี {fy - 2}", f"ปี {fy - 1}", "ค่าเป้าหมาย"],
                   [[f"{k.kpi_id} {k.name}", *(fmt_plain(b) for b in reversed(k.baselines)), fmt_plain(k.target)]
                    for k in kpis])


def comparison_of(this_year: Compiled, last_year: Compiled, round_: int) -> list[Comparison]:
    """Per KPI id: last year's score at the round reported on and this year's at the same round — the same point
    of the year on both sides, never one year's round 12 against the other's round 6."""
    last = next((s for s in last_year.rounds if s.round == round_), None)
    before = {r.kpi.kpi_id: r.score_used for r in last.rows if r.score_used is not None} if last is not None else {}
    if last is not None and last.seal is not None:
        before.update({e.kpi_id: e.score_used for e in last.seal.rows if e.score_used is not None})
    found = []
    for kpi in sorted(this_year.office.kpis, key=lambda k: kpi_sort_key(k.kpi_id)):
        latest = next(((s.round, r.score_used) for s in this_year.rounds if s.round == round_ for r in s.rows
                       if r.kpi.kpi_id == kpi.kpi_id and r.score_used is not None), (None, None))
        if kpi.kpi_id in before or latest[1] is not None:
            found.append(Comparison(kpi.kpi_id, kpi.name, before.get(kpi.kpi_id), latest[1], latest[0]))
    return found


def comparison_section(report: ReportData) -> Section:
    fy = report.settings.fiscal_year
    n = report.round
    return Section(f"เทียบกับปีงบประมาณ {report.last_fiscal_year} (คะแนนรอบ {n} เดือนทั้งสองปี)",
                   ["ตัวชี้วัด", f"ปี {report.last_fiscal_year} รอบ {n}", f"ปี {fy} รอบ {n}", "เปลี่ยนแปลง"],
                   [[f"{c.kpi_id} {c.name}", fmt(c.last_year), fmt(c.this_year), change(c.this_year, c.last_year)]
                    for c in report.comparison])


def change(now: Decimal | None, before: Decimal | None) -> str:
    """A rise with its `+`, a fall with its `−`, no change as 0.0000: a reader sees the direction at a glance."""
    if now is None or before is None:
        return ""
    difference = display(now - before)
    assert difference is not None
    return f"+{difference}" if difference > 0 else f"{difference}"


def report_data(data: WorkbookData, today: dt.date, round_: int | None = None,
                last_year: WorkbookData | None = None) -> ReportData:
    compiled = compile_office(data, today)
    rounds = [s.round for s in compiled.rounds]
    if round_ is None:
        scored = [s.round for s in compiled.rounds if s.office_result is not None]
        round_ = (scored or rounds)[-1]
    if round_ not in rounds:
        compiled = compile_office(data, today, tuple(sorted(set(rounds) | {round_})))
    report = ReportData(compiled, round_)
    table = read_table(data, AGREEMENTS)
    for r in table.records:
        signed = r.get("signed_on")
        try:
            signed_text = format_date_be(parse_date(signed)) if not is_blank(signed) else ""
        except ParseError:
            signed_text = str(signed)
        level = AGREEMENTS.column("level").choice_for(str(r.get("level") or ""))
        report.agreements.append(Agreement(level.th if level else str(r.get("level") or ""), str(r.get("maker") or ""),
                                           str(r.get("maker_position") or ""), str(r.get("receiver") or ""),
                                           str(r.get("receiver_position") or ""), signed_text))
    states = {c.key: c.th for c in CERTIFICATION}
    for entry in compiled.office.results:
        if entry.round:
            counts = report.certification.setdefault(entry.round, {})
            name = states.get(entry.certification, "ยังไม่ระบุ")
            counts[name] = counts.get(name, 0) + 1
    report.notes = [f"ขั้นตอนที่ {p.step.number}: {p.step.note}" for p in compiled.steps if p.step.note]
    report.notes += [f"ตัวชี้วัด {e.kpi_id} รอบ {e.round}: คะแนนคณะกรรมการ {fmt(e.committee_score)} — {e.override_reason}"
                     for e in compiled.office.results if e.committee_score is not None and e.override_reason]
    baselines = baseline_section(compiled)
    if baselines is not None:
        report.sections.append(baselines)
    if last_year is not None:
        previous = compile_office(last_year, today, ROUND_NUMBERS)
        report.last_fiscal_year = previous.office.settings.fiscal_year
        report.comparison = comparison_of(compiled, previous, round_)
        if report.comparison:
            report.sections.append(comparison_section(report))
        else:
            report.notes.append(f"เทียบกับปีงบประมาณ {report.last_fiscal_year}: ยังไม่มีคะแนนรอบ {round_} เดือน "
                                "ที่เทียบกันได้")
    return report
