"""A cell's value as a backend reads it and the domain parses it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Union

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
