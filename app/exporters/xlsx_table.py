"""Any list as one .xlsx sheet: bold frozen header, autofilter, real dates (dd/mm/yyyy), and a print
layout (one page wide, landscape when wide, header repeated, wrapped text with row heights)."""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from app.exporters.xlsx_print import print_layout, row_height
from app.formatting import to_local

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters the XML of a sheet cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, not empty."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", title or "").strip().strip("'")
    return cleaned[:31].strip() or "Sheet1"


def _cell_value(value):
    """Turn a Python value into (value, number_format or None) as Excel should store it."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("Có" if value else "Không"), None
    if isinstance(value, dt.datetime):
        # a timestamp (naive = UTC); Excel has no time zones: write the office's local time
        value = to_local(value).replace(tzinfo=None)
        if value.time() == dt.time(0, 0):
            return value, DATE_FORMAT
        return value, DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    if isinstance(value, int | float | Decimal):
        return value, None
    return _ILLEGAL.sub("", str(value)), None


def _shown(value):
    """What a cell shows, for its line count (dates are one line)."""
    return None if isinstance(value, dt.date) else value


def _width_of(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max((len(line) for line in text.split("\n")), default=0)


def _lay_out(sheet, headers: list[str], converted: list[list], measured: list[int],
             widths: Sequence[int | None] | None) -> None:
    """Column widths, frozen header, print layout and the row heights of wrapped text."""
    from openpyxl.utils import get_column_letter

    column_widths: list[float] = []
    for index, natural in enumerate(measured):
        wanted = widths[index] if widths is not None and index < len(widths) else None
        width = wanted if wanted else min(max(natural + 2, MIN_WIDTH), MAX_WIDTH)
        column_widths.append(width)
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    print_layout(sheet, column_widths)
    for number, cells in enumerate([[(h, None) for h in headers], *converted], 1):
        height = row_height([_shown(value) for value, _format in cells], column_widths)
        if height:
            sheet.row_dimensions[number].height = height


def table_to_xlsx(title: str, headers: list[str], rows: Iterable[Sequence],
                  widths: Sequence[int | None] | None = None) -> bytes:
    """Write headers and rows to a one-sheet workbook and return its bytes.

    Strings are always stored as text (a name starting with "=" never becomes a formula); dates are
    real dates shown dd/mm/yyyy; datetimes are timestamps (naive = UTC) written in Asia/Ho_Chi_Minh
    time. Widths default to the longest value of each column (bounded).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    bold = Font(bold=True)
    header_alignment = Alignment(vertical="center", wrap_text=True)
    wrapped = Alignment(vertical="top", wrap_text=True)

    # write_only sheets need column widths before the first row, so buffer the converted rows.
    converted: list[list] = []
    measured = [len(h or "") for h in headers]
    for row in rows:
        cells = []
        for index, raw in enumerate(row):
            value, number_format = _cell_value(raw)
            cells.append((value, number_format))
            if index < len(measured):
                measured[index] = max(measured[index], _width_of(value))
            else:
                measured.append(_width_of(value))
        converted.append(cells)

    _lay_out(sheet, headers, converted, measured, widths)

    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=_ILLEGAL.sub("", text or ""))
        cell.data_type = "s"
        cell.font = bold
        cell.alignment = header_alignment
        header_cells.append(cell)
    sheet.append(header_cells)

    for cells in converted:
        out = []
        for value, number_format in cells:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if number_format:
                cell.number_format = number_format
            elif isinstance(value, str):
                cell.alignment = wrapped
            out.append(cell)
        sheet.append(out)

    last_column = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last_column}{len(converted) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
