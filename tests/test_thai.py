import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.domain.calendar import fiscal_year_bounds, fiscal_year_of, round_end
from sheets_sync.domain.thai import (
    MONTHS_LONG,
    MONTHS_SHORT,
    ParseError,
    format_date_be,
    from_serial,
    is_placeholder,
    parse_date,
    parse_level,
    parse_number,
    to_serial,
)

OCT_1_2026 = dt.date(2026, 10, 1)


@pytest.mark.parametrize("typed", [
    "1 ต.ค. 2569", "1 ต.ค 2569", "1 ตค 2569", "01/10/2569", "1/10/69", "1 ตุลาคม 2569", "๑ ต.ค. ๒๕๖๙",
    "๐๑/๑๐/๒๕๖๙", "1-10-2569", "2026-10-01", "1/10/2026", "1 Oct 2026", "1 ต.ค. พ.ศ. 2569", " 1  ต.ค.  2569 ",
    46296, 46296.0, dt.date(2026, 10, 1), dt.datetime(2026, 10, 1, 0, 0),
])
def test_every_form_staff_type_reads_as_the_same_day(typed):
    assert parse_date(typed) == OCT_1_2026


@pytest.mark.parametrize("month", range(1, 13))
def test_every_thai_month_name_and_abbreviation_is_understood(month):
    expected = dt.date(2027, month, 15)
    assert parse_date(f"15 {MONTHS_LONG[month - 1]} 2570") == expected
    assert parse_date(f"15 {MONTHS_SHORT[month - 1]} 2570") == expected
    assert parse_date(f"15 {MONTHS_SHORT[month - 1].rstrip('.')} 2570") == expected


@pytest.mark.parametrize("typed", ["31/02/2570", "hello", "", "32 ต.ค. 2569", "1 ตุลา 2569x", True, 12])
def test_text_that_is_no_date_is_refused(typed):
    with pytest.raises(ParseError):
        parse_date(typed)


def test_sheets_serial_day_zero_is_30_december_1899():
    assert from_serial(46296) == OCT_1_2026
    assert to_serial(OCT_1_2026) == 46296


@pytest.mark.parametrize("typed, expected", [
    ("80", Decimal("80")), ("๘๐", Decimal("80")), ("ร้อยละ 80", Decimal("80")), ("ร้อยละ ๘๐", Decimal("80")),
    ("80%", Decimal("80")), ("80 %", Decimal("80")), ("1,234.50", Decimal("1234.50")), (85.5, Decimal("85.5")),
    (0.1, Decimal("0.1")), (3, Decimal("3")), ("-2", Decimal("-2")), (".5", Decimal("0.5")),
])
def test_numbers_in_every_typed_form(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["", "abc", "80 คน", "1.2.3", None, True, float("nan"), float("inf"),
                                   Decimal("NaN"), "nan", "inf"])
def test_text_that_is_no_number_is_refused(typed):
    with pytest.raises(ParseError):
        parse_number(typed)


@pytest.mark.parametrize("typed, level", [("ระดับ 5", 5), ("ระดับที่ ๓", 3), ("5", 5), (4, 4), (2.0, 2), ("level 1", 1)])
def test_milestone_levels(typed, level):
    assert parse_level(typed) == level


@pytest.mark.parametrize("typed", ["ระดับ 6", "ระดับ 2.5", 3.5, "-1"])
def test_levels_outside_0_to_5_or_fractional_are_refused(typed):
    with pytest.raises(ParseError):
        parse_level(typed)


@pytest.mark.parametrize("typed", ["N/A", "n/a", "-", "ไม่ได้รายงาน", " - "])
def test_placeholders(typed):
    assert is_placeholder(typed)


def test_be_formats():
    assert format_date_be(OCT_1_2026) == "1 ต.ค. 2569"
    assert format_date_be(OCT_1_2026, long=True) == "1 ตุลาคม 2569"


def test_fiscal_year_2570_runs_from_1_october_2569_to_30_september_2570():
    assert fiscal_year_bounds(2570) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))
    assert fiscal_year_of(dt.date(2026, 10, 1)) == 2570
    assert fiscal_year_of(dt.date(2026, 9, 30)) == 2569
    assert round_end(2570, 6) == dt.date(2027, 3, 31)
    assert round_end(2570, 9) == dt.date(2027, 6, 30)
    assert round_end(2570, 12) == dt.date(2027, 9, 30)


# the years a spreadsheet makes of BE typing (19xx from a two-digit year) are read as meant, see below
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2150, 12, 31))
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@given(dates, st.booleans(), st.booleans())
def test_round_trip_be_text(day, long, thai_digits):
    text = format_date_be(day, long=long)
    if thai_digits:
        text = text.translate(THAI_DIGITS)
    assert parse_date(text) == day


@given(dates)
def test_round_trip_numeric_be_and_serial(day):
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year + 543}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year + 543}".translate(THAI_DIGITS)) == day
    assert parse_date(to_serial(day)) == day


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False, places=4))
def test_round_trip_numbers_in_thai_digits_and_percent_forms(number):
    text = format(number, "f")
    assert parse_number(text.translate(THAI_DIGITS)) == number
    assert parse_number(f"ร้อยละ {text}") == number
    assert parse_number(f"{text}%") == number


def test_a_date_cell_in_a_be_year_is_the_day_a_person_meant():
    """Google stores `1/10/2569` as 2569-10-01 CE and `1/10/69` as 1969-10-01; both mean 1 Oct 2026."""
    assert parse_date(dt.date(2569, 10, 1)) == dt.date(2026, 10, 1)
    assert parse_date(dt.date(1969, 10, 1)) == dt.date(2026, 10, 1)
    assert parse_date(to_serial(dt.date(2569, 10, 1))) == dt.date(2026, 10, 1)  # serial 244623
    assert parse_date(dt.date(2026, 10, 1)) == dt.date(2026, 10, 1)


def test_29_february_of_a_be_year_without_one_is_not_a_date():
    with pytest.raises(ParseError):
        parse_date(dt.date(2568, 2, 29))  # 2568 CE is a leap year, 2025 is not


def test_thai_holidays_are_the_package_s_own_and_kept_for_the_next_command(tmp_path, monkeypatch):
    """Asking `holidays` for Thailand imports its ~250 countries (a tenth of a second of each command that counts
    working days): the first command keeps the dates, the next reads them — the same dates."""
    import holidays

    from sheets_sync import thai_holidays as kept

    asked = frozenset(holidays.country_holidays("TH", years=range(2026, 2029)))
    assert dt.date(2027, 4, 13) in asked  # Songkran: what is compared is real
    assert kept.thai_holidays(2026, 2028) == asked
    assert len(list((tmp_path.with_name(f"{tmp_path.name}-cache") / "sheets-sync" / "holidays").glob("TH-2026-2028-*.json"))) == 1

    def not_again(*args, **kwargs):
        raise AssertionError("the package was asked again")

    monkeypatch.setattr(holidays, "country_holidays", not_again)
    assert kept.thai_holidays(2026, 2028) == asked


def test_thai_holidays_kept_damaged_or_unwritable_are_asked_of_the_package_again(tmp_path, monkeypatch):
    import holidays

    from sheets_sync import thai_holidays as kept

    asked = frozenset(holidays.country_holidays("TH", years=range(2026, 2029)))
    kept.thai_holidays(2026, 2028)
    (path,) = (tmp_path.with_name(f"{tmp_path.name}-cache") / "sheets-sync" / "holidays").glob("*.json")
    for damage in ('["2027-13-40"]', "[1, 2]", "not json", ""):
        path.write_text(damage, encoding="utf-8")
        assert kept.thai_holidays(2026, 2028) == asked, damage
        assert json.loads(path.read_text(encoding="utf-8"))[0].startswith("2026-"), damage  # kept anew
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert kept.thai_holidays(2026, 2028) == asked


def test_a_second_command_that_counts_working_days_does_not_import_the_holidays_package(tmp_path):
    """`status` of a workbook whose office counts working days (the default): the first run asks `holidays`, the
    next finds the dates kept and never imports it (nor its 250 countries)."""
    import os
    import shutil
    import subprocess
    import sys

    from .conftest import kpi, office_workbook, result

    sheet = office_workbook(tmp_path / "w.xlsx", [kpi("1", 100)], [result("1", 6, 80)])
    # laying the workbook out may have kept them (unless this process had them in memory already)
    shutil.rmtree(tmp_path.with_name(f"{tmp_path.name}-cache") / "sheets-sync" / "holidays", ignore_errors=True)
    code = ("import sys; from click.testing import CliRunner; from commands.cli import main; "
            f"r = CliRunner().invoke(main, ['status', '--sheet', {str(sheet)!r}, '--today', '1/5/2570']); "
            "print(r.exit_code, 'holidays' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ}).stdout.split()[-2:] for _ in range(2)]
    assert runs == [["0", "True"], ["0", "False"]]
