from __future__ import annotations

import datetime as dt

import click

from sheets_sync.workbook.operations import Backend
from sheets_sync.backends.target import create_google_sheet, discarded_on_failure, open_backend, parse_target
from sheets_sync.domain.scoring import display
from sheets_sync.domain.thai import format_date_be
from sheets_sync.tasks.rollover import RolloverOptions, run_rollover

from .common import ThaiDate, backend_for, create_options, say, say_new_sheet, session, sheet_option, writing
from .render import render_notes


@click.command("rollover")
@click.option("--from", "source", required=True, metavar="PATH|URL|KEY", help="สมุดงานของปีนี้ / this year's workbook.")
@sheet_option
@click.option("--fiscal-year", type=int, required=True, help="ปีงบประมาณใหม่ (พ.ศ.) / the new fiscal year (BE), e.g. 2571.")
@click.option("--start-date", type=ThaiDate(), default=None,
              help="วันเริ่มขั้นตอนที่ 1 ของปีใหม่ / step 1's first day (default: 1 ต.ค. before the fiscal year).")
@click.option("--create", "create_title", metavar="TITLE", help="สร้าง Google Sheet ใหม่ชื่อนี้ / into a new Google Sheet.")
@click.option("--dry-run", is_flag=True, help="แสดงสิ่งที่จะยกไปโดยไม่เขียน / show what would be carried, write nothing.")
@click.option("--force", is_flag=True, help="เขียนทับปลายทางที่มีข้อมูล / overwrite a target that holds data.")
@create_options
def rollover_command(source: str, sheet: str | None, fiscal_year: int, start_date: dt.date | None,
                     create_title: str | None, dry_run: bool, force: bool, folder: str | None,
                     share_with: tuple[str, ...]) -> None:
    """ขึ้นปีงบประมาณใหม่ / Start next fiscal year's workbook from this year's, in one command.

    Carries settings (new fiscal year and start date, deadlines a year later), people, KPIs (baselines
    shifted a year; baseline 1 = this year's round-12 result, sealed if sealed; a note on the criteria to
    check), agreements (unsigned), and the steps re-planned from the new start date. Results,
    certification, seals and reminder logs stay behind. Either side may be a .xlsx or a Google Sheet; a
    target that already holds data is refused unless --force.

    \b
    Example:
      sheets-sync rollover --from office-2570.xlsx --sheet office-2571.xlsx --fiscal-year 2571
      sheets-sync rollover --from URL-2570 --create "คำรับรอง ปี 2571" --fiscal-year 2571
    """
    credentials = session().credentials
    options = RolloverOptions(fiscal_year, start_date, dry_run, force)
    source_backend = open_backend(parse_target(source), credentials)
    if create_title:
        if dry_run:
            raise click.UsageError("--dry-run goes with --sheet, not --create / ใช้ --dry-run กับ --sheet")
        created = create_google_sheet(create_title, credentials, folder, share_with)
        with discarded_on_failure(created):
            report = run_rollover(source_backend, created, options)
        target: Backend = created
    else:
        where, target = backend_for(sheet)
        with writing(where):
            report = run_rollover(source_backend, target, options)
    render_notes(report.notes)
    if report.safety_snapshot is not None:
        say(f"บันทึกสำเนาปลายทางก่อนเขียนทับแล้ว: {report.safety_snapshot}",
            f"the target as it was is saved in {report.safety_snapshot} (sheets-sync restore puts it back)")
    say(f"ปีงบประมาณ {report.fiscal_year} เริ่มขั้นตอนที่ 1 วันที่ {format_date_be(report.start_date)}",
        f"fiscal year {report.fiscal_year}, step 1 from {report.start_date}")
    for title, rows in report.carried:
        say(f"{'จะยก' if dry_run else 'ยก'}แท็บ {title}: {rows} แถว", f"{'would carry' if dry_run else 'carried'} {title}: {rows} rows")
    for kpi_id, value, origin in report.baselines:
        say(f"  ตัวชี้วัด {kpi_id}: ข้อมูลพื้นฐาน 1 = {display(value) if value is not None else '-'} {('จากผล' + origin) if origin else '(ไม่มีผล)'}",
            f"  KPI {kpi_id}: baseline 1 = {display(value) if value is not None else '-'}")
    if not dry_run:
        say(f"ปลายทาง: {target.url or report.target}", f"target: {target.url or report.target}")
    if create_title:
        say_new_sheet(target, folder, share_with)
