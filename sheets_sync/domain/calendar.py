"""Step durations as the work standard writes them (`1 สัปดาห์`, `2 วัน`, `1 เดือน`) and planned dates.

Whether a duration counts calendar days or working days is the office's policy (setting `working_days`);
working days skip weekends and Thai public holidays from the `holidays` package, asked in memory; the command
line has them kept on disk instead (`use_holidays`, sheets_sync.thai_holidays), since asking the package costs
every command that counts working days a tenth of a second.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from dateutil.relativedelta import relativedelta

from sheets_sync.domain.schema import ROUND_NUMBERS
from sheets_sync.domain.thai import (
    BE_OFFSET,
    ParseError,
    be_year,
    parse_integer,
    to_ascii_digits,
)

_UNITS = {"วัน": "day", "day": "day", "days": "day", "สัปดาห์": "week", "week": "week", "weeks": "week",
          "เดือน": "month", "month": "month", "months": "month"}
_DURATION = re.compile(r"(\d+)\s*(วัน|สัปดาห์|เดือน|days?|weeks?|months?)", re.IGNORECASE)


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # day, week or month


def parse_duration(text: object) -> Duration | None:
    """`3 สัปดาห์` → 3 weeks; text with no single duration (`รอบ 6/9/12 เดือน`, blank) → None."""
    if not isinstance(text, str):
        return None
    cleaned = to_ascii_digits(text).strip()
    if cleaned.startswith("รอบ"):
        return None
    m = _DURATION.fullmatch(cleaned)
    if not m:
        return None
    return Duration(int(m[1]), _UNITS[m[2].lower()])


def holidays_from_package(first_year: int, last_year: int) -> frozenset[dt.date]:
    """Every Thai public holiday from 1 January of `first_year` to 31 December of `last_year`, as the installed
    `holidays` package gives them (imported here, when first needed: it loads some 250 countries)."""
    import holidays

    return frozenset(holidays.country_holidays("TH", years=range(first_year, last_year + 1)))


_holiday_source: Callable[[int, int], frozenset[dt.date]] = holidays_from_package


def use_holidays(source: Callable[[int, int], frozenset[dt.date]]) -> None:
    """Where the Thai holidays come from: the package by default; the command line keeps its answers on disk."""
    global _holiday_source
    _holiday_source = source
    _thai_holidays.cache_clear()


@lru_cache(maxsize=8)
def _thai_holidays(first_year: int, last_year: int) -> frozenset[dt.date]:
    return _holiday_source(first_year, last_year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _thai_holidays(day.year - 1, day.year + 1)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def end_of(start: dt.date, duration: Duration, working_days: bool) -> dt.date:
    """The last day (inclusive) of a duration that begins on `start`.

    Calendar: 1 week from Thursday ends on Wednesday.  Working days: a week is 5 working days and a day is
    one working day; a month is a calendar month in both modes, ending on a working day in the second.
    """
    if duration.unit == "month":
        end = start + relativedelta(months=duration.amount) - dt.timedelta(days=1)
        return next_working_day(end) if working_days else end
    days = duration.amount * (7 if duration.unit == "week" else 1)
    if not working_days:
        return start + dt.timedelta(days=days - 1)
    count = duration.amount * (5 if duration.unit == "week" else 1)
    day = next_working_day(start)
    for _ in range(count - 1):
        day = next_working_day(day + dt.timedelta(days=1))
    return day


def days_between(earlier: dt.date, later: dt.date, working_days: bool) -> int:
    """How many days `later` is after `earlier` (0 when not after), counted the office's way."""
    if later <= earlier:
        return 0
    if not working_days:
        return (later - earlier).days
    return sum(1 for n in range(1, (later - earlier).days + 1) if is_working_day(earlier + dt.timedelta(days=n)))


# --- the fiscal year and its rounds (DOMAIN.md, Calendar) ------------------------------------


def parse_fiscal_year(value: object) -> int:
    """A fiscal year as typed in the settings: a BE year (2570, ๒๕๗๐); anything else does not read — the one
    rule for init, the loader and validate (a year typed `80` once crashed init's date maths)."""
    year = parse_integer(value)
    if not 2400 < year < 2800:
        raise ParseError(f"not a BE fiscal year: {value!r}")
    return year


def fiscal_year_of(day: dt.date) -> int:
    """The BE fiscal year a day falls in: 1 Oct 2026 (CE) opens FY 2570."""
    return be_year(day) + (1 if day.month >= 10 else 0)


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    end_ce = fiscal_year_be - BE_OFFSET
    return dt.date(end_ce - 1, 10, 1), dt.date(end_ce, 9, 30)


def round_end(fiscal_year_be: int, round_months: int) -> dt.date:
    """Rounds are cumulative from 1 October: 6 → 31 March, 9 → 30 June, 12 → 30 September."""
    end_ce = fiscal_year_be - BE_OFFSET
    return {6: dt.date(end_ce, 3, 31), 9: dt.date(end_ce, 6, 30), 12: dt.date(end_ce, 9, 30)}[round_months]


def rounds_ended(fiscal_year: int, today: dt.date) -> tuple[int, ...]:
    return tuple(r for r in ROUND_NUMBERS if round_end(fiscal_year, r) < today)
