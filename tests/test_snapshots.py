"""snapshot, restore, and fix's snapshot-first rule, on both backends."""

import json
from pathlib import Path

from sheets_sync.tasks.snapshot import tab_checksum
from sheets_sync.workbook.operations import WriteCells

from .conftest import cli, kpi, person_types, result, type_office


def results_tab(workbook):
    return workbook.backend().read().tabs["ผลการดำเนินงาน"].rows


def test_a_snapshot_holds_every_tab_with_a_checksum_per_tab(workbook, tmp_path: Path):
    type_office(workbook.backend(), [kpi("1", 100)], [result("1", 6, 85, reported_on="15/04/2570")])
    workbook.clear_log()
    outcome = cli("snapshot", "--sheet", workbook.sheet, "--out", str(tmp_path / "snaps"))
    assert outcome.exit_code == 0, outcome.output
    [saved] = list((tmp_path / "snaps").glob("*.xlsx"))
    manifest = json.loads(saved.with_suffix(".json").read_text())
    data = workbook.backend().read()
    assert set(manifest["tabs"]) == set(data.tabs)
    grid = data.tabs["ผลการดำเนินงาน"]
    assert manifest["tabs"]["ผลการดำเนินงาน"]["sha256"] == tab_checksum(grid.rows, grid.notes)
    if workbook.can("count requests"):
        assert workbook.reads_and_writes() == (2, 0)  # the command's read and the test's; never a write


def test_restore_shows_what_would_change_asks_and_puts_the_tabs_back(workbook, tmp_path: Path):
    type_office(workbook.backend(), [kpi("1", 100)], [result("1", 6, 85)])
    cli("snapshot", "--sheet", workbook.sheet, "--out", str(tmp_path / "snaps"))
    [saved] = list((tmp_path / "snaps").glob("*.xlsx"))
    before = results_tab(workbook)
    backend = workbook.backend()
    backend.read()
    person_types(backend, [WriteCells("ผลการดำเนินงาน", 2, 3, (("ลบผิด",),))])  # someone overwrites a result
    declined = cli("restore", "--sheet", workbook.sheet, str(saved), input="n\n")
    assert "1 cells would change" in declined.output and "cancelled" in declined.output
    assert results_tab(workbook)[1][2] == "ลบผิด"
    restored = cli("restore", "--sheet", workbook.sheet, str(saved), "--tabs", "ผลการดำเนินงาน", "--yes")
    assert restored.exit_code == 0, restored.output
    assert results_tab(workbook) == before


def test_fix_takes_a_snapshot_first_on_either_backend(workbook, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    type_office(workbook.backend(), [kpi("1", 100)], [result("1", 6, "ร้อยละ ๘๕")])
    workbook.clear_log()
    outcome = cli("fix", "--sheet", workbook.sheet)
    assert outcome.exit_code == 0, outcome.output
    assert results_tab(workbook)[1][2] == 85
    snapshots = list(Path(tmp_path).rglob(".sheets-sync/snapshots/*.xlsx"))
    assert len(snapshots) == 1
    if workbook.can("count requests"):
        # one read, one re-read of the cells to change, one write: the snapshot came from the first read
        assert [e["endpoint"] for e in workbook.requests()][:3] == ["spreadsheets.get", "spreadsheets.getByDataFilter",
                                                                     "spreadsheets.batchUpdate"]


def test_only_the_newest_snapshots_are_kept_as_the_setting_says(tmp_path: Path):
    from sheets_sync.backends.xlsx import XlsxBackend
    from sheets_sync.workbook.tables import set_settings

    from .conftest import office_workbook

    path = office_workbook(tmp_path / "w.xlsx", [kpi("1", 100)], [])
    backend = XlsxBackend(path)
    backend.apply(set_settings(backend.read(), {"snapshots_keep": 3}))
    for _ in range(5):
        assert cli("snapshot", "--sheet", str(path)).exit_code == 0
    kept = sorted((tmp_path / ".sheets-sync" / "snapshots").glob("*.xlsx"))
    assert len(kept) == 3 and len(list(kept[0].parent.glob("*.json"))) == 3


def test_restore_leaves_alone_a_cell_edited_while_the_coordinator_was_deciding(workbook, tmp_path: Path):
    type_office(workbook.backend(), [kpi("1", 100)], [result("1", 6, 85)])
    cli("snapshot", "--sheet", workbook.sheet, "--out", str(tmp_path / "snaps"))
    [saved] = list((tmp_path / "snaps").glob("*.xlsx"))
    backend = workbook.backend()
    backend.read()
    person_types(backend, [WriteCells("ผลการดำเนินงาน", 2, 3, (("ลบผิด",),)), WriteCells("ผลการดำเนินงาน", 2, 4, ((3,),))])

    def typed_while_asking(text: str = "", **kwargs) -> bool:
        typist = workbook.backend()
        typist.read()
        person_types(typist, [WriteCells("ผลการดำเนินงาน", 2, 3, (("แก้ใหม่",),))])  # a person fixes it meanwhile
        return True

    import click

    original = click.confirm
    click.confirm = typed_while_asking
    try:
        outcome = cli("restore", "--sheet", workbook.sheet, str(saved))
    finally:
        click.confirm = original
    assert "left ผลการดำเนินงาน!C2 alone" in outcome.output
    rows = results_tab(workbook)
    assert rows[1][2] == "แก้ใหม่" and len(rows[1]) < 4  # the person's fix kept; D2 put back (blank)


def test_staff_notes_in_a_local_workbook_are_read_and_kept_by_snapshots_and_copies(tmp_path: Path, emulator,
                                                                                    monkeypatch):
    """The xlsx backend once read no notes: a snapshot lost them and `copy --create` dropped every one."""
    import openpyxl
    from openpyxl.comments import Comment

    from sheets_sync.backends.target import open_backend, parse_target
    from sheets_sync.backends.xlsx import XlsxBackend

    from .conftest import office_workbook

    path = office_workbook(tmp_path / "office.xlsx", [kpi("1", 100)], [result("1", 6, 85)])
    book = openpyxl.load_workbook(path)
    book["ผลการดำเนินงาน"]["C2"].comment = Comment("ตัวเลขจากรายงานไตรมาส 2 / from the Q2 report", "ครูสมศรี")
    book.save(path)
    assert XlsxBackend(path).read().tabs["ผลการดำเนินงาน"].notes[(2, 3)].startswith("ตัวเลขจากรายงาน")

    assert cli("snapshot", "--sheet", str(path), "--out", str(tmp_path / "snaps")).exit_code == 0
    [saved] = list((tmp_path / "snaps").glob("*.xlsx"))
    assert XlsxBackend(saved).read().tabs["ผลการดำเนินงาน"].notes[(2, 3)].startswith("ตัวเลขจากรายงาน")

    monkeypatch.setenv("SHEETS_EMULATOR_HOST", emulator.host)
    monkeypatch.setenv("SHEETS_SYNC_THROTTLE_DIR", str(tmp_path / "throttle"))
    outcome = cli("copy", str(path), "--create", "สำเนา")
    assert outcome.exit_code == 0, outcome.output
    key = next(line for line in outcome.output.splitlines() if "docs.google.com" in line).split("/d/")[1].split("/")[0]
    assert open_backend(parse_target(key)).read().tabs["ผลการดำเนินงาน"].notes[(2, 3)].startswith("ตัวเลขจากรายงาน")
