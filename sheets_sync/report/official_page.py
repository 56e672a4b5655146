"""The page every document the tool writes is laid out on, in one place for Word and PDF alike.

Thai government documents (the Prime Minister's Office regulation on correspondence, ระเบียบสำนักนายกรัฐมนตรีว่าด้วย
งานสารบรรณ, and its typing guide แบบมาตรฐานการพิมพ์หนังสือราชการ): A4, a TH Sarabun face at 16 pt for the body, left
margin 3 cm (the binding side), right 2 cm, top 2.5 cm, bottom 2 cm.  A landscape page (a wide annex or table) turns
the sheet: the binding edge becomes the top, so the 3 cm goes there.
"""

from __future__ import annotations

from dataclasses import dataclass

WORD_FONT = "TH Sarabun New"  # what Thai offices have installed; the PDF embeds Sarabun, the same shapes


@dataclass(frozen=True)
class Margins:
    left: float
    right: float
    top: float
    bottom: float


PORTRAIT_CM = Margins(left=3.0, right=2.0, top=2.5, bottom=2.0)
LANDSCAPE_CM = Margins(left=2.5, right=2.0, top=3.0, bottom=2.0)

BODY_PT = 16
TITLE_PT = 20
HEADING_PT = 18
TABLE_PT = 14  # a table of figures; a wide annex steps down to SMALL_TABLE_PT rather than cut words
SMALL_TABLE_PT = 12
FOOTER_PT = 12
LINE_SPACING = 1.0  # TH Sarabun's own line height already has the room Thai marks need


def margins_cm(orientation: str = "portrait") -> Margins:
    return LANDSCAPE_CM if orientation == "landscape" else PORTRAIT_CM


def line_mm(size_pt: float) -> float:
    """The height of one line of `size_pt` text in millimetres: Sarabun's marks above and below a Thai line need
    1.4 times the size, or a line's tone marks touch the descenders of the line above."""
    return size_pt * 0.3528 * 1.4
