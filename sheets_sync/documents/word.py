"""The documents as .docx through docxtpl: an office's own Word template with `{{ … }}` fields and a table loop, or
the default one, built here (TH Sarabun New, A4) from the same wording the PDF uses."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Cm

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
)
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.report.docx import official_page, thai_font
from sheets_sync.report.official_page import BODY_PT, HEADING_PT, SMALL_TABLE_PT, TITLE_PT
from sheets_sync.templating import sandboxed


def _para(document: Any, text: str, size: float = 16, bold: bool = False, center: bool = False) -> Any:
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    thai_font(paragraph.add_run(text), size, bold)
    return paragraph


def _cell(cell: Any, text: str, size: float = 14, bold: bool = False) -> Any:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    thai_font(paragraph.add_run(text), size, bold)
    return paragraph


def _signatures(cell: Any, parties: str, role: str) -> None:
    cell.text = ""
    lines = [f"{{%p for p in {parties} %}}"] + [s.replace("{{ role }}", role) for s in SIGNATURE] + ["", "{%p endfor %}"]
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        thai_font(paragraph.add_run(line), 16)


def _repeat_as_header(row: Any) -> None:
    row._tr.get_or_add_trPr().append(row._tr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _sized(table: Any, widths_cm: tuple[float, ...]) -> None:
    """Fixed column widths, in the grid LibreOffice reads and on each cell Word reads: the name gets its room."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _annex(document: Any) -> None:
    """The annex on a landscape page: the ten columns sized to their content, the five levels under one spanning
    header, both header rows repeated on every page, sub-KPIs indented, and the total of the weights."""
    annex_page = document.add_section(WD_SECTION.NEW_PAGE)
    official_page(annex_page, "landscape")
    _para(document, ANNEX_TITLE, BODY_PT, True)
    annex = document.add_table(rows=6, cols=len(ANNEX_HEADER))
    annex.style = "Table Grid"
    top, levels = annex.rows[0].cells, annex.rows[1].cells
    for column, text in enumerate(ANNEX_HEADER[:5]):
        merged = top[column].merge(levels[column])
        _cell(merged, text, SMALL_TABLE_PT, True)
    _cell(top[5].merge(top[9]), ANNEX_CRITERIA, SMALL_TABLE_PT, True)
    for cell, text in zip(levels[5:], ANNEX_HEADER[5:]):
        _cell(cell, text, SMALL_TABLE_PT, True)
    for row in annex.rows[:2]:
        _repeat_as_header(row)
    _cell(annex.rows[2].cells[0], "{%tr for k in annex %}", SMALL_TABLE_PT)
    for cell, text in zip(annex.rows[3].cells, ANNEX_CELLS):
        _cell(cell, text, SMALL_TABLE_PT)
    _cell(annex.rows[4].cells[0], "{%tr endfor %}", SMALL_TABLE_PT)
    total = annex.rows[5].cells
    _cell(total[0].merge(total[2]), ANNEX_TOTAL[0], SMALL_TABLE_PT, True)
    _cell(total[3], ANNEX_TOTAL[1], SMALL_TABLE_PT, True)
    total[4].merge(total[9])
    _sized(annex, ANNEX_WIDTHS_CM)


def default_agreement_template() -> bytes:
    document = Document()
    official_page(document.sections[0])
    thai_font(document.styles["Normal"], BODY_PT)
    _para(document, AGREEMENT_TITLE, TITLE_PT, True, True)
    for line in AGREEMENT_HEAD:
        _para(document, line, HEADING_PT, True, True)
    for clause in AGREEMENT_CLAUSES:
        paragraph = _para(document, clause)
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    signatures = document.add_table(rows=1, cols=2)
    signatures.alignment = WD_TABLE_ALIGNMENT.CENTER
    _signatures(signatures.rows[0].cells[0], "receivers", "ผู้รับคำรับรอง")
    _signatures(signatures.rows[0].cells[1], "makers", "ผู้ทำคำรับรอง")
    _annex(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def default_kpi_template() -> bytes:
    document = Document()
    official_page(document.sections[0])
    thai_font(document.styles["Normal"], BODY_PT)
    _para(document, "{%p for page in pages %}", BODY_PT)
    _para(document, KPI_TITLE, 18, True, True)
    _para(document, "{{ page.office }}", 16, True, True)
    rows = KPI_ROWS + (("{%tr if page.result %}", ""),) + RESULT_ROWS + (("{%tr endif %}", ""),)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows):
        _cell(row.cells[0], label, 14, True)
        _cell(row.cells[1], value, 14)
    _para(document, "{%p if not loop.last %}", 12)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(document, "{%p endif %}", 12)
    _para(document, "{%p endfor %}", 12)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _field_naming(template: bytes | Path, error: str) -> str:
    """The template's field that the sandbox refused, found by the attribute Jinja2 names in its message."""
    attribute = re.search(r"attribute '([^']+)'|^(.+?) is not safely callable", error)
    wanted = next((g for g in attribute.groups() if g), "") if attribute else ""
    document = Document(str(template) if isinstance(template, Path) else io.BytesIO(template))
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    fields = [f for text in texts for f in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text)]
    return next((f for f in fields if wanted and wanted in f), wanted or error)


def render_docx(template: bytes | Path, context: dict[str, object], out: Path) -> None:
    """Fill a Word template in a sandbox, every value escaped for the XML it enters; a field the template names
    that the tool does not have, or one the sandbox refuses, is a clear error naming it."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    name = template.name if isinstance(template, Path) else "แม่แบบเริ่มต้น"
    try:
        document = DocxTemplate(template if isinstance(template, Path) else io.BytesIO(template))
        # a new environment each time: docxtpl sets `autoescape` on the one it is given
        document.render(context, jinja_env=sandboxed(autoescape=True), autoescape=True)
    except SecurityError as exc:
        refused = _field_naming(template, str(exc))
        raise SheetsSyncError(
            ExitCode.USAGE, f"แม่แบบ {name} มีช่อง {refused} ที่ขอสิ่งที่ไม่อนุญาต ช่องในแม่แบบอ่านได้เฉพาะข้อมูลของเอกสาร ({exc})",
            f"the template {name} has a field the sandbox refuses: {refused}; a field may only read the document's "
            f"data ({exc})") from None
    except UndefinedError as exc:
        field = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        missing = (field.group(1) or field.group(2)) if field else str(exc)
        known = ", ".join(sorted(k for k in context if not k.startswith("_")))
        raise SheetsSyncError(
            ExitCode.USAGE, f"แม่แบบ {name} ใช้ช่อง {{{{ {missing} }}}} ซึ่งไม่มี ช่องที่ใช้ได้: {known}",
            f"the template {name} uses the field {{{{ {missing} }}}}, which does not exist; the fields are: {known}"
        ) from None
    except (TemplateSyntaxError, KeyError, ValueError) as exc:
        raise SheetsSyncError(ExitCode.USAGE, f"แม่แบบ {name} เขียนไม่ถูกต้อง: {exc}",
                              f"the template {name} is not valid: {exc}") from None
    document.save(str(out))
