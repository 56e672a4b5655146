"""Step 10 of the work standard: the year's performance report (เอกสารรายงานผลการปฏิบัติราชการ).

`report_data` gathers what the report says from one read; `docx`, `pdf` and `html` lay it out; `charts`
draws the three charts with the Sarabun font shipped by the fontpkg-sarabun package (no system font assumed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.outputs import replacing
from sheets_sync.report.content import FORMATS, ReportData, report_data
from sheets_sync.workbook.operations import READ_ONLY, Backend


def write_report(backend: Backend, output: Path, today: dt.date, round_: int | None = None,
                 compare: Backend | None = None,
                 progress: Callable[[int, int, str], None] = lambda done, total, name: None) -> ReportData:
    """`compare`: last year's workbook, for a year-on-year table and chart; `progress` hears of each stage."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise SheetsSyncError(ExitCode.USAGE, f"รายงานเขียนได้เป็น {', '.join(FORMATS)} เท่านั้น",
                              f"the report can be written as {', '.join(FORMATS)} only, not {output.suffix or output.name}")
    progress(1, 3, "อ่านสมุดงาน / reading the workbook")
    read = backend.read(READ_ONLY)
    progress(2, 3, "คำนวณผล / computing the results")
    data = report_data(read, today, round_, compare.read(READ_ONLY) if compare is not None else None)
    progress(3, 3, f"วาดกราฟและเขียน {output.name} / drawing the charts and writing {output.name}")
    with replacing(output, backend.file_mode()) as temporary:  # whole, and as private as the workbook
        if suffix == ".docx":
            from sheets_sync.report.docx import write_docx

            write_docx(data, temporary)
        elif suffix == ".pdf":
            from sheets_sync.report.pdf import write_pdf

            write_pdf(data, temporary)
        else:
            from sheets_sync.report.html import write_html

            write_html(data, temporary)
    return data
