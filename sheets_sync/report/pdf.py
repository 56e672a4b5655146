"""The report as PDF, with the Sarabun font embedded and Thai shaped by HarfBuzz (fpdf2 + uharfbuzz), so tone
marks sit where they belong on any reader — no system font assumed."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

from fpdf import FPDF

from sheets_sync.domain.round_scores import RoundSummary
from sheets_sync.domain.thai import format_date_be
from sheets_sync.report.charts import (
    comparison_chart,
    gantt_chart,
    kpi_score_chart,
    office_result_chart,
)
from sheets_sync.report.content import (
    KPI_HEADER,
    KPI_WIDTHS,
    STEP_HEADER,
    ReportData,
    cover_lines,
    kpi_note,
    kpi_rows,
    kpi_total,
    round_headline,
    sign_off,
    step_rows,
)
from sheets_sync.report.official_page import line_mm
from sheets_sync.report.pdf_kit import FAMILY, keep_together, new_pdf, paragraph
from sheets_sync.report.pdf_kit import heading as _heading
from sheets_sync.report.pdf_kit import table as _table


def write_pdf(report: ReportData, path: Path) -> None:
    pdf = new_pdf("landscape", f"{report.office_name} · ข้อมูล ณ {format_date_be(report.compiled.today, long=True)}")
    pdf.add_page()
    pdf.ln(30)
    for line, size, bold in cover_lines(report):
        paragraph(pdf, line, size, bold=bold, align="C", height=line_mm(size) + 2)

    pdf.add_page()
    _heading(pdf, "คู่คำรับรองการปฏิบัติราชการ")
    _table(pdf, ["ระดับ", "ผู้ทำคำรับรอง", "ตำแหน่ง", "ผู้รับคำรับรอง", "ตำแหน่ง", "วันที่ลงนาม"],
           [[a.level, a.maker, a.maker_position, a.receiver, a.receiver_position, a.signed_on] for a in report.agreements],
           size=10)
    for summary in report.compiled.rounds:
        keep_together(pdf, partial(_round_block, summary=summary))
    pdf.add_page()  # the two charts side by side: one page, read together
    top = pdf.get_y()
    pdf.image(io.BytesIO(office_result_chart(report)), x=pdf.l_margin, y=top, w=pdf.epw * 0.44)
    pdf.image(io.BytesIO(kpi_score_chart(report)), x=pdf.l_margin + pdf.epw * 0.46, y=top, w=pdf.epw * 0.54)
    pdf.add_page()
    _heading(pdf, "ขั้นตอนการดำเนินงาน (แผนเทียบกับการดำเนินการจริง)")
    _table(pdf, STEP_HEADER, step_rows(report.compiled), (120, 28, 28, 28, 28, 40), size=9)
    pdf.image(io.BytesIO(gantt_chart(report)), w=200)
    certified = [[str(r), state, str(n)] for r, counts in sorted(report.certification.items())
                 for state, n in counts.items()]
    keep_together(pdf, partial(_titled_table, title="สถานะการรับรองผล", header=["รอบ", "สถานะ", "จำนวนตัวชี้วัด"],
                               rows=certified, widths=(30, 60, 40), size=10))
    for extra in report.sections:
        keep_together(pdf, partial(_titled_table, title=extra.heading, header=extra.header, rows=extra.rows,
                                   widths=(110, *(30,) * (len(extra.header) - 1)), size=9))
    if report.comparison:
        pdf.image(io.BytesIO(comparison_chart(report)), w=180)
    if report.notes:
        _heading(pdf, "หมายเหตุ")
        pdf.set_font(FAMILY, "", 10)
        for note in report.notes:
            pdf.multi_cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font(FAMILY, "", 12)
    top, half = pdf.get_y(), pdf.epw / 2
    if top > pdf.h - 50:  # the two signature blocks stay together, never split over a page
        pdf.add_page()
        top = pdf.get_y()
    for column, lines in enumerate(sign_off(report)):
        pdf.set_xy(pdf.l_margin + column * half, top)
        pdf.multi_cell(half, 7, "\n".join(lines), align="C", new_x="LEFT", new_y="NEXT")
    pdf.output(str(path))


def _round_block(pdf: FPDF, summary: RoundSummary) -> None:
    _heading(pdf, f"ผลการดำเนินงานรอบ {summary.round} เดือน")
    _table(pdf, KPI_HEADER, kpi_rows(summary), KPI_WIDTHS, size=9, total=kpi_total(summary))
    paragraph(pdf, kpi_note(summary), 10)
    _heading(pdf, round_headline(summary), 13)


def _titled_table(pdf: FPDF, title: str, header: list[str], rows: list[list[str]], widths: tuple[float, ...],
                  size: float) -> None:
    _heading(pdf, title)
    _table(pdf, header, rows, widths, size=size)
