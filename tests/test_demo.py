"""`sheets-sync demo` writes a realistic office with deliberate typing slips."""

from decimal import Decimal
from pathlib import Path

import pytest

from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.domain.schema import AGREEMENTS, KPIS, PEOPLE, RESULTS, STEPS
from sheets_sync.domain.thai import parse_number
from sheets_sync.workbook.tables import read_settings, read_table

from .conftest import cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    result = cli("demo", "--dir", str(directory))
    assert result.exit_code == 0, result.output
    # the figures the README and the first session promised, printed and written by the demo itself
    assert "round 6: office result 3.2353, pass" in result.output
    assert "round 9: office result 4.2588, pass" in result.output
    return directory / "workbook.xlsx"


def test_the_demo_summary_tab_and_export_hold_the_promised_office_results(demo: Path):
    import json

    exported = json.loads(cli("export", "--sheet", str(demo), "--today", "20/7/2570").output)
    assert [(r["round"], r["office_result"], r["band"]) for r in exported["rounds"]] == [(6, 3.2353, "ผ่าน"),
                                                                                         (9, 4.2588, "ดี")]


def test_demo_office_has_people_kpis_results_and_agreements(demo: Path):
    data = XlsxBackend(demo).read()
    assert read_settings(data)["office_name"].value == "สพป. ตัวอย่าง เขต 1"
    assert read_settings(data)["fiscal_year"].value == 2570
    assert len(read_table(data, PEOPLE).records) == 25
    assert len(read_table(data, STEPS).records) == 10
    kpis = read_table(data, KPIS).records
    assert len(kpis) >= 12
    assert {k.get("method") for k in kpis} == {"เทียบบัญญัติไตรยางศ์", "ช่วงคะแนน", "ระดับความสำเร็จ", "คณะกรรมการ"}
    parents = {k.get("parent_id") for k in kpis if k.get("parent_id")}
    leaves = [k for k in kpis if k.get("kpi_id") not in parents]
    assert sum(parse_number(k.get("weight")) for k in leaves) == Decimal(100)
    results = read_table(data, RESULTS).records
    assert {r.get("round") for r in results} == {6, 9}
    assert len(read_table(data, AGREEMENTS).records) >= 3


def test_demo_holds_the_deliberate_typing_slips(demo: Path):
    data = XlsxBackend(demo).read()
    results = read_table(data, RESULTS).records
    assert "๘๕" in [r.get("result") for r in results]  # Thai digits
    assert "15/04/2570" in [r.get("reported_on") for r in results]  # BE date typed as text
    assert any(k.get("owner") is None for k in read_table(data, KPIS).records)  # a missing owner


def test_demo_never_replaces_a_real_offices_workbook(tmp_path: Path):
    real = tmp_path / "workbook.xlsx"
    assert cli("init", "--sheet", str(real), "--office-name", "สพป. จริง เขต 9").exit_code == 0
    before = real.read_bytes()
    refused = cli("demo", "--dir", str(tmp_path))
    assert refused.exit_code == 2 and "not the demo's workbook" in refused.output
    assert real.read_bytes() == before
    again = tmp_path / "demo"
    assert cli("demo", "--dir", str(again)).exit_code == 0
    assert cli("demo", "--dir", str(again)).exit_code == 0  # an earlier demo is replaced
