from __future__ import annotations

import datetime as dt

import click

from sheets_sync.domain.thai import format_date_be
from sheets_sync.tasks.fix import run_fix

from .common import backend_for, say, sheet_option, writing
from .render import render_notes


def _shown(value: object) -> str:
    return format_date_be(value) if isinstance(value, dt.date) else repr(value)


@click.command("fix")
@sheet_option
@click.option("--dry-run", is_flag=True, help="แสดงสิ่งที่จะแก้โดยไม่เขียน / show what would change, write nothing.")
def fix_command(sheet: str | None, dry_run: bool) -> None:
    """แปลงค่าที่พิมพ์แบบหลวม ๆ ให้เป็นเซลล์ตัวเลขหรือวันที่ / Normalise loosely typed values in place.

    Thai digits, ร้อยละ 80 and 80% become numbers; date text such as 15/04/2570 becomes a date cell. A snapshot
    of the workbook is saved first (.sheets-sync/snapshots/ beside it). A cell someone changed after the read
    is left alone and listed.

    \b
    Example:
      sheets-sync fix --sheet workbook.xlsx --dry-run
      sheets-sync fix --sheet workbook.xlsx
    """
    target, backend = backend_for(sheet)
    with writing(target):
        report = run_fix(backend, dry_run)
    verb_th, verb_en = ("จะแก้", "would change") if dry_run else ("แก้", "changed")
    for change in report.changes:
        say(f"{verb_th} {change.cell}: {change.before!r} → {_shown(change.after)}",
            f"{verb_en} {change.cell}: {change.before!r} → {change.after}")
    for conflict in report.conflicts:
        say(f"ไม่ได้แก้ {conflict.cell}: มีผู้แก้ไขระหว่างทำงาน", f"left {conflict.cell} alone: someone edited it meanwhile")
    if report.snapshot:
        say(f"สำเนาก่อนแก้: {report.snapshot}", f"snapshot taken first: {report.snapshot}")
    if not report.changes:
        say("ไม่มีค่าที่ต้องแก้", "nothing to normalise")
    render_notes(report.notes)
