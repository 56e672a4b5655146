"""`sheets-sync`: the command-line entry point."""

from __future__ import annotations

import click

from sheets_sync import __version__

from .build import build_command
from .certify import certify_command
from .changes import changes_command
from .common import Group, Session
from .copy import copy_command
from .demo import demo_command
from .doctor import doctor_command
from .documents import agreements_command, templates_command
from .export import export_command
from .fix import fix_command
from .init import init_command
from .protect import protect_command
from .remind import remind_command
from .report import report_command
from .rollover import rollover_command
from .rollup import rollup_command
from .site import site_command
from .snapshot import restore_command, snapshot_command
from .status import status_command
from .validate import validate_command


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="sheets-sync")
@click.option("--credentials", metavar="FILE", envvar="GOOGLE_APPLICATION_CREDENTIALS",
              help="ไฟล์ข้อมูลรับรอง Google / a service-account key or OAuth user token file "
                   "(default: $GOOGLE_APPLICATION_CREDENTIALS, gspread's files, application default credentials).")
@click.option("--verbose", "-v", is_flag=True, help="แสดงจำนวนคำขอ Google / print how many Google requests were made.")
@click.option("--sheet", "sheet", metavar="PATH|URL|KEY", default=None,
              help="สมุดงานสำหรับทุกคำสั่ง / the workbook for the command (the command's own --sheet wins).")
@click.pass_context
def main(ctx: click.Context, credentials: str | None, verbose: bool, sheet: str | None) -> None:
    """sheets-sync: คำรับรองการปฏิบัติราชการของสำนักงานเขตพื้นที่การศึกษา บน Google Sheets หรือไฟล์ .xlsx

    Runs a Thai Educational Service Area office's yearly performance-agreement cycle on a shared workbook.

    \b
    Example:
      sheets-sync demo                 # a realistic sample office in demo/workbook.xlsx
      sheets-sync init --fiscal-year 2570
      sheets-sync --credentials key.json --verbose build --sheet https://docs.google.com/spreadsheets/d/KEY/edit
    """
    ctx.obj = Session(credentials, verbose, sheet)


main.add_command(init_command)
main.add_command(demo_command)
main.add_command(build_command)
main.add_command(export_command)
main.add_command(status_command)
main.add_command(validate_command)
main.add_command(certify_command)
main.add_command(protect_command)
main.add_command(remind_command)
main.add_command(rollover_command)
main.add_command(changes_command)
main.add_command(agreements_command)
main.add_command(templates_command)
main.add_command(site_command)
main.add_command(fix_command)
main.add_command(copy_command)
main.add_command(snapshot_command)
main.add_command(restore_command)
main.add_command(rollup_command)
main.add_command(report_command)
main.add_command(doctor_command)
