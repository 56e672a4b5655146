from __future__ import annotations

import datetime as dt
import json

import click

from sheets_sync.domain.problems import Severity
from sheets_sync.tasks.validate import ValidateOptions, run_validate

from .common import backend_for, sheet_option, today_option, writing
from .render import render_validate


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
@click.option("--templates", is_flag=True,
              help="บอกช่องที่ยังว่างในรายละเอียดตัวชี้วัด / also list each KPI template's blank fields (information).")
def validate_command(sheet: str | None, fmt: str, write: bool, strict: bool, templates: bool, today: dt.date) -> None:
    """ตรวจข้อมูลที่บุคลากรกรอก / Check every entry and point at the exact cell.

    Collects every problem in one pass, each with severity, tab, cell, the row's key and a message in Thai
    and English. Exit 0 when clean or warnings only, 3 when there are errors.

    \b
    Example:
      sheets-sync validate --sheet workbook.xlsx
      sheets-sync validate --format json --strict > problems.json
      sheets-sync validate --write        # problems into ตรวจสอบข้อมูล, notes on the cells
    """
    target, backend = backend_for(sheet)
    if write:
        with writing(target):
            report = run_validate(backend, ValidateOptions(today, strict, templates), write)
    else:
        report = run_validate(backend, ValidateOptions(today, strict, templates), write)
    if fmt == "json":
        click.echo(json.dumps({
            "target": report.target,
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "problems": [p.as_dict() for p in report.problems],
        }, ensure_ascii=False, indent=2))
    else:
        render_validate(report)
    raise SystemExit(int(report.exit_code))
