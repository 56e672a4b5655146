"""The colours every output uses, named once: a cell's fill in the workbook (Excel's own light red, amber and green
that staff know from conditional formatting), the header bands, a link, and the tool's mark on a cell."""

from __future__ import annotations

RED = "FFC7CE"  # below pass, late, an error
AMBER = "FFEB9C"  # just passing, done late, a warning
GREEN = "C6EFCE"  # good, done on time
GREENS = (GREEN, "A9D08E", "70AD47")  # the good bands, lightest first
BLUE = "DDEBF7"  # an input tab's header, in progress, a note
GREY = "E7E6E6"  # a generated tab's header
MARK = "FFD966"  # the tool's mark on a cell validate points at
LINK = "0563C1"  # a link's text
