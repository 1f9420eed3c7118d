"""Any number of rows as one .xlsx sheet, streamed: openpyxl write-only mode into a file, so memory
stays flat however long the list (the province's 30.000 overdue rows or a plan's 30.000 assignments).

Same cells as app/exporters/xlsx_table.py (text stays text, dates dd/mm/yyyy, timestamps in Vietnam
time), but the widths are given up front: a write-only sheet needs them before its first row, and
measuring them would mean holding every row.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import IO

from app.exporters.xlsx_table import _ILLEGAL, _cell_value, sheet_title

DEFAULT_WIDTH = 16


def write_xlsx(out: IO[bytes], title: str, headers: list[str], rows: Iterable[Sequence],
               widths: Sequence[int | None] | None = None, *, note: str | None = None) -> int:
    """Write headers and rows (any iterable, read once) to out as a one-sheet workbook; returns how
    many rows were written. `note`, if given, is a last line saying what the sheet leaves out."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for index in range(len(headers)):
        wanted = widths[index] if widths is not None and index < len(widths) else None
        sheet.column_dimensions[get_column_letter(index + 1)].width = wanted or DEFAULT_WIDTH
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(vertical="center", wrap_text=True)
    header_cells = []
    for text in headers:
        header = WriteOnlyCell(sheet, value=_ILLEGAL.sub("", text or ""))
        header.data_type, header.font, header.alignment = "s", bold, wrap
        header_cells.append(header)
    sheet.append(header_cells)

    def cell(raw):
        value, number_format = _cell_value(raw)
        if number_format is None and not (isinstance(value, str) and value[:1] in "=+-@"):
            return value  # a plain value: no cell object needed (most of them)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # "=…" stays text, never a formula
        if number_format:
            written.number_format = number_format
        return written

    count = 0
    for row in rows:
        sheet.append([cell(raw) for raw in row])
        count += 1
    last_column = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
    if note:
        sheet.append([note])
    workbook.save(out)
    return count


def xlsx_file(title: str, headers: list[str], rows: Iterable[Sequence],
              widths: Sequence[int | None] | None = None, *, note: str | None = None) -> IO[bytes]:
    """write_xlsx into a temporary file, rewound: the view hands it to send_file, which streams it
    and closes it (the file disappears on close)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by whoever streams it)
    try:
        write_xlsx(out, title, headers, rows, widths, note=note)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
