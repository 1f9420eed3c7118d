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

import io
import math
import zipfile
from collections.abc import Sequence

from app.exporters import docx_admin
from app.exporters import docx_table_xml as table_xml
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
NONE = {"C": 0, "P": 0}
COMPRESSION = 1  # zlib level of the rewritten package: level 6 costs ~3 × the time for ~20% fewer bytes
TOTAL_LABEL = "Tổng số (C: chủ trì, P: phối hợp)"
WORD_MAX_COLUMNS = 63  # kept for callers: Word's limit, far above what a page holds now


def _chunks(items: Sequence, most: int) -> list[Sequence]:
    """Equal slices of at most `most` (45 units: 15 + 15 + 15, not 20 + 20 + 5)."""
    if not items:
        return [items]
    parts = math.ceil(len(items) / most)
    size = math.ceil(len(items) / parts)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _mark(width: int, found: MatrixCell | None) -> str:
    """C/P in bold, the status code on a second line, on the status colour; never wrapped."""
    if found is None:
        return table_xml.cell(width, "", no_wrap=True, narrow=True)
    body = table_xml.para(found.role, MARK_PT, bold=True, centre=True)
    if found.status_code:
        body += table_xml.para(found.status_code, STATUS_PT, bold=None, centre=True)
    return table_xml.cell(width, body, shade=STATUS_COLOURS.get(found.colour_key, "FFFFFF"), no_wrap=True,
                          narrow=True)


def heading_height_mm(labels: Sequence[str], column_mm: float) -> float:
    """The row height a rotated heading needs: its longest label, on as many lines as the column
    holds, within [HEADING_MIN_MM, HEADING_MAX_MM]."""
    lines = max(1, int((column_mm - 1) // (TEXT_PT * 0.3528 * 1.2)))
    longest = max((text_mm(label, TEXT_PT, bold=True) for label in labels), default=0)
    return min(HEADING_MAX_MM, max(HEADING_MIN_MM, longest / lines + 4))


def _table(document, tables: list[str], headers: list[str], widths_mm: list[float], rows: list[list], *,
           fixed: int, rotate: bool) -> None:
    """rows: lists whose first `fixed` items are text, the rest MatrixCell/None (a mark) or text
    (a total). The w:tbl is built as one string, with the look "Table Grid" gives it, and put in
    place of a placeholder paragraph when the file is written (_put_tables): python-docx's
    cell-by-cell API needs ~16 s for 1.700 rows, and even parsing the string into the document's
    tree costs seconds (lxml re-homes every node of a moved subtree)."""
    widths = table_xml.twips(widths_mm)
    marks: dict[tuple, str] = {}
    parts = [table_xml.table_start(widths)]
    height = ""
    if rotate:
        mm = heading_height_mm(headers[fixed:], min(widths_mm[fixed:], default=10))
        height = f'<w:trHeight w:val="{round(mm * 56.7)}" w:hRule="atLeast"/>'
    parts.append(table_xml.row_start(cant_split=True, header=True, height=height))
    for index, title in enumerate(headers):
        parts.append(table_xml.cell(widths[index], table_xml.para(title, TEXT_PT, bold=True, centre=True),
                                    narrow=index >= fixed, vertical=rotate and index >= fixed))
    parts.append("</w:tr>")
    for values in rows:
        parts.append(table_xml.row_start(cant_split=True))
        total_row = values[0] == ""
        for index, value in enumerate(values):
            if isinstance(value, str) and index < fixed:
                text = table_xml.para(value, TEXT_PT, bold=total_row, centre=index == 0)
                parts.append(table_xml.cell(widths[index], text))
            elif isinstance(value, str):  # a total
                total = table_xml.para(value, STATUS_PT, bold=True, centre=True)
                parts.append(table_xml.cell(widths[index], total, narrow=True))
            else:  # 61.000 marks of a few kinds: each kind's XML built once
                key = (widths[index], value and (value.role, value.status_code, value.colour_key))
                if key not in marks:
                    marks[key] = _mark(widths[index], value)
                parts.append(marks[key])
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    document.add_paragraph().add_run(_placeholder(len(tables)))
    tables.append("".join(parts))


def _placeholder(number: int) -> str:
    return f"TDNV-MATRIX-TABLE-{number}"


def _put_tables(docx: bytes, tables: list[str]) -> bytes:
    """The document with each placeholder paragraph replaced by its table's XML, written into the
    new package piece by piece (the document around the tables is small; no joined copy of it)."""
    source, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
                continue
            rest = source.read(item).decode("utf-8")
            with target.open(item.filename, "w") as entry:
                for number, table in enumerate(tables):
                    marker = f"<w:p><w:r><w:t>{_placeholder(number)}</w:t></w:r></w:p>"
                    before, found, rest = rest.partition(marker)
                    if not found:
                        raise RuntimeError(f"matrix table {number}: its placeholder is missing")
                    entry.write(before.encode("utf-8"))
                    entry.write(table.encode("utf-8"))
                    tables[number] = ""  # written: let it go
                entry.write(rest.encode("utf-8"))
    return out.getvalue()


def _legend(document) -> None:
    roles = "; ".join(f"{code}: {label}" for code, label in ROLE_LEGEND.items())
    states = "; ".join(f"{code}: {label}" for code, label in STATUS_LEGEND.items())
    docx_admin.paragraph(document, f"Ghi chú: {roles}. Trạng thái: {states}.", italic=True, size=TEXT_PT)


def _total(counts: dict[str, int]) -> str:
    return f"{counts.get('C', 0)}C\n{counts.get('P', 0)}P" if counts.get("C") or counts.get("P") else ""


def _tasks_as_rows(document, tables: list[str], data: MatrixData, units: list[MatrixUnit],
                   usable: float) -> None:
    slices = _chunks(units, MAX_MARK_COLUMNS)
    totals = data.role_totals("unit")
    for number, part in enumerate(slices, 1):
        if len(slices) > 1:
            docx_admin.paragraph(document, f"Bảng {number}/{len(slices)}: đơn vị {units.index(part[0]) + 1}"
                                 f"–{units.index(part[-1]) + 1}", italic=True, align="center", size=TEXT_PT)
        unit_mm = (usable - REF_MM - TASK_MM) / max(len(part), 1)
        unit_mm = min(unit_mm, 20)
        task_mm = usable - REF_MM - unit_mm * len(part)
        headers = ["STT", "Nội dung nhiệm vụ"] + [u.label for u in part]
        rows: list[list] = [[t.ref, t.content] + [data.cell(t.id, u.id) for u in part] for t in data.tasks]
        rows.append(["", TOTAL_LABEL] + [_total(totals.get(u.id, NONE)) for u in part])
        _table(document, tables, headers, [REF_MM, task_mm] + [unit_mm] * len(part), rows, fixed=2,
               rotate=True)
        docx_admin.paragraph(document, "", space_after=6)


def _units_as_rows(document, tables: list[str], data: MatrixData, units: list[MatrixUnit],
                   usable: float) -> None:
    slices = _chunks(data.tasks, MAX_MARK_COLUMNS)
    totals = data.role_totals("task")
    for number, part in enumerate(slices, 1):
        if len(slices) > 1:
            docx_admin.paragraph(document, f"Bảng {number}/{len(slices)}: nhiệm vụ {part[0].ref}"
                                 f"–{part[-1].ref}", italic=True, align="center", size=TEXT_PT)
        task_mm = min((usable - REF_MM - UNIT_NAME_MM) / max(len(part), 1), 20)
        name_mm = usable - REF_MM - task_mm * len(part)
        headers = ["STT", "Đơn vị"] + [f"NV\n{t.ref}" for t in part]
        rows: list[list] = [[str(n), u.name] + [data.cell(t.id, u.id) for t in part]
                            for n, u in enumerate(units, 1)]
        rows.append(["", TOTAL_LABEL] + [_total(totals.get(t.id, NONE)) for t in part])
        _table(document, tables, headers, [REF_MM, name_mm] + [task_mm] * len(part), rows, fixed=2,
               rotate=False)
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
    tables: list[str] = []
    if len(units) <= min(UNITS_AS_COLUMNS, max_columns - 2):
        _tasks_as_rows(document, tables, data, units, usable)
    else:
        _units_as_rows(document, tables, data, units, usable)
    _legend(document)
    docx_admin.set_properties(document, docx_admin.Letterhead(organisation=data.organisation),
                              "Ma trận phân công nhiệm vụ")
    return _put_tables(docx_admin.to_bytes(document), tables)
