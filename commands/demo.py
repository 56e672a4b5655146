from __future__ import annotations

from pathlib import Path

import click

from sheets_sync.backends.target import local_workbook
from sheets_sync.report import write_report
from sheets_sync.tasks.build import BuildOptions, run_build
from sheets_sync.tasks.demo import (
    AS_OF,
    KPI_ROWS,
    OFFICE_NAME,
    PEOPLE_ROWS,
    RESULT_ROWS,
    make_demo_workbook,
)
from sheets_sync.tasks.validate import ValidateOptions, run_validate

from .common import be, say
from .render import render_build, render_init, render_validate


@click.command("demo")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("demo"),
              show_default=True, help="โฟลเดอร์ที่เขียนไฟล์ตัวอย่าง / folder to write the sample files to.")
def demo_command(directory: Path) -> None:
    """สร้างสมุดงานตัวอย่างของสำนักงานเขตสมมุติ / Write a realistic sample office's workbook.

    Writes DIR/workbook.xlsx for สพป. ตัวอย่าง เขต 1, fiscal year 2570, as of 20 ก.ค. 2570: the ten
    standard steps, 25 people, 14 KPIs of all four scoring methods, round-6 and round-9 results, agreements,
    and a few deliberate typing slips, then validates it (marking the cells) and builds the summary tabs as of that day and prints the office
    result per round, then writes DIR/report.pdf and DIR/report.docx. Runs no Google request.

    \b
    Example:
      sheets-sync demo --dir demo && sheets-sync init --sheet demo/workbook.xlsx
    """
    path = directory / "workbook.xlsx"
    report = make_demo_workbook(path)
    render_init(report)
    say(f"กรอกข้อมูลตัวอย่างของ {OFFICE_NAME} ณ วันที่ {be(AS_OF)}: บุคลากร {len(PEOPLE_ROWS)} คน "
        f"ตัวชี้วัด {len(KPI_ROWS)} ตัว ผลการดำเนินงาน {len(RESULT_ROWS)} แถว",
        f"filled in {len(PEOPLE_ROWS)} people, {len(KPI_ROWS)} KPIs and {len(RESULT_ROWS)} round results")
    say(f"ตรวจข้อมูล ณ วันที่ {be(AS_OF)} (sheets-sync validate --write --strict)",
        f"validating as of {AS_OF}, marking the cells")
    checked = run_validate(local_workbook(path), ValidateOptions(AS_OF, strict=True), write=True)
    render_validate(checked)
    say(f"สรุปผล ณ วันที่ {be(AS_OF)} (sheets-sync build --today {AS_OF.isoformat()})",
        f"building the summary tabs as of {AS_OF}")
    built = run_build(local_workbook(path), BuildOptions(today=AS_OF))
    render_build(built, dry_run=False)
    for name in ("report.pdf", "report.docx"):
        write_report(local_workbook(path), directory / name, AS_OF)
        say(f"เขียนรายงานผลการปฏิบัติราชการ {directory / name}", f"wrote the performance report {directory / name}")
    say(f"เปิดดูได้ที่ {path}", f"open {path} to look at it")
