from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheets_sync.domain.schema import ROUND_CHOICES

from sheets_sync.domain.schema import AGREEMENT_LEVELS

from .common import backend_for, progress_on_stderr, say, sheet_option, today_option, writing
from .render import render_notes


FORMAT = click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "both"]), default="docx", show_default=True)
OUT = click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
                   help="โฟลเดอร์ที่เขียนไฟล์ / the folder the files go to.")


@click.command("agreements")
@sheet_option
@OUT
@FORMAT
@click.option("--level", "levels", multiple=True, type=click.Choice([c.key for c in AGREEMENT_LEVELS] +
                                                                    [c.th for c in AGREEMENT_LEVELS]),
              help="เฉพาะระดับนี้ / only this level (repeatable).")
@click.option("--only", "only_row", type=int, default=None, help="เฉพาะแถวนี้ของแท็บข้อตกลง / only this row of ข้อตกลง.")
@click.option("--combine", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="รวมทุกฉบับเป็น PDF เดียว / all of them in one PDF too, to print in one go.")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="แม่แบบ Word ของเขต ({{ maker }} … และ {%tr for k in annex %}) / the office's own Word template.")
@click.option("--link", is_flag=True, help="ใส่ที่อยู่ไฟล์ในคอลัมน์ เอกสาร ที่ยังว่าง / fill the blank เอกสาร cells with the files.")
@click.option("--link-base", metavar="URL", default=None,
              help="ที่อยู่โฟลเดอร์ที่แชร์ซึ่งวางไฟล์ไว้ (จำเป็นเมื่อเป็น Google Sheet) / the shared folder's address "
                   "the files are put in: --link writes URL/file (needed on a Google Sheet).")
def agreements_command(sheet: str | None, out: Path, fmt: str, levels: tuple[str, ...], only_row: int | None,
                       combine: Path | None, template: Path | None, link: bool, link_base: str | None) -> None:
    """คำรับรองการปฏิบัติราชการพร้อมลงนาม / Step 7: one performance agreement per row of ข้อตกลง, ready to sign.

    Each file: the heading, the unit and fiscal year (BE), the parties with positions, the standard clauses
    (one-sided, not a contract; 1 ตุลาคม – 30 กันยายน; the annex; what each side undertakes), a signature
    block per party, and an annex of KPIs scoped by level: all for สพฐ./จังหวัด ↔ เขต, the KPIs the person
    owns or supervises for เขต ↔ บุคลากร, the KPIs for schools (column ใช้กับสถานศึกษา) for เขต ↔ สถานศึกษา.
    Named so a person finds it, e.g. 2570_เขต-สถานศึกษา_โรงเรียนบ้านหนองบัว.docx.

    \b
    Example:
      sheets-sync agreements --out agreements/ --format both --combine agreements/ทั้งหมด.pdf
      sheets-sync agreements --out agreements/ --level office_school --template our-letterhead.docx \
        --link --link-base https://intranet.example.go.th/agreements/2570
    """
    from sheets_sync.tasks.documents import run_agreements

    target, backend = backend_for(sheet)
    if link:
        with writing(target):
            report = run_agreements(backend, out, fmt, levels, only_row, combine, template, link, progress_on_stderr(),
                                    link_base)
    else:
        report = run_agreements(backend, out, fmt, levels, only_row, combine, template, link, progress_on_stderr())
    render_notes(report.notes)
    say(f"เขียนเอกสาร {len(report.files)} ไฟล์ใน {out}", f"wrote {len(report.files)} files in {out}")
    if link:
        say(f"ใส่ที่อยู่ไฟล์ในคอลัมน์ เอกสาร {report.linked} แถว", f"linked {report.linked} rows' เอกสาร cells")


@click.command("templates")
@sheet_option
@OUT
@FORMAT
@click.option("--kpi", "kpi_id", default=None, help="เฉพาะตัวชี้วัดนี้ / only this KPI.")
@click.option("--owner", default=None, help="ไฟล์เดียวของผู้รับผิดชอบคนนี้ / one file with this owner's KPIs.")
@click.option("--round", "round_", type=click.Choice(ROUND_CHOICES), default=None,
              help="เพิ่มส่วนรายงานผลของรอบนี้ / add this round's result block (a report form).")
@today_option
def templates_command(sheet: str | None, out: Path, fmt: str, kpi_id: str | None, owner: str | None,
                      round_: str | None, today: dt.date) -> None:
    """รายละเอียดตัวชี้วัด (KPI Template) / Step 5: one page per KPI with every field of its template.

    Id, name, unit, weight, PSA, definition, formula, method and direction in words, criteria 1–5, target,
    baselines with their BE years, data source, evidence required, owner / supervisor / collector with
    position, phone and e-mail, the rounds it counts in; --round N adds that round's result block.

    \b
    Example:
      sheets-sync templates --out templates/ --format pdf
      sheets-sync templates --out forms/ --owner P13 --round 9
    """
    from sheets_sync.tasks.documents import run_templates

    _, backend = backend_for(sheet)
    report = run_templates(backend, out, fmt, kpi_id, owner, int(round_) if round_ else None, today, progress_on_stderr())
    say(f"เขียนรายละเอียดตัวชี้วัด {len(report.files)} ไฟล์ใน {out}", f"wrote {len(report.files)} files in {out}")
