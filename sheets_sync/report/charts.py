"""The report's charts, with Thai labels in Sarabun (fontpkg-sarabun), never the boxes of a missing font."""

from __future__ import annotations

import io
from functools import lru_cache

from sheets_sync.domain import palette
from sheets_sync.domain.round_scores import kpi_sort_key
from sheets_sync.report.content import ReportData, provisional

PASS_COLOUR, BAR_COLOUR, PLAN_COLOUR, ACTUAL_COLOUR = "#C00000", "#2E75B6", "#BDD7EE", "#2E75B6"
PROVISIONAL_COLOUR = f"#{palette.BLUE}"


@lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import fontpkg_sarabun
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    for path in sorted((fontpkg_sarabun.ROOT / "files").glob("Sarabun-*.ttf")):
        font_manager.fontManager.addfont(str(path))
    plt.rcParams["font.family"] = fontpkg_sarabun.FAMILY
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    _pyplot().close(fig)
    return buffer.getvalue()


def office_result_chart(report: ReportData) -> bytes:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 3.2))
    rounds = [s for s in report.compiled.rounds if s.office_result is not None or s.official_result is not None]
    labels = [f"รอบ {s.round} เดือน" for s in rounds]
    # a sealed round stands on its official figure; an unsealed one is drawn hatched and pale, and says so
    values = [float(s.official_result if s.official_result is not None else s.office_result) for s in rounds]  # type: ignore[arg-type]
    marks = [provisional(s) for s in rounds]
    bars = ax.bar(labels, values, width=0.5, color=[PROVISIONAL_COLOUR if m else BAR_COLOUR for m in marks],
                  edgecolor=BAR_COLOUR, hatch=None)
    for bar, value, mark in zip(bars, values, marks):
        if mark:
            bar.set_hatch("//")
        label = f"{value:.4f}" + (f"\n{mark}" if mark else "")
        ax.text(bar.get_x() + bar.get_width() / 2, value + 0.08, label, ha="center", va="bottom", fontsize=8 if mark else 10)
    pass_score = float(report.settings.pass_score)
    ax.axhline(pass_score, color=PASS_COLOUR, linestyle="--", linewidth=1.2)
    ax.text(1.0, pass_score, f" เกณฑ์ผ่าน {pass_score:.2f}", color=PASS_COLOUR, ha="left", va="center", fontsize=9,
            transform=ax.get_yaxis_transform(), clip_on=False)  # beside the plot, clear of the axis and the bars
    ax.set_ylim(0, 6.5)
    ax.set_ylabel("ผลคะแนนเฉลี่ยถ่วงน้ำหนัก")
    ax.set_title("ผลคะแนนของสำนักงานเขตพื้นที่การศึกษาแต่ละรอบ")
    return _png(fig)


def kpi_score_chart(report: ReportData) -> bytes:
    plt = _pyplot()
    rounds = [s for s in report.compiled.rounds if any(r.counted for r in s.rows)]
    ids: list[str] = []  # every leaf of every round: a KPI that starts in round 9 has its place too
    for summary in rounds:
        ids += [r.kpi.kpi_id for r in summary.rows if not r.is_parent and r.kpi.kpi_id not in ids]
    ids.sort(key=kpi_sort_key)
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    width = 0.8 / max(len(rounds), 1)
    for i, summary in enumerate(rounds):
        scores = {r.kpi.kpi_id: float(r.score_used) for r in summary.rows if r.counted and r.score_used is not None}
        shown = [(x, scores[k]) for x, k in enumerate(ids) if k in scores]  # not reported: no bar, never a zero
        mark = provisional(summary)
        ax.bar([x + i * width for x, _ in shown], [v for _, v in shown], width, hatch="//" if mark else None,
               label=f"รอบ {summary.round} เดือน" + (f" ({mark})" if mark else ""))
    ax.set_xticks([x + width * (len(rounds) - 1) / 2 for x in range(len(ids))], ids)
    ax.set_ylim(0, 5.5)
    ax.set_xlabel("ตัวชี้วัด")
    ax.set_ylabel("คะแนน")
    ax.set_title("คะแนนรายตัวชี้วัดแต่ละรอบ")
    ax.legend(fontsize=8)
    return _png(fig)


def gantt_chart(report: ReportData) -> bytes:
    import matplotlib.dates as mdates

    plt = _pyplot()
    steps = report.compiled.steps
    fig, ax = plt.subplots(figsize=(7.5, 0.35 * len(steps) + 1.2))
    for i, progress in enumerate(steps):
        s = progress.step
        if s.planned_start and s.planned_end:
            ax.barh(i + 0.2, (s.planned_end - s.planned_start).days + 1, left=mdates.date2num(s.planned_start),
                    height=0.35, color=PLAN_COLOUR, label="แผน" if i == 0 else None)
        if s.actual_start:
            end = s.actual_end or report.compiled.today
            ax.barh(i - 0.2, max((end - s.actual_start).days + 1, 1), left=mdates.date2num(s.actual_start),
                    height=0.35, color=ACTUAL_COLOUR, label="ดำเนินการจริง" if i == 0 else None)
    ax.set_yticks(range(len(steps)), [f"ขั้นตอนที่ {p.step.number}" for p in steps])
    ax.invert_yaxis()
    ax.xaxis_date()
    from matplotlib.ticker import FuncFormatter

    from sheets_sync.domain.thai import MONTHS_SHORT

    def be_month(value: float, _position: int) -> str:  # months shown in Thai with the BE year
        day = mdates.num2date(value)
        return f"{MONTHS_SHORT[day.month - 1]} {(day.year + 543) % 100:02d}"

    ax.xaxis.set_major_formatter(FuncFormatter(be_month))
    ax.set_title("ขั้นตอนการดำเนินงาน: แผนเทียบกับการดำเนินการจริง")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)  # below: never over a bar
    return _png(fig)


def comparison_chart(report: ReportData) -> bytes:
    """Last year's score beside this year's at the same round, per KPI id."""
    plt = _pyplot()
    items = report.comparison
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    xs = range(len(items))
    width = 0.38
    ax.bar([x - width / 2 for x in xs], [float(c.last_year) if c.last_year is not None else 0 for c in items], width,
           color=PLAN_COLOUR, label=f"ปี {report.last_fiscal_year} รอบ {report.round}")
    ax.bar([x + width / 2 for x in xs], [float(c.this_year) if c.this_year is not None else 0 for c in items], width,
           color=BAR_COLOUR, label=f"ปี {report.settings.fiscal_year} รอบ {report.round}")
    ax.set_xticks(list(xs), [c.kpi_id for c in items])
    ax.set_ylim(0, 5.2)
    ax.set_ylabel("คะแนน")
    ax.set_xlabel("ตัวชี้วัด")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def kpi_rounds_chart(kpi_id: str, scores: list[tuple[str, float | None]]) -> bytes:
    """One KPI's score per round; a round without a score has no bar, never a bar at zero."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4.5, 2.6))
    labels = [label for label, _ in scores]
    values = [value if value is not None else 0 for _, value in scores]
    bars = ax.bar(labels, values, color=BAR_COLOUR)
    for bar, (_, value) in zip(bars, scores):
        if value is None:
            bar.set_visible(False)
    ax.set_ylim(0, 5.2)
    ax.set_ylabel("คะแนน")
    ax.set_title(f"ตัวชี้วัด {kpi_id}", fontsize=10)
    return _png(fig)
