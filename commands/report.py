from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheets_sync.domain.schema import ROUND_CHOICES

from sheets_sync.report import write_report

from sheets_sync.backends.target import open_backend, parse_target

from .common import backend_for, progress_on_stderr, say, session, sheet_option, today_option


@click.command("report")
@sheet_option
@click.option("--round", "round_", type=click.Choice(ROUND_CHOICES), default=None,
              help="รอบที่รายงาน / the round reported on (default: the latest with results).")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="ไฟล์รายงาน .docx, .pdf หรือ .html / the report file; its ending picks the format.")
@click.option("--compare", "compare", metavar="PATH|URL|KEY", default=None,
              help="สมุดงานปีที่แล้ว เพื่อเทียบรายตัวชี้วัด / last year's workbook: a year-on-year table and chart.")
@today_option
def report_command(sheet: str | None, round_: str | None, output: Path, compare: str | None, today: dt.date) -> None:
    """เขียนเอกสารรายงานผลการปฏิบัติราชการ / Write the year's performance report (step 10).

    Cover, the agreement parties, a table per round in the official layout with the office result and
    band, the steps' plan against what was done, certification status and notes, with three charts.

    \b
    Example:
      sheets-sync report --output report.docx
      sheets-sync report --round 9 --output report.pdf --today 20/7/2570
    """
    _, backend = backend_for(sheet)
    last_year = open_backend(parse_target(compare), session().credentials) if compare else None
    data = write_report(backend, output, today, int(round_) if round_ else None, last_year, progress_on_stderr())
    say(f"เขียนรายงานรอบ {data.round} เดือนแล้ว: {output}", f"wrote the round-{data.round} report: {output}")
