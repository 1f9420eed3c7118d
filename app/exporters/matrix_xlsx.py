"""The assignment matrix as .xlsx: tasks as rows, units as columns (C/P coloured by status).

Units in Vietnamese alphabetical order within their kind; both sheets print (A4 landscape, header
row repeated, wrapped text with row heights). The matrix prints one page wide up to 40 units and one
page per 30 units beyond (the task columns repeated), so marks stay legible.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.exporters.matrix_data import (
    ROLE_LEGEND,
    STATUS_CODES,
    STATUS_COLOURS,
    STATUS_LEGEND,
    MatrixCell,
    MatrixData,
)
from app.exporters.xlsx_print import print_layout, row_height
from app.formatting import vn_date

FONT = "Times New Roman"
FIRST_UNIT_COLUMN = 4  # STT, Nội dung, Thời gian, then one column per unit
HEADER_ROW = 4
TASK_WIDTHS = (6, 60, 16)
DETAIL_WIDTHS = (6, 60, 40, 10, 16, 8)
UNITS_PER_PRINTED_PAGE = 30


def _as_text(cell):
    """User text (task contents, unit names) is stored as text: "=…" never becomes a live formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _text_cell(sheet, row: int, column: int, value):
    return _as_text(sheet.cell(row=row, column=column, value=value))


def export_matrix_xlsx(data: MatrixData) -> bytes:
    """Sheet "Ma trận" (frozen headers, printed landscape A4 with the header row repeated) and a
    "Chi tiết" sheet with one filterable row per assignment."""
    book = Workbook()
    sheet = book.worksheets[0]  # the new workbook's one (active) sheet
    sheet.title = "Ma trận"
    styles = _Styles()
    _write_title(sheet, data, styles)
    _write_header(sheet, data, styles)
    _write_task_rows(sheet, data, styles)
    _lay_out_for_print(sheet, data)
    _write_legend(sheet, data, styles)
    _write_detail(book.create_sheet("Chi tiết"), data, styles)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _thin_border() -> Border:
    thin = Side(style="thin", color="999999")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def _status_fills() -> dict[str, PatternFill]:
    return {key: PatternFill("solid", fgColor=colour) for key, colour in STATUS_COLOURS.items()}


@dataclass
class _Styles:
    """The fonts, border, fills and alignment both sheets share."""

    border: Border = field(default_factory=_thin_border)
    bold: Font = field(default_factory=lambda: Font(name=FONT, bold=True))
    normal: Font = field(default_factory=lambda: Font(name=FONT))
    fills: dict[str, PatternFill] = field(default_factory=_status_fills)
    centre: Alignment = field(default_factory=lambda: Alignment(horizontal="center", vertical="center"))


def _write_title(sheet: Worksheet, data: MatrixData, styles: _Styles) -> None:
    sheet["A1"] = "MA TRẬN PHÂN CÔNG NHIỆM VỤ"
    sheet["A1"].font = Font(name=FONT, bold=True, size=14)
    sheet["A2"] = data.plan_label
    _as_text(sheet["A2"]).font = styles.normal
    if data.built_on:
        sheet["A3"] = f"Cập nhật ngày {vn_date(data.built_on)}"
        sheet["A3"].font = Font(name=FONT, italic=True)


def _write_header(sheet: Worksheet, data: MatrixData, styles: _Styles) -> None:
    """The header row: three task columns, then one unit name per column, written upwards."""
    headers = ["STT", "Nội dung nhiệm vụ", "Thời gian"] + [u.label for u in data.ordered_units()]
    for column, title in enumerate(headers, 1):
        cell = _text_cell(sheet, HEADER_ROW, column, title)
        cell.font, cell.border = styles.bold, styles.border
        rotate = 90 if column >= FIRST_UNIT_COLUMN else 0
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True, text_rotation=rotate
        )
    sheet.row_dimensions[HEADER_ROW].height = 150 if data.units else 30


def _write_task_rows(sheet: Worksheet, data: MatrixData, styles: _Styles) -> None:
    units = data.ordered_units()
    for offset, task in enumerate(data.tasks, 1):
        row = HEADER_ROW + offset
        values = (task.ref, task.content, task.time_text)
        for column, value in enumerate(values, 1):
            cell = _text_cell(sheet, row, column, value)
            cell.font, cell.border = styles.normal, styles.border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        height = row_height(values, TASK_WIDTHS)
        if height:
            sheet.row_dimensions[row].height = height
        for index, unit in enumerate(units):
            _write_role_cell(sheet, row, FIRST_UNIT_COLUMN + index, data.cell(task.id, unit.id), styles)


def _write_role_cell(sheet: Worksheet, row: int, column: int, found: MatrixCell | None,
                     styles: _Styles) -> None:
    """C or P in bold on the status colour; an empty bordered cell where the unit has no part."""
    cell = sheet.cell(row=row, column=column, value=found.role if found else None)
    cell.border, cell.alignment = styles.border, styles.centre
    if found:
        cell.font = styles.bold
        cell.fill = styles.fills.get(found.colour_key, styles.fills["not_started"])


def _lay_out_for_print(sheet: Worksheet, data: MatrixData) -> None:
    """Column widths, frozen headers, landscape A4 with the header row and task columns repeated."""
    for letter, width in zip("ABC", TASK_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    for index in range(len(data.units)):
        sheet.column_dimensions[get_column_letter(FIRST_UNIT_COLUMN + index)].width = 4.5
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=FIRST_UNIT_COLUMN).coordinate
    units = len(data.units)
    pages = 1 if units <= 40 else math.ceil(units / UNITS_PER_PRINTED_PAGE)
    print_layout(sheet, [*TASK_WIDTHS, *([4.5] * units)], title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
                 pages_wide=pages, title_cols="A:C" if pages > 1 else None)
    sheet.page_setup.orientation = "landscape"


def _write_legend(sheet: Worksheet, data: MatrixData, styles: _Styles) -> None:
    """Below the last task: what C and P mean, then one sample cell per status colour."""
    legend_row = HEADER_ROW + len(data.tasks) + 2
    sheet.cell(row=legend_row, column=2, value="Ghi chú: " + "; ".join(
        f"{code}: {label}" for code, label in ROLE_LEGEND.items())).font = styles.normal
    for offset, (key, _colour) in enumerate(STATUS_COLOURS.items(), 1):
        label = STATUS_LEGEND[STATUS_CODES[key]]
        cell = sheet.cell(row=legend_row + offset, column=2, value=f"Màu ô: {label}")
        cell.fill, cell.font = styles.fills[key], styles.normal


def _write_detail(detail: Worksheet, data: MatrixData, styles: _Styles) -> None:
    """One filterable row per assignment: task, unit, role, status, overdue."""
    detail.append(["STT", "Nội dung nhiệm vụ", "Đơn vị", "Vai trò", "Trạng thái", "Quá hạn"])
    wrapped = Alignment(vertical="top", wrap_text=True)
    for cell in detail[1]:
        cell.font, cell.alignment = styles.bold, wrapped
    units = {u.id: u for u in data.units}
    ordered = data.ordered_units()
    for task in data.tasks:
        for unit in ordered:
            found = data.cell(task.id, unit.id)
            if found:
                detail.append(
                    [
                        task.ref,
                        task.content,
                        units[unit.id].name,
                        ROLE_LEGEND.get(found.role, found.role),
                        found.status_label,
                        "Có" if found.overdue else "",
                    ]
                )
                for cell in detail[detail.max_row]:
                    _as_text(cell).alignment = wrapped
                height = row_height([task.ref, task.content, units[unit.id].name], DETAIL_WIDTHS)
                if height:
                    detail.row_dimensions[detail.max_row].height = height
    detail.auto_filter.ref = f"A1:F{max(1, detail.max_row)}"
    detail.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", DETAIL_WIDTHS, strict=True):
        detail.column_dimensions[letter].width = width
    print_layout(detail, DETAIL_WIDTHS)
    detail.page_setup.orientation = "landscape"
