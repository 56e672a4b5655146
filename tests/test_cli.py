"""The command line: help with an example everywhere, errors in Thai and English, exit codes from one enum."""

import re
from pathlib import Path

import click
import pytest

from commands.cli import main
from sheets_sync.exit_codes import ExitCode, meaning

from .conftest import ROOT, cli

COMMANDS = sorted(main.list_commands(click.Context(main)))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = cli(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "sheets-sync " + name in result.output


def test_the_group_help_lists_the_commands():
    result = cli("--help")
    for name in COMMANDS:
        assert name in result.output


def test_a_google_target_without_credentials_says_how_to_get_them(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SHEETS_EMULATOR_HOST", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("GSPREAD_CONFIG_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("HOME", str(tmp_path))  # no application default credentials either
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    result = cli("init", "--sheet", "https://docs.google.com/spreadsheets/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/edit")
    assert result.exit_code == ExitCode.AUTH
    assert "ผิดพลาด:" in result.stderr and "--credentials" in result.stderr
    assert result.stdout == ""


def test_an_unknown_target_is_a_usage_error(tmp_path: Path):
    result = cli("init", "--sheet", "notes.txt")
    assert result.exit_code == ExitCode.USAGE
    assert "notes.txt" in result.stderr


def test_the_target_comes_from_the_environment(tmp_path: Path):
    path = tmp_path / "from-env.xlsx"
    result = cli("init", env={"SHEETS_SYNC_SHEET": str(path)})
    assert result.exit_code == 0 and path.exists()


def test_every_exit_code_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d+) \| `(\w+)` \|", readme, flags=re.MULTILINE))
    assert table == {str(int(code)): code.name for code in ExitCode}
    for code in ExitCode:
        th, en = meaning(code)
        assert th in readme and en in readme


def test_the_console_script_is_declared():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'sheets-sync = "commands.cli:main"' in pyproject
    assert isinstance(main, click.Group)


def test_the_readme_documents_every_tab_and_column():
    from sheets_sync.domain.schema import ALL_TABS, SETTINGS_DECLARED

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for tab in ALL_TABS:
        assert f"`{tab.th}`" in readme
        if tab.key != "settings":
            for col in tab.columns:
                assert f"| {col.th} | `{col.key}` |" in readme, (tab.key, col.key)
    for setting in SETTINGS_DECLARED:
        assert f"| `{setting.key}` |" in readme


def test_every_environment_variable_is_declared_once_and_documented():
    from sheets_sync.config import variables_table

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert variables_table() in readme
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("sheets_sync", "commands")
                     for p in (Path(__file__).parent.parent / folder).rglob("*.py") if p.name != "config.py")
    assert "os.environ" not in code and "getenv(" not in code  # config.py is the only reader


def test_a_bad_environment_value_names_the_variable_and_exits_with_the_usage_code(tmp_path, monkeypatch):
    monkeypatch.setenv("SHEETS_SYNC_RETRY_ATTEMPTS", "six")
    monkeypatch.setenv("SHEETS_EMULATOR_HOST", "127.0.0.1:9")
    monkeypatch.setenv("SHEETS_SYNC_THROTTLE_DIR", str(tmp_path))
    outcome = cli("status", "--sheet", "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms")
    assert outcome.exit_code == ExitCode.USAGE
    assert "SHEETS_SYNC_RETRY_ATTEMPTS='six'" in outcome.stderr


def test_the_day_can_be_fixed_for_every_command_in_one_place(tmp_path, monkeypatch):
    from .conftest import kpi, office_workbook, result

    path = office_workbook(tmp_path / "office.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    monkeypatch.setenv("SHEETS_SYNC_TODAY", "1/4/2570")
    assert "ณ 1 เม.ย. 2570" in cli("status", "--sheet", str(path)).output


def test_usage_errors_are_said_in_thai_first_and_english_too():
    unknown = cli("buil")
    assert unknown.exit_code == 2
    assert unknown.stderr.index("ไม่มีคำสั่ง buil") < unknown.stderr.index("No such command")
    missing = cli("certify")
    assert missing.exit_code == 2 and "ขาดตัวเลือก --round" in missing.stderr and "Missing option" in missing.stderr
    assert "ไม่มีตัวเลือก --nope" in cli("build", "--nope").stderr


def test_the_sheet_may_be_given_before_the_command(tmp_path):
    from .conftest import kpi, office_workbook, result

    sheet = office_workbook(tmp_path / "w.xlsx", [kpi("1", 100)], [result("1", 6, 80)])
    outcome = cli("--sheet", str(sheet), "export", "--today", "1/5/2570")
    assert outcome.exit_code == 0 and '"office_result": 3.0' in outcome.output


def test_help_lists_every_command_with_its_own_one_line_help_without_importing_any():
    from commands.cli import COMMANDS as REGISTRY

    ctx = click.Context(main)
    for name, (_, short) in REGISTRY.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        assert short == command.get_short_help_str(limit=500), name
    code = ("import sys; from click.testing import CliRunner; from commands.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); "
            "print(r.exit_code, sorted(m for m in sys.modules if m.startswith(('sheets_sync.workbook', 'openpyxl', "
            "'holidays', 'sheets_sync.tasks'))))")
    import subprocess
    import sys

    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "0 []"


def test_each_report_owns_its_exit_code():
    """A report says how its command ends (black's Report.return_code): the command only raises it."""
    import datetime as dt

    from sheets_sync.domain.problems import Problem, Severity
    from sheets_sync.exit_codes import ExitCode
    from sheets_sync.tasks.remind import RemindReport
    from sheets_sync.tasks.rollup import OfficeSummary, RollupReport
    from sheets_sync.tasks.validate import ValidateReport

    warning = Problem(Severity.WARNING, "x", "t", "t!A1", "k", "th", "en")
    error = Problem(Severity.ERROR, "x", "t", "t!A1", "k", "th", "en")
    assert ValidateReport("w", [warning]).exit_code is ExitCode.OK
    assert ValidateReport("w", [warning, error]).exit_code is ExitCode.INVALID_DATA
    due = dt.date(2027, 4, 30)
    reminder = object()
    assert RemindReport("w", 6, due, no_address=[reminder], dry_run=True).exit_code is ExitCode.OK  # type: ignore[list-item]
    assert RemindReport("w", 6, due, no_address=[reminder]).exit_code is ExitCode.BUILT_WITH_PROBLEMS  # type: ignore[list-item]
    assert RollupReport().exit_code is ExitCode.OK
    failed = OfficeSummary("1001", "สพป. ทดสอบ", "x.xlsx", failure=("อ่านไม่ได้", "unreadable"))
    assert RollupReport([failed]).exit_code is ExitCode.BUILT_WITH_PROBLEMS
