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
    ANNEX_CRITERIA,
    ANNEX_HEADER,
    ANNEX_TITLE,
    ANNEX_TOTAL,
    ANNEX_WIDTHS_CM,
    KPI_ROWS,
    KPI_TITLE,
    RESULT_ROWS,
    SIGNATURE,
    render,
)
from sheets_sync.report.official_page import BODY_PT, HEADING_PT, SMALL_TABLE_PT, TABLE_PT, TITLE_PT, line_mm
from sheets_sync.report.pdf_kit import FAMILY, Span, keep_together, lines_for, new_pdf, paragraph, table


def _signature_blocks(pdf: FPDF, agreement: Agreement, context: dict[str, object]) -> None:
    pdf.ln(6)
    half = pdf.epw / 2
    sides = [(p, "ผู้รับคำรับรอง") for p in agreement.receivers], [(p, "ผู้ทำคำรับรอง") for p in agreement.makers]
    pdf.set_font(FAMILY, "", BODY_PT)
    for row in range(max(len(sides[0]), len(sides[1]))):
        top = pdf.get_y()
        bottom = top
        for column, side in enumerate(sides):
            if row >= len(side):
                continue
            party, role = side[row]
            pdf.set_xy(pdf.l_margin + column * half, top)
            text = "\n".join(render(line, {**context, "p": party, "role": role}) for line in SIGNATURE)
            pdf.multi_cell(half, line_mm(BODY_PT), lines_for(pdf, text, half - 4), align="C", new_x="LEFT",
                           new_y="NEXT")
            bottom = max(bottom, pdf.get_y())
        pdf.set_y(bottom + 8)


def add_agreement(pdf: FPDF, agreement: Agreement) -> None:
    context = agreement.context()
    pdf.add_page()
    paragraph(pdf, AGREEMENT_TITLE, TITLE_PT, bold=True, align="C", height=line_mm(TITLE_PT))
    for line in AGREEMENT_HEAD:
        paragraph(pdf, render(line, context), HEADING_PT, bold=True, align="C", height=line_mm(HEADING_PT))
    pdf.ln(4)
    for clause in AGREEMENT_CLAUSES[:-1]:
        paragraph(pdf, render(clause, context), BODY_PT, height=line_mm(BODY_PT))
        pdf.ln(1.5)

    def closing(on: FPDF) -> None:
        paragraph(on, render(AGREEMENT_CLAUSES[-1], context), BODY_PT, height=line_mm(BODY_PT))
        _signature_blocks(on, agreement, context)

    # the signatures stay together with the clause before them, on this page or the next: never a signature alone
    # on a page, nor a name on one page and its date on another
    keep_together(pdf, closing)
    pdf.add_page(orientation="landscape")  # ten columns of Thai: the name needs the width of a turned page
    paragraph(pdf, ANNEX_TITLE, BODY_PT, bold=True)
    header = [[Span(h, rows=2) for h in ANNEX_HEADER[:5]] + [Span(ANNEX_CRITERIA, columns=5)],
              [Span(h) for h in ANNEX_HEADER[5:]]]
    rows: list[list[str | Span]] = []
    for k in agreement.annex:
        cells: list[str | Span] = [render(cell, {"k": k}) for cell in ANNEX_CELLS]
        rows.append(cells[:5] + [Span(k.criteria[0], columns=5)] if k.committee else cells)
    total: list[str | Span] = [Span(ANNEX_TOTAL[0], columns=3), render(ANNEX_TOTAL[1], context), Span("", columns=6)]
    table(pdf, header, rows, ANNEX_WIDTHS_CM, size=SMALL_TABLE_PT, total=total)


def add_kpi_page(pdf: FPDF, page: KpiPage) -> None:
    context = {"page": page.context()}
    pdf.add_page()
    paragraph(pdf, render(KPI_TITLE, context), HEADING_PT, bold=True, align="C", height=line_mm(HEADING_PT))
    paragraph(pdf, page.office, BODY_PT, bold=True, align="C", height=line_mm(BODY_PT))
    pdf.ln(2)
    rows = KPI_ROWS + (RESULT_ROWS if page.result else ())
    table(pdf, ["รายการ", "รายละเอียด"], [[label, render(value, context)] for label, value in rows], (30, 70),
          size=TABLE_PT)


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
