from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheets_sync.domain.schema import ROUND_CHOICES

from sheets_sync.backends.target import open_backend
from sheets_sync.tasks.rollup import (
    Cache,
    OfficeSummary,
    estimate_seconds,
    read_offices,
    run_rollup,
)

from .common import backend_for, say, session, sheet_option, today_option


@click.command("rollup")
@sheet_option
@click.option("--offices", "offices_csv", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV: รหัสเขต,ชื่อเขต,สมุดงาน / office_code,office_name,sheet (URL, key or .xlsx path).")
@today_option
@click.option("--resume", is_flag=True, help="อ่านต่อจากครั้งก่อน / skip the offices already read in this run.")
@click.option("--round", "round_", type=click.Choice(ROUND_CHOICES), default=None,
              help="จัดอันดับตามรอบนี้ / rank on this round (default: the latest round every office has a result for).")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path(".sheets-sync/rollup-cache.json"), show_default=True,
              help="ที่เก็บผลที่อ่านแล้ว / where the offices read so far are kept for --resume.")
def rollup_command(sheet: str | None, offices_csv: Path, today: dt.date, resume: bool, round_: str | None,
                   cache_path: Path) -> None:
    """รวมผลหลายเขตในสมุดงานเดียว / One view over many offices' workbooks.

    Reads each office's workbook with one request, paced under Google's quota (60 reads a minute), and
    writes สรุปรายเขต (results per round, band, late steps, missing results, validation errors, a ranking)
    and เขตที่อ่านไม่ได้ (offices that could not be read, and why) to the target in one write. An office that
    fails never stops the run. Offices are ranked on one round, the same for all: --round, or the latest round
    every office has a result for (said in the output). A relative path in the CSV is read from the CSV's own
    folder. Exit 4 when some offices could not be read.

    \b
    Example:
      sheets-sync rollup --offices offices.csv --sheet https://docs.google.com/spreadsheets/d/KEY/edit
      sheets-sync rollup --offices offices.csv --sheet province.xlsx --resume
    """
    offices = read_offices(offices_csv)
    seconds = estimate_seconds(offices)
    say(f"อ่าน {len(offices)} เขต ใช้เวลาประมาณ {seconds / 60:.1f} นาที (ตามโควตา Google 60 ครั้งต่อนาที)",
        f"reading {len(offices)} offices; about {seconds / 60:.1f} minutes at Google's quota of 60 reads a minute")
    _, target = backend_for(sheet)
    credentials = session().credentials
    cache = Cache(cache_path, offices, resume)
    counts = {"done": 0, "failed": 0}

    with click.progressbar(length=len(offices), label="เขต / offices", show_eta=True, show_pos=True,
                           item_show_func=lambda text: text) as bar:
        def progress(summary: OfficeSummary, cached: bool) -> None:
            counts["done"] += 1
            counts["failed"] += summary.failure is not None
            remaining = len(offices) - counts["done"]
            bar.update(1, f"ล้มเหลว {counts['failed']} เหลือ {remaining} (failed {counts['failed']}, remaining {remaining})")

        report = run_rollup(offices, lambda t: open_backend(t, credentials), target, today,
                            cache, progress, int(round_) if round_ else None)
    if report.ranked_on is not None:
        say(f"จัดอันดับตามผลรอบ {report.ranked_on} เดือน ของทุกเขต", f"ranked on round {report.ranked_on}, for every office")
    else:
        say("ยังไม่มีรอบที่ทุกเขตมีผล จึงยังไม่จัดอันดับ", "no round has a result for every office yet, so no ranking")
    say(f"อ่านได้ {len(report.summaries) - len(report.failed)} เขต อ่านไม่ได้ {len(report.failed)} เขต "
        f"จากแคช {report.from_cache} เขต ใช้เวลา {report.seconds:.0f} วินาที",
        f"read {len(report.summaries) - len(report.failed)}, failed {len(report.failed)}, "
        f"from the cache {report.from_cache}, in {report.seconds:.0f} s")
    for failed in report.failed:
        th, en = failed.failure or ("", "")
        click.echo(f"  {failed.code} {failed.name}: {th} / {en}", err=True)
    raise SystemExit(int(report.exit_code))
