from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheets_sync.outputs import replacing, write_output
from sheets_sync.tasks.export import run_export, to_csv, to_json

from .common import backend_for, round_option, sheet_option, today_option


@click.command("export")
@sheet_option
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True,
              help="json, csv, or xlsx (a tab per table, through pandas; needs -o).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="ไฟล์ที่เขียน / file to write (default: stdout).")
@round_option
@today_option
def export_command(sheet: str | None, fmt: str, output: Path | None, round_: str | None, today: dt.date) -> None:
    """ส่งออกผลคะแนนสำหรับระบบอื่น / Export the compiled results as JSON, CSV or an .xlsx of tables.

    Reads the workbook once and writes nothing to it. Numbers are rounded to 4 decimals half-up; `score` is
    the computed score, `score_used` the committee score when there is one, and `weighted` is
    score_used × weight / 100.

    \b
    Example:
      sheets-sync export --format json -o results.json
      sheets-sync export --format csv --round 6 > round6.csv
      sheets-sync export --format xlsx -o results.xlsx   # rounds, results, steps and owners on their own tabs
    """
    _, backend = backend_for(sheet)
    compiled = run_export(backend, today, int(round_) if round_ else None)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs -o FILE.xlsx / ต้องระบุไฟล์ด้วย -o")
        from sheets_sync.frames import frames_of  # pandas: loaded only for this

        with replacing(output, backend.file_mode()) as temporary:  # whole or not at all
            frames_of(compiled).to_excel(temporary)
        return
    text = to_json(compiled) if fmt == "json" else to_csv(compiled)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text, backend.file_mode())
