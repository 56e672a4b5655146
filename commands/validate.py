from __future__ import annotations

import datetime as dt
import json

import click

from sheets_sync.domain.problems import Severity
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.validate import ValidateOptions, run_validate

from .common import RunRecord, alert_option, backend_for, log_json_option, sheet_option, today_option, writing
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
@click.option("--quiet", "-q", is_flag=True,
              help="ไม่พิมพ์อะไรเมื่อไม่มีข้อผิดพลาด / print nothing when there is no error (for cron).")
@log_json_option
@alert_option
def validate_command(sheet: str | None, fmt: str, write: bool, strict: bool, templates: bool, today: dt.date,
                     quiet: bool, log_json: str | None, alert_to: tuple[str, ...]) -> None:
    """ตรวจข้อมูลที่บุคลากรกรอก / Check every entry and point at the exact cell.

    Collects every problem in one pass, each with severity, tab, cell, the row's key and a message in Thai
    and English. Exit 0 when clean or warnings only, 3 when there are errors.

    \b
    Example:
      sheets-sync validate --sheet workbook.xlsx
      sheets-sync validate --format json --strict > problems.json
      sheets-sync validate --write        # problems into ตรวจสอบข้อมูล, notes on the cells
      sheets-sync validate --write --quiet --log-json /var/log/sheets-sync.jsonl   # from cron
    """
    with RunRecord("validate", log_json, alert_to) as record:
        target, backend = backend_for(sheet)
        record.fields.update({"target": str(target), "write": write})
        if write:
            with writing(target):
                report = run_validate(backend, ValidateOptions(today, strict, templates), write)
        else:
            report = run_validate(backend, ValidateOptions(today, strict, templates), write)
        counts = {"errors": report.count(Severity.ERROR), "warnings": report.count(Severity.WARNING),
                  "info": report.count(Severity.INFO)}
        record.fields.update({**counts, "marked_cells": report.marked_cells if report.written else 0})
        if fmt == "json":
            click.echo(json.dumps({"target": report.target, **counts,
                                   "problems": [p.as_dict() for p in report.problems]}, ensure_ascii=False, indent=2))
        elif not (quiet and report.exit_code is ExitCode.OK):
            render_validate(report)
        raise SystemExit(int(report.exit_code))
