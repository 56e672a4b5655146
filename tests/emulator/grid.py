"""A1 notation, field masks, and cell values as the Sheets API spells them."""

from __future__ import annotations

import re
from typing import Any

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")


def col_to_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def index_to_col(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def split_range(a1: str) -> tuple[str | None, str | None]:
    """`'My Sheet'!A1:B2` → ("My Sheet", "A1:B2"); `Sheet1` → ("Sheet1", None); `A1:B2` → (None, "A1:B2")."""
    a1 = a1.strip()
    if "!" in a1:
        title, _, cells = a1.rpartition("!")
    elif re.fullmatch(r"[A-Za-z]{1,3}\d*(:[A-Za-z]{1,3}\d*)?|\d+:\d+", a1) and not a1.startswith("'"):
        title, cells = None, a1
    else:
        title, cells = a1, ""
    if title is not None and title.startswith("'") and title.endswith("'"):
        title = title[1:-1].replace("''", "'")
    return title, cells or None


def parse_cells(cells: str | None, rows: int, cols: int) -> tuple[int, int, int, int]:
    """(start_row, start_col, end_row, end_col), zero-based, end exclusive, clamped to nothing."""
    if not cells:
        return 0, 0, rows, cols
    first, _, last = cells.partition(":")
    m1, m2 = _CELL.match(first), _CELL.match(last or first)
    if not m1 or not m2:
        raise ValueError(cells)
    c1 = col_to_index(m1[1]) if m1[1] else 0
    r1 = int(m1[2]) - 1 if m1[2] else 0
    c2 = col_to_index(m2[1]) + 1 if m2[1] else cols
    r2 = int(m2[2]) if m2[2] else rows
    if not last:
        c2 = c1 + 1 if m1[1] else cols
        r2 = r1 + 1 if m1[2] else rows
    return r1, c1, r2, c2


def a1_of(title: str, r1: int, c1: int, r2: int, c2: int) -> str:
    quoted = title if re.fullmatch(r"[A-Za-z0-9_]+", title) else "'" + title.replace("'", "''") + "'"
    return f"{quoted}!{index_to_col(c1)}{r1 + 1}:{index_to_col(c2 - 1)}{r2}"


def parse_mask(mask: str | None) -> dict | None:
    """`sheets(properties(title),data.rowData)` → {"sheets": {"properties": {"title": {}}, "data": {"rowData": {}}}}."""
    if not mask or mask.strip() == "*":
        return None
    mask = mask.replace("/", ".")
    tree: dict = {}
    stack = [tree]
    token = ""

    def flush() -> None:
        nonlocal token
        if token.strip():
            node = stack[-1]
            for part in token.strip().split("."):
                node = node.setdefault(part, {})
        token = ""

    for ch in mask:
        if ch == "(":
            name = token.strip()
            node = stack[-1]
            for part in name.split("."):
                node = node.setdefault(part, {})
            stack.append(node)
            token = ""
        elif ch == ")":
            flush()
            stack.pop()
        elif ch == ",":
            flush()
        else:
            token += ch
    flush()
    return tree


def clone(value: Any) -> Any:
    """A copy of parsed JSON (dicts, lists, scalars); deepcopy's generality costs a 50,000-cell request seconds."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def apply_mask(value: Any, mask: dict | None) -> Any:
    if mask is None or not mask:
        return value
    if isinstance(value, list):
        return [apply_mask(v, mask) for v in value]
    if not isinstance(value, dict):
        return value
    if "*" in mask:
        return value
    out = {}
    for key, sub in mask.items():
        if key in value:  # a leaf of the mask takes the field whole: no call for it (a read walks 200,000 cells)
            out[key] = apply_mask(value[key], sub) if sub else value[key]
    return out


def extended_value(value: Any) -> dict:
    """A Python value as a RAW ExtendedValue."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    if value is None:
        return {}
    return {"stringValue": str(value)}


def plain(ev: dict | None) -> Any:
    """The Python value of an ExtendedValue (a formula's text for formulaValue)."""
    if not ev:
        return None
    for key in ("numberValue", "stringValue", "boolValue", "formulaValue"):
        if key in ev:
            return ev[key]
    if "errorValue" in ev:
        return "#ERROR!"
    return None


def formatted(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


_COLOUR_KEYS = {"red", "green", "blue", "alpha"}
_FALSE_OMITTED = {"hidden", "warningOnly", "hiddenByUser", "rightToLeft", "hideGridlines"}
_RANGE_KEYS = {"startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex", "startIndex", "endIndex"}


def proto_json(value: Any, key: str = "") -> Any:
    """Google's JSON as proto3 prints it: no nulls, no false, no empty lists, no zero sheetId in a range,
    no zero colour component, no zero frozen counts."""
    if isinstance(value, dict):
        keys = value.keys()
        is_range = key in ("range", "merges") or not _RANGE_KEYS.isdisjoint(keys)
        is_colour = bool(value) and keys <= _COLOUR_KEYS
        out = {}
        for k, v in value.items():
            if v is None or (v is False and k in _FALSE_OMITTED) or (isinstance(v, list) and not v):
                continue
            if v == 0 and not isinstance(v, bool) and ((k == "sheetId" and is_range) or (is_colour and k in _COLOUR_KEYS)
                                                        or k in ("frozenRowCount", "frozenColumnCount")):
                continue
            # a scalar is itself: no call for it (a large read has a million of them)
            out[k] = proto_json(v, k) if isinstance(v, (dict, list)) else v
        return out
    if isinstance(value, list):
        return [proto_json(v, key) for v in value]
    return value

