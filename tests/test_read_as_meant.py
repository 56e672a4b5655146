"""Read as meant, on the local file too (issue 32): a result typed `85%` in Excel or LibreOffice is stored as
0.85 with a percent format, and scores as 85, exactly as on Google."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.domain.thai import ParseError, parse_number

from .conftest import cli, kpi, office_workbook, result

TODAY = "20/7/2570"


def _rounds(path: Path) -> dict[int, float]:
    exported = json.loads(cli("export", "--sheet", str(path), "--today", TODAY).output)
    return {r["round"]: r["office_result"] for r in exported["rounds"]}


def _as_percents(path: Path, round_: int) -> int:
    """Every number result of the round typed again as Excel stores `85%`: 0.85 in a percent-formatted cell."""
    book = openpyxl.load_workbook(path)
    tab = book["ผลการดำเนินงาน"]
    header = [c.value for c in tab[1]]
    round_col, result_col = header.index("รอบ") + 1, header.index("ผลการดำเนินงาน") + 1
    changed = 0
    for row in range(2, tab.max_row + 1):
        cell = tab.cell(row, result_col)
        try:
            number = float(parse_number(cell.value))
        except ParseError:
            continue
        if tab.cell(row, round_col).value == round_ and number > 10:  # a percentage: ๘๕, 91%, 92
            cell.value = round(number / 100, 6)
            cell.number_format = "0.0%" if number != int(number) else "0%"
            changed += 1
    book.save(path)
    return changed


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    assert cli("demo", "--dir", str(directory)).exit_code == 0
    return directory / "workbook.xlsx"


def test_the_demos_figures_stay_when_its_round_9_results_are_typed_as_percents(demo: Path, tmp_path: Path):
    before = _rounds(demo)
    assert before == {6: 3.2353, 9: 4.2588}
    typed = tmp_path / "percents.xlsx"
    shutil.copyfile(demo, typed)
    assert _as_percents(typed, 9) == 3  # KPIs 1 (๘๕), 7 (91%) and 12 (92)
    assert _rounds(typed) == before  # was 3.7686 for round 9, exit 0, silently
    strict = cli("validate", "--sheet", str(typed), "--strict", "--today", TODAY, "--format", "json")
    assert not [p for p in json.loads(strict.output)["problems"] if p["code"].startswith("score")]


def test_a_percent_saved_by_libreoffice_reads_as_typed(tmp_path: Path):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed; .ci/run installs it")
    path = office_workbook(tmp_path / "office.xlsx", [kpi("1", 50), kpi("2", 50)],
                           [result("1", 6, 85), result("2", 6, 70)])
    book = openpyxl.load_workbook(path)
    tab = book["ผลการดำเนินงาน"]
    tab["C2"].value, tab["C2"].number_format = 0.85, "0%"
    tab["C3"].value, tab["C3"].number_format = 0.705, "0.0%"
    book.save(path)
    out = tmp_path / "lo"
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                           "--convert-to", "xlsx", "--outdir", str(out), str(path)], capture_output=True, timeout=240)
    assert done.returncode == 0, done.stderr
    saved = out / "office.xlsx"
    rows = XlsxBackend(saved).read().tabs["ผลการดำเนินงาน"].rows
    assert (rows[1][2], rows[2][2]) == (85, 70.5)  # LibreOffice's own styles.xml, its own style indices
    exported = json.loads(cli("export", "--sheet", str(saved), "--today", "1/5/2570").output)
    scores = {k["kpi_id"]: k["score"] for k in exported["rounds"][0]["kpis"]}
    assert scores == {"1": 3.5, "2": 2.05}


def test_results_are_shown_as_read_in_the_report_and_on_the_site(demo: Path, tmp_path: Path):
    """The demo's round 9 has ๘๕, 91% and ร้อยละ 82 typed: every output shows 85, 91 and 82."""
    report = tmp_path / "report.html"
    assert cli("report", "--sheet", str(demo), "--today", TODAY, "-o", str(report)).exit_code == 0
    page = report.read_text(encoding="utf-8")
    site = tmp_path / "site"
    assert cli("site", "--sheet", str(demo), "--today", TODAY, "--out", str(site)).exit_code == 0
    kpi_1 = (site / "kpi" / "1.html").read_text(encoding="utf-8")
    for text in (page, kpi_1):
        assert "๘๕" not in text and "91%" not in text
    assert "ร้อยละ 85" in kpi_1  # with the KPI's unit
    import re

    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", page)
    assert "85" in cells and "91" in cells


# --- time: the office's zone, whatever the computer's ---------------------------------------------------------


def test_today_seal_times_and_exports_are_in_bangkok_on_a_utc_server(tmp_path: Path):
    """At 20:00 UTC on 30 April it is already 1 May in Bangkok: a UTC server's "today" was a day behind."""
    import os
    import subprocess
    import sys

    from .test_certification import ROUND6, local

    sheet = local(tmp_path, ROUND6)
    env = {**os.environ, "TZ": "UTC", "SHEETS_SYNC_SEAL_KEY": str(tmp_path / "key" / "seal.key")}
    env.pop("SHEETS_SYNC_TODAY", None)
    script = (  # the computer's clock stopped at 20:00 UTC on 30 April 2027
        "import datetime as dt, sys\n"
        "class Frozen(dt.datetime):\n"
        "    @classmethod\n"
        "    def now(cls, tz=None):\n"
        "        moment = dt.datetime(2027, 4, 30, 20, 0, 0, tzinfo=dt.timezone.utc)\n"
        "        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)\n"
        "dt.datetime = Frozen\n"
        "from commands.cli import main\n"
        "main()\n")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=300)

    sealed = run("certify", "--sheet", sheet, "--round", "6", "--seal", "--yes", "--by", "C01", "--early")
    assert sealed.returncode == 0, sealed.stderr
    from .conftest import tab_records

    seal_rows = tab_records(Path(sheet), "ผนึกรอบ")
    assert seal_rows[0]["เวลา"] == "1 พ.ค. 2570 03:00:00"  # Bangkok's clock: 20:00 UTC + 7 h, the next day
    exported = json.loads(run("export", "--sheet", sheet).stdout)
    assert exported["as_of"] == "2027-05-01"
    assert exported["rounds"][0]["sealed_at"] == "2027-05-01T03:00:00+07:00"


# --- commands that do what they say ------------------------------------------------------------------------


def test_validate_with_a_tab_missing_still_runs_every_rule_that_does_not_read_it(tmp_path: Path):
    from .conftest import office_workbook as typed_office

    kpis = [kpi("1", 60, owner="P99"), kpi("2", 30)]  # P99 is nobody; the weights add up to 90
    path = typed_office(tmp_path / "office.xlsx", kpis, [result("1", 6, 85), result("3", 6, 70)])
    book = openpyxl.load_workbook(path)
    del book["ข้อตกลง"]
    book.save(path)
    outcome = cli("validate", "--sheet", str(path), "--format", "json", "--today", "1/5/2570")
    codes = {p["code"] for p in json.loads(outcome.output)["problems"]}
    assert "layout.tab_missing" in codes
    assert {"kpis.owner_unknown", "kpis.weights_total", "results.unknown_kpi", "results.overdue"} <= codes, codes
    skipped = next(p for p in json.loads(outcome.output)["problems"] if p["code"] == "layout.rules_skipped")
    assert "agreements" in skipped["en"] and "kpis" not in skipped["en"]


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path):
    """`sheets-sync validate | head -1`: the reader stops early; the command ends with 0 and says nothing (it
    ended with "unexpected error: BrokenPipeError", exit 1)."""
    import subprocess
    import sys

    from .conftest import office_workbook as typed_office

    path = typed_office(tmp_path / "many.xlsx", [kpi("1", 100)], [result(str(i), 6, "x") for i in range(2, 1500)])
    process = subprocess.Popen([sys.executable, "-c", "from commands.cli import main; main()", "validate", "--sheet",
                                str(path), "--today", "1/5/2570"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=tmp_path)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()  # what `head -1` reads
    process.stdout.close()  # and then it is gone
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0, stderr
    assert stderr == ""


def test_long_work_shows_progress_at_a_terminal_and_nothing_in_a_log(demo: Path, tmp_path: Path):
    import os
    import pty
    import subprocess
    import sys

    args = [sys.executable, "-c", "from commands.cli import main; main()", "report", "--sheet", str(demo),
            "--today", TODAY, "-o", str(tmp_path / "r.html")]
    leader, follower = pty.openpty()  # stderr is a terminal, as for a person
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=follower, cwd=tmp_path, timeout=300)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"[1/3]" in seen and b"[3/3]" in seen
    logged = subprocess.run(args, capture_output=True, cwd=tmp_path, timeout=300)  # a scheduled run's log
    assert logged.returncode == 0 and b"[1/3]" not in logged.stderr


def test_status_and_the_site_say_what_weight_a_round_stands_on(demo: Path, tmp_path: Path):
    status = cli("status", "--sheet", str(demo), "--today", TODAY)
    assert "round 9: office result 4.2588, pass, on 51 of 100 weight (incomplete)" in status.output
    site = tmp_path / "site"
    assert cli("site", "--sheet", str(demo), "--today", TODAY, "--out", str(site)).exit_code == 0
    assert "คิดจากน้ำหนัก 51 จาก 100 (ผลยังไม่ครบ)" in (site / "index.html").read_text(encoding="utf-8")


def test_rows_init_writes_and_input_headers_are_tall_enough_for_their_lines(new_workbook: Path):
    """LibreOffice opens a file's rows one line high: the standard steps' long text, and input headers that
    wrap, spilled over their neighbours. Heights are set from the text's lines (24 pt a line, as printed)."""
    from sheets_sync.backends.xlsx import LINE_HEIGHT, _lines, _width

    book = openpyxl.load_workbook(new_workbook)
    steps = book["ขั้นตอน"]
    for row in range(2, 12):
        needed = max(_lines(steps.cell(row, c).value, _width(steps, c)) for c in (2, 3))
        assert (steps.row_dimensions[row].height or LINE_HEIGHT) >= LINE_HEIGHT * needed, row
    assert any((steps.row_dimensions[r].height or 0) >= 2 * LINE_HEIGHT for r in range(2, 12))
    for title in ("ตัวชี้วัด", "ผลการดำเนินงาน", "ขั้นตอน"):
        tab = book[title]
        needed = max(_lines(tab.cell(1, c).value, _width(tab, c)) for c in range(1, tab.max_column + 1))
        assert tab.row_dimensions[1].height >= LINE_HEIGHT * needed, title


def test_messages_show_values_as_the_sheet_shows_them(tmp_path: Path):
    import datetime as dt

    from .conftest import office_workbook as typed_office

    path = typed_office(tmp_path / "office.xlsx", [kpi("1", "สี่สิบ"), kpi("2", 0.3), kpi("3", 0.5)],
                        [result("1", 6, 85)])
    book = openpyxl.load_workbook(path)
    steps = book["ขั้นตอน"]
    steps["G2"] = dt.date(2569, 10, 20)  # typed 20/10/2569 in Excel: a date cell in the year 2569
    steps["H2"] = "20 ต.ค. 2569"  # typed as text
    book.save(path)
    outcome = cli("validate", "--sheet", str(path), "--strict", "--today", "1/11/2569", "--format", "json")
    problems = json.loads(outcome.output)["problems"]
    words = "\n".join(p["th"] + "\n" + p["en"] for p in problems)
    for leak in ("Decimal(", "datetime", "3112", "planned_start:", "actual_end:"):
        assert leak not in words, leak
    assert "“สี่สิบ”" in words
    assert "is stored as text; it is better stored as a date cell" in words
    weights = next(p for p in problems if p["code"] == "kpis.weights_total")
    assert "should add up to 1" in weights["en"]  # 0.3 + 0.5: fractions that miss 1, not percents


def test_a_person_is_picked_by_name_and_read_as_the_id(tmp_path: Path):
    """The owner, supervisor and certifier dropdowns list `P01 — name` (build keeps the list); a picked cell is
    read as P01 everywhere, and fix stores it as the bare id."""
    from .conftest import PEOPLE_ROWS, office_workbook as typed_office, tab_records

    path = typed_office(tmp_path / "office.xlsx", [kpi("1", 100, owner="P03 — นายสาม ทดสอบ")], [result("1", 6, 85)])
    assert cli("build", "--sheet", str(path), "--today", "1/5/2570").exit_code == 0
    listed = [r["รหัส — ชื่อ"] for r in tab_records(path, "รายชื่อให้เลือก")]
    assert listed == [f"{p['person_id']} — {p['name']}" for p in PEOPLE_ROWS]
    problems = json.loads(cli("validate", "--sheet", str(path), "--today", "1/5/2570", "--format", "json").output)
    assert not [p for p in problems["problems"] if p["code"] == "kpis.owner_unknown"]
    owners = {r["รหัส"]: r for r in tab_records(path, "สรุปผู้รับผิดชอบ")}
    assert owners["P03"]["ตัวชี้วัดที่รับผิดชอบ"] == "1"  # the summary knows whose KPI it is
    assert cli("fix", "--sheet", str(path)).exit_code == 0
    assert tab_records(path, "ตัวชี้วัด")[0]["ผู้รับผิดชอบ"] == "P03"


def test_a_usage_error_names_the_command_to_ask_for_help(tmp_path: Path):
    import subprocess
    import sys

    script = Path(sys.executable).parent / "sheets-sync"  # as a person runs it: the installed command
    done = subprocess.run([str(script), "certify", "--round", "7"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 2
    assert "sheets-sync certify --help" in done.stderr and "คำสั่ง --help" not in done.stderr
