from __future__ import annotations

import click

from sheets_sync.domain.rights import ROLE_TH
from sheets_sync.tasks.protect import run_protect

from .common import backend_for, say, sheet_option, writing
from .render import render_notes


@click.command("protect")
@sheet_option
@click.option("--dry-run", is_flag=True, help="แสดงสิ่งที่จะทำโดยไม่เขียน / show what would be set, write nothing.")
@click.option("--remove", is_flag=True, help="เอาการป้องกันและมุมมองที่เครื่องมือสร้างออก / remove what protect made.")
def protect_command(sheet: str | None, dry_run: bool, remove: bool) -> None:
    """ป้องกันรายบุคคลบน Google Sheets / Each person edits only their own rows; a filter view per person.

    Google Sheets only (on a .xlsx: exit 7). In one read and one write: each results row's staff columns
    editable by the KPI's owner, collector and supervisor; the committee score and certification columns by
    the supervisor; ตัวชี้วัด, บุคลากร, ตั้งค่า and ข้อตกลง by the coordinators (coordinator_emails) — plus the
    coordinators and the tool's own account everywhere. A filter view "ของฉัน: <name>" per person on the KPI
    and results tabs shows only their rows. Re-running replaces only what protect made and writes nothing
    when it is in place; set protect_rows to ใช่ to have every build keep it in step with new rows.

    \b
    Example:
      sheets-sync protect --sheet https://docs.google.com/spreadsheets/d/KEY/edit --dry-run
      sheets-sync protect --sheet KEY
      sheets-sync protect --sheet KEY --remove
    """
    target, backend = backend_for(sheet)
    with writing(target):
        report = run_protect(backend, remove, dry_run)
    render_notes(report.notes)
    for missing in report.plan.missing:
        say(f"{ROLE_TH[missing.role]} {missing.person_id} ของตัวชี้วัด {missing.kpi_id} ไม่มีอีเมล จึงไม่ได้สิทธิ์แก้แถวของตน",
            f"{missing.role} {missing.person_id} of KPI {missing.kpi_id} has no e-mail: no rights given")
    if report.plan.unchanged:
        say("การป้องกันและมุมมองเป็นปัจจุบันอยู่แล้ว ไม่ต้องเขียน", "protection and views are already in place; nothing written")
    elif remove:
        say("เอาการป้องกันรายบุคคลและมุมมอง ของฉัน ออกแล้ว" if report.written else "จะเอาการป้องกันและมุมมองออก (ทดลอง)",
            "removed the per-person protection and views" if report.written else "would remove them (dry run)")
    else:
        verb_th, verb_en = ("ตั้ง", "set") if report.written else ("จะตั้ง (ทดลอง ไม่ได้เขียน)", "would set (dry run)")
        say(f"{verb_th}ช่วงที่ป้องกัน {report.ranges} ช่วง และมุมมองของแต่ละคน {report.views} มุมมอง",
            f"{verb_en} {report.ranges} protected ranges and {report.views} personal filter views")
