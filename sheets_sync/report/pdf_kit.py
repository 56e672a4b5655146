"""What every PDF the tool writes shares: Sarabun embedded, Thai shaped by HarfBuzz (fpdf2 + uharfbuzz) so tone
marks sit where they belong on any reader, and Thai lines broken between words (thai_text) in paragraphs and
table cells alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import fontpkg_sarabun
from fpdf import FPDF
from fpdf.fonts import FontFace, TTFFont

from sheets_sync.domain import palette
from sheets_sync.report.official_page import BODY_PT, FOOTER_PT, line_mm, margins_cm
from sheets_sync.report.thai_text import wrap

FAMILY = "Sarabun"
CELL_PADDING = 2.2  # mm fpdf2 leaves inside a table cell, both sides together
CELL_PAGE_SHARE = 0.6  # a table cell may fill this share of a page's height: a row must fit one page with its header
CUT = "… (ตัดให้พอหน้า / cut to fit the page)"


class ThaiPDF(FPDF):
    """A4 with a footer on every page when `footer_text` is set: the page number and what the pages stand on."""

    footer_text = ""

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-self.b_margin + 6)  # inside the bottom margin, clear of the text
        self.set_font(FAMILY, "", FOOTER_PT)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.footer_text} · หน้า {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0, 0, 0)


class _Glyph(NamedTuple):
    codepoint: int
    cluster: int


class _TextOnTheSpacingGlyph(TTFFont):
    """HarfBuzz's Thai shaper draws sara am (ำ) as two glyphs, a zero-width nikhahit and a sara aa, in one cluster.
    fpdf2 gives a cluster's text to its first glyph, the zero-width one, so the sara aa carries no text and a
    reader extracting text (pdftotext, search, copy) sees a gap there and reads "คำ รับรอง". Moving the zero-width
    glyphs that open a cluster onto the cluster before them hands the text to the glyph that has width; the shapes
    drawn are the same glyphs at the same places."""

    __slots__ = ()

    def perform_harfbuzz_shaping(self, text: str, font_size_pt: float,
                                 text_shaping_params: Any) -> tuple[Sequence[Any], Sequence[Any]]:
        infos, positions = super().perform_harfbuzz_shaping(text, font_size_pt, text_shaping_params)
        return text_on_spacing_glyphs(infos, positions), positions

    def __deepcopy__(self, memo: dict[int, Any]) -> TTFFont:
        # fpdf2 copies fonts as plain TTFFont when it rewinds a trial rendering (keep_together); keep this class
        copy = super().__deepcopy__(memo)
        copy.__class__ = type(self)
        return copy


def text_on_spacing_glyphs(infos: Sequence[Any], positions: Sequence[Any]) -> list[_Glyph]:
    glyphs = [_Glyph(int(i.codepoint), int(i.cluster)) for i in infos]
    start = 0
    while start < len(glyphs):
        end = start
        while end < len(glyphs) and glyphs[end].cluster == glyphs[start].cluster:
            end += 1
        spacing = next((g for g in range(start, end) if positions[g].x_advance > 0), None)
        if start > 0 and spacing is not None and spacing > start:
            before = glyphs[start - 1].cluster
            for g in range(start, spacing):
                glyphs[g] = glyphs[g]._replace(cluster=before)
        start = end
    return glyphs


def new_pdf(orientation: str = "portrait", footer: str = "") -> FPDF:
    pdf = ThaiPDF(orientation=orientation, format="A4")
    pdf.footer_text = footer
    files = fontpkg_sarabun.ROOT / "files"
    pdf.add_font(FAMILY, "", str(files / "Sarabun-Regular.ttf"))
    pdf.add_font(FAMILY, "B", str(files / "Sarabun-Bold.ttf"))
    for style in ("", "B"):
        pdf.fonts[f"{FAMILY.lower()}{style}"].__class__ = _TextOnTheSpacingGlyph
    # symbols Sarabun lacks (the ↔ of agreement levels) come from DejaVu Sans, which matplotlib ships
    import matplotlib

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf.add_font("DejaVu", "", str(dejavu / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(dejavu / "DejaVuSans-Bold.ttf"))
    pdf.set_fallback_fonts(["DejaVu"])
    pdf.set_text_shaping(True)
    margins = margins_cm(orientation)
    pdf.set_margins(margins.left * 10, margins.top * 10, margins.right * 10)
    pdf.set_auto_page_break(True, margin=margins.bottom * 10)
    return pdf


def keep_together(pdf: FPDF, draw: Callable[[FPDF], None]) -> None:
    """Draws `draw` from the top of a new page when it would break across pages here but fits on a page of its
    own, so a table never leaves its total line alone at the top of the next page. A block longer than a page
    breaks where it must."""
    if _breaks(pdf, draw, fresh_page=False) and not _breaks(pdf, draw, fresh_page=True):
        pdf.add_page()
    draw(pdf)


def _breaks(pdf: FPDF, draw: Callable[[FPDF], None], fresh_page: bool) -> bool:
    with pdf.offset_rendering() as trial:  # drawn, measured, then rewound
        if fresh_page:
            trial.add_page()
        start = trial.page
        draw(trial)  # type: ignore[arg-type]  # the recorder stands in for the FPDF it wraps
        return bool(trial.page > start)


def lines_for(pdf: FPDF, text: str, width: float) -> str:
    """`text` broken into lines that fit `width` mm in the current font, between words."""
    return "\n".join(wrap(text, width, pdf.get_string_width))


def paragraph(pdf: FPDF, text: str, size: float = BODY_PT, bold: bool = False, align: str = "L",
              height: float | None = None) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    # broken here once, to the width multi_cell really has (the page less its own cell margins): a line measured
    # against the whole page width is wrapped a second time by fpdf2, leaving a word alone on a line
    pdf.multi_cell(0, height or line_mm(size), lines_for(pdf, text, pdf.epw - 2 * pdf.c_margin), align=align,
                   new_x="LMARGIN", new_y="NEXT")


def heading(pdf: FPDF, text: str, size: int = 15) -> None:
    paragraph(pdf, text, size, bold=True, height=9)
    pdf.set_font(FAMILY, "", 10)


def fits(pdf: FPDF, lines: list[str], line_height: float) -> str:
    """A cell's lines, cut (and the cut said) where they would not fit on one page: a row taller than a page cannot
    be drawn at all. The workbook is untouched; only the printed cell is shortened."""
    room = max(int((pdf.h - pdf.t_margin - pdf.b_margin) * CELL_PAGE_SHARE / line_height), 2)
    if len(lines) <= room:
        return "\n".join(lines)
    return "\n".join([*lines[:room - 1], CUT])


class Span(NamedTuple):
    """A table cell that may span columns or header rows; a plain string is a Span of one."""

    text: str
    columns: int = 1
    rows: int = 1
    bold: bool = False


def table(pdf: FPDF, header: list[str] | list[list[Span]], rows: Sequence[Sequence[str | Span]],
          widths: tuple[float, ...] | None = None, size: float = 9, total: Sequence[str | Span] | None = None) -> None:
    """A table whose header rows repeat on every page and whose cells break Thai between words.  `header` is one
    row of names, or rows of Spans (a group name over its columns); `total`, a closing row in bold."""
    header_rows: list[list[Span]] = [[Span(h) for h in header]] if header and isinstance(header[0], str) \
        else header  # type: ignore[assignment]
    count = sum(c.columns for c in header_rows[0])
    relative = widths or (1.0,) * count
    column_mm = [pdf.epw * w / sum(relative) - CELL_PADDING for w in relative]
    line = size * 0.6 if size < 12 else size * 0.5

    below: dict[int, int] = {}  # column → header rows a cell above still covers

    def put(grid: Any, cells: Sequence[str | Span], bold: bool = False) -> None:
        row, at = grid.row(), 0
        for cell in cells:
            span = cell if isinstance(cell, Span) else Span(str(cell), bold=bold)
            while below.get(at, 0) > 0:  # a cell spanning down from the row above stands here
                below[at] -= 1
                at += 1
            for covered in range(at, at + span.columns):
                if span.rows > 1:
                    below[covered] = span.rows - 1
            width = sum(column_mm[at:at + span.columns]) + CELL_PADDING * (span.columns - 1)
            pdf.set_font(FAMILY, "B" if span.bold or bold else "", size)
            style = FontFace(emphasis="BOLD") if span.bold or bold else None
            text = fits(pdf, wrap(span.text, width, pdf.get_string_width), line)
            row.cell(text, colspan=span.columns, rowspan=span.rows, style=style)
            at += span.columns

    pdf.set_font(FAMILY, "", size)
    with pdf.table(col_widths=relative, headings_style=FontFace(emphasis="BOLD", fill_color=f"#{palette.BLUE}"),
                   line_height=line, text_align="LEFT", repeat_headings=1,
                   num_heading_rows=len(header_rows)) as grid:
        for cells in header_rows:
            put(grid, cells, bold=True)
        for values in rows:
            put(grid, values)
        if total is not None:
            put(grid, total, bold=True)
    pdf.set_font(FAMILY, "", size)
    pdf.ln(3)
