"""The local backend: one read, one atomic apply, typed values, and no overwrite of a cell someone changed."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.errors import SheetsSyncError
from sheets_sync.exit_codes import ExitCode
from sheets_sync.workbook.operations import AddTab, ReplaceTab, WriteCells


def test_values_are_written_typed_and_formula_text_stays_text(tmp_path: Path):
    path = tmp_path / "w.xlsx"
    backend = XlsxBackend(path)
    backend.apply([AddTab("แท็บ"), WriteCells("แท็บ", 1, 1, (
        (Decimal("0.1920"), dt.date(2026, 10, 1), "=IMPORTXML(\"http://x\")", 3, "ข้อความ"),
    ))])
    ws = openpyxl.load_workbook(path)["แท็บ"]
    assert ws["A1"].value == 0.192 and ws["A1"].data_type == "n"
    assert ws["B1"].is_date
    assert ws["C1"].data_type == "s" and ws["C1"].value.startswith("=IMPORTXML")
    assert ws["D1"].value == 3 and ws["E1"].value == "ข้อความ"
    assert backend.read().tabs["แท็บ"].rows[0][2] == "=IMPORTXML(\"http://x\")"


def test_a_guarded_write_leaves_a_cell_changed_since_the_read_and_reports_it(tmp_path: Path):
    path = tmp_path / "w.xlsx"
    backend = XlsxBackend(path)
    backend.apply([AddTab("t"), WriteCells("t", 1, 1, (("old", None),))])
    # a person types into B1 after our read, before our write
    wb = openpyxl.load_workbook(path)
    wb["t"]["B1"] = "typed by a person"
    wb.save(path)
    result = backend.apply([WriteCells("t", 1, 1, (("new", "ours"),), expect=(("old", None),))])
    ws = openpyxl.load_workbook(path)["t"]
    assert ws["A1"].value == "new"
    assert ws["B1"].value == "typed by a person"
    assert [(c.cell, c.found) for c in result.conflicts] == [("t!B1", "typed by a person")]


def test_replace_tab_clears_the_old_rows(tmp_path: Path):
    backend = XlsxBackend(tmp_path / "w.xlsx")
    backend.apply([AddTab("g"), ReplaceTab("g", (("h",), (1,), (2,), (3,)))])
    backend.apply([ReplaceTab("g", (("h",), (9,)))])
    assert backend.read().tabs["g"].rows == [["h"], [9]]


def test_a_failed_save_leaves_the_old_file_whole_and_no_temporary_file(tmp_path: Path, monkeypatch):
    path = tmp_path / "w.xlsx"
    backend = XlsxBackend(path)
    backend.apply([AddTab("t"), WriteCells("t", 1, 1, (("before",),))])
    original = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", crash)
    with pytest.raises(OSError):
        backend.apply([WriteCells("t", 1, 1, (("after",),))])
    assert path.read_bytes() == original
    assert os.listdir(tmp_path) == ["w.xlsx"]


def test_saving_keeps_the_file_permissions(tmp_path: Path):
    path = tmp_path / "w.xlsx"
    backend = XlsxBackend(path)
    backend.apply([AddTab("t")])
    path.chmod(0o600)
    backend.apply([WriteCells("t", 1, 1, (("x",),))])
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_missing_or_broken_file_is_a_not_found_error_in_both_languages(tmp_path: Path):
    with pytest.raises(SheetsSyncError) as missing:
        XlsxBackend(tmp_path / "none.xlsx").read()
    assert missing.value.code is ExitCode.NOT_FOUND and "ไม่พบ" in missing.value.th
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a zip")
    with pytest.raises(SheetsSyncError) as bad:
        XlsxBackend(broken).read()
    assert bad.value.code is ExitCode.NOT_FOUND and "not a valid .xlsx" in bad.value.en


def test_calamine_and_openpyxl_read_the_same_values(tmp_path: Path):
    from .conftest import cli

    assert cli("demo", "--dir", str(tmp_path)).exit_code == 0
    backend = XlsxBackend(tmp_path / "workbook.xlsx")
    fast, thorough = backend._read_calamine(), backend._read_openpyxl()
    assert list(fast.tabs) == list(thorough.tabs)
    for title in fast.tabs:
        assert fast.tabs[title].rows == thorough.tabs[title].rows, title


def test_a_blank_first_row_and_column_keep_every_cell_in_place(tmp_path: Path):
    path = tmp_path / "offset.xlsx"
    wb = openpyxl.Workbook()
    wb.active["C3"] = "x"
    wb.active["D5"] = 5
    wb.save(path)
    assert XlsxBackend(path).read().tabs["Sheet"].rows == [[], [], [None, None, "x"], [], [None, None, None, 5]]


@pytest.mark.parametrize("found, expected, same", [
    (None, "", True), ("", None, True), (3, 3.0, True), (Decimal("0.1"), 0.1, True),
    (dt.datetime(2026, 10, 1), dt.date(2026, 10, 1), True), (46296, dt.date(2026, 10, 1), True),
    (46297, dt.date(2026, 10, 1), False), ("x", "x", True), ("x", "y", False), ("3", 3, False),
])
def test_a_cell_is_the_same_as_read_the_way_a_person_means_it(found, expected, same):
    from sheets_sync.workbook.operations import same_value

    assert same_value(found, expected) is same
