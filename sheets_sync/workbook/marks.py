"""The marks `validate --write` puts on a cell, which keep what the cell had: a staff member's note and colour
are carried inside the mark and given back when the mark is cleared, on every backend.

A mark is a note whose first line is `⚑ sheets-sync`, then (as JSON) the colour and note author the cell had;
then the problem; then, below a rule, the cell's own note.  Marks written before this (no JSON, no rule) still
read as marks that kept nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sheets_sync.domain import palette

MARK_HEAD = "⚑ sheets-sync"
MARK_COLOUR = palette.MARK
_RULE = "\n\n— หมายเหตุเดิมของเซลล์นี้ / this cell's own note —\n"


@dataclass(frozen=True)
class Kept:
    """What a cell had before it was marked."""

    note: str | None = None
    fill: str | None = None  # "RRGGBB"
    author: str | None = None


def is_mark(note: str | None) -> bool:
    return bool(note) and str(note).startswith(MARK_HEAD)


def mark_note(problem: str, kept: Kept) -> str:
    saved = {k: v for k, v in (("fill", kept.fill), ("author", kept.author)) if v}
    head = MARK_HEAD + (" " + json.dumps(saved, ensure_ascii=False) if saved else "")
    return head + "\n" + problem + (_RULE + kept.note if kept.note else "")


def kept_by(note: str) -> Kept:
    """What a mark kept, to give back when it is cleared."""
    head, _, rest = note.partition("\n")
    saved: dict = {}
    extra = head[len(MARK_HEAD):].strip()
    if extra:
        try:
            loaded = json.loads(extra)
            saved = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            saved = {}
    _, rule, own = rest.partition(_RULE)
    return Kept(own if rule else None, saved.get("fill"), saved.get("author"))


def before_marking(note: str | None, fill: str | None, author: str | None = None) -> Kept:
    """What a cell has that a new mark must keep: if it is marked already, what that mark kept."""
    if note and is_mark(note):
        return kept_by(note)
    return Kept(note or None, fill if fill and fill.upper() != MARK_COLOUR else None, author)
