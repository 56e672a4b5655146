"""The report as .docx, the format offices edit and sign: TH Sarabun New, as Thai government documents use."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from sheets_sync.domain.cell import xml_text
from sheets_sync.domain.thai import format_date_be
from sheets_sync.report.official_page import (
    BODY_PT,
    FOOTER_PT,
    HEADING_PT,
    SMALL_TABLE_PT,
    TABLE_PT,
    WORD_FONT,
    margins_cm,
)
from sheets_sync.report.thai_text import breakable
from sheets_sync.report.charts import comparison_chart, gantt_chart, kpi_score_chart, office_result_chart
from sheets_sync.report.content import (
    KPI_HEADER,
    KPI_WIDTHS_WORD,
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

FONT = WORD_FONT


def thai_font(style_or_run: Any, size: float | None = None, bold: bool | None = None) -> None:
    """Font, size and bold for Latin and Thai alike.  Thai is a complex script: Word draws it with `w:cs`, `w:szCs`
    and `w:bCs`, not with the Latin `w:rFonts w:ascii`, `w:sz` and `w:b` — set only those and a Thai title is not
    bold and not the size asked for."""
    font = style_or_run.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    r_pr = style_or_run.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    if bold is not None:
        r_pr.get_or_add_bCs().set(qn("w:val"), "true" if bold else "false")
    if size:  # in schema order, right after w:sz: Word refuses a file whose run properties are out of order
        size_cs = r_pr.find(qn("w:szCs"))
        if size_cs is None:
            size_cs = r_pr.makeelement(qn("w:szCs"), {})
            r_pr.get_or_add_sz().addnext(size_cs)
        size_cs.set(qn("w:val"), str(int(size * 2)))
    r_pr.get_or_add_cs()  # the run is Thai: Word applies the complex-script properties above to all of it


def official_page(section: Any, orientation: str = "portrait") -> None:
    """A4 with the official margins (report/official_page.py), portrait or turned."""
    margins = margins_cm(orientation)
    if orientation == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Cm(margins.left), Cm(margins.right)
    section.top_margin, section.bottom_margin = Cm(margins.top), Cm(margins.bottom)


def _run(paragraph: Any, text: object) -> Any:
    """A run of text that can stand in a .docx (domain.cell.xml_text), with a zero-width space between Thai words:
    Word has no Thai dictionary of its own in every install, and without these it breaks a line inside a word."""
    return paragraph.add_run(breakable(xml_text(str(text))))


def _table(document: DocxDocument, header: list[str], rows: list[list[str]], size: float = TABLE_PT,
           widths: tuple[float, ...] | None = None, total: list[str] | None = None) -> None:
    """A table whose header row repeats on every page and whose columns are as wide as their content needs
    (`widths`, relative): a KPI's name gets room, a score does not take as much as a name.  `total`: a closing
    row in bold."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    header_row = table.rows[0]
    header_row._tr.get_or_add_trPr().append(header_row._tr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for cell, text in zip(header_row.cells, header):
        cell.text = ""
        thai_font(_run(cell.paragraphs[0], text), size, True)
    for values, bold in [(v, False) for v in rows] + ([(total, True)] if total else []):
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = ""
            thai_font(_run(cell.paragraphs[0], str(text)), size, bold)
    if widths:
        section = document.sections[-1]
        usable = (section.page_width or Mm(297)) - (section.left_margin or 0) - (section.right_margin or 0)
        sized = [int(usable * share / sum(widths)) for share in widths]
        for column, width in zip(table.columns, sized):  # the grid LibreOffice reads, and each cell Word reads
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, sized):
                cell.width = width


def _heading(document: DocxDocument, text: str, size: float = HEADING_PT) -> None:
    """A heading kept on the page of what follows it: never alone at the foot of a page."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    thai_font(_run(paragraph, text), size, True)


def _page_numbers(section: Any, footer: str) -> None:
    """`footer · หน้า N` centred at the foot of every page of the section: a PAGE field Word fills in."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    thai_font(_run(paragraph, f"{footer} · หน้า "), FOOTER_PT)
    run = paragraph.add_run()
    thai_font(run, FOOTER_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            run._r.append(run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
        else:
            code = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            code.text = text
            run._r.append(code)


def write_docx(report: ReportData, path: Path) -> None:
    document = Document()
    thai_font(document.styles["Normal"], BODY_PT)
    section = document.sections[0]
    official_page(section)
    footer = f"{report.office_name} · ข้อมูล ณ {format_date_be(report.compiled.today, long=True)}"
    _page_numbers(section, footer)
    for line, size, bold in cover_lines(report):
        cover = document.add_paragraph()
        cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
        thai_font(_run(cover, line), size, bold)

    _heading(document, "คู่คำรับรองการปฏิบัติราชการ")
    _table(document, ["ระดับ", "ผู้ทำคำรับรอง", "ตำแหน่ง", "ผู้รับคำรับรอง", "ตำแหน่ง", "วันที่ลงนาม"],
           [[a.level, a.maker, a.maker_position, a.receiver, a.receiver_position, a.signed_on] for a in report.agreements],
           size=SMALL_TABLE_PT)

    landscape = document.add_section()
    official_page(landscape, "landscape")
    for summary in report.compiled.rounds:
        _heading(document, f"ผลการดำเนินงานรอบ {summary.round} เดือน")
        _table(document, KPI_HEADER, kpi_rows(summary), size=SMALL_TABLE_PT, widths=KPI_WIDTHS_WORD,
               total=kpi_total(summary))
        thai_font(_run(document.add_paragraph(), kpi_note(summary)), SMALL_TABLE_PT)
        thai_font(_run(document.add_paragraph(), round_headline(summary)), BODY_PT, True)
    document.add_picture(io.BytesIO(office_result_chart(report)), width=Cm(15))
    document.add_picture(io.BytesIO(kpi_score_chart(report)), width=Cm(18))

    _heading(document, "ขั้นตอนการดำเนินงาน (แผนเทียบกับการดำเนินการจริง)")
    _table(document, STEP_HEADER, step_rows(report.compiled), size=SMALL_TABLE_PT, widths=(110, 25, 25, 25, 25, 40))
    document.add_picture(io.BytesIO(gantt_chart(report)), width=Cm(18))

    _heading(document, "สถานะการรับรองผล")
    _table(document, ["รอบ", "สถานะ", "จำนวนตัวชี้วัด"],
           [[str(r), state, str(n)] for r, counts in sorted(report.certification.items()) for state, n in counts.items()])
    for extra in report.sections:
        _heading(document, extra.heading)
        _table(document, extra.header, extra.rows, size=SMALL_TABLE_PT)
    if report.comparison:
        document.add_picture(io.BytesIO(comparison_chart(report)), width=Cm(18))
    if report.notes:
        _heading(document, "หมายเหตุ")
        for note in report.notes:
            thai_font(_run(document.add_paragraph(), note), TABLE_PT)
    closing = document.add_table(rows=1, cols=2)
    for cell, lines in zip(closing.rows[0].cells, sign_off(report)):
        cell.text = ""
        for i, text in enumerate(lines):
            block = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            block.alignment = WD_ALIGN_PARAGRAPH.CENTER
            thai_font(_run(block, text), TABLE_PT)
    document.save(str(path))
