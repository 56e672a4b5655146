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


PEOPLE_ROWS = [
    {"person_id": "P01", "name": "นายหนึ่ง ทดสอบ", "role": "ผู้อำนวยการ"},
    {"person_id": "P02", "name": "นางสองทดสอบ", "role": "ผู้กำกับดูแลตัวชี้วัด"},
    {"person_id": "P03", "name": "นายสาม ทดสอบ", "role": "ผู้รับผิดชอบตัวชี้วัด"},
]


def kpi(kpi_id: str, weight, method: str = "เทียบบัญญัติไตรยางศ์", criteria=(60, 70, 80, 90, 100), **extra) -> dict:
    row = {"kpi_id": kpi_id, "name": f"ตัวชี้วัด {kpi_id}", "weight": weight, "method": method,
           "owner": "P03", "supervisor": "P02"}
    for level, value in enumerate(criteria, start=1):
        row[f"c{level}"] = value
    row.update(extra)
    return row


def result(kpi_id: str, round_: int, value, **extra) -> dict:
    return {"kpi_id": kpi_id, "round": round_, "result": value, **extra}


def office_workbook(path: Path, kpis: list[dict], results: list[dict], settings: dict | None = None,
                    people: list[dict] | None = None) -> Path:
    """A workbook laid out by init and typed into the way staff would, through the same backend."""
    from sheets_sync.schema import KPIS, PEOPLE, RESULTS
    from sheets_sync.tables import append_rows, set_settings

    backend = XlsxBackend(path)
    run_init(backend, InitOptions(2570, dt.date(2026, 10, 1), "สพป. ทดสอบ เขต 1"))
    data = backend.read()
    ops = append_rows(data, PEOPLE, people if people is not None else PEOPLE_ROWS)
    ops += append_rows(data, KPIS, kpis)
    if results:
        ops += append_rows(data, RESULTS, results)
    if settings:
        ops += set_settings(data, settings)
    backend.apply(ops)
    return path


def tab_records(path: Path, title: str) -> list[dict]:
    rows = sheet_values(path, title)
    return [dict(zip(rows[0], row)) for row in rows[1:]]
