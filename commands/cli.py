"""`sheets-sync`: the command-line entry point."""

from __future__ import annotations

import gc
import importlib

import click

from sheets_sync import __version__

from .common import Group, Session

# Every command, in the order --help lists them: its module, loaded only when the command runs, and its one-line
# help (test_cli checks each against the command's own docstring), so `--help` starts as fast as Click itself.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init:init_command", "จัดวางหรือปรับรุ่นสมุดงาน / Lay out a new workbook or upgrade an existing one."),
    "demo": ("demo:demo_command", "สร้างสมุดงานตัวอย่างของสำนักงานเขตสมมุติ / Write a realistic sample office's workbook."),
    "build": ("build:build_command", "สรุปผลลงแท็บสรุป / Compile the summary tabs from the staff's entries."),
    "export": ("export:export_command", "ส่งออกผลคะแนนสำหรับระบบอื่น / Export the compiled results as JSON, CSV or an "
               ".xlsx of tables."),
    "status": ("status:status_command", "ภาพรวมสถานะในหน้าจอ / A terminal dashboard: late steps, missing results, "
               "office result."),
    "validate": ("validate:validate_command", "ตรวจข้อมูลที่บุคลากรกรอก / Check every entry and point at the exact cell."),
    "certify": ("certify:certify_command", "การรับรองผลและการผนึกรอบ / Step 9: where a round stands in certification; "
                "seal or unseal it."),
    "protect": ("protect:protect_command", "ป้องกันรายบุคคลบน Google Sheets / Each person edits only their own rows; a "
                "filter view per person."),
    "remind": ("remind:remind_command", "แจ้งเตือนสิ่งที่แต่ละคนต้องทำ / Tell each person what is theirs to do in a round, "
               "one e-mail each."),
    "rollover": ("rollover:rollover_command", "ขึ้นปีงบประมาณใหม่ / Start next fiscal year's workbook from this year's, "
                 "in one command."),
    "changes": ("changes:changes_command", "อะไรเปลี่ยนไปบ้างตั้งแต่สำเนา / What changed in the input tabs since a "
                "snapshot."),
    "agreements": ("documents:agreements_command", "คำรับรองการปฏิบัติราชการพร้อมลงนาม / Step 7: one performance "
                   "agreement per row of ข้อตกลง, ready to sign."),
    "templates": ("documents:templates_command", "รายละเอียดตัวชี้วัด (KPI Template) / Step 5: one page per KPI with "
                  "every field of its template."),
    "site": ("site:site_command", "เว็บไซต์สรุปผล เปิดบนมือถือได้ / A static site: where the office stands, a page per "
             "KPI and per person."),
    "fix": ("fix:fix_command", "แปลงค่าที่พิมพ์แบบหลวม ๆ ให้เป็นเซลล์ตัวเลขหรือวันที่ / Normalise loosely typed values "
            "in place."),
    "copy": ("copy:copy_command", "คัดลอกสมุดงานทั้งเล่ม / Copy every tab from one workbook to another, either direction."),
    "snapshot": ("snapshot:snapshot_command", "ถ่ายสำเนาสมุดงาน / Save every tab (values and notes) to a timestamped "
                 ".xlsx with a checksum manifest."),
    "restore": ("snapshot:restore_command", "นำข้อมูลจากสำเนากลับมา / Put input tabs back from a snapshot, after showing "
                "what would change."),
    "rollup": ("rollup:rollup_command", "รวมผลหลายเขตในสมุดงานเดียว / One view over many offices' workbooks."),
    "report": ("report:report_command", "เขียนเอกสารรายงานผลการปฏิบัติราชการ / Write the year's performance report "
               "(step 10)."),
    "doctor": ("doctor:doctor_command", "ตรวจการเชื่อมต่อกับ Google Sheet จริง / The live check of a real Google Sheet, "
               "before the first real run."),
}


class LazyGroup(Group):
    """Commands are imported when they run; `--help` lists them from COMMANDS without importing any."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[cmd_name][0].partition(":")
        command: click.Command = getattr(importlib.import_module(f"commands.{module}"), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
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
    # a command holds a whole office at once (a 5,000-KPI read is 200,000 cells, each a few small dicts), and
    # CPython's default of a collection per 700 new objects spent 0.45 s of a 1.8 s build rescanning them
    # (docs/benchmarks.md); nothing here makes garbage in cycles fast enough to need more
    gc.set_threshold(10_000, 50, 50)
    # the Thai holidays kept on disk between commands (0.1 s each); the domain asks the package itself by default
    from sheets_sync.domain.calendar import use_holidays
    from sheets_sync.thai_holidays import thai_holidays

    use_holidays(thai_holidays)
    ctx.obj = Session(credentials, verbose, sheet)

