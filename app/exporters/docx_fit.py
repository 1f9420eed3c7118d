"""Table column widths chosen from the content, so no cell breaks inside a word, a date or a ref.

Widths are estimated from Times New Roman's glyph widths (em fractions): each column gets at least
its longest unbreakable token ("15/01/2026", "1295/KH-SGDĐT", "VII") plus the cell padding, and the
rest of the text width goes to the columns with the most text. Refs and number ranges also get
non-breaking hyphens, so a renderer never breaks "20-59" or "KH-SGDĐT" at the hyphen.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

PT_MM = 25.4 / 72
CELL_PADDING_MM = 2 * 1.9 + 0.8  # Table Grid's left and right cell margins (0.08"), and a safety
NB_HYPHEN, NBSP = "\u2011", "\u00a0"
_NARROW = set("fijlrtI.,:;!'|()[]- /\u2011\u00a0")
_WIDE = set("mwMW%@")
_TOKEN = re.compile(r"[^\s]+")
_KEEP_HYPHEN = re.compile(r"(?<=[\w/])-(?=\w)")


def char_em(char: str) -> float:
    base = unicodedata.normalize("NFD", char)[:1] or char
    if base in _NARROW:
        return 0.3
    if base in _WIDE:
        return 0.85
    if base.isupper():
        return 0.7
    return 0.5


def text_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The printed width of one line of text (an estimate, slightly generous)."""
    em = sum(char_em(char) for char in text)
    return em * size_pt * PT_MM * (1.08 if bold else 1.0)


def longest_token_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    return max((text_mm(token, size_pt, bold=bold) for token in _TOKEN.findall(text)), default=0.0)


def keep_tokens(text: str) -> str:
    """Hyphens inside a ref or range become non-breaking ("1295/KH‑SGDĐT", "20‑59")."""
    return _KEEP_HYPHEN.sub(NB_HYPHEN, text)


def _line_mm(text: str, size_pt: float, bold: bool) -> float:
    return max((text_mm(line, size_pt, bold=bold) for line in text.split("\n")), default=0.0)


def fit_widths(headers: Sequence[str], rows: Iterable[Sequence], total_mm: float, *, size: float,
               bold_rows: Sequence[bool] = ()) -> list[float]:
    """Column widths (mm) summing to total_mm: each at least its longest token, the rest by text.
    bold_rows[i]: row i is printed in bold (a group row), so its tokens are wider."""
    count = len(headers)
    least = [longest_token_mm(h, size, bold=True) + CELL_PADDING_MM for h in headers]
    natural = list(least)  # headers may wrap between words
    for number, row in enumerate(rows):
        bold = number < len(bold_rows) and bold_rows[number]
        for index, value in enumerate(list(row)[:count]):
            text = "" if value is None else str(value)
            least[index] = max(least[index], longest_token_mm(text, size, bold=bold) + CELL_PADDING_MM)
            natural[index] = max(natural[index], _line_mm(text, size, bold) + CELL_PADDING_MM)
    spare = total_mm - sum(least)
    if spare <= 0:
        return [total_mm * width / sum(least) for width in least]
    wants = [max(0.0, n - m) for n, m in zip(natural, least, strict=True)]
    if sum(wants) <= spare:  # everything fits on one line: share the rest by natural width
        widths = [m + w for m, w in zip(least, wants, strict=True)]
        rest = total_mm - sum(widths)
        return [width + rest * width / sum(widths) for width in widths]
    # water-filling: open columns share the spare width by the square root of what they want (long
    # texts get more, short columns are not starved); a column offered all it wants takes it and closes
    widths = list(least)
    open_columns = [i for i in range(count) if wants[i] > 0]
    while open_columns and spare > 0.01:
        weight = sum(math.sqrt(wants[i]) for i in open_columns)
        offers = {i: spare * math.sqrt(wants[i]) / weight for i in open_columns}
        full = [i for i in open_columns if wants[i] <= offers[i]]
        if not full:
            for i in open_columns:
                widths[i] += offers[i]
            break
        for i in full:
            widths[i] += wants[i]
            spare -= wants[i]
            open_columns.remove(i)
    return widths
