from __future__ import annotations

import datetime as dt

import click

from sheets_sync.domain.scoring import display
from sheets_sync.exit_codes import ExitCode
from sheets_sync.tasks.build import BuildOptions, run_build

from .common import (
    RunRecord,
    alert_option,
    backend_for,
    log_json_option,
    round_option,
    sheet_option,
    today_option,
    writing,
)
from .render import render_build


@click.command("build")
@sheet_option
@round_option
@today_option
@click.option("--dry-run", is_flag=True, help="แสดงสิ่งที่จะเปลี่ยนโดยไม่เขียน / show what would change, write nothing.")
@click.option("--quiet", "-q", is_flag=True, help="ไม่พิมพ์อะไรเมื่อสำเร็จ / print nothing on success (for cron).")
@click.option("--wait", type=click.FloatRange(0), default=30, show_default=True,
              help="รอการสรุปผลอื่นกี่วินาที / seconds to wait for another build's lock before giving up.")
@click.option("--snapshot/--no-snapshot", default=None,
              help="เก็บสำเนาของสิ่งที่อ่าน (ค่าเริ่มต้น: ตั้งค่า snapshot_on_build) / keep a snapshot of what was read, for "
              "`changes` (default: the setting snapshot_on_build).")
@log_json_option
@alert_option
def build_command(sheet: str | None, round_: str | None, today: dt.date, dry_run: bool, quiet: bool,
                  wait: float, snapshot: bool | None, log_json: str | None, alert_to: tuple[str, ...]) -> None:
    """สรุปผลลงแท็บสรุป / Compile the summary tabs from the staff's entries.

    Reads the workbook once, scores every KPI per round, and rewrites สรุปคะแนน, สรุปขั้นตอน and
    สรุปผู้รับผิดชอบ in one atomic write. Staff tabs are never written. When nothing changed, nothing is
    written. Exit 4 when some rows could not be scored (they are listed and left out of the totals).

    \b
    Example:
      sheets-sync build --sheet workbook.xlsx
      sheets-sync build --dry-run --today 20/7/2570
      sheets-sync build --quiet --log-json /var/log/sheets-sync.jsonl   # from cron
    """
    with RunRecord("build", log_json, alert_to) as record:
        target, backend = backend_for(sheet)
        record.fields["target"] = str(target)
        options = BuildOptions(today, (int(round_),) if round_ else None, dry_run, snapshot)
        with writing(target, wait):
            report = run_build(backend, options)
        code = report.exit_code
        record.fields.update({
            "dry_run": dry_run, "written": report.written, "requests": report.requests,
            "tabs_changed": [c.title for c in report.changes if c.changed], "problems": len(report.problems),
            "snapshot": str(report.snapshot) if report.snapshot else None,
            "office_result": {str(s.round): str(display(s.office_result)) if s.office_result is not None else None
                              for s in report.compiled.rounds},
        })
        if not (quiet and code is ExitCode.OK):
            render_build(report, dry_run)
        raise SystemExit(int(code))
