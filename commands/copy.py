from __future__ import annotations

import click

from sheets_sync.workbook.operations import Backend
from sheets_sync.backends.target import (
    create_google_sheet,
    discarded_on_failure,
    open_backend,
    parse_target,
)
from sheets_sync.tasks.copy import copy_workbook

from .common import create_options, say, say_new_sheet, session, writing
from .render import render_notes


@click.command("copy")
@click.argument("source", metavar="SOURCE")
@click.argument("destination", metavar="[DEST]", required=False)
@click.option("--create", "create_title", metavar="TITLE",
              help="คัดลอกไปยัง Google Sheet ใหม่ชื่อนี้ / copy into a new Google Sheet with this title.")
@click.option("--force", is_flag=True, help="เขียนทับแท็บที่มีข้อมูลในปลายทาง / overwrite destination tabs that hold data.")
@create_options
def copy_command(source: str, destination: str | None, create_title: str | None, force: bool, folder: str | None,
                 share_with: tuple[str, ...]) -> None:
    """คัดลอกสมุดงานทั้งเล่ม / Copy every tab from one workbook to another, either direction.

    SOURCE and DEST are each an .xlsx path, a Google Sheets URL or a key. Values are copied as typed; the
    layout, dropdowns, date formats and protection are laid down as init does. One read of each side and one
    write. A destination that already holds data in the same tabs is refused unless --force.

    \b
    Example:
      sheets-sync copy office-2570.xlsx --create "คำรับรอง สพป. ตัวอย่าง เขต 1 ปี 2570"
      sheets-sync copy https://docs.google.com/spreadsheets/d/KEY/edit offline.xlsx
    """
    credentials = session().credentials
    if (destination is None) == (create_title is None):
        raise click.UsageError("give DEST or --create TITLE (one of them) / ระบุปลายทางหรือ --create อย่างใดอย่างหนึ่ง")
    if (folder or share_with) and not create_title:
        raise click.UsageError("--folder and --share-with go with --create / ใช้ --folder และ --share-with คู่กับ --create")
    source_backend = open_backend(parse_target(source), credentials)
    if create_title:
        created = create_google_sheet(create_title, credentials, folder, share_with)
        with discarded_on_failure(created):
            report = copy_workbook(source_backend, created, force)
        target: Backend = created
    else:
        where = parse_target(destination or "")
        target = open_backend(where, credentials)
        with writing(where):
            report = copy_workbook(source_backend, target, force)
    for title, rows in report.tabs:
        say(f"คัดลอกแท็บ {title}: {rows} แถว", f"copied {title}: {rows} rows")
    render_notes(report.notes)
    url = target.url
    say(f"ปลายทาง: {url or report.destination}", f"destination: {url or report.destination}")
    if create_title:
        say_new_sheet(target, folder, share_with)
