from __future__ import annotations

import datetime as dt

import click

from sheets_sync.backends.target import create_google_sheet
from sheets_sync.tasks.init import InitOptions, InitReport, run_init

from .common import (
    ThaiDate,
    backend_for,
    be,
    create_options,
    say,
    say_new_sheet,
    sheet_option,
)


@click.command("init")
@sheet_option
@click.option("--fiscal-year", type=click.IntRange(2500, 2700), metavar="BE",
              help="ปีงบประมาณ พ.ศ. / fiscal year in BE, e.g. 2570 (default: the current one).")
@click.option("--start-date", type=ThaiDate(),
              help="วันเริ่มขั้นตอนที่ 1 / first day of step 1, e.g. 1/10/2569 (default: 1 October).")
@click.option("--office-name", help="ชื่อหน่วยงาน / office name, e.g. 'สพป. ตัวอย่าง เขต 1'.")
@click.option("--create", "create_title", metavar="TITLE",
              help="สร้าง Google Sheet ใหม่ชื่อนี้แล้วจัดวาง / create a new Google Sheet with this title and lay it out.")
@create_options
def init_command(sheet: str | None, fiscal_year: int | None, start_date: dt.date | None,
                 office_name: str | None, create_title: str | None, folder: str | None,
                 share_with: tuple[str, ...]) -> None:
    """จัดวางหรือปรับรุ่นสมุดงาน / Lay out a new workbook or upgrade an existing one.

    Adds missing tabs and columns with Thai headers, dropdowns, BE date formats and protection, and seeds
    the settings and the ten standard steps with planned dates. Safe to run again: it never changes a cell
    staff typed, and keeps staff's own columns and column order.

    \b
    Example:
      sheets-sync init --sheet workbook.xlsx --fiscal-year 2570 --start-date 1/10/2569
      sheets-sync --credentials key.json init --create "คำรับรอง สพป. ตัวอย่าง เขต 1 ปี 2570" \\
          --folder SHARED_DRIVE_FOLDER_ID --share-with coordinator@example.go.th
    """
    options = InitOptions(fiscal_year, start_date, office_name)
    if (folder or share_with) and not create_title:
        raise click.UsageError("--folder and --share-with go with --create / ใช้ --folder และ --share-with คู่กับ --create")
    if create_title:
        backend = create_google_sheet(create_title, click.get_current_context().meta.get("credentials"), folder,
                                      share_with)
        options.drop_default_tab = True
    else:
        _, backend = backend_for(sheet)
    report = run_init(backend, options)
    render(report)
    if create_title:
        say(f"สร้าง Google Sheet ใหม่แล้ว: {backend.url}", f"created a new Google Sheet: {backend.url}")  # type: ignore[attr-defined]
        say_new_sheet(backend, folder, share_with)


def render(report: InitReport) -> None:
    if report.created_workbook:
        say(f"สร้างสมุดงานใหม่ {report.target}", f"created workbook {report.target}")
    else:
        say(f"ตรวจสมุดงาน {report.target}", f"checked workbook {report.target}")
    say(f"ปีงบประมาณ {report.fiscal_year} เริ่มขั้นตอนที่ 1 วันที่ {be(report.start_date)}",
        f"fiscal year {report.fiscal_year}, step 1 starts {report.start_date}")
    if report.added_tabs:
        say("เพิ่มแท็บ: " + ", ".join(report.added_tabs), f"added {len(report.added_tabs)} tabs")
    for tab, header in report.added_columns:
        say(f"เพิ่มคอลัมน์ {header} ในแท็บ {tab}", f"added column {header} to {tab}")
    if report.added_settings:
        say(f"เพิ่มการตั้งค่า {len(report.added_settings)} รายการ", "added settings: " + ", ".join(report.added_settings))
    if report.seeded_steps:
        say(f"เพิ่มขั้นตอนมาตรฐาน {len(report.seeded_steps)} ขั้นตอนพร้อมวันตามแผน",
            f"seeded {len(report.seeded_steps)} standard steps with planned dates")
    if report.filled_cells:
        say(f"เติมเซลล์ที่ว่าง {report.filled_cells} เซลล์", f"filled {report.filled_cells} blank cells")
    for th, en in report.notes:
        say(th, en)
    for conflict in report.conflicts:
        say(f"ไม่ได้เขียน {conflict.cell}: มีผู้แก้ไขระหว่างทำงาน", f"left {conflict.cell} alone: someone edited it meanwhile")
    if not report.changed_data and not report.created_workbook:
        say("ไม่มีข้อมูลต้องเพิ่ม โครงสร้างเป็นปัจจุบันแล้ว", "nothing to add: the layout is up to date")
