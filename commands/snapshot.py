from __future__ import annotations

from pathlib import Path

import click

from sheets_sync.tasks.snapshot import RestorePlan, run_restore, run_snapshot

from .common import backend_for, say, sheet_option, writing
from .render import render_notes


@click.command("snapshot")
@sheet_option
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="โฟลเดอร์เก็บสำเนา / folder for the snapshot (default: .sheets-sync/snapshots beside the workbook, "
                   "or in the working directory for a Google Sheet).")
def snapshot_command(sheet: str | None, folder: Path | None) -> None:
    """ถ่ายสำเนาสมุดงาน / Save every tab (values and notes) to a timestamped .xlsx with a checksum manifest.

    \b
    Example:
      sheets-sync snapshot --sheet workbook.xlsx
      sheets-sync snapshot --sheet https://docs.google.com/spreadsheets/d/KEY/edit --out backups/
    """
    _, backend = backend_for(sheet)
    path = run_snapshot(backend, folder)
    say(f"บันทึกสำเนาแล้ว: {path}", f"snapshot saved: {path} (manifest {path.with_suffix('.json').name})")


@click.command("restore")
@sheet_option
@click.argument("snapshot_file", metavar="SNAPSHOT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tabs", help="เฉพาะแท็บเหล่านี้ คั่นด้วยจุลภาค / only these tabs, comma-separated (default: every input tab).")
@click.option("--yes", is_flag=True, help="ไม่ต้องถามยืนยัน / do not ask for confirmation.")
@click.option("--no-verify", is_flag=True, help="นำกลับแม้ไม่มีบันทึกกำกับ / restore a snapshot that has no manifest "
              "to check it against (it may have been changed).")
def restore_command(sheet: str | None, snapshot_file: Path, tabs: str | None, yes: bool, no_verify: bool) -> None:
    """นำข้อมูลจากสำเนากลับมา / Put input tabs back from a snapshot, after showing what would change.

    The current state is saved as a snapshot first, so a restore can itself be undone. A snapshot is checked
    against its manifest (the .json beside it); one without a manifest is refused unless --no-verify.

    \b
    Example:
      sheets-sync restore .sheets-sync/snapshots/workbook-20270720-010000-000000.xlsx --tabs ผลการดำเนินงาน
    """
    target, backend = backend_for(sheet)

    def confirm(plan: RestorePlan) -> bool:
        for diff in plan.differences:
            say(f"แท็บ {diff.title}: จะเปลี่ยน {diff.cells_changed} เซลล์ (ปัจจุบัน {diff.rows_now} แถว → {diff.rows_then} แถว)",
                f"{diff.title}: {diff.cells_changed} cells would change ({diff.rows_now} rows now → {diff.rows_then})")
        return yes or click.confirm("นำกลับมาหรือไม่ / restore these tabs?", default=False)

    if no_verify and not snapshot_file.with_suffix(".json").is_file():
        say("คำเตือน: สำเนานี้ไม่มีบันทึกกำกับ จึงตรวจไม่ได้ว่าถูกแก้ไขหลังบันทึกหรือไม่",
            "warning: this snapshot has no manifest; nothing shows it was not changed after it was taken")
    with writing(target):
        report = run_restore(backend, snapshot_file, [t.strip() for t in tabs.split(",")] if tabs else None, confirm,
                             not no_verify)
    if not report.plan.differences:
        say("ข้อมูลตรงกับสำเนาอยู่แล้ว", "the tabs already match the snapshot; nothing to do")
        return
    render_notes(report.notes)
    for conflict in report.conflicts:
        say(f"ไม่ได้นำกลับ {conflict.cell}: มีผู้แก้ไขระหว่างรอยืนยัน", f"left {conflict.cell} alone: someone edited it meanwhile")
    if report.restored:
        say(f"นำกลับแล้ว สำเนาก่อนนำกลับ: {report.safety_snapshot}", f"restored; the state before is in {report.safety_snapshot}")
    else:
        say("ยกเลิก ไม่ได้เปลี่ยนอะไร", "cancelled; nothing changed")
