"""Trust against hostile input (issue 30): a template that tries to run code, cell text that tries to become
markup or a formula, a file name that tries to leave its folder.  Each test here failed on the main it was
written against."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from sheets_sync.backends.target import open_backend, parse_target

from .conftest import cli, kpi, result
from .test_documents import AGREEMENTS, KPIS, PEOPLE, docx_text

HOSTILE = 'A\x01 & B\x1f <x> "q" \'s\' </w:t></w:r><w:r><w:instrText> INCLUDEPICTURE "http://evil.example/x" ' \
          '</w:instrText> end'
SHOWN = 'A & B <x> "q" \'s\' </w:t></w:r><w:r><w:instrText> INCLUDEPICTURE "http://evil.example/x" </w:instrText> end'


def _office(tmp_path: Path, people=PEOPLE, agreements=AGREEMENTS) -> Path:
    from .conftest import type_office

    path = tmp_path / "workbook.xlsx"
    type_office(open_backend(parse_target(str(path))), KPIS, [result("1", 6, 80)], people=people, agreements=agreements)
    return path


def _template(tmp_path: Path, *lines: str) -> Path:
    own = docx.Document()
    for line in lines:
        own.add_paragraph(line)
    path = tmp_path / "own.docx"
    own.save(str(path))
    return path


def test_an_offices_template_cannot_run_code_and_the_refused_field_is_named(tmp_path):
    office = _office(tmp_path)
    marker = tmp_path / "pwned"
    template = _template(tmp_path, "คำรับรอง {{ maker }}",
                         f'{{{{ lipsum.__globals__["os"].popen("touch {marker}").read() }}}}')
    outcome = cli("agreements", "--sheet", str(office), "--out", str(tmp_path / "out"), "--template", str(template))
    assert outcome.exit_code == 2, outcome.output
    assert not marker.exists()  # nothing ran
    assert "lipsum.__globals__" in outcome.output  # the field is named
    # the same through a plain attribute walk to Python's internals
    template = _template(tmp_path, "{{ maker.__class__.__mro__[1].__subclasses__() }}")
    outcome = cli("agreements", "--sheet", str(office), "--out", str(tmp_path / "out"), "--template", str(template))
    assert outcome.exit_code == 2 and "__class__" in outcome.output, outcome.output


@pytest.mark.parametrize("own_template", [False, True])
def test_cell_text_enters_a_word_file_as_text_never_as_markup(tmp_path, own_template):
    agreements = [dict(AGREEMENTS[0], maker_position=HOSTILE)]
    office = _office(tmp_path, agreements=agreements)
    out = tmp_path / "out"
    args = ["agreements", "--sheet", str(office), "--out", str(out)]
    if own_template:
        args += ["--template", str(_template(tmp_path, "ตำแหน่ง {{ maker_position }}"))]
    outcome = cli(*args)
    assert outcome.exit_code == 0, outcome.output
    (made,) = out.glob("*.docx")
    text = docx_text(made)
    assert SHOWN in text  # every character as typed, the control characters dropped
    document = docx.Document(str(made))
    body = document.element.body.xml
    assert "instrText>" not in body.replace("&lt;/w:instrText&gt;", "").replace("&lt;w:instrText&gt;", "")


# --- exports: text stays text, odd values do not break the file, a failure leaves no partial file -------------

FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example","คลิก")', "+SUM(A1:A2)", "@cmd", "-2+3"]


def _export_office(tmp_path: Path) -> Path:
    from .conftest import office_workbook

    kpis = [kpi(str(i + 1), 20, name=text) for i, text in enumerate(FORMULAS)]
    kpis[0]["name"] = "ชื่อ\x01มี\x1fอักขระควบคุม"
    results = [result("1", 6, "1" * 26), result("2", 6, 80)]
    return office_workbook(tmp_path / "workbook.xlsx", kpis, results)


def test_export_xlsx_writes_staff_text_as_text_never_as_a_formula(tmp_path):
    import openpyxl

    office = _export_office(tmp_path)
    out = tmp_path / "results.xlsx"
    outcome = cli("export", "--sheet", str(office), "--format", "xlsx", "-o", str(out), "--today", "1/5/2570")
    assert outcome.exit_code == 0, outcome.output
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert set(FORMULAS[1:]) <= texts  # shown exactly as typed
    assert "ชื่อมีอักขระควบคุม" in texts


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_result_of_26_digits_is_exported_not_a_crash(tmp_path, fmt):
    office = _export_office(tmp_path)
    outcome = cli("export", "--sheet", str(office), "--format", fmt, "--today", "1/5/2570")
    assert outcome.exit_code == 0, outcome.output
    assert "1.111111111111111e+25" in outcome.output  # as every number is exported: a float


def test_an_export_that_fails_halfway_leaves_the_old_file_and_no_part(tmp_path, monkeypatch):
    office = _export_office(tmp_path)
    out = tmp_path / "results.xlsx"
    out.write_bytes(b"yesterday's export")
    from sheets_sync import frames

    def broken(self, path):
        Path(path).write_bytes(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(frames.OfficeFrames, "to_excel", broken)
    outcome = cli("export", "--sheet", str(office), "--format", "xlsx", "-o", str(out), "--today", "1/5/2570")
    assert outcome.exit_code == 5, outcome.output  # said in words, not a traceback
    assert "disk is full" in outcome.output
    assert out.read_bytes() == b"yesterday's export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.xlsx", "workbook.xlsx"]


# --- nothing written outside its folder, nothing left behind, every output as private as the workbook ---------


def test_remind_print_files_named_from_cells_stay_inside_their_folder(tmp_path):
    from .conftest import office_workbook

    people = [{"person_id": "../../escaped", "name": "นายหนึ่ง", "role": "ผู้รับผิดชอบตัวชี้วัด"},
              {"person_id": str(tmp_path / "absolute"), "name": "นายสอง", "role": "ผู้รับผิดชอบตัวชี้วัด"},
              {"person_id": "P02", "name": "นางสอง", "role": "ผู้กำกับดูแลตัวชี้วัด"}]
    kpis = [kpi("1", 50, owner="../../escaped"), kpi("2", 50, owner=str(tmp_path / "absolute"))]
    office = office_workbook(tmp_path / "deep" / "workbook.xlsx", kpis, [], {"round6_due": "30/4/2570"}, people=people)
    out = tmp_path / "deep" / "out"
    outcome = cli("remind", "--sheet", str(office), "--today", "27/4/2570", "--channel", "print", "--out", str(out))
    assert outcome.exit_code in (0, 4), outcome.output
    inside = sorted(p.name for p in out.iterdir())
    assert len(inside) == 2 and "escaped.txt" in inside, inside
    outside = {p for p in tmp_path.rglob("*.txt")} - set(out.iterdir())
    assert not outside, outside


def _private_office(tmp_path: Path) -> Path:
    from .conftest import office_workbook

    people = [{"person_id": "P02", "name": "นางสอง", "role": "ผู้กำกับดูแลตัวชี้วัด", "email": "p02@example.go.th",
               "phone": "081-234-5678"},
              {"person_id": "P03", "name": "นายสาม", "role": "ผู้รับผิดชอบตัวชี้วัด", "email": "p03@example.go.th"}]
    path = office_workbook(tmp_path / "workbook.xlsx", [kpi("1", 100)], [result("1", 6, 80)],
                           {"round6_due": "30/4/2570"}, people=people)
    path.chmod(0o600)
    return path


def test_a_public_site_in_the_folder_of_a_private_one_keeps_none_of_its_staff_pages(tmp_path):
    office = _private_office(tmp_path)
    out = tmp_path / "site"
    assert cli("site", "--sheet", str(office), "--out", str(out), "--today", "1/5/2570").exit_code == 0
    assert (out / "people").is_dir() and any((out / "people").iterdir())
    outcome = cli("site", "--sheet", str(office), "--out", str(out), "--today", "1/5/2570", "--public")
    assert outcome.exit_code == 0, outcome.output
    assert not (out / "people").exists()
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "081-234-5678" not in text and "p02@example.go.th" not in text


def test_a_site_is_not_built_into_a_folder_holding_someone_elses_files(tmp_path):
    office = _private_office(tmp_path)
    out = tmp_path / "www"
    out.mkdir()
    (out / "notes.docx").write_bytes(b"a person's own file")
    outcome = cli("site", "--sheet", str(office), "--out", str(out), "--today", "1/5/2570")
    assert outcome.exit_code == 2 and "notes.docx" in outcome.output, outcome.output
    assert (out / "notes.docx").read_bytes() == b"a person's own file"
    assert sorted(p.name for p in out.iterdir()) == ["notes.docx"]


def test_every_output_of_a_0600_workbook_is_0600(tmp_path):
    office = _private_office(tmp_path)
    sheet = ["--sheet", str(office)]
    today = ["--today", "1/5/2570"]
    for args in (["site", "--out", "site", *today], ["templates", "--out", "templates"],
                 ["remind", "--channel", "print", "--out", "print", *today],
                 ["export", "--format", "csv", "-o", "out.csv", *today],
                 ["export", "--format", "xlsx", "-o", "out.xlsx", *today]):
        outcome = cli(args[0], *sheet, *args[1:])
        assert outcome.exit_code in (0, 4), (args, outcome.output)
    made = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "workbook.xlsx" and "snapshots" not in p.parts]
    assert len(made) > 10
    assert {oct(p.stat().st_mode & 0o777) for p in made} == {"0o600"}, \
        sorted((str(p.relative_to(tmp_path)), oct(p.stat().st_mode & 0o777)) for p in made)


def test_a_file_size_limit_during_the_workbook_save_is_said_and_the_workbook_kept(tmp_path):
    import subprocess
    import sys

    office = _private_office(tmp_path)
    before = office.read_bytes()
    limit = len(before) // 1024 + 2  # KB: the workbook fits, the build's new tabs do not
    script = (f"import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, ({limit * 1024}, {limit * 1024})); "
              "from commands.cli import main; sys.argv = ['sheets-sync', 'build', '--sheet', sys.argv[1]]; main()")
    done = subprocess.run([sys.executable, "-c", script, str(office)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 5, done.stderr
    assert "file-size limit" in done.stderr and "Traceback" not in done.stderr
    assert office.read_bytes() == before


# --- restore and rollover never lose typed work -------------------------------------------------------------


def test_restore_refuses_a_snapshot_whose_manifest_was_deleted(tmp_path):
    office = _private_office(tmp_path)
    taken = cli("snapshot", "--sheet", str(office))
    assert taken.exit_code == 0, taken.output
    (snapshot,) = tmp_path.rglob("*/snapshots/*.xlsx") or tmp_path.rglob("snapshots/*.xlsx")
    snapshot.with_suffix(".json").unlink()
    refused = cli("restore", "--sheet", str(office), str(snapshot), "--yes")
    assert refused.exit_code == 5 and "no manifest" in refused.output, refused.output
    forced = cli("restore", "--sheet", str(office), str(snapshot), "--yes", "--no-verify")
    assert forced.exit_code == 0 and "warning" in forced.output, forced.output


def test_rollover_keeps_a_targets_typed_step_progress_and_settings_unless_forced_then_snapshots_first(tmp_path):
    from sheets_sync.backends.xlsx import XlsxBackend
    from sheets_sync.tasks.init import InitOptions, run_init
    from sheets_sync.workbook.tables import set_settings

    from .conftest import person_types

    source = _private_office(tmp_path)
    target = tmp_path / "office-2571.xlsx"
    backend = XlsxBackend(target)
    run_init(backend, InitOptions(2571, None, "สพป. ทดสอบ เขต 1"))
    person_types(backend, set_settings(backend.read(), {"coordinator_emails": "boss@example.go.th"}))
    before = target.read_bytes()
    refused = cli("rollover", "--from", str(source), "--sheet", str(target), "--fiscal-year", "2571")
    assert refused.exit_code == 2 and "coordinator_emails" in refused.output, refused.output
    assert target.read_bytes() == before
    forced = cli("rollover", "--from", str(source), "--sheet", str(target), "--fiscal-year", "2571", "--force")
    assert forced.exit_code == 0 and "sheets-sync restore" in forced.output, forced.output
    assert list(tmp_path.rglob("snapshots/office-2571-*.xlsx"))


def test_rollover_into_this_years_own_workbook_is_refused(tmp_path):
    source = _private_office(tmp_path)
    before = source.read_bytes()
    outcome = cli("rollover", "--from", str(source), "--sheet", str(source), "--fiscal-year", "2571", "--force")
    assert outcome.exit_code == 2 and "this year's workbook" in outcome.output
    assert source.read_bytes() == before


def test_changes_reports_rows_under_a_repeated_key_and_says_the_key_is_repeated(tmp_path):
    import json as _json

    from .conftest import office_workbook

    sheet = str(office_workbook(tmp_path / "w.xlsx", [kpi("1", 100)], [result("1", 6, 75)]))
    assert cli("snapshot", "--sheet", sheet).exit_code == 0
    book = openpyxl_book(sheet)
    tab = book["ผลการดำเนินงาน"]
    tab["A3"], tab["B3"], tab["C3"] = "1", 6, 90  # 1/6 typed a second time
    book.save(sheet)
    added = _json.loads(cli("changes", "--sheet", sheet, "--since-last", "--format", "json").output)["changes"]
    assert [(c["kind"], c["key"]) for c in added] == [("added", "1/6 (รหัสซ้ำ ครั้งที่ 2 / repeated key, occurrence 2)")]
    assert cli("snapshot", "--sheet", sheet).exit_code == 0
    book = openpyxl_book(sheet)
    book["ผลการดำเนินงาน"]["C3"] = 95  # the repeated row edited
    book.save(sheet)
    edited = _json.loads(cli("changes", "--sheet", sheet, "--since-last", "--format", "json").output)["changes"]
    assert [(c["kind"], c["before"], c["after"]) for c in edited] == [("changed", "90", "95")]
    assert "repeated key" in edited[0]["key"]


def openpyxl_book(path):
    import openpyxl

    return openpyxl.load_workbook(path)


def test_a_workbook_whose_file_name_is_not_utf8_builds_snapshots_and_is_marked(tmp_path):
    import os
    import subprocess
    import sys

    office = _private_office(tmp_path)
    odd = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xff\xfeoffice.xlsx")  # a name from an old Windows share
    os.rename(office, odd)
    for command in (["build"], ["snapshot"], ["validate", "--write"]):
        done = subprocess.run([sys.executable, "-c", "from commands.cli import main; main()", *command, "--sheet", odd,
                               "--today", "1/5/2570"] if command[0] != "snapshot" else
                              [sys.executable, "-c", "from commands.cli import main; main()", *command, "--sheet", odd],
                              capture_output=True, text=True, errors="replace", cwd=tmp_path, timeout=300)
        assert done.returncode in (0, 3, 4), (command, done.stderr)
        assert "unexpected error" not in done.stderr


def test_a_formatted_but_empty_last_row_is_accepted_and_a_far_value_is_refused_naming_its_cell(tmp_path):
    import subprocess
    import sys

    import openpyxl
    from openpyxl.styles import PatternFill

    office = _private_office(tmp_path)
    book = openpyxl.load_workbook(office)
    results = book["ผลการดำเนินงาน"]
    results["A1048576"].fill = PatternFill("solid", fgColor="FFFF00")  # a whole-column format reaches the last row
    results.row_dimensions[1048576].height = 30
    book.save(office)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", "from commands.cli import main; main()", *args, "--sheet",
                               str(office)], capture_output=True, text=True, cwd=tmp_path, timeout=300)

    for command in (["validate"], ["build", "--today", "1/5/2570"], ["validate", "--write", "--today", "1/5/2570"]):
        done = run(*command)
        assert done.returncode in (0, 3, 4), (command, done.stderr)
    book = openpyxl.load_workbook(office)
    book["ผลการดำเนินงาน"]["A1048576"] = "หลงมา"  # a real value down there: refused, with the cell named
    book.save(office)
    refused = run("validate")
    assert refused.returncode == 5 and "ผลการดำเนินงาน!A1048576" in refused.stderr, refused.stderr
