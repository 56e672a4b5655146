from __future__ import annotations

import datetime as dt

import click

from sheets_sync.backends.target import create_google_sheet, discarded_on_failure
from sheets_sync.tasks.init import InitOptions, run_init

from .common import (
    ThaiDate,
    backend_for,
    create_options,
    say,
    say_new_sheet,
    session,
    sheet_option,
    writing,
)
from .render import render_init


@click.command("init")
@sheet_option
@click.option("--fiscal-year", type=click.IntRange(2500, 2700), metavar="BE",
              help="ปีงบประมาณ พ.ศ. / fiscal year in BE, e.g. 2570 (default: the current one).")
@click.option("--start-date", type=ThaiDate(),
              help="วันเริ่มขั้นตอนที่ 1 / first day of step 1, e.g. 1/10/2569 (default: 1 October).")
@click.option("--office-name", help="ชื่อหน่วยงาน / office name, e.g. 'สพป. ตัวอย่าง เขต 1'.")
@click.option("--create", "create_title", metavar="TITLE",
              help="สร้าง Google Sheet ใหม่ชื่อนี้แล้วจัดวาง / create a new Google Sheet with this title and lay it out.")
@click.option("--relayout", is_flag=True,
              help="จัดวางรูปแบบแท็บใหม่แม้ไม่มีอะไรขาด / lay the tabs out again (header style, dropdowns, live "
                   "checks, protection) even when nothing is missing, e.g. after someone removed a dropdown by hand.")
@create_options
def init_command(sheet: str | None, fiscal_year: int | None, start_date: dt.date | None,
                 office_name: str | None, relayout: bool, create_title: str | None, folder: str | None,
                 share_with: tuple[str, ...]) -> None:
    """จัดวางหรือปรับรุ่นสมุดงาน / Lay out a new workbook or upgrade an existing one.

    Adds missing tabs and columns with Thai headers, dropdowns, BE date formats and protection, and seeds
    the settings and the ten standard steps with planned dates. Safe to run again: it never changes a cell
    staff typed, and keeps staff's own columns and column order. When nothing is missing it writes nothing
    (--relayout lays the tabs out again).

    \b
    Example:
      sheets-sync init --sheet workbook.xlsx --fiscal-year 2570 --start-date 1/10/2569
      sheets-sync --credentials key.json init --create "คำรับรอง สพป. ตัวอย่าง เขต 1 ปี 2570" \\
          --folder SHARED_DRIVE_FOLDER_ID --share-with coordinator@example.go.th
    """
    options = InitOptions(fiscal_year, start_date, office_name, relayout=relayout)
    if (folder or share_with) and not create_title:
        raise click.UsageError("--folder and --share-with go with --create / ใช้ --folder และ --share-with คู่กับ --create")
    if create_title:
        backend = create_google_sheet(create_title, session().credentials, folder,
                                      share_with)
        options.drop_default_tab = True
        with discarded_on_failure(backend):
            report = run_init(backend, options)
    else:
        target, existing = backend_for(sheet)
        with writing(target):
            report = run_init(existing, options)
    render_init(report)
    if create_title:
        say(f"สร้าง Google Sheet ใหม่แล้ว: {backend.url}", f"created a new Google Sheet: {backend.url}")
        say_new_sheet(backend, folder, share_with)
