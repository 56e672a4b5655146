"""Nothing lost, nothing read wrong: a person saving the workbook while a command runs (the everyday case on a
shared drive), and tabs or headers whose names differ only invisibly.

A save is simulated the way Excel or LibreOffice makes one: the whole file rewritten with the person's change,
at the moment named in each test (after the command read the file; while it writes).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends import xlsx
from sheets_sync.backends.locking import workbook_lock
from sheets_sync.backends.target import parse_target
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.backends.xlsx_changed_tabs import load_tabs
from sheets_sync.exit_codes import ExitCode

from .conftest import cli, kpi, office_workbook, result


def person_saves(path: Path, cell: str = "C2", value: object = 99) -> None:
    book = openpyxl.load_workbook(path)
    book["ผลการดำเนินงาน"][cell] = value
    book.save(path)


def typed_result(path: Path, cell: str = "C2") -> object:
    return openpyxl.load_workbook(path)["ผลการดำเนินงาน"][cell].value


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return office_workbook(tmp_path / "office.xlsx", [kpi("1", 60), kpi("2", 40)],
                           [result("1", 6, 85), result("2", 6, 70)])


@pytest.mark.parametrize("command, code", [(["build", "--today", "2027-04-01"], 0), (["fix"], 0), (["init"], 0),
                                           (["validate", "--write", "--today", "2027-04-01"], 3)])
def test_a_save_between_the_read_and_the_write_is_kept_beside_the_commands_own_write(office: Path, monkeypatch,
                                                                                   command, code):
    """The write starts from the file as it is then, and guards every staff cell it writes: both survive."""
    read = XlsxBackend.read

    def read_then_a_person_saves(self, scope=None):
        data = read(self, scope)
        person_saves(self.path)
        return data

    person_saves(office, "C3", "ร้อยละ ๗๐")  # something for fix to change, and for validate --strict to see
    monkeypatch.setattr(XlsxBackend, "read", read_then_a_person_saves)
    outcome = cli(*command, "--sheet", str(office))
    assert outcome.exit_code == code, outcome.output
    assert typed_result(office) == 99  # the person's save is in the file
    if command == ["fix"]:
        assert typed_result(office, "C3") == 70  # and so is the command's own write


def test_a_save_during_the_write_is_kept_too(office: Path, monkeypatch):
    load = XlsxBackend._load

    def load_then_a_person_saves(self, **kw):
        book = load(self, **kw)
        if not kw:  # the write's own load, not a read
            person_saves(self.path)
        return book

    def load_tabs_then_a_person_saves(package, tabs):  # the write that loads only the tabs it changes
        book = load_tabs(package, tabs)
        person_saves(office)
        return book

    monkeypatch.setattr(XlsxBackend, "_load", load_then_a_person_saves)
    monkeypatch.setattr(xlsx, "load_tabs", load_tabs_then_a_person_saves)
    outcome = cli("build", "--sheet", str(office), "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.LOCKED, outcome.output
    assert typed_result(office) == 99
    assert not list(office.parent.glob(".office.xlsx.*.tmp"))  # the new copy was thrown away, not left behind


def test_a_rerun_after_the_refusal_writes(office: Path):
    person_saves(office)
    assert cli("build", "--sheet", str(office), "--today", "2027-04-01").exit_code == 0
    assert typed_result(office) == 99


def test_a_fix_beside_a_build_waits_for_its_lock_instead_of_writing_over_it(office: Path, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_LOCK_WAIT", "0.5")
    person_saves(office, "C3", "ร้อยละ ๗๐")
    with workbook_lock(parse_target(str(office)), 1):  # a build holds the workbook
        outcome = cli("fix", "--sheet", str(office))
    assert outcome.exit_code == ExitCode.LOCKED
    assert "another sheets-sync command is writing this workbook" in outcome.stderr
    assert typed_result(office, "C3") == "ร้อยละ ๗๐"  # untouched: fix wrote nothing
    assert cli("fix", "--sheet", str(office)).exit_code == 0  # the lock is gone: now it does
    assert typed_result(office, "C3") == 70


@pytest.mark.parametrize("lock_name", ["~$office.xlsx", ".~lock.office.xlsx#"])
def test_a_workbook_open_in_excel_or_libreoffice_is_written_with_a_clear_warning(office: Path, lock_name):
    (office.parent / lock_name).write_text("someone")
    outcome = cli("build", "--sheet", str(office), "--today", "2027-04-01")
    assert outcome.exit_code == 0, outcome.output
    assert f"is open in an editor ({lock_name})" in outcome.output
    assert "ask them to close and reopen the file" in outcome.output


# --- the right tab and column, whatever invisible differences the names carry --------------------------------


def rename_tab(path: Path, old: str, new: str) -> None:
    book = openpyxl.load_workbook(path)
    book[old].title = new
    book.save(path)


def test_a_tab_and_a_header_typed_with_decomposed_sara_am_or_a_bom_are_found(office: Path):
    decomposed = "\ufeffผลการด\u0e4d\u0e32เนินงาน"  # ำ typed as ํ + า, after a byte-order mark
    rename_tab(office, "ผลการดำเนินงาน", decomposed)
    book = openpyxl.load_workbook(office)
    book[decomposed]["C1"] = "\u200bผลการด\u0e4d\u0e32เนินงาน"  # the result header, with a zero-width space
    book.save(office)
    assert cli("init", "--sheet", str(office)).exit_code == 0
    assert openpyxl.load_workbook(office).sheetnames.count(decomposed) == 1
    assert "ผลการดำเนินงาน" not in openpyxl.load_workbook(office).sheetnames  # no empty copy added
    import json

    exported = json.loads(cli("export", "--sheet", str(office), "--today", "2027-04-01").output)
    assert exported["rounds"][0]["office_result"] is not None  # not "the whole office unreported"


@pytest.mark.parametrize("command", [["build", "--today", "2027-04-01"], ["validate"], ["export"], ["init"]])
def test_a_hidden_duplicate_of_a_tab_is_a_layout_problem_for_every_command(office: Path, command):
    book = openpyxl.load_workbook(office)
    copy = book.copy_worksheet(book["ผลการดำเนินงาน"])
    copy.title = "results"
    copy.sheet_state = "hidden"
    book.save(office)
    outcome = cli(*command, "--sheet", str(office))
    assert outcome.exit_code == ExitCode.LAYOUT, outcome.output
    assert "more than one tab is results" in outcome.stderr and "'results'" in outcome.stderr


def test_the_csv_export_makes_staff_text_that_looks_like_a_formula_inert(tmp_path: Path):
    import csv
    import io

    path = office_workbook(tmp_path / "office.xlsx", [kpi("1", 50), kpi("2", 50)],
                           [result("1", 6, '=HYPERLINK("http://evil.example","คลิก")'), result("2", 6, "-5+3"),
                            result("1", 9, 85)])
    book = openpyxl.load_workbook(path)
    book["ตั้งค่า"]["B2"] = "@สพป. ทดสอบ"  # office_name
    book.save(path)
    outcome = cli("export", "--sheet", str(path), "--format", "csv", "--today", "2027-07-01")
    assert outcome.exit_code == 0, outcome.output
    rows = list(csv.DictReader(io.StringIO(outcome.output.lstrip("\ufeff"))))
    results = {(r["kpi_id"], r["round"]): r["result"] for r in rows}
    assert results[("1", "6")] == "'=HYPERLINK(\"http://evil.example\",\"คลิก\")"
    assert results[("2", "6")] == "'-5+3"
    assert results[("1", "9")] == "85.0"  # numbers untouched
    assert all(r["office"].startswith("'@") for r in rows)
    assert not any(value.startswith(("=", "+", "-", "@")) for r in rows for value in r.values())


# --- hostile files: refused cleanly, never a crash ----------------------------------------------------------


def run_in_a_process(*args: str) -> subprocess.CompletedProcess[str]:
    """A separate process: if the reader ever allocated without bound again, the test process would survive it."""
    return subprocess.run([str(Path(sys.executable).parent / "sheets-sync"), *args], capture_output=True, text=True,
                          timeout=300)


def test_a_value_in_the_last_cell_is_refused_with_exit_5_not_an_abort(office: Path):
    book = openpyxl.load_workbook(office)
    book["ผลการดำเนินงาน"]["XFD1048576"] = "x"
    book.save(office)
    outcome = run_in_a_process("validate", "--sheet", str(office))
    assert outcome.returncode == ExitCode.NOT_FOUND, outcome.stderr
    assert "ผลการดำเนินงาน!XFD1048576" in outcome.stderr and "reaches row 1,048,576 and column 16,384" in outcome.stderr


def test_a_zip_bomb_is_refused_with_exit_5(tmp_path: Path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                         'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                         '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>')
        package.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="x/worksheet" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(300):
                part.write(b" " * 2**20)
    assert bomb.stat().st_size < 3 * 2**20
    outcome = run_in_a_process("validate", "--sheet", str(bomb))
    assert outcome.returncode == ExitCode.NOT_FOUND, outcome.stderr
    assert "unpacks to more than 256 MB" in outcome.stderr


def test_a_macro_workbook_is_read_but_never_written(office: Path):
    macro = office.with_suffix(".xlsm")
    office.rename(macro)
    assert cli("validate", "--sheet", str(macro)).exit_code in (ExitCode.OK, ExitCode.INVALID_DATA)
    before = macro.read_bytes()
    outcome = cli("build", "--sheet", str(macro), "--today", "2027-04-01")
    assert outcome.exit_code == ExitCode.NOT_AVAILABLE
    assert "does not write macro workbooks" in outcome.stderr and macro.read_bytes() == before


def test_a_flagged_cell_inside_merged_cells_is_marked_on_the_block(office: Path):
    book = openpyxl.load_workbook(office)
    sheet = book["ผลการดำเนินงาน"]
    sheet.merge_cells("A2:B2")  # the round in B2 is gone under the merge: flagged at B2, inside the block
    book.save(office)
    outcome = cli("validate", "--write", "--sheet", str(office))
    assert outcome.exit_code == ExitCode.INVALID_DATA, outcome.output
    mark = openpyxl.load_workbook(office)["ผลการดำเนินงาน"]["A2"].comment
    assert mark.author == "sheets-sync" and "รอบ (round) is required" in mark.text


def test_a_formula_without_a_computed_value_is_reported_at_its_cell_never_scored_as_not_reported(office: Path):
    book = openpyxl.load_workbook(office)
    book["ผลการดำเนินงาน"]["C2"] = "=80+5"  # as openpyxl (and every tool that does not compute) saves a formula
    book.save(office)
    checked = cli("validate", "--sheet", str(office), "--format", "json")
    import json

    codes = {(p["code"], p["cell"]) for p in json.loads(checked.output)["problems"]}
    assert ("cell.formula_text", "ผลการดำเนินงาน!C2") in codes
    built = cli("build", "--sheet", str(office), "--today", "2027-04-01")
    assert built.exit_code == ExitCode.BUILT_WITH_PROBLEMS and "ผลการดำเนินงาน!C2" in built.output


def test_text_pasted_from_word_with_control_characters_goes_through_every_writer(office: Path, tmp_path: Path):
    book = openpyxl.load_workbook(office)
    book["ตัวชี้วัด"]["C2"] = "บรรทัดแรก_x000B_บรรทัดสอง"  # Excel's escape of Word's vertical tab (a line break)
    book.save(office)
    from sheets_sync.backends.xlsx import XlsxBackend

    assert "\x0b" in XlsxBackend(office).read().tabs["ตัวชี้วัด"].rows[1][2]
    for args in (["build", "--today", "2027-04-01"], ["snapshot", "--out", str(tmp_path / "s")],
                 ["report", "-o", str(tmp_path / "r.docx"), "--today", "2027-04-01"],
                 ["copy", str(office), str(tmp_path / "copy.xlsx")]):
        sheet = [] if args[0] == "copy" else ["--sheet", str(office)]
        outcome = cli(*args, *sheet)
        assert outcome.exit_code == 0, (args, outcome.output, outcome.stderr)


def test_a_400_digit_number_and_a_3000_character_name_do_not_break_fix_or_the_pdf(tmp_path: Path):
    path = office_workbook(tmp_path / "o.xlsx", [kpi("1", 50, name="ก" * 3000), kpi("2", 50)],
                           [result("1", 6, "9" * 400), result("2", 6, 85)])
    assert cli("fix", "--sheet", str(path)).exit_code == 0
    assert typed_result(path) == "9" * 400  # beyond 15 digits: kept as typed, never rounded
    assert cli("report", "--sheet", str(path), "-o", str(tmp_path / "r.pdf"), "--today", "2027-04-01").exit_code == 0


# --- files: permissions, names, tampering, links, leftovers --------------------------------------------------


def test_snapshots_of_a_private_workbook_are_private_and_thai_names_never_share_retention(tmp_path: Path):
    import os

    first = office_workbook(tmp_path / "เขตหนึ่ง.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    second = office_workbook(tmp_path / "เขตสอง.xlsx", [kpi("1", 100)], [result("1", 6, 70)])
    os.chmod(first, 0o600)
    for _ in range(3):
        assert cli("snapshot", "--sheet", str(first), "--out", str(tmp_path / "s")).exit_code == 0
    assert cli("snapshot", "--sheet", str(second), "--out", str(tmp_path / "s")).exit_code == 0
    files = sorted((tmp_path / "s").glob("*.xlsx"))
    assert len(files) == 4  # the second workbook's snapshot did not push out the first's, nor the reverse
    mine = [f for f in files if (f.stat().st_mode & 0o777) == 0o600]
    assert len(mine) == 3 and all((f.with_suffix(".json").stat().st_mode & 0o777) == 0o600 for f in mine)


def test_a_tampered_snapshot_is_not_restored(office: Path, tmp_path: Path):
    assert cli("snapshot", "--sheet", str(office), "--out", str(tmp_path / "s")).exit_code == 0
    [saved] = list((tmp_path / "s").glob("*.xlsx"))
    book = openpyxl.load_workbook(saved)
    book["ผลการดำเนินงาน"]["C2"] = 5  # someone lowers a result in the copy
    book.save(saved)
    outcome = cli("restore", "--sheet", str(office), str(saved), "--yes")
    assert outcome.exit_code == ExitCode.NOT_FOUND
    assert "does not match its manifest" in outcome.stderr and typed_result(office) == 85


def test_a_symlinked_workbook_stays_a_link_and_old_temporaries_are_cleaned(office: Path, tmp_path: Path):
    import os
    import time

    link = tmp_path / "link.xlsx"
    link.symlink_to(office)
    leftover = office.parent / f".{office.name}.abc123.tmp"
    leftover.write_bytes(b"half a workbook from a killed run")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    assert cli("build", "--sheet", str(link), "--today", "2027-04-01").exit_code == 0
    assert link.is_symlink() and "สรุปคะแนน" in openpyxl.load_workbook(office).sheetnames
    assert not leftover.exists()


def test_exports_and_reports_of_a_private_workbook_are_private(office: Path, tmp_path: Path):
    import os

    os.chmod(office, 0o600)
    for args in (["export", "--format", "csv", "-o", str(tmp_path / "out.csv")],
                 ["report", "-o", str(tmp_path / "out.pdf"), "--today", "2027-04-01"]):
        assert cli(*args, "--sheet", str(office)).exit_code == 0
        assert (Path(args[args.index("-o") + 1]).stat().st_mode & 0o777) == 0o600


def test_a_command_with_nothing_to_change_writes_nothing(office: Path):
    """init always rewrote the file (and an editor holding it then saw it changed under them)."""
    assert cli("init", "--sheet", str(office)).exit_code == 0  # the first may settle the layout
    before = office.stat().st_mtime_ns
    for args in (["init"], ["build", "--today", "2027-04-01"], ["build", "--today", "2027-04-01"]):
        assert cli(*args, "--sheet", str(office)).exit_code == 0
    assert cli("init", "--sheet", str(office)).exit_code == 0
    after_build = office.stat().st_mtime_ns
    assert cli("init", "--sheet", str(office)).exit_code == 0
    assert office.stat().st_mtime_ns == after_build  # nothing to change: nothing written
    assert before <= after_build


def test_temporaries_left_among_the_snapshots_are_cleaned(office: Path, tmp_path: Path):
    import os
    import time

    folder = tmp_path / "s"
    folder.mkdir()
    leftover = folder / ".office-1234.xlsx.zz.tmp"
    leftover.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    assert cli("snapshot", "--sheet", str(office), "--out", str(folder)).exit_code == 0
    assert not leftover.exists()


@pytest.mark.parametrize("command", [["init"], ["fix"], ["validate", "--write", "--today", "2027-04-01"]])
def test_every_writing_command_warns_when_the_workbook_is_open_in_an_editor(office: Path, command):
    person_saves(office, "C3", "ร้อยละ ๗๐")  # something for fix to write
    book = openpyxl.load_workbook(office)
    book["ข้อตกลง"]["I1"] = None  # a header for init to put back (with nothing to write, nothing is said)
    book.save(office)
    (office.parent / "~$office.xlsx").write_text("someone")
    outcome = cli(*command, "--sheet", str(office))
    assert "is open in an editor (~$office.xlsx)" in outcome.output, outcome.output
