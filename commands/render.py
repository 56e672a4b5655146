"""What the commands print for the core's reports, shared: a command never imports another command."""

from __future__ import annotations

import click

from sheets_sync.domain.certification import official_wording
from sheets_sync.domain.problems import Problem, Severity
from sheets_sync.domain.scoring import display, verdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: `status` does not load build, init and validate to print
    from sheets_sync.tasks.build import BuildReport
    from sheets_sync.tasks.init import InitReport
    from sheets_sync.tasks.validate import ValidateReport

from .common import be, say


def render_rounds(report_rounds: list) -> None:
    for s in report_rounds:
        if s.office_result is None:
            say(f"รอบ {s.round} เดือน: ยังไม่มีผลที่นับได้", f"round {s.round}: no countable result yet")
            continue
        verdict_th, verdict_en = verdict(s.passed)
        band = s.band.name if s.band else "-"
        official_th, official_en = official_wording(s)
        weight_th, weight_en = s.weight_shown
        say(f"รอบ {s.round} เดือน: ผลคะแนนเฉลี่ยถ่วงน้ำหนัก {display(s.office_result)} ({band}, {verdict_th}) "
            f"จากน้ำหนักรวม {s.total_weight} ยังไม่รายงาน {len(s.missing)} ตัวชี้วัด — {official_th}",
            f"round {s.round}: office result {display(s.office_result)}, {verdict_en}"
            + (f", {weight_en}" if weight_en else "") + f" — {official_en}")


def render_notes(notes: Sequence[tuple[str, str]]) -> None:
    """What a backend said while writing (an editor holding the file open, a write split in parts)."""
    for th, en in notes:
        say(th, en)


def render_build(report: BuildReport, dry_run: bool) -> None:
    render_notes(report.notes)
    settings = report.compiled.office.settings
    say(f"{settings.office_name or report.target} ปีงบประมาณ {settings.fiscal_year} ณ วันที่ {be(report.compiled.today)}",
        f"fiscal year {settings.fiscal_year} as of {report.compiled.today}")
    render_rounds(report.compiled.rounds)
    for change in report.changes:
        if change.changed:
            verb_th, verb_en = ("จะเขียน", "would write") if dry_run else ("เขียน", "wrote")
            say(f"{verb_th}แท็บ {change.title}: {change.rows_after} แถว (เดิม {change.rows_before})",
                f"{verb_en} {change.title}: {change.rows_after} rows (was {change.rows_before})")
    if not any(c.changed for c in report.changes):
        say("แท็บสรุปเป็นปัจจุบันแล้ว ไม่ได้เขียน", "summary tabs already up to date; nothing written")
    elif dry_run:
        say("ทดลองเท่านั้น ไม่ได้เขียน", "dry run: nothing written")
    for p in report.problems:
        click.echo(f"{p.severity.th} {p.cell} [{p.key}]: {p.th}\n  {p.en}", err=True)
    if report.problems:
        say(f"มี {len(report.problems)} แถวที่คำนวณไม่ได้ จึงไม่นำมารวม (รหัสออก 4)",
            f"{len(report.problems)} rows could not be scored and were left out (exit code 4)")


def render_init(report: InitReport) -> None:
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
    render_notes(report.notes)
    for conflict in report.conflicts:
        say(f"ไม่ได้เขียน {conflict.cell}: มีผู้แก้ไขระหว่างทำงาน", f"left {conflict.cell} alone: someone edited it meanwhile")
    if report.layout_in_place:
        say("ไม่มีอะไรต้องเพิ่มหรือจัดวาง จึงไม่ได้เขียนสมุดงาน", "nothing to add or lay out: the workbook was not written")
    elif not report.changed_data and not report.created_workbook:
        say("ไม่มีข้อมูลต้องเพิ่ม จัดวางรูปแบบแท็บให้เป็นปัจจุบันแล้ว", "nothing to add: the tabs' layout was brought up to date")


def render_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(f"{p.severity.th} {p.cell} [{p.key}]: {p.th}\n    {p.severity.value}: {p.en}")


def render_validate(report: ValidateReport) -> None:
    render_notes(report.notes)
    render_problems(report.problems)
    errors, warnings, info = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    if not report.problems:
        say("ไม่พบปัญหา", "no problems found")
    else:
        say(f"ผิดพลาด {errors} คำเตือน {warnings} ข้อสังเกต {info}", f"{errors} errors, {warnings} warnings, {info} info")
    if report.written:
        say(f"เขียนลงแท็บตรวจสอบข้อมูล และทำเครื่องหมาย {report.marked_cells} เซลล์",
            f"wrote the problems tab and marked {report.marked_cells} cells")
