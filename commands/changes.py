from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from sheets_sync.domain.schema import INPUT_TABS
from sheets_sync.tasks.changes import KIND_TH, run_changes

from .common import backend_for, say, sheet_option, today_option, writing


@click.command("changes")
@sheet_option
@click.option("--since", "since", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="สำเนาที่ใช้เทียบ / the snapshot to compare with.")
@click.option("--since-last", is_flag=True, help="เทียบกับสำเนาล่าสุด / compare with the latest snapshot (the default).")
@click.option("--tabs", default=None, help="เฉพาะแท็บเหล่านี้ คั่นด้วย , / only these tabs (Thai names or keys).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--write", is_flag=True, help="ต่อท้ายลงแท็บประวัติการแก้ไข / append them to the history tab ประวัติการแก้ไข.")
@today_option
def changes_command(sheet: str | None, since: Path | None, since_last: bool, tabs: str | None, fmt: str,
                    write: bool, today: dt.date) -> None:
    """อะไรเปลี่ยนไปบ้างตั้งแต่สำเนา / What changed in the input tabs since a snapshot.

    Rows are matched by their key (KPI id; KPI id + round; person id; step; setting), never by row number.
    Each change names the tab, the cell, the key, the column, the value before and after; added and removed
    rows are listed too. Snapshots come from `snapshot`, or from every build when snapshot_on_build is ใช่
    (or `build --snapshot`). Reads once; writes only with --write.

    \b
    Example:
      sheets-sync changes --since-last
      sheets-sync changes --since .sheets-sync/snapshots/workbook-….xlsx --tabs ผลการดำเนินงาน --format json
    """
    if since is not None and since_last:
        raise click.UsageError("--since or --since-last, not both / ระบุอย่างใดอย่างหนึ่ง")
    chosen = INPUT_TABS
    if tabs:
        wanted = [t.strip() for t in tabs.split(",") if t.strip()]
        chosen = tuple(t for t in INPUT_TABS if any(t.matches_title(w) for w in wanted))
        if len(chosen) != len(wanted):
            raise click.UsageError(f"unknown tab in --tabs {tabs!r} / ไม่รู้จักแท็บ")
    target, backend = backend_for(sheet)
    if write:
        with writing(target):
            report = run_changes(backend, since, chosen, True, today)
    else:
        report = run_changes(backend, since, chosen, False, today)
    if fmt == "json":
        click.echo(json.dumps({"since": report.since.name, "changes": [c.as_dict() for c in report.changes]},
                              ensure_ascii=False, indent=2))
        return
    say(f"เทียบกับสำเนา {report.since.name}", f"since the snapshot {report.since.name}")
    for c in report.changes:
        shown = c.as_dict()
        what = f" {c.column}: {shown['before'] or '(ว่าง)'} → {shown['after'] or '(ว่าง)'}" if c.column else ""
        click.echo(f"  {KIND_TH[c.kind]} {c.cell} [{c.key}]{what}")
    say(f"เปลี่ยน {len(report.changes)} รายการ" + (" บันทึกลงแท็บประวัติการแก้ไขแล้ว" if report.written else ""),
        f"{len(report.changes)} changes" + (", appended to the history tab" if report.written else ""))
