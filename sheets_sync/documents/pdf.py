"""The documents as PDF, from the same wording as the Word templates: Sarabun embedded, Thai shaped, lines broken
between words (report/pdf_kit.py).  Several documents may go into one file (`agreements --combine`)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from sheets_sync.documents.content import Agreement, KpiPage
from sheets_sync.documents.wording import (
    AGREEMENT_CLAUSES,
    AGREEMENT_HEAD,
    AGREEMENT_TITLE,
    ANNEX_CELLS,
    ANNEX_HEADER,
    ANNEX_TITLE,
    KPI_ROWS,
    KPI_TITLE,
    RESULT_ROWS,
    SIGNATURE,
    render,
)
from sheets_sync.report.pdf_kit import FAMILY, lines_for, new_pdf, paragraph, table


def _signature_blocks(pdf: FPDF, agreement: Agreement, context: dict[str, object]) -> None:
    pdf.ln(10)
    half = pdf.epw / 2
    sides = [(p, "ผู้รับคำรับรอง") for p in agreement.receivers], [(p, "ผู้ทำคำรับรอง") for p in agreement.makers]
    pdf.set_font(FAMILY, "", 14)
    for row in range(max(len(sides[0]), len(sides[1]))):
        top = pdf.get_y()
        bottom = top
        for column, side in enumerate(sides):
            if row >= len(side):
                continue
            party, role = side[row]
            pdf.set_xy(pdf.l_margin + column * half, top)
            text = "\n".join(render(line, {**context, "p": party, "role": role}) for line in SIGNATURE)
            pdf.multi_cell(half, 7, lines_for(pdf, text, half - 4), align="C", new_x="LEFT", new_y="NEXT")
            bottom = max(bottom, pdf.get_y())
        pdf.set_y(bottom + 8)


def add_agreement(pdf: FPDF, agreement: Agreement) -> None:
    context = agreement.context()
    pdf.add_page()
    paragraph(pdf, AGREEMENT_TITLE, 20, bold=True, align="C", height=11)
    for line in AGREEMENT_HEAD:
        paragraph(pdf, render(line, context), 16, bold=True, align="C", height=9)
    pdf.ln(4)
    for clause in AGREEMENT_CLAUSES:
        paragraph(pdf, render(clause, context), 14, height=7.5)
        pdf.ln(1.5)
    _signature_blocks(pdf, agreement, context)
    pdf.add_page()
    paragraph(pdf, ANNEX_TITLE, 14, bold=True, height=8)
    rows = [[render(cell, {"k": k}) for cell in ANNEX_CELLS] for k in agreement.annex]
    table(pdf, list(ANNEX_HEADER), rows, (9, 48, 12, 10, 12, 9, 9, 9, 9, 9), size=10)


def add_kpi_page(pdf: FPDF, page: KpiPage) -> None:
    context = {"page": page.context()}
    pdf.add_page()
    paragraph(pdf, render(KPI_TITLE, context), 16, bold=True, align="C", height=9)
    paragraph(pdf, page.office, 14, bold=True, align="C", height=8)
    pdf.ln(2)
    rows = KPI_ROWS + (RESULT_ROWS if page.result else ())
    table(pdf, ["รายการ", "รายละเอียด"], [[label, render(value, context)] for label, value in rows], (30, 70), size=12)


def write_agreements_pdf(agreements: list[Agreement], out: Path) -> None:
    pdf = new_pdf()
    for agreement in agreements:
        add_agreement(pdf, agreement)
    pdf.output(str(out))


def write_kpi_pages_pdf(pages: list[KpiPage], out: Path) -> None:
    pdf = new_pdf()
    for page in pages:
        add_kpi_page(pdf, page)
    pdf.output(str(out))
