"""A cell's value as a backend reads it and the domain parses it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence, Union

Value = Union[str, int, float, Decimal, dt.date, dt.datetime, bool, None]


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(title: str, row: int, col: int) -> str:
    """`ตัวชี้วัด!F7`-style reference as staff read it (unquoted; problems name cells this way)."""
    return f"{title}!{column_letter(col)}{row}"


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


def column_number(letters: str) -> int:
    """A → 1, AA → 27."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


@dataclass(frozen=True)
class Location:
    """A cell in a tab, 1-based: what a problem points at, structured so nothing re-parses a string."""

    tab: str
    row: int
    col: int

    @property
    def a1(self) -> str:
        return a1(self.tab, self.row, self.col)

    @classmethod
    def parse(cls, reference: str) -> "Location | None":
        """`ตัวชี้วัด!Q13` → Location(ตัวชี้วัด, 13, 17); None for a reference without a row and column."""
        tab, _, ref = reference.rpartition("!")
        m = _REF.fullmatch(ref)
        return cls(tab, int(m[2]), column_number(m[1])) if m else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text: str) -> str:
    """Text that can stand in a file's XML (.xlsx, .docx): Word's line break, a vertical tab pasted with the
    text, becomes a line break; the other control characters are dropped (the workbook keeps what it has)."""
    return _CONTROL.sub("", text.replace("\x0b", "\n")) if _CONTROL.search(text) else text


def consecutive_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Row or column numbers as (first, last) runs of consecutive ones: one range per run, not per cell."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


CELL_LIMIT = 32_767  # characters an .xlsx cell holds (Google's is 50,000): the lower, so both backends agree


def listed(items: Sequence[str], limit: int = CELL_LIMIT) -> str | None:
    """`items` comma-separated in one cell, as many as fit within `limit` characters, then how many more there
    are. A person supervising every KPI of a large office would otherwise make a cell no file holds: the file
    would cut it, and every later build would find it changed and write again."""
    if not items:
        return None
    text = ", ".join(items)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    used = 0
    for item in items:
        rest = len(items) - len(kept) - 1
        tail = f", … และอีก {rest:,} รายการ ({rest:,} more)"
        if used + len(item) + 2 + len(tail) > limit:
            break
        kept.append(item)
        used += len(item) + 2
    rest = len(items) - len(kept)
    return ", ".join(kept) + f", … และอีก {rest:,} รายการ ({rest:,} more)"


def within_cell(value: Value, limit: int = CELL_LIMIT) -> Value:
    """A text cut to what a cell holds, saying so; anything else as it is."""
    if isinstance(value, str) and len(value) > limit:
        note = " … (ตัดให้พอดีช่อง / cut to fit the cell)"
        return value[: limit - len(note)] + note
    return value


def is_blank(value: object) -> bool:
    """Nothing typed: no value, or only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


def percent_as_typed(number: int | float) -> int | float:
    """A number in a percent-formatted cell as the person typed and sees it: `78.5%` is stored as 0.785 (by
    Excel, LibreOffice and Google alike) and meant as 78.5.  Exact: 0.785 → 78.5, never 78.50000000000001.
    Every backend reads a percent cell through this one rule."""
    percent = Decimal(repr(number)) * 100
    return int(percent) if percent == percent.to_integral_value() else float(percent.normalize())
