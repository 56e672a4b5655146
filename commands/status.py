from __future__ import annotations

import datetime as dt

import click


from .common import backend_for, be, say, sheet_option, today_option
from .render import render_rounds


@click.command("status")
@sheet_option
@today_option
def status_command(sheet: str | None, today: dt.date) -> None:
    """ภาพรวมสถานะในหน้าจอ / A terminal dashboard: late steps, missing results, office result.

    Reads the workbook once and writes nothing.

    \b
    Example:
      sheets-sync status --sheet demo/workbook.xlsx --today 20/7/2570
    """
    from sheets_sync.tasks.status import run_status

    _, backend = backend_for(sheet)
    report = run_status(backend, today)
    compiled, settings = report.compiled, report.compiled.office.settings
    click.secho(f"{settings.office_name}  ปีงบประมาณ {settings.fiscal_year}  ณ {be(compiled.today)}", bold=True)
    click.secho("\nผลคะแนน / office result", bold=True)
    render_rounds(compiled.rounds)
    click.secho(f"\nขั้นตอนที่ล่าช้า / late steps: {len(report.late)}", bold=True)
    for p in report.late:
        click.secho(f"  {p.step.number}. {p.step.detail[:60]}  ล่าช้า {p.days_late} วัน (late {p.days_late} days)",
                    fg="red")
    click.secho("\nผลที่ยังไม่รายงาน (รอบที่ถึงกำหนดแล้วและรอบปัจจุบัน) / results still to report", bold=True)
    for item in report.outstanding:
        person = compiled.office.person(item.owner) if item.owner else None
        who = f"{item.owner} {person.name}" if person else (item.owner or "(ไม่ระบุผู้รับผิดชอบ / no owner)")
        late = " เลยกำหนด (overdue)" if item.overdue else ""
        click.echo(f"  {who}: รอบ {item.round}: {len(item.kpi_ids)} ({', '.join(item.kpi_ids)}) "
                   f"กำหนดส่ง {be(item.due)}{late}", color=None)
    if not report.outstanding:
        say("  ไม่มีผลค้างรายงาน", "nothing left to report")
    say(f"\nรายละเอียดตัวชี้วัดครบ {report.templates_complete}/{report.templates} ตัวชี้วัด",
        f"templates complete: {report.templates_complete}/{report.templates}")
