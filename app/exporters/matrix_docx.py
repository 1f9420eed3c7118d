"""The assignment matrix as .docx: the Nghị định 30 page (landscape A4, margins 20/20/30/15 mm,
page numbers from page 2), text of 9-10 pt, header rows repeated on each page.

A landscape page holds the two task columns and about 20 unit columns at a readable size, so:
up to UNITS_AS_COLUMNS units, tasks are rows and the units are split over several tables of at most
MAX_MARK_COLUMNS columns, the task columns repeated in each; beyond that, units become the rows and
the tasks the columns (again at most MAX_MARK_COLUMNS per table), with a key of the tasks after the
matrix. Rotated unit headings get an explicit row height (LibreOffice and Word draw nothing in a
rotated cell of a row without one), and marks never wrap a letter per line (narrow cell margins,
w:noWrap).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.exporters import docx_admin
from app.exporters.docx_fit import text_mm
from app.exporters.matrix_data import (
    ROLE_LEGEND,
    STATUS_COLOURS,
    STATUS_LEGEND,
    MatrixCell,
    MatrixData,
    MatrixTask,
    MatrixUnit,
)
from app.formatting import vn_date, vn_number

TEXT_PT, MARK_PT, STATUS_PT = 10, 10, 9
MAX_MARK_COLUMNS = 20  # unit (or task) columns per table
UNITS_AS_COLUMNS = 40  # more units than this: units become the rows
REF_MM, TASK_MM, UNIT_NAME_MM = 13, 70, 62
HEADING_MIN_MM, HEADING_MAX_MM = 18, 70
WORD_MAX_COLUMNS = 63  # kept for callers: Word's limit, far above what a page holds now


def _chunks(items: Sequence, most: int) -> list[Sequence]:
    """Equal slices of at most `most` (45 units: 15 + 15 + 15, not 20 + 20 + 5)."""
    if not items:
        return [items]
    parts = math.ceil(len(items) / most)
    size = math.ceil(len(items) / parts)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _tr_pr_child(row, tag: str, **attrs) -> None:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    row._tr.get_or_add_trPr().append(element)


def _tc_pr_child(cell, element) -> None:
    cell._tc.get_or_add_tcPr().append(element)


def _narrow_margins(cell) -> None:
    margins = OxmlElement("w:tcMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "28")  # 0,5 mm
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    _tc_pr_child(cell, margins)


def _no_wrap(cell) -> None:
    _tc_pr_child(cell, OxmlElement("w:noWrap"))


def _vertical(cell) -> None:
    direction = OxmlElement("w:textDirection")
    direction.set(qn("w:val"), "btLr")
    _tc_pr_child(cell, direction)
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "center")
    _tc_pr_child(cell, align)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    _tc_pr_child(cell, shading)


def _write(cell, text: str, size: float, *, bold=False, centre=False) -> None:
    para = cell.paragraphs[0]
    para.paragraph_format.space_after = Pt(0)
    if centre:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold, run.font.size = bold, Pt(size)


def _mark(cell, found: MatrixCell | None) -> None:
    """C/P in bold, the status code on a second line, on the status colour; never wrapped."""
    _narrow_margins(cell)
    _no_wrap(cell)
    if found is None:
        return
    _write(cell, found.role, MARK_PT, bold=True, centre=True)
    if found.status_code:
        para = cell.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(0)
        para.add_run(found.status_code).font.size = Pt(STATUS_PT)
    _shade(cell, STATUS_COLOURS.get(found.colour_key, "FFFFFF"))


def heading_height_mm(labels: Sequence[str], column_mm: float) -> float:
    """The row height a rotated heading needs: its longest label, on as many lines as the column
    holds, within [HEADING_MIN_MM, HEADING_MAX_MM]."""
    lines = max(1, int((column_mm - 1) // (TEXT_PT * 0.3528 * 1.2)))
    longest = max((text_mm(label, TEXT_PT, bold=True) for label in labels), default=0)
    return min(HEADING_MAX_MM, max(HEADING_MIN_MM, longest / lines + 4))


def _table(document, headers: list[str], widths_mm: list[float], rows: list[list], *, fixed: int,
           rotate: bool):
    """rows: lists whose first `fixed` items are text, the rest MatrixCell/None (a mark) or text
    (a total)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid (LibreOffice reads it); cells get tcW below (Word)
    header = table.rows[0]
    docx_admin.repeat_header(header)
    _tr_pr_child(header, "w:cantSplit", val="true")
    if rotate:
        height = heading_height_mm(headers[fixed:], min(widths_mm[fixed:], default=10))
        _tr_pr_child(header, "w:trHeight", val=str(round(height * 56.7)), hRule="atLeast")
    for index, (cell, title) in enumerate(zip(header.cells, headers, strict=True)):
        cell.width = Mm(widths_mm[index])
        _write(cell, title, TEXT_PT, bold=True, centre=True)
        if index >= fixed:
            _narrow_margins(cell)
            if rotate:
                _vertical(cell)
    for values in rows:
        row = table.add_row()
        _tr_pr_child(row, "w:cantSplit", val="true")
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Mm(widths_mm[index])
            if isinstance(value, str) and index < fixed:
                _write(cell, value, TEXT_PT, centre=index == 0, bold=values[0] == "")
            elif isinstance(value, str):  # a total
                _narrow_margins(cell)
                _write(cell, value, STATUS_PT, bold=True, centre=True)
            else:
                _mark(cell, value)
    return table


def _legend(document) -> None:
    roles = "; ".join(f"{code}: {label}" for code, label in ROLE_LEGEND.items())
    states = "; ".join(f"{code}: {label}" for code, label in STATUS_LEGEND.items())
    docx_admin.paragraph(document, f"Ghi chú: {roles}. Trạng thái: {states}.", italic=True, size=TEXT_PT)


def _total(counts: dict[str, int]) -> str:
    return f"{counts['C']}C\n{counts['P']}P" if counts["C"] or counts["P"] else ""


def _tasks_as_rows(document, data: MatrixData, units: list[MatrixUnit], usable: float) -> None:
    slices = _chunks(units, MAX_MARK_COLUMNS)
    for number, part in enumerate(slices, 1):
        if len(slices) > 1:
            docx_admin.paragraph(document, f"Bảng {number}/{len(slices)}: đơn vị {units.index(part[0]) + 1}"
                                 f"–{units.index(part[-1]) + 1}", italic=True, align="center", size=TEXT_PT)
        unit_mm = (usable - REF_MM - TASK_MM) / max(len(part), 1)
        unit_mm = min(unit_mm, 20)
        task_mm = usable - REF_MM - unit_mm * len(part)
        headers = ["STT", "Nội dung nhiệm vụ"] + [u.label for u in part]
        rows: list[list] = [[t.ref, t.content] + [data.cell(t.id, u.id) for u in part] for t in data.tasks]
        rows.append(["", "Tổng số (C: chủ trì, P: phối hợp)"] + [_total(data.role_counts(unit_id=u.id))
                                                                for u in part])
        _table(document, headers, [REF_MM, task_mm] + [unit_mm] * len(part), rows, fixed=2, rotate=True)
        docx_admin.paragraph(document, "", space_after=6)


def _units_as_rows(document, data: MatrixData, units: list[MatrixUnit], usable: float) -> None:
    slices = _chunks(data.tasks, MAX_MARK_COLUMNS)
    for number, part in enumerate(slices, 1):
        if len(slices) > 1:
            docx_admin.paragraph(document, f"Bảng {number}/{len(slices)}: nhiệm vụ {part[0].ref}"
                                 f"–{part[-1].ref}", italic=True, align="center", size=TEXT_PT)
        task_mm = min((usable - REF_MM - UNIT_NAME_MM) / max(len(part), 1), 20)
        name_mm = usable - REF_MM - task_mm * len(part)
        headers = ["STT", "Đơn vị"] + [f"NV\n{t.ref}" for t in part]
        rows: list[list] = [[str(n), u.name] + [data.cell(t.id, u.id) for t in part]
                            for n, u in enumerate(units, 1)]
        rows.append(["", "Tổng số (C: chủ trì, P: phối hợp)"] + [_total(data.role_counts(task_id=t.id))
                                                                for t in part])
        _table(document, headers, [REF_MM, name_mm] + [task_mm] * len(part), rows, fixed=2, rotate=False)
        docx_admin.paragraph(document, "", space_after=6)
    docx_admin.paragraph(document, "Các nhiệm vụ:", bold=True)
    for task in data.tasks:
        _task_key(document, task)


def _task_key(document, task: MatrixTask) -> None:
    docx_admin.paragraph(document, f"NV {task.ref}: {task.content}", size=11)


def export_matrix_docx(data: MatrixData, *, max_columns: int = WORD_MAX_COLUMNS) -> bytes:
    """max_columns (Word's limit) is kept for callers; the page, not Word, sets the layout now."""
    document = docx_admin.new_document(landscape=True)
    docx_admin.paragraph(document, "MA TRẬN PHÂN CÔNG NHIỆM VỤ", bold=True, align="center", size=14)
    docx_admin.paragraph(document, data.plan_label, align="center")
    if data.built_on:
        docx_admin.paragraph(document, f"(Cập nhật ngày {vn_date(data.built_on)})", italic=True,
                             align="center")
    units = data.ordered_units()
    counts = data.counts()
    docx_admin.paragraph(
        document,
        f"Gồm {vn_number(len(data.tasks))} nhiệm vụ, {vn_number(len(units))} đơn vị; "
        f"{vn_number(counts['C'])} lượt chủ trì (C), {vn_number(counts['P'])} lượt phối hợp (P).",
        italic=True, align="center", space_after=6, size=TEXT_PT + 1,
    )
    usable = docx_admin.usable_width_mm(document)
    if len(units) <= min(UNITS_AS_COLUMNS, max_columns - 2):
        _tasks_as_rows(document, data, units, usable)
    else:
        _units_as_rows(document, data, units, usable)
    _legend(document)
    docx_admin.set_properties(document, docx_admin.Letterhead(organisation=data.organisation),
                              "Ma trận phân công nhiệm vụ")
    return docx_admin.to_bytes(document)
