"""A write that changes a few generated tabs of an .xlsx rewrites only those tabs' parts; the file it leaves is the
one a whole-workbook save would leave, and every other part stays byte for byte as it was."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.backends.xlsx_changed_tabs import NotInPlace, changed_tabs, check_in_place
from sheets_sync.backends.xlsx_parts import sheet_parts
from sheets_sync.tasks.build import BuildOptions, run_build
from sheets_sync.workbook.operations import (
    AddTab,
    FreezeRows,
    Mark,
    Protect,
    ReplaceTab,
    StyleHeader,
    WriteCells,
)

from .conftest import kpi, office_workbook, result

SUMMARIES = ("สรุปคะแนน", "สรุปขั้นตอน", "สรุปผู้รับผิดชอบ")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def worksheet_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as book:
        return dict(sheet_parts(book))


def looks(path: Path) -> dict:
    """What a person sees of every tab: values, formats, colours, fonts, alignment, widths, frozen rows,
    protection, print titles, links, and the workbook's fingerprints."""
    wb = openpyxl.load_workbook(path)
    seen: dict = {"marks": sorted((p.name, p.value) for p in wb.custom_doc_props.props)}
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.number_format, c.fill.fill_type, c.fill.fgColor.rgb, c.font.name,
                  c.font.b, c.font.color.rgb if c.font.color is not None else None, c.alignment.horizontal,
                  c.alignment.wrap_text, c.alignment.indent, c.hyperlink.location if c.hyperlink else None)
                 for row in ws.iter_rows() for c in row]
        seen[ws.title] = {
            "cells": cells,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "frozen": ws.freeze_panes, "protected": ws.protection.sheet, "titles": ws.print_title_rows,
            "fit": (ws.page_setup.orientation, ws.page_setup.fitToWidth),
        }
    wb.close()
    return seen


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """An office built once on 20 July 2027, then a round-9 result typed and saved by a person."""
    path = office_workbook(tmp_path / "office.xlsx", [kpi("1", 60), kpi("2", 40)],
                           [result("1", 6, 70), result("2", 6, 80)])
    run_build(XlsxBackend(path), BuildOptions(dt.date(2027, 7, 20)))
    wb = openpyxl.load_workbook(path)
    wb["ผลการดำเนินงาน"].append(["1", 9, 90])
    wb.save(path)
    return path


def test_a_build_leaves_the_file_a_whole_save_would_leave(built: Path, tmp_path: Path, monkeypatch):
    whole = tmp_path / "whole.xlsx"
    shutil.copy(built, whole)
    assert run_build(XlsxBackend(built), BuildOptions(dt.date(2027, 7, 21))).written
    monkeypatch.setattr(XlsxBackend, "_apply_to_tabs", lambda self, *args: None)
    assert run_build(XlsxBackend(whole), BuildOptions(dt.date(2027, 7, 21))).written
    assert looks(built) == looks(whole)
    assert round_9_of_kpi_1(built) == (90, 4)


def round_9_of_kpi_1(path: Path) -> tuple:
    """The result and score the summary shows for KPI 1 in round 9."""
    rows = openpyxl.load_workbook(path, data_only=True)["สรุปคะแนน"].iter_rows(values_only=True)
    return next(((row[4], row[5]) for row in rows if row[0] == 9 and str(row[1]) == "1"), ())


def test_a_workbook_last_saved_by_libreoffice_keeps_every_part_the_build_does_not_change(built: Path, tmp_path: Path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs it")
    saved = tmp_path / "saved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                    "--convert-to", "xlsx", "--outdir", str(saved), str(built)], check=True, capture_output=True,
                   timeout=300)
    path = saved / built.name
    before = parts(path)
    assert "xl/sharedStrings.xml" in before  # LibreOffice's own form, unlike openpyxl's inline text

    assert run_build(XlsxBackend(path), BuildOptions(dt.date(2027, 7, 21))).written

    after = parts(path)
    rewritten = {worksheet_parts(path)[t] for t in SUMMARIES}
    assert set(after) == set(before)
    kept = {name for name in before if before[name] == after[name]}
    assert set(before) - kept <= rewritten | {"xl/styles.xml", "docProps/core.xml", "docProps/custom.xml"}
    assert {worksheet_parts(path)[t] for t in ("ตัวชี้วัด", "ผลการดำเนินงาน", "บุคลากร")} <= kept
    # and LibreOffice reads what was written: the round-9 score of KPI 1 in the rewritten summary
    again = tmp_path / "again"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                    "--convert-to", "xlsx", "--outdir", str(again), str(path)], check=True, capture_output=True,
                   timeout=300)
    assert round_9_of_kpi_1(again / path.name) == (90, 4)


def test_only_writes_that_stay_inside_their_tabs_are_done_in_place():
    nightly = [ReplaceTab("สรุปขั้นตอน", (("h",), (1,))), StyleHeader("สรุปขั้นตอน", 1, generated=True),
               FreezeRows("สรุปขั้นตอน"), Protect("สรุปขั้นตอน"), Mark("sheets-sync content x", "1")]
    assert changed_tabs(nightly) == {"สรุปขั้นตอน"}
    assert changed_tabs([ReplaceTab("t", (("h",),), notes=((1, 1, "a note"),))]) is None  # comment parts
    assert changed_tabs([StyleHeader("ขั้นตอน", 3)]) is None  # an input tab's filter lives in workbook.xml
    assert changed_tabs([WriteCells("t", 1, 1, (("x",),))]) is None
    assert changed_tabs([AddTab("new")]) is None
    assert changed_tabs([Mark("sheets-sync content x", "1")]) is None  # nothing but a fingerprint


def test_a_tab_with_notes_of_its_own_is_written_whole_and_keeps_them(tmp_path: Path):
    path = tmp_path / "w.xlsx"
    backend = XlsxBackend(path)
    backend.apply([AddTab("g"), ReplaceTab("g", (("h",), (1,)), notes=((2, 1, "why this row"),))])
    with pytest.raises(NotInPlace):
        check_in_place(path.read_bytes(), {"g"}, [ReplaceTab("g", (("h",), (2,)))])
    backend.apply([ReplaceTab("g", (("h",), (2,)))])
    assert backend.read().tabs["g"].rows == [["h"], [2]]


def test_a_hidden_tab_is_rewritten_and_stays_hidden(tmp_path: Path):
    path = tmp_path / "w.xlsx"
    XlsxBackend(path).apply([AddTab("shown"), AddTab("g"), ReplaceTab("g", (("h",), (1,)))])
    wb = openpyxl.load_workbook(path)
    wb["g"].sheet_state = "hidden"
    wb.save(path)
    XlsxBackend(path).apply([ReplaceTab("g", (("h",), (2,)))])
    wb = openpyxl.load_workbook(path)
    assert wb["g"].sheet_state == "hidden" and wb["g"]["A2"].value == 2
