"""Thai lines broken between words, never inside one.

Thai is written without spaces between words, so a PDF writer that breaks lines at spaces cuts words in half
(`…พิจาร` / `ณา`).  PyThaiNLP's dictionary segmenter (newmm) finds the words; lines are then filled word by word
against the measured width, and handed to the writer already broken — nothing invisible is added to the text,
so what a reader copies or searches is exactly the words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable


@lru_cache(maxsize=4096)
def thai_words(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """`text` as lines no wider than `width` (as `measure` measures), broken between words; a word wider than a
    line on its own is the only thing ever cut."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in thai_words(paragraph) if paragraph else ():
            candidate = line + word
            if measure(candidate) <= width or not line.strip():
                line = candidate
                while measure(line) > width and len(line) > 1:  # one word longer than a whole line
                    cut = len(line) - 1
                    while cut > 1 and measure(line[:cut]) > width:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
                continue
            lines.append(line.rstrip())
            line = word.lstrip()
        lines.append(line.rstrip())
    return lines
