"""The assignment matrix as .xlsx: tasks as rows, units as columns (C/P coloured by status).

Units in Vietnamese alphabetical order within their kind; both sheets print (A4 landscape, header
row repeated, wrapped text with row heights). The matrix prints one page wide up to 40 units and one
page per 30 units beyond (the task columns repeated), so marks stay legible.

Written by the streamed writer (xlsx_stream), not openpyxl cells: 36 tasks × 1.700 units and the
35.000 rows of "Chi tiết" took ~40 s cell by cell.
"""
from __future__ import annotations

import io
import math

from app.exporters.matrix_data import (
    ROLE_LEGEND,
    STATUS_CODES,
    STATUS_COLOURS,
    STATUS_LEGEND,
    MatrixData,
    MatrixUnit,
)
from app.exporters.xlsx_print import page_layout, row_height
from app.exporters.xlsx_stream import XlsxWriter
from app.formatting import vn_date

FONT = "Times New Roman"
FIRST_UNIT_COLUMN = 4  # STT, Nội dung, Thời gian, then one column per unit
HEADER_ROW = 4
TASK_WIDTHS = (6, 60, 16)
DETAIL_WIDTHS = (6, 60, 40, 10, 16, 8)
UNIT_WIDTH = 4.5
UNITS_PER_PRINTED_PAGE = 30


def export_matrix_xlsx(data: MatrixData) -> bytes:
    """Sheet "Ma trận" (frozen headers, printed landscape A4 with the header row repeated) and a
    "Chi tiết" sheet with one filterable row per assignment. User text is always a text cell."""
    out = io.BytesIO()
    book = XlsxWriter(out)
    units = data.ordered_units()  # Vietnamese collation: sorted once for both sheets
    _write_matrix(book, data, units)
    _write_detail(book, data, units)
    book.close()
    return out.getvalue()


def _write_matrix(book: XlsxWriter, data: MatrixData, units: list[MatrixUnit]) -> None:
    widths = [*TASK_WIDTHS, *([UNIT_WIDTH] * len(units))]
    pages = 1 if len(units) <= 40 else math.ceil(len(units) / UNITS_PER_PRINTED_PAGE)
    layout = page_layout(widths, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", pages_wide=pages,
                         title_cols="A:C" if pages > 1 else None, landscape=True)
    sheet = book.sheet("Ma trận", widths, freeze=f"D{HEADER_ROW + 1}", layout=layout)
    normal = book.style(font=FONT)
    sheet.row(["MA TRẬN PHÂN CÔNG NHIỆM VỤ"], book.style(font=FONT, bold=True, size=14))
    sheet.row([data.plan_label], normal)
    sheet.row([f"Cập nhật ngày {vn_date(data.built_on)}" if data.built_on else None],
              book.style(font=FONT, italic=True))
    header = dict(font=FONT, bold=True, border=True, horizontal="center", vertical="center", wrap=True)
    sheet.row(["STT", "Nội dung nhiệm vụ", "Thời gian", *(u.label for u in units)],
              [book.style(**header)] * 3 + [book.style(**header, rotation=90)] * len(units),
              height=150 if units else 30)
    text = book.style(font=FONT, border=True, vertical="top", wrap=True)
    empty = book.style(font=FONT, border=True, horizontal="center", vertical="center")
    marks = {key: book.style(font=FONT, bold=True, border=True, horizontal="center", vertical="center",
                             fill=colour) for key, colour in STATUS_COLOURS.items()}
    for task in data.tasks:
        values: list = [task.ref, task.content, task.time_text]
        styles = [text] * 3
        for unit in units:
            found = data.cells.get((task.id, unit.id))
            values.append(found.role if found else None)
            styles.append(marks.get(found.colour_key, marks["not_started"]) if found else empty)
        sheet.row(values, styles, height=row_height(values[:3], TASK_WIDTHS))
    sheet.row([])
    sheet.row([None, "Ghi chú: " + "; ".join(f"{code}: {label}" for code, label in ROLE_LEGEND.items())],
              [None, normal])
    for key, colour in STATUS_COLOURS.items():
        sheet.row([None, f"Màu ô: {STATUS_LEGEND[STATUS_CODES[key]]}"],
                  [None, book.style(font=FONT, fill=colour)])


def _write_detail(book: XlsxWriter, data: MatrixData, units: list[MatrixUnit]) -> None:
    """One filterable row per assignment: task, unit, role, status, overdue."""
    layout = page_layout(DETAIL_WIDTHS, landscape=True)
    sheet = book.sheet("Chi tiết", DETAIL_WIDTHS, layout=layout)
    sheet.row(["STT", "Nội dung nhiệm vụ", "Đơn vị", "Vai trò", "Trạng thái", "Quá hạn"],
              book.style(font=FONT, bold=True, vertical="top", wrap=True))
    wrapped = book.style(font=FONT, vertical="top", wrap=True)
    for task in data.tasks:
        for unit in units:
            found = data.cells.get((task.id, unit.id))
            if found:
                sheet.row([task.ref, task.content, unit.name, ROLE_LEGEND.get(found.role, found.role),
                           found.status_label, "Có" if found.overdue else ""], wrapped,
                          height=row_height([task.ref, task.content, unit.name], DETAIL_WIDTHS))
    sheet.autofilter = f"A1:F{sheet.rows}"
