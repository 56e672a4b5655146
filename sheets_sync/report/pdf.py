"""The report as PDF, with the Sarabun font embedded and Thai shaped by HarfBuzz (fpdf2 + uharfbuzz), so tone
marks sit where they belong on any reader — no system font assumed."""

from __future__ import annotations

import io
from pathlib import Path

import fontpkg_sarabun
from fpdf import FPDF
from fpdf.fonts import FontFace

from sheets_sync.report.charts import comparison_chart, gantt_chart, kpi_score_chart, office_result_chart
from sheets_sync.report.content import (
    KPI_HEADER,
    STEP_HEADER,
    ReportData,
    round_headline,
    kpi_rows,
    step_rows,
)

FAMILY = "Sarabun"


def _pdf() -> FPDF:
    pdf = FPDF(orientation="landscape", format="A4")
    files = fontpkg_sarabun.ROOT / "files"
    pdf.add_font(FAMILY, "", str(files / "Sarabun-Regular.ttf"))
    pdf.add_font(FAMILY, "B", str(files / "Sarabun-Bold.ttf"))
    # symbols Sarabun lacks (the ↔ of agreement levels) come from DejaVu Sans, which matplotlib ships
    import matplotlib

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf.add_font("DejaVu", "", str(dejavu / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(dejavu / "DejaVuSans-Bold.ttf"))
    pdf.set_fallback_fonts(["DejaVu"])
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(True, margin=12)
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 15) -> None:
    pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: tuple[float, ...] | None = None,
           size: int = 9) -> None:
    pdf.set_font(FAMILY, "", size)
    with pdf.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD", fill_color=(221, 235, 247)),
                   line_height=5.5, text_align="LEFT") as table:
        table.row(header)
        for values in rows:
            table.row([_fits(str(v)) for v in values])
    pdf.ln(3)


CELL_CHARS = 400  # a table row must fit one page: a longer text is cut, with the cut said, the workbook untouched


def _fits(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + " … (ตัดเหลือ 400 ตัวอักษร / cut to 400 characters)"


def write_pdf(report: ReportData, path: Path) -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 26)
    pdf.ln(40)
    pdf.cell(0, 16, "เอกสารรายงานผลการปฏิบัติราชการ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 20)
    pdf.cell(0, 14, report.settings.office_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 14, f"ปีงบประมาณ พ.ศ. {report.settings.fiscal_year}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 16)
    pdf.cell(0, 12, f"ผลการดำเนินงานรอบ {report.round} เดือน", align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.add_page()
    _heading(pdf, "คู่คำรับรองการปฏิบัติราชการ")
    _table(pdf, ["ระดับ", "ผู้ทำคำรับรอง", "ตำแหน่ง", "ผู้รับคำรับรอง", "ตำแหน่ง", "วันที่ลงนาม"],
           [[a.level, a.maker, a.maker_position, a.receiver, a.receiver_position, a.signed_on] for a in report.agreements],
           size=10)
    for summary in report.compiled.rounds:
        _heading(pdf, f"ผลการดำเนินงานรอบ {summary.round} เดือน")
        _table(pdf, KPI_HEADER, kpi_rows(summary), (74, 14, 12, 11, 11, 11, 11, 11, 24, 15, 22, 19, 19), size=8)
        _heading(pdf, round_headline(summary), 12)
    pdf.add_page()
    pdf.image(io.BytesIO(office_result_chart(report)), w=130)
    pdf.image(io.BytesIO(kpi_score_chart(report)), w=170)
    pdf.add_page()
    _heading(pdf, "ขั้นตอนการดำเนินงาน (แผนเทียบกับการดำเนินการจริง)")
    _table(pdf, STEP_HEADER, step_rows(report.compiled), (120, 28, 28, 28, 28, 40), size=9)
    pdf.image(io.BytesIO(gantt_chart(report)), w=200)
    _heading(pdf, "สถานะการรับรองผล")
    _table(pdf, ["รอบ", "สถานะ", "จำนวนตัวชี้วัด"],
           [[str(r), state, str(n)] for r, counts in sorted(report.certification.items()) for state, n in counts.items()],
           (30, 60, 40), size=10)
    for extra in report.sections:
        _heading(pdf, extra.heading)
        _table(pdf, extra.header, extra.rows, (110, *(30,) * (len(extra.header) - 1)), size=9)
    if report.comparison:
        pdf.image(io.BytesIO(comparison_chart(report)), w=180)
    if report.notes:
        _heading(pdf, "หมายเหตุ")
        pdf.set_font(FAMILY, "", 10)
        for note in report.notes:
            pdf.multi_cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
