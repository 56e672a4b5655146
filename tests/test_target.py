from pathlib import Path

import pytest

from sheets_sync.backends.target import TargetKind, parse_target, resolve_target
from sheets_sync.errors import SheetsSyncError

KEY = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms"


@pytest.mark.parametrize("text", [f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0", KEY])
def test_google_urls_and_keys(text):
    target = parse_target(text)
    assert target.kind is TargetKind.GOOGLE and target.location == KEY


def test_xlsx_paths(tmp_path: Path):
    assert parse_target("work.xlsx").kind is TargetKind.XLSX
    assert parse_target(str(tmp_path / "a" / "b.xlsx")).location == str(tmp_path / "a" / "b.xlsx")


def test_something_else_is_refused():
    with pytest.raises(SheetsSyncError):
        parse_target("notes.txt")


def test_option_then_environment_then_config_then_default(tmp_path: Path):
    (tmp_path / "sheets-sync.toml").write_text('sheet = "office/year.xlsx"\n')
    env = {"SHEETS_SYNC_SHEET": KEY}
    assert resolve_target("x.xlsx", tmp_path, env).location == "x.xlsx"
    assert resolve_target(None, tmp_path, env).kind is TargetKind.GOOGLE
    config = resolve_target(None, tmp_path, {})
    assert config.location == str(tmp_path / "office" / "year.xlsx") and config.source == "config"
    (tmp_path / "sheets-sync.toml").unlink()
    assert resolve_target(None, tmp_path, {}).location == str(tmp_path / "workbook.xlsx")
