from __future__ import annotations

import datetime as dt
import json

import click

from sheets_sync.domain.problems import Severity
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.validate import ValidateOptions
from sheets_sync.tasks.validate_write import ValidateReport, run_validate

from .common import backend_for, say, sheet_option, today_option


@click.command("validate")
@sheet_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--write", is_flag=True,
              help="เขียนปัญหาลงแท็บตรวจสอบข้อมูล และทำเครื่องหมายที่เซลล์ / write the problems to ตรวจสอบข้อมูล "
                   "and mark the cells with a note and a highlight (values are never changed).")
@click.option("--strict", is_flag=True,
              help="รายงานค่าที่พิมพ์แบบหลวม ๆ ด้วย / also report loosely typed values (Thai digits, ร้อยละ, "
                   "BE date text) as info.")
@today_option
def validate_command(sheet: str | None, fmt: str, write: bool, strict: bool, today: dt.date | None) -> None:
    """ตรวจข้อมูลที่บุคลากรกรอก / Check every entry and point at the exact cell.

    Collects every problem in one pass, each with severity, tab, cell, the row's key and a message in Thai
    and English. Exit 0 when clean or warnings only, 3 when there are errors.

    \b
    Example:
      sheets-sync validate --sheet workbook.xlsx
      sheets-sync validate --format json --strict > problems.json
      sheets-sync validate --write        # problems into ตรวจสอบข้อมูล, notes on the cells
    """
    _, backend = backend_for(sheet)
    report = run_validate(backend, ValidateOptions(today or dt.date.today(), strict), write)
    if fmt == "json":
        click.echo(json.dumps({
            "target": report.target,
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "problems": [p.as_dict() for p in report.problems],
        }, ensure_ascii=False, indent=2))
    else:
        render(report)
    raise SystemExit(int(ExitCode.INVALID_DATA if report.count(Severity.ERROR) else ExitCode.OK))


def render(report: ValidateReport) -> None:
    for p in report.problems:
        click.echo(f"{p.severity.th} {p.cell} [{p.key}]: {p.th}\n    {p.severity.value}: {p.en}")
    errors, warnings, info = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    if not report.problems:
        say("ไม่พบปัญหา", "no problems found")
    else:
        say(f"ผิดพลาด {errors} คำเตือน {warnings} ข้อสังเกต {info}", f"{errors} errors, {warnings} warnings, {info} info")
    if report.written:
        say(f"เขียนลงแท็บตรวจสอบข้อมูล และทำเครื่องหมาย {report.marked_cells} เซลล์",
            f"wrote the problems tab and marked {report.marked_cells} cells")
