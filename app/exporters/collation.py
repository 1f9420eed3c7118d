"""Vietnamese alphabetical order for unit names: Đ right after D, tones only as a tie-breaker.

Python's default order puts "Đ" (U+0110) after every Latin letter and sorts by code points, so
"Trường THPT Đồ Sơn" lands after "Trường THPT Vĩnh Bảo". The key folds diacritics (a, ă, â compare
equal at first), keeps đ as the letter after d, compares digit runs as numbers ("Số 2" before
"Số 10"), then breaks ties by the vowel marks and tones in dictionary order.
"""
from __future__ import annotations

import re
import unicodedata

_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_RUNS = re.compile(r"\d+|\D")


def _letters(text: str):
    """(base letter, vowel mark rank, tone rank) for each letter of the NFD text."""
    out: list[list] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if out and unicodedata.combining(char):
            out[-1][1] += _MARKS.get(char, 0)
            out[-1][2] += _TONES.get(char, 0)
        else:
            out.append([char, 0, 0])
    return out


def vn_sort_key(text: str | None) -> tuple:
    """A key for sorted(): Vietnamese alphabetical order (see the module docstring)."""
    letters = _letters(" ".join((text or "").split()))
    folded = "".join(base for base, _mark, _tone in letters)
    primary: list[tuple[int, float]] = []
    for run in _RUNS.findall(folded):
        if run.isdigit():
            primary.append((0, int(run)))
        else:
            primary.append((1, ord("d") + 0.5 if run == "đ" else ord(run)))
    secondary = tuple((mark, tone) for _base, mark, tone in letters)
    return tuple(primary), secondary, text or ""
