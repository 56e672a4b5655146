from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from commands.cli import main
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.layout import InitOptions, run_init

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def new_workbook(tmp_path: Path) -> Path:
    """A workbook laid out by init for fiscal year 2570, step 1 on 1 ต.ค. 2569, and nothing typed yet."""
    path = tmp_path / "workbook.xlsx"
    run_init(XlsxBackend(path), InitOptions(2570, dt.date(2026, 10, 1), "สพป. ทดสอบ เขต 1"))
    return path


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)


def sheet_values(path: Path, title: str) -> list[list[object]]:
    wb = openpyxl.load_workbook(path)
    try:
        return [list(row) for row in wb[title].iter_rows(values_only=True)]
    finally:
        wb.close()
