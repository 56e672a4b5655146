"""One reading per cell: a value that does not read is said in the same words by every command that meets it —
validate marks the cell, build leaves the KPI out naming that cell with validate's words, never a second wording
("the KPI has no weight" for a weight typed สี่สิบ)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_sync.backends.target import open_backend, parse_target
from sheets_sync.tasks.build import BuildOptions, run_build
from sheets_sync.tasks.validate import ValidateOptions, run_validate

from .conftest import kpi, result, type_office

TODAY = dt.date(2027, 4, 1)
# every input a KPI's score depends on, typed wrong the way people do: words for figures, a level as a word
KPIS = [
    kpi("1", "สี่สิบ"),  # weight in words
    kpi("2", 10, c3="แปดสิบ"),  # a criterion in words
    kpi("3", 10),
    kpi("4", 10, method="ระดับความสำเร็จ", criteria=()),
    kpi("5", 10, method="คณะกรรมการ", criteria=()),
    kpi("6", 10, method="ทายเอา"),  # a method not in the list
    kpi("7", 10),
]
RESULTS = [
    result("1", 6, 80), result("2", 6, 80),
    result("3", 6, "แปดสิบห้า"),  # a result in words
    result("4", 6, "ดีมาก"),  # a level that is not one
    result("5", 6, 3, committee_score="ห้า"),  # a committee score in words
    result("6", 6, 80),
    result("7", 6, 80, committee_score="สี่จุดห้า"),  # a committee override in words: never the formula's score
]


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "workbook.xlsx"
    type_office(open_backend(parse_target(str(path))), KPIS, RESULTS)
    return path


def test_build_names_each_unreadable_cell_in_validates_words(office: Path):
    checked = run_validate(open_backend(parse_target(str(office))), ValidateOptions(TODAY), write=False)
    said: dict[str, list[tuple[str, str]]] = {}
    for p in checked.problems:
        if p.severity.value == "error":
            said.setdefault(p.cell, []).append((p.th, p.en))
    built = run_build(open_backend(parse_target(str(office))), BuildOptions(today=TODAY, dry_run=True))
    left_out = {p.cell: (p.th, p.en) for p in built.problems if p.code == "score.unscorable"}
    # each KPI typed wrong is left out of the office result, at the cell validate marks
    assert len(left_out) == 7, left_out
    for cell, (th, en) in left_out.items():
        assert said.get(cell) == [said_here := said[cell][0]], (cell, said.get(cell))  # one problem: the reading's
        assert said_here[0] in th and said_here[1] in en, (cell, said_here, th, en)
    kpi_7 = built.compiled.rounds[0].rows[-1]
    assert kpi_7.kpi.kpi_id == "7" and not kpi_7.counted  # the committee meant to override: not the formula's 3.0


def test_every_problem_at_a_cell_carries_the_cell_structured_not_only_as_text(office: Path):
    checked = run_validate(open_backend(parse_target(str(office))), ValidateOptions(TODAY), write=False)
    built = run_build(open_backend(parse_target(str(office))), BuildOptions(today=TODAY, dry_run=True))
    at_cells = [p for p in checked.problems + built.problems if p.code.endswith(("unreadable", "unscorable"))]
    assert len(at_cells) >= 14
    for p in at_cells:  # made with its tab, row and column: nothing parses the A1 text back
        assert p.at is not None and p.at.a1 == p.cell and p.at.tab == p.tab, p
