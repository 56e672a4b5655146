"""Thai dates and numbers as staff type them (DOMAIN.md, "How staff type things").

Python's own `int`, `Decimal` and `str.isdigit` already understand Thai digits (๐–๙ are Unicode decimal
digits), so the only hand-written parts are the Thai month names and the Buddhist-Era year rule, which no
well-kept small library covers (pythainlp does, but pulls in tens of megabytes of corpora for two tables).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

BE_OFFSET = 543
SHEETS_EPOCH = dt.date(1899, 12, 30)  # day 0 of Google Sheets' and Excel's serial dates

MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

PLACEHOLDERS = frozenset({"n/a", "na", "-", "–", "—", "ไม่ได้รายงาน", "ไม่มีข้อมูล", "ยังไม่รายงาน"})

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class ParseError(ValueError):
    """A typed value that cannot be read as the type its column declares."""


def to_ascii_digits(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\xa0", " ")
    return " ".join(to_ascii_digits(text).split())


YES_WORDS = frozenset({"yes", "y", "true", "1", "ใช่"})


def is_yes(value: object) -> bool:
    """A yes/no setting or cell: ใช่, yes, true, 1 (and a checked box) are yes; anything else is no."""
    return value is True or _clean(str(value if value is not None else "")).casefold() in YES_WORDS


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and _clean(value).casefold() in PLACEHOLDERS


# --- numbers -----------------------------------------------------------------------------------

_PERCENT_WORDS = ("ร้อยละ",)
_LEVEL_WORDS = ("ระดับที่", "ระดับ", "level")


def parse_number(value: object) -> Decimal:
    """A number as staff type it: `80`, `๘๐`, `ร้อยละ 80`, `80%`, `1,234.5`, or a numeric cell.

    Percent forms give the percentage itself (`80%` → 80), the way KPI criteria are written.
    """
    if isinstance(value, bool):
        raise ParseError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ParseError(f"not a number: {value!r}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # NaN and infinity: what pandas or a broken cell gives, never typed
            raise ParseError(f"not a number: {value!r}")
        # repr() is the shortest string that round-trips, so 0.1 stays 0.1 and not 0.1000000000000000055…
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise ParseError(f"not a number: {value!r}")
    text = _clean(value)
    for word in _PERCENT_WORDS:
        if text.startswith(word):
            text = text[len(word):].strip()
    if text.endswith("%"):
        text = text[:-1].strip()
    text = text.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ParseError(f"not a number: {value!r}")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex above already rules this out
        raise ParseError(f"not a number: {value!r}") from exc


def parse_level(value: object) -> int:
    """A milestone level: `ระดับ 5`, `ระดับที่ ๓`, `5`, or a numeric cell holding a whole number 0–5."""
    if isinstance(value, str):
        text = _clean(value)
        for word in _LEVEL_WORDS:
            if text.casefold().startswith(word):
                text = text[len(word):].strip()
                break
        number = parse_number(text)
    else:
        number = parse_number(value)
    if number != number.to_integral_value() or not 0 <= number <= 5:
        raise ParseError(f"not a level 0–5: {value!r}")
    return int(number)


def parse_integer(value: object) -> int:
    number = parse_number(value)
    if number != number.to_integral_value():
        raise ParseError(f"not a whole number: {value!r}")
    return int(number)


# --- dates -------------------------------------------------------------------------------------


def _month_from_name(name: str) -> int | None:
    key = name.casefold().rstrip(".")
    for index, (long, short, english) in enumerate(zip(MONTHS_LONG, MONTHS_SHORT, MONTHS_EN), start=1):
        if key in (long, short.rstrip("."), short.replace(".", ""), english):
            return index
        if len(key) > 3 and english == key[:3] and key.isascii():
            return index
    return None


def year_to_ce(year: int, digits: int) -> int:
    """BE and CE years as typed: above 2400 is BE; two digits are a short BE year (`69` → 2569)."""
    if digits <= 2:
        year += 2500
    if year > 2400:
        return year - BE_OFFSET
    return year


def from_serial(serial: float | int | Decimal) -> dt.date:
    return SHEETS_EPOCH + dt.timedelta(days=int(serial))


def to_serial(day: dt.date) -> int:
    return (day - SHEETS_EPOCH).days


_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?")
_NAMED_DATE = re.compile(r"(\d{1,2})\s*([^\d\s]+?\.?)\s*(?:พ\.ศ\.|ค\.ศ\.)?\s*(\d{2}|\d{4})")

# A serial number this small or large is not a date anyone in the project means; the years up to 2700 hold the
# BE dates a spreadsheet stores as 25xx CE (date_cell_as_meant).
_SERIAL_RANGE = (to_serial(dt.date(1950, 1, 1)), to_serial(dt.date(2700, 1, 1)))


def serial_date(value: object) -> dt.date | None:
    """The date a Sheets/Excel serial number stands for, or None when `value` is no plausible serial."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) \
            and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        return from_serial(value)
    return None


def typed_short_year(day: dt.date) -> bool:
    """A date cell in 1930–1999: what a spreadsheet makes of a two-digit BE year (`1/10/69` → 1969)."""
    return 1930 <= day.year <= 1999


def date_cell_as_meant(day: dt.date) -> dt.date:
    """The day a person meant by a date cell.  A spreadsheet has no Buddhist calendar, so a BE date typed with
    slashes is stored in the year 25xx CE (`1/10/2569` → 2569-10-01: subtract 543), and one typed with a
    two-digit year in 19xx (`1/10/69` → 1969-10-01, meant 2569 BE: add 57).  README, "What staff see and
    type", says why."""
    try:
        if day.year > 2400:
            return day.replace(year=day.year - BE_OFFSET)
        if typed_short_year(day):
            return day.replace(year=day.year + 2500 - 1900 - BE_OFFSET)
    except ValueError as exc:  # 29 Feb in a year that has none once the era is put right
        raise ParseError(f"not a date: {day!r}") from exc
    return day


def parse_date(value: object) -> dt.date:
    """A date in any form DOMAIN.md lists, a real date cell, or a Sheets serial number."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return date_cell_as_meant(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        serial = serial_date(value)
        if serial is None:
            raise ParseError(f"not a date: {value!r}")
        return date_cell_as_meant(serial)
    if not isinstance(value, str):
        raise ParseError(f"not a date: {value!r}")
    text = _clean(value)
    try:
        if m := _ISO_DATE.fullmatch(text):
            year, month, day = int(m[1]), int(m[2]), int(m[3])
            return dt.date(year_to_ce(year, 4), month, day)
        if m := _NUMERIC_DATE.fullmatch(text):
            return dt.date(year_to_ce(int(m[3]), len(m[3])), int(m[2]), int(m[1]))
        if m := _NAMED_DATE.fullmatch(text):
            named = _month_from_name(m[2].strip())
            if named is not None:
                return dt.date(year_to_ce(int(m[3]), len(m[3])), named, int(m[1]))
    except ValueError as exc:  # day 31 of a 30-day month, month 13 …
        raise ParseError(f"not a date: {value!r}") from exc
    raise ParseError(f"not a date: {value!r}")


def format_date_be(day: dt.date, long: bool = False) -> str:
    """`1 ต.ค. 2569`, or `1 ตุลาคม 2569` with long=True."""
    names = MONTHS_LONG if long else MONTHS_SHORT
    return f"{day.day} {names[day.month - 1]} {day.year + BE_OFFSET}"


def be_year(day: dt.date) -> int:
    return day.year + BE_OFFSET


def is_a_reason(text: str) -> bool:
    """A reason is words: at least two letters or digits of any script (Thai vowels and tone marks are marks,
    not letters, so `ก็` alone is one letter), not only dots, dashes or invisible characters."""
    letters = [c for c in text if unicodedata.category(c)[0] in ("L", "N")]
    return len(letters) >= 2


def quoted(value: object) -> str:
    """A cell's value inside a message, as the person sees it in the sheet: `“4.5”`, `“20 ต.ค. 2569”`, `“85%”` —
    never Python's own spelling (`Decimal('4.5')`, `datetime.date(2026, 10, 20)`)."""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value.is_finite() else str(value)
    elif isinstance(value, float):
        text = format(Decimal(repr(value)).normalize(), "f") if math.isfinite(value) else str(value)
    elif isinstance(value, (dt.date, dt.datetime)):  # a date cell as the person meant it: never the year 3112
        day = value.date() if isinstance(value, dt.datetime) else value
        try:
            day = date_cell_as_meant(day)
        except ParseError:
            pass
        text = format_date_be(day)
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            text += f" {value:%H:%M}"
    else:
        text = " ".join(str(value).split()) if value is not None else ""
    return f"“{text}”"
