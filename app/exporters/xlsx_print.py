"""How a sheet prints: A4, landscape when wide, one page wide, the header rows repeated, and row
heights that fit their wrapped text (a row without a height can print over the next one).

Shared by xlsx_table (any list, openpyxl sheets, write-only ones too) and the streamed writer
(xlsx_stream, which takes a PageLayout).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.worksheet.properties import PageSetupProperties

PORTRAIT_MAX_CHARS = 95  # column widths (characters) a portrait A4 page holds at a readable scale
LINE_PT = 15.0  # one line of 11-12 pt text
PAD_CHARS = 1.5


@dataclass(frozen=True)
class PageLayout:
    """The print setup of a sheet, as the streamed writer (xlsx_stream) writes it."""

    orientation: str
    pages_wide: int = 1
    title_rows: str | None = "1:1"
    title_cols: str | None = None


def orientation_for(widths: Sequence[float]) -> str:
    return "landscape" if sum(widths) > PORTRAIT_MAX_CHARS else "portrait"


def page_layout(widths: Sequence[float], *, title_rows: str | None = "1:1", pages_wide: int = 1,
                title_cols: str | None = None, landscape: bool = False) -> PageLayout:
    """A4, one page wide (or `pages_wide`), landscape when wider than a portrait page (or asked)."""
    orientation = "landscape" if landscape else orientation_for(widths)
    return PageLayout(orientation, pages_wide, title_rows, title_cols)


def print_layout(sheet, widths: Sequence[float], *, title_rows: str = "1:1", pages_wide: int = 1,
                 title_cols: str | None = None) -> None:
    """A4, landscape when the columns are wider than a portrait page, fit to `pages_wide` pages
    across and as many down as needed, title rows (and columns) repeated on every page."""
    sheet.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4; write-only sheets lack the name)
    sheet.page_setup.orientation = orientation_for(widths)
    sheet.page_setup.fitToWidth = pages_wide
    sheet.page_setup.fitToHeight = 0
    properties = sheet.sheet_properties
    if properties.pageSetUpPr is None:
        properties.pageSetUpPr = PageSetupProperties()
    properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.print_title_rows = title_rows
    if title_cols:
        sheet.print_title_cols = title_cols


def lines_of(value, width: float) -> int:
    """Lines a wrapped value takes in a column `width` characters wide."""
    if value is None:
        return 1
    usable = max(1.0, width - PAD_CHARS)
    return sum(max(1, math.ceil(len(line) / usable)) for line in str(value).split("\n"))


def row_height(values: Sequence, widths: Sequence[float]) -> float | None:
    """The height (points) of a row of wrapped cells; None when one line is enough."""
    lines = max((lines_of(v, w) for v, w in zip(values, widths, strict=False)), default=1)
    return None if lines <= 1 else round(lines * LINE_PT, 1)
