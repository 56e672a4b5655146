"""The DataFrame API analysts asked for: the same figures the build and the export compute, and an .xlsx export
through it."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl

from sheets_sync.frames import office_frames

from .conftest import cli, kpi, office_workbook, result

KPIS = [kpi("1", 60), kpi("2", 40)]
RESULTS = [result("1", 6, 78.5), result("2", 6, 95), result("1", 9, 85)]


def test_the_frames_hold_the_exported_figures(tmp_path):
    sheet = office_workbook(tmp_path / "w.xlsx", KPIS, RESULTS)
    frames = office_frames(str(sheet), today="1/8/2570")
    exported = json.loads(cli("export", "--sheet", str(sheet), "--today", "1/8/2570").output)
    assert frames.rounds.set_index("round")["office_result"].to_dict() == \
        {r["round"]: r["office_result"] for r in exported["rounds"]}
    round6 = frames.results.query("round == 6").set_index("kpi_id")
    assert round6.loc["1", "score_used"] == 2.85 and round6.loc["2", "weighted"] == 1.8
    assert list(frames.steps.columns)[:3] == ["step", "detail", "planned_start"]
    assert str(frames.steps["planned_start"].dtype).startswith("datetime64")
    assert set(frames.owners["person_id"]) == {"P02", "P03"}


def test_export_xlsx_writes_a_tab_per_table(tmp_path):
    sheet = office_workbook(tmp_path / "w.xlsx", KPIS, RESULTS)
    out = tmp_path / "results.xlsx"
    assert cli("export", "--sheet", str(sheet), "--format", "xlsx", "-o", str(out), "--today", "1/8/2570").exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["rounds", "results", "steps", "owners"]
    assert [c.value for c in wb["rounds"][1]][:2] == ["round", "office_result"]
    assert cli("export", "--sheet", str(sheet), "--format", "xlsx").exit_code == 2  # needs -o


def test_commands_that_do_not_need_pandas_do_not_load_it():
    code = ("import sys; from click.testing import CliRunner; from commands.cli import main; "
            "CliRunner().invoke(main, ['--help']); print('pandas' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
