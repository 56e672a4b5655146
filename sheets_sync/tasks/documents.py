"""`agreements` and `templates`: the documents of steps 7 and 5, one file per agreement row or per KPI (or per
owner), as .docx and/or PDF, from one read of the workbook.  `--link` then fills each agreement's blank `เอกสาร`
cell with its file, in one guarded write."""

from __future__ import annotations

import datetime as dt
import os
import re
from urllib.parse import quote
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sheets_sync.domain.words import Words
from sheets_sync.config import config
from sheets_sync.documents.content import Agreement, KpiPage, agreements, kpi_pages, safe_name
from sheets_sync.documents.convert import docx_to_pdf
from sheets_sync.documents.pdf import write_agreements_pdf, write_kpi_pages_pdf
from sheets_sync.documents.word import default_agreement_template, default_kpi_template, render_docx
from sheets_sync.domain.schema import AGREEMENT_LEVELS, AGREEMENTS
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.outputs import file_in, replacing, unique_name
from sheets_sync.workbook.office import compile_office, load_office
from sheets_sync.workbook.operations import Backend, WriteCells
from sheets_sync.workbook.tables import read_table

Progress = Callable[[int, int, str], None]


def _formats(fmt: str) -> tuple[str, ...]:
    return ("docx", "pdf") if fmt == "both" else (fmt,)


@dataclass
class DocumentsReport:
    files: list[Path] = field(default_factory=list)
    linked: int = 0
    notes: list[Words] = field(default_factory=list)


def _write(stem: str, formats: tuple[str, ...], out: Path, template: bytes | Path, context: dict[str, object],
           pdf: Callable[[Path], None], own_template: bool, report: DocumentsReport, mode: int | None) -> Path:
    first: Path | None = None
    if "docx" in formats or own_template and "pdf" in formats:
        docx = file_in(out, f"{stem}.docx")
        with replacing(docx, mode) as temporary:
            render_docx(template, context, temporary)
        first = docx
        if "docx" in formats:
            report.files.append(docx)
    if "pdf" in formats:
        if own_template:  # only LibreOffice knows the office's own layout
            assert first is not None
            converted = docx_to_pdf(first)
            if mode is not None:
                os.chmod(converted, mode)
            if "docx" not in formats:
                first.unlink()
            first = converted
        else:
            first = file_in(out, f"{stem}.pdf")
            with replacing(first, mode) as temporary:
                pdf(temporary)
        report.files.append(first)
    assert first is not None
    return first


def _pdf_of_agreement(agreement: Agreement) -> Callable[[Path], None]:
    return lambda path: write_agreements_pdf([agreement], path)


def _pdf_of_pages(pages: list[KpiPage]) -> Callable[[Path], None]:
    return lambda path: write_kpi_pages_pdf(pages, path)


def run_agreements(backend: Backend, out: Path, fmt: str = "docx", levels: tuple[str, ...] = (),
                   only_row: int | None = None, combine: Path | None = None, template: Path | None = None,
                   link: bool = False, progress: Progress = lambda done, total, name: None,
                   link_base: str | None = None) -> DocumentsReport:
    """`link_base`: the address of the shared folder the files are put in (https://…); `--link` writes
    base/file into the sheet.  Without it a shared (Google) sheet is not given a path on this computer: the people
    reading the sheet could not open it."""
    if link and link_base is not None and not re.match(r"https?://\S+$", link_base):
        raise SheetsSyncError(ExitCode.USAGE, f"--link-base ต้องเป็นที่อยู่เว็บ (https://…) ไม่ใช่ {link_base}",
                              f"--link-base must be a web address (https://…), not {link_base}")
    if link and link_base is None and backend.url is not None:
        raise SheetsSyncError(
            ExitCode.USAGE, "ที่อยู่ไฟล์บนเครื่องนี้ ผู้ที่เปิดชีตร่วมกันเปิดไม่ได้: วางไฟล์ในโฟลเดอร์ที่แชร์แล้วใส่ "
            "--link-base ที่อยู่ของโฟลเดอร์นั้น",
            "a path on this computer opens for no one else reading the shared sheet: put the files in a shared "
            "folder and give its address with --link-base")
    data = backend.read()
    office = load_office(data)
    chosen: list[Agreement] = agreements(data, office)
    if levels:
        keys = {c.key for c in AGREEMENT_LEVELS for wanted in levels if wanted in (c.key, c.th)}
        chosen = [a for a in chosen if a.level in keys]
    if only_row is not None:
        chosen = [a for a in chosen if a.row == only_row]
    if not chosen:
        raise SheetsSyncError(ExitCode.INVALID_DATA, "ไม่มีแถวในแท็บข้อตกลงที่ตรงกับที่เลือก",
                              "no agreement row matches what was chosen")
    out.mkdir(parents=True, exist_ok=True)
    report = DocumentsReport()
    source: bytes | Path = template if template is not None else default_agreement_template()
    taken: set[str] = set()
    made: dict[int, Path] = {}
    for done, agreement in enumerate(chosen, start=1):
        stem = unique_name(agreement.file_stem, taken)
        if not agreement.annex:
            report.notes.append(Words(
                f"ข้อตกลงแถว {agreement.row} ({stem}) ไม่มีตัวชี้วัดในเอกสารประกอบท้าย: ผู้ทำคำรับรองไม่ได้เป็น"
                "ผู้รับผิดชอบหรือผู้กำกับดูแลตัวชี้วัดใด หรือไม่มีตัวชี้วัดที่ใช้กับสถานศึกษา",
                f"agreement row {agreement.row} ({stem}) has an empty annex: the maker owns or supervises no KPI, or "
                "no KPI is for schools"))
        made[agreement.row] = _write(stem, _formats(fmt), out, source, agreement.context(),
                                     _pdf_of_agreement(agreement), template is not None, report, backend.file_mode())
        progress(done, len(chosen), stem)
    if combine is not None:
        with replacing(combine, backend.file_mode()) as temporary:
            write_agreements_pdf(chosen, temporary)
        report.files.append(combine)
    if link:
        table = read_table(data, AGREEMENTS)
        title, col = table.title or AGREEMENTS.th, table.columns.get("document")
        if col is None:
            raise SheetsSyncError(ExitCode.LAYOUT, "แท็บข้อตกลงไม่มีคอลัมน์ เอกสาร (sheets-sync init เพิ่มให้)",
                                  "the agreements tab has no document column (`sheets-sync init` adds it)")
        def address(file: Path) -> str:
            return f"{link_base.rstrip('/')}/{quote(file.name)}" if link_base else str(file.resolve())

        writes = [WriteCells(title, a.row, col, ((address(made[a.row]),),), expect=((None,),))
                  for a in chosen if not a.document and a.row in made]
        if writes:
            result = backend.apply(writes)  # guarded: a cell someone filled meanwhile is left alone
            report.linked = len(writes) - len(result.conflicts)
            report.notes += result.notes
    return report


def run_templates(backend: Backend, out: Path, fmt: str = "docx", kpi_id: str | None = None,
                  owner: str | None = None, round_: int | None = None, today: dt.date | None = None,
                  progress: Progress = lambda done, total, name: None) -> DocumentsReport:
    data = backend.read()
    office = load_office(data)
    summary = compile_office(data, today or config().today, (round_,)).rounds[0] if round_ else None
    pages: list[KpiPage] = kpi_pages(data, office, summary)
    if kpi_id is not None:
        pages = [p for p in pages if p.kpi.kpi_id == kpi_id]
    if owner is not None:
        pages = [p for p in pages if p.kpi.owner == owner]
    if not pages:
        raise SheetsSyncError(ExitCode.INVALID_DATA, "ไม่มีตัวชี้วัดที่ตรงกับที่เลือก", "no KPI matches what was chosen")
    out.mkdir(parents=True, exist_ok=True)
    report = DocumentsReport()
    fy = office.settings.fiscal_year
    groups = [(f"{fy}_ผู้รับผิดชอบ_{safe_name(owner)}", pages)] if owner else \
        [(f"{fy}_ตัวชี้วัด_{safe_name(p.kpi.kpi_id)}", [p]) for p in pages]
    template = default_kpi_template()
    for done, (stem, group) in enumerate(groups, start=1):
        _write(stem, _formats(fmt), out, template, {"pages": [p.context() for p in group]}, _pdf_of_pages(group),
               False, report, backend.file_mode())
        progress(done, len(groups), stem)
    return report
