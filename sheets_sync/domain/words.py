"""What the tool says, always in Thai first and English alongside: one type for the pair, one base for the errors
that carry it."""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    th: str
    en: str


class Bilingual(Exception):
    """An error that says itself in Thai and English; `str()` gives both, Thai first."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th, self.en = th, en

    @property
    def words(self) -> Words:
        return Words(self.th, self.en)
