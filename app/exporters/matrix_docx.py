"""The assignment matrix as .docx: landscape A4, Times New Roman, header row repeated on each page.

Word tables hold at most 63 columns. While the units fit (STT + task + units ≤ max_columns) tasks are
rows and units columns; otherwise units become the rows and tasks the columns (split into several
tables when even the tasks do not fit), with a key of the tasks after the matrix.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from app.exporters.matrix_data import ROLE_LEGEND, STATUS_COLOURS, STATUS_LEGEND, MatrixCell, MatrixData
from app.formatting import vn_date

FONT = "Times New Roman"
WORD_MAX_COLUMNS = 63
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(29.7), Cm(21.0), Cm(1.5)


def _set_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _shade(cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    tc_pr.append(shading)


def _vertical(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    direction = OxmlElement("w:textDirection")
    direction.set(qn("w:val"), "btLr")
    tc_pr.append(direction)


def _write(cell, text: str, size: float, *, bold=False, centre=False, small: str | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    if small:
        extra = paragraph.add_run("\n" + small)
        extra.font.size = Pt(max(5, size - 2))


def _mark(cell, found: MatrixCell | None, size: float) -> None:
    if found is None:
        return
    _write(cell, found.role, size, bold=True, centre=True, small=found.status_code)
    _shade(cell, STATUS_COLOURS.get(found.colour_key, "FFFFFF"))


def _table(document, headers: list[str], widths: list, rows: list[list], *, vertical_from: int, size: float):
    """rows: lists whose items are str (text) or MatrixCell/None (a mark)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid (LibreOffice reads it); cells get tcW below (Word)
    header = table.rows[0]
    _repeat_header(header)
    for index, (cell, title) in enumerate(zip(header.cells, headers, strict=True)):
        cell.width = widths[index]
        _write(cell, title, size, bold=True, centre=True)
        if index >= vertical_from:
            _vertical(cell)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[index]
            if isinstance(value, str):
                _write(cell, value, size, centre=index == 0)
            else:
                _mark(cell, value, size)
    return table


def _legend(document, size: float) -> None:
    roles = "; ".join(f"{code}: {label}" for code, label in ROLE_LEGEND.items())
    states = "; ".join(f"{code}: {label}" for code, label in STATUS_LEGEND.items())
    paragraph = document.add_paragraph()
    run = paragraph.add_run(f"Ghi chú: {roles}. Trạng thái: {states}.")
    run.italic, run.font.size = True, Pt(size)


def export_matrix_docx(data: MatrixData, *, max_columns: int = WORD_MAX_COLUMNS) -> bytes:
    max_columns = min(max_columns, WORD_MAX_COLUMNS)
    document = Document()
    _set_font(document)
    _landscape(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("MA TRẬN PHÂN CÔNG NHIỆM VỤ")
    run.bold, run.font.size = True, Pt(14)
    subtitle = document.add_paragraph(data.plan_label)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if data.built_on:
        dated = document.add_paragraph()
        dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
        dated.add_run(f"(Cập nhật ngày {vn_date(data.built_on)})").italic = True
    usable = PAGE_WIDTH - 2 * MARGIN

    if len(data.units) + 2 <= max_columns:
        # tasks as rows, units as columns
        size = 10 if len(data.units) <= 12 else 7
        fixed = [Cm(1.0), Cm(7.0)]
        unit_width = int((usable - sum(fixed)) / max(1, len(data.units)))
        headers = ["STT", "Nội dung nhiệm vụ"] + [u.label for u in data.units]
        rows = [[t.ref, t.content] + [data.cell(t.id, u.id) for u in data.units] for t in data.tasks]
        _table(document, headers, fixed + [unit_width] * len(data.units), rows, vertical_from=2, size=size)
    else:
        # units as rows, tasks as columns, in slices that Word accepts
        per_table = max_columns - 2
        fixed = [Cm(1.0), Cm(6.0)]
        for start in range(0, max(1, len(data.tasks)), per_table):
            tasks = data.tasks[start:start + per_table]
            size = 9 if len(tasks) <= 20 else 7
            task_width = int((usable - sum(fixed)) / max(1, len(tasks)))
            headers = ["STT", "Đơn vị"] + [f"NV {t.ref}" for t in tasks]
            rows = [[str(n), u.name] + [data.cell(t.id, u.id) for t in tasks]
                    for n, u in enumerate(data.units, 1)]
            _table(document, headers, fixed + [task_width] * len(tasks), rows, vertical_from=99, size=size)
            document.add_paragraph()
        key = document.add_paragraph()
        key.add_run("Các nhiệm vụ:").bold = True
        for task in data.tasks:
            item = document.add_paragraph(f"NV {task.ref}: {task.content}")
            item.paragraph_format.space_after = Pt(0)
            for r in item.runs:
                r.font.size = Pt(11)
    _legend(document, 10)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
