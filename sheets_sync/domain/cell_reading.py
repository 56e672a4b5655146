"""One reading of a typed cell, and one wording of why it does not read: validate marks the cell with these words,
and build, status, export, the report and the site say the same words when that cell leaves a KPI out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sheets_sync.domain.cell import Value
from sheets_sync.domain.schema import ROUND_NUMBERS, Column, ColumnType
from sheets_sync.domain.scoring import Method
from sheets_sync.domain.words import Words
from sheets_sync.domain.thai import ParseError, parse_date, parse_integer, parse_number, quoted



def read_as(col: Column, value: Value) -> Decimal | int | dt.date | str:
    """`value` read as `col`'s type: a number, a whole number, a date, a round, a choice's key (several, comma
    separated, for a multiple column), or the text itself.  Raises ParseError when it does not read."""
    if col.type is ColumnType.NUMBER:
        return parse_number(value)
    if col.type is ColumnType.INTEGER:
        return parse_integer(value)
    if col.type is ColumnType.DATE:
        return parse_date(value)
    if col.type is ColumnType.ROUND:
        number = parse_integer(value)
        if number not in ROUND_NUMBERS:
            raise ParseError(value)
        return number
    if col.choices:
        parts = [p for p in str(value).split(",") if p.strip()] if col.multiple else [str(value)]
        keys = [choice.key for p in parts if (choice := col.choice_for(p)) is not None]
        if len(keys) != len(parts):
            raise ParseError(value)
        return ",".join(keys)
    return str(value)


def unreadable(col: Column, value: Value) -> Words:
    """Why `value` does not read as `col`'s type, naming the column and showing what to type."""
    shown = quoted(value)
    if col.type is ColumnType.DATE:
        return Words(f"{col.th}: อ่าน {shown} เป็นวันที่ไม่ได้ ควรพิมพ์เช่น 1 ต.ค. 2569 หรือ 01/10/2569",
                f"{col.named_en}: cannot read {shown} as a date; type e.g. 1 ต.ค. 2569 or 01/10/2569")
    if col.type is ColumnType.ROUND:
        return Words(f"{col.th}: {shown} ไม่ใช่รอบ ควรเป็น 6, 9 หรือ 12", f"{col.named_en}: {shown} is not a round; use 6, 9 or 12")
    if col.choices:
        options = " / ".join(c.th for c in col.choices)
        several = " (คั่นหลายค่าด้วยจุลภาค)" if col.multiple else ""
        return Words(f"{col.th}: {shown} ไม่อยู่ในรายการ ควรเป็น {options}{several}",
                f"{col.named_en}: {shown} is not in the list; use one of {options}")
    what = ("จำนวนเต็ม", "a whole number") if col.type is ColumnType.INTEGER else ("ตัวเลข", "a number")
    return Words(f"{col.th}: อ่าน {shown} เป็น{what[0]}ไม่ได้ ควรพิมพ์เช่น 80 หรือ ร้อยละ 80",
            f"{col.named_en}: cannot read {shown} as {what[1]}; type e.g. 80 or ร้อยละ 80")


def result_unreadable(method: Method | None, value: Value) -> Words:
    """Why a round's result does not read for the KPI's method: a level for a level-of-success KPI, else a number."""
    if method is Method.MILESTONE:
        return Words(f"ผล {quoted(value)} ไม่ใช่ระดับความสำเร็จ ควรพิมพ์ ระดับ 0–5 เช่น ระดับ 4",
                f"the result {quoted(value)} is not a level; type ระดับ 0–5, e.g. ระดับ 4")
    return Words(f"อ่านผล {quoted(value)} เป็นตัวเลขไม่ได้ ควรพิมพ์เช่น 85 หรือ ร้อยละ 85 (ถ้ายังไม่มีผลให้เว้นว่าง)",
            f"cannot read the result {quoted(value)} as a number; type e.g. 85 (leave it blank if none yet)")
