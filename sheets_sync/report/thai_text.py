"""Thai lines broken between words, never inside one.

Thai is written without spaces between words, so a PDF writer that breaks lines at spaces cuts words in half
(`…พิจาร` / `ณา`).  PyThaiNLP's dictionary segmenter (newmm) finds the words; lines are then filled word by word
against the measured width, and handed to the writer already broken — nothing invisible is added to the text,
so what a reader copies or searches is exactly the words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from sheets_sync.domain.thai import MONTHS_LONG, MONTHS_SHORT

# Words of these documents the general dictionary splits in two, so a line could end inside them
# (`ผู้ทำ` / `คำรับรอง`): one word each here.
DOCUMENT_WORDS = frozenset({
    "ผู้ทำคำรับรอง", "ผู้รับคำรับรอง", "คำรับรองการปฏิบัติราชการ", "ผลการปฏิบัติราชการ", "ค่าเป้าหมาย",
    "เกณฑ์การให้คะแนน", "สำนักงานเขตพื้นที่การศึกษา", "ประถมศึกษา", "มัธยมศึกษา", "ปีงบประมาณ", "ผู้อำนวยการ",
    "ตัวชี้วัด", "คะแนนถ่วงน้ำหนัก", "ผลคะแนนเฉลี่ยถ่วงน้ำหนัก", "ยังไม่ผ่านการรับรอง", "ชำนาญการ", "ชำนาญการพิเศษ",
    "ปฏิบัติการ", "เชี่ยวชาญ", "ผู้รับผิดชอบ", "ผู้กำกับดูแล",
})
_MONTH = "|".join(re.escape(m) for m in (*MONTHS_LONG, *MONTHS_SHORT))
# Spans a line never breaks inside: an e-mail, a link, a date (1 ตุลาคม 2569), พ.ศ. and its year, a level, a
# person's full name, a school's name.
_TOGETHER = re.compile(rf"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+"  # an e-mail or a link: never split
                       rf"|\d{{1,2}} (?:{_MONTH}) \d{{4}}|พ\.ศ\. \d{{4}}|ระดับ \d|เขต \d+"
                       r"|\(?(?:นางสาว|นาย|นาง)\S+ \S+|โรงเรียน\S+")


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    from pythainlp.corpus import thai_words as general
    from pythainlp.util import dict_trie

    return dict_trie(set(general()) | DOCUMENT_WORDS)


@lru_cache(maxsize=4096)
def thai_words(text: str) -> tuple[str, ...]:
    """The words of `text` and the spaces between them; a date, a name or a level stays one piece."""
    from pythainlp.tokenize import word_tokenize

    pieces: list[str] = []
    start = 0
    for kept in _TOGETHER.finditer(text):
        if kept.start() > start:
            pieces += word_tokenize(text[start:kept.start()], custom_dict=_dictionary(), engine="newmm",
                                    keep_whitespace=True)
        pieces.append(kept.group())
        start = kept.end()
    if start < len(text):
        pieces += word_tokenize(text[start:], custom_dict=_dictionary(), engine="newmm", keep_whitespace=True)
    return tuple(pieces)


@lru_cache(maxsize=4096)
def _finer(word: str) -> tuple[str, ...]:
    """A kept piece in the general dictionary's smaller words: where a compound or a date wider than a line breaks."""
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(word, engine="newmm", keep_whitespace=True))


def _longest_fitting(text: str, width: float, measure: Callable[[str], float]) -> int:
    """How many of `text`'s first characters fit `width` (at least one): a binary search, so a 3,000-character
    word is cut in a few dozen measurements a line, not thousands."""
    low, high = 1, len(text) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """`text` as lines no wider than `width` (as `measure` measures), broken between words; a compound or a date
    wider than a line breaks between its own words, and a single word wider than a line is the only thing cut."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        queue = list(thai_words(paragraph)) if paragraph else []
        while queue:
            word = queue.pop(0)
            if measure(word.strip()) > width and len(finer := _finer(word)) > 1:
                queue[0:0] = finer
                continue
            candidate = line + word
            if measure(candidate) <= width or not line.strip():
                line = candidate
            else:
                lines.append(line.rstrip())
                line = word.lstrip()
            while measure(line) > width and len(line) > 1:  # one word longer than a whole line
                cut = _longest_fitting(line, width, measure)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


ZERO_WIDTH_SPACE = "\u200b"
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def breakable(text: str) -> str:
    """`text` with a zero-width space where a line may break between two Thai words (for Word, which otherwise
    breaks Thai wherever a line runs out); nothing is added beside a real space or inside a kept group."""
    if not _THAI.search(text):
        return text
    out: list[str] = []
    for paragraph in text.split("\n"):
        words = thai_words(paragraph) if paragraph else ()
        pieces = [words[0]] if words else []
        for before, word in zip(words, words[1:]):
            if not before[-1:].isspace() and not word[:1].isspace() and _THAI.search(before[-1:] + word[:1]):
                pieces.append(ZERO_WIDTH_SPACE)
            pieces.append(word)
        out.append("".join(pieces))
    return "\n".join(out)
