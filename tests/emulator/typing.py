"""What Google stores for typed text: `valueInputOption=USER_ENTERED`, parsed by the spreadsheet's locale.

The API's reference says USER_ENTERED values "are parsed exactly as if they were entered into the UI"; the
rules below are those docs/conformance.md lists with their sources (the recorded answers in gspread's
cassettes, Google's format guide, DOMAIN.md's observations).  Where Google's behaviour is not documented
(Thai digits `๘๐`, `ร้อยละ 80`, Thai or English month names, currency signs), the text is kept as text: the
conservative side, because the product then has to read the text itself, which it can.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .grid import extended_value

EPOCH = dt.date(1899, 12, 30)

# Day/month order by locale (DOMAIN.md: th_TH is D/M/Y, en_US M/D/Y).  A locale not listed is read as en_US.
DAY_FIRST = {"th_TH": True, "en_GB": True, "fr_FR": True, "de_DE": True, "en_US": False}

# ASCII digits only ([0-9], not \d, which in Python also matches Thai ๐–๙): Thai digits are kept as text
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|[+-]?\.[0-9]+")
_PERCENT = re.compile(r"(" + _NUMBER.pattern + r")\s*%")
_SLASH_DATE = re.compile(r"([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{1,4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")


def is_text_format(cell_format: dict | None) -> bool:
    """A cell formatted as plain text (Format > Number > Plain text: type TEXT, pattern `@`)."""
    number = (cell_format or {}).get("numberFormat") or {}
    return number.get("type") == "TEXT" or number.get("pattern") == "@"


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:  # the spreadsheet pivot: 00–29 → 20xx, 30–99 → 19xx (DOMAIN.md: `1/10/69` → 1969)
        return year + (2000 if year < 30 else 1900)
    return year


def _serial(day: dt.date) -> int:
    return (day - EPOCH).days


def _number(text: str) -> float | int:
    plain = text.replace(",", "")
    number = float(plain)
    if number.is_integer() and not re.search(r"[.eE]", plain):
        return int(number)
    return number


def _date(text: str, locale: str) -> tuple[int, str] | None:
    m = _ISO_DATE.fullmatch(text)
    if m:
        try:
            return _serial(dt.date(int(m[1]), int(m[2]), int(m[3]))), "yyyy-mm-dd"
        except ValueError:
            return None
    m = _SLASH_DATE.fullmatch(text)
    if not m:
        return None
    first, second, year = int(m[1]), int(m[3]), _year(m[4])
    day_first = DAY_FIRST.get(locale, False)
    day, month = (first, second) if day_first else (second, first)
    try:
        when = dt.date(year, month, day)
    except ValueError:
        return None  # 31/02/2569: not a date, kept as text
    return _serial(when), "d/m/yyyy" if day_first else "M/d/yyyy"


def _time(text: str) -> float | None:
    m = _TIME.fullmatch(text)
    if not m:
        return None
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return (hours * 3600 + minutes * 60 + seconds) / 86400


def typed(value: Any, locale: str = "en_US", cell_format: dict | None = None) -> tuple[dict, dict | None]:
    """The ExtendedValue Google stores for `value` typed into a cell, and the number format it gives the cell
    (None: the cell's format is left as it is)."""
    if not isinstance(value, str):
        return extended_value(value), None
    if value == "":
        return {}, None
    if value.startswith("'"):
        return {"stringValue": value[1:]}, None
    if is_text_format(cell_format):
        return {"stringValue": value}, None
    if value.startswith("=") and len(value) > 1:
        return {"formulaValue": value}, None
    text = value.strip()
    if text.upper() in ("TRUE", "FALSE"):
        return {"boolValue": text.upper() == "TRUE"}, None
    if _NUMBER.fullmatch(text):
        grouped = "," in text
        return {"numberValue": _number(text)}, ({"type": "NUMBER", "pattern": "#,##0.00" if "." in text else "#,##0"}
                                                if grouped else None)
    m = _PERCENT.fullmatch(text)
    if m:
        digits = m[1].replace(",", "")
        decimals = len(digits.partition(".")[2])
        number = float(digits) / 100
        number = round(number, decimals + 2 + 6)  # 78.5% is 0.785, not 0.7850000000000001
        return {"numberValue": int(number) if number.is_integer() else number}, \
            {"type": "PERCENT", "pattern": "0%" if not decimals else "0." + "0" * decimals + "%"}
    date = _date(text, locale)
    if date is not None:
        serial, pattern = date
        return {"numberValue": serial}, {"type": "DATE", "pattern": pattern}
    parts = text.split(" ", 1)
    if len(parts) == 2:
        date, clock = _date(parts[0], locale), _time(parts[1])
        if date is not None and clock is not None:
            return {"numberValue": date[0] + clock}, {"type": "DATE_TIME", "pattern": date[1] + " H:mm:ss"}
    clock = _time(text)
    if clock is not None:
        return {"numberValue": clock}, {"type": "TIME", "pattern": "H:mm:ss"}
    return {"stringValue": value}, None


def shown(number: float | int, number_format: dict | None) -> str | None:
    """The formattedValue of a number under the formats `typed` gives; None: the plain rendering."""
    kind = (number_format or {}).get("type")
    pattern = (number_format or {}).get("pattern", "")
    if kind == "PERCENT":
        decimals = len(pattern.partition(".")[2].rstrip("%"))
        return f"{number * 100:.{decimals}f}%"
    if kind == "NUMBER" and pattern.startswith("#,##0"):
        return f"{number:,.2f}" if pattern.endswith(".00") else f"{number:,.0f}"
    if kind in ("DATE", "DATE_TIME") and "yyyy" in pattern and "mmm" not in pattern and '"' not in pattern:
        day = EPOCH + dt.timedelta(days=int(number))
        if pattern.startswith("yyyy"):
            return day.isoformat()
        first, second = (day.day, day.month) if pattern.startswith("d") else (day.month, day.day)
        return f"{first}/{second}/{day.year}"
    return None
