from __future__ import annotations

import datetime as dt

import click

from sheets_sync.domain.calendar import rounds_ended
from sheets_sync.domain.step_tracking import StepState
from sheets_sync.workbook.office import compile_office
from sheets_sync.workbook.operations import READ_ONLY
from sheets_sync.workbook.tables import blank_fields

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
    _, backend = backend_for(sheet)
    data = backend.read(READ_ONLY)
    compiled = compile_office(data, today)
    settings = compiled.office.settings
    click.secho(f"{settings.office_name}  ปีงบประมาณ {settings.fiscal_year}  ณ {be(compiled.today)}", bold=True)
    click.secho("\nผลคะแนน / office result", bold=True)
    render_rounds(compiled.rounds)
    late = [p for p in compiled.steps if p.state is StepState.LATE]
    click.secho(f"\nขั้นตอนที่ล่าช้า / late steps: {len(late)}", bold=True)
    for p in late:
        click.secho(f"  {p.step.number}. {p.step.detail[:60]}  ล่าช้า {p.days_late} วัน (late {p.days_late} days)",
                    fg="red")
    ended = rounds_ended(settings.fiscal_year, compiled.today)
    click.secho("\nผลที่ยังไม่รายงาน (รอบที่สิ้นสุดแล้ว) / results missing in ended rounds", bold=True)
    any_missing = False
    for load in compiled.owners:
        counts = {r: n for r, n in load.missing.items() if r in ended and n}
        if counts:
            any_missing = True
            rounds = ", ".join(f"รอบ {r}: {n}" for r, n in counts.items())
            click.echo(f"  {load.person_id} {load.name}: {rounds}")
    orphans = {s.round: len([r for r in s.missing if not r.kpi.owner]) for s in compiled.rounds if s.round in ended}
    if any(orphans.values()):  # a KPI nobody owns still owes its result: listed, never dropped
        any_missing = True
        rounds = ", ".join(f"รอบ {r}: {n}" for r, n in orphans.items() if n)
        click.echo(f"  (ไม่ระบุผู้รับผิดชอบ / no owner): {rounds}")
    if not any_missing:
        say("  ครบทุกรายการ", "none missing")
    blanks = blank_fields(data)
    complete = sum(1 for fields in blanks.values() if not fields)
    say(f"\nรายละเอียดตัวชี้วัดครบ {complete}/{len(blanks)} ตัวชี้วัด", f"templates complete: {complete}/{len(blanks)}")
