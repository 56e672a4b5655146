"""Whatever staff type, validate and build never crash, and every problem names a cell that exists."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.domain.schema import INPUT_TABS
from sheets_sync.errors import SheetsSyncError
from sheets_sync.tasks.validate import ValidateOptions, validate
from sheets_sync.workbook.office import compile_office

from .conftest import kpi, office_workbook, result

cell_values = st.one_of(
    st.none(),
    st.text(max_size=40).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s)),
    st.sampled_from(["ระดับ 5", "ร้อยละ ๘๐", "80%", "N/A", "-", "ไม่ได้รายงาน", "1 ต.ค. 2569", "31/02/2570",
                     "=1+1", '=IMPORTXML("http://x","//a")', "P01", "P99", "6", "9", "12", "เสร็จสิ้น", "มากดี",
                     "ช่วงคะแนน", "ระดับความสำเร็จ", "คณะกรรมการ", "🙂", "\u202eRTL", "x" * 300]),
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
)
edits = st.lists(st.tuples(st.sampled_from([t.th for t in INPUT_TABS]), st.integers(1, 8), st.integers(1, 28),
                           cell_values), min_size=1, max_size=15)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "template.xlsx"
    return office_workbook(path, [kpi("1", 60), kpi("2", 40, "ระดับความสำเร็จ", ())],
                           [result("1", 6, 85), result("2", 6, "ระดับ 3")])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits)
def test_validate_and_build_survive_anything_typed(template: Path, tmp_path: Path, typed):
    path = tmp_path / "fuzzed.xlsx"
    shutil.copy(template, path)
    wb = openpyxl.load_workbook(path)
    for title, row, col, value in typed:
        wb[title].cell(row=row, column=col, value=value)
    wb.save(path)
    data = XlsxBackend(path).read()
    problems = validate(data, ValidateOptions(dt.date(2027, 7, 20), strict=True))
    for p in problems:
        title, _, ref = p.cell.rpartition("!")
        assert title in data.tabs, p
        letters, row = coordinate_from_string(ref)
        grid = data.tabs[title]
        assert 1 <= row <= max(len(grid.rows), 1), p
        assert 1 <= column_index_from_string(letters) <= max([len(r) for r in grid.rows] + [1]), p
        assert p.th and p.en
    try:
        compile_office(data, dt.date(2027, 7, 20))
    except SheetsSyncError as exc:  # a header typed over: build refuses with the layout code, never crashes
        assert exc.code.name == "LAYOUT"
