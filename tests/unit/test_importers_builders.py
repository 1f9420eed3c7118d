"""Builders of small .docx/.xlsx test inputs for the importer tests (built in memory, never committed)."""
from __future__ import annotations

import io

import openpyxl
from docx import Document
from docx.enum.text import WD_BREAK

from app.importers.tables import read_document


def new_document():
    return Document()


def add_table(doc, rows: list[list[str]]):
    """A table filled row by row; a cell text with "\n" becomes several paragraphs."""
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            set_text(table.cell(r, c), text)
    return table


def set_text(cell, text: str) -> None:
    """Replace a cell's content with one paragraph per line of text."""
    lines = text.split("\n") if text else [""]
    for paragraph in cell.paragraphs[1:]:
        paragraph._element.getparent().remove(paragraph._element)
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def merge(table, top: int, left: int, bottom: int, right: int, text: str | None = None):
    """Merge a block of cells (Word gridSpan / vMerge) and put text in it."""
    origin = table.cell(top, left)
    keep = origin.text if text is None else text
    merged = origin.merge(table.cell(bottom, right))
    set_text(merged, keep)
    return merged


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def docx_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with one sheet per entry; merges lists ranges like "A5:G5" per sheet."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
        for ref in (merges or {}).get(name, []):
            sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_builders_roundtrip():
    doc = new_document()
    table = add_table(doc, [["a", "b"], ["c", "d\ne"]])
    merge(table, 0, 0, 0, 1, "ab")
    grid = read_document(docx_bytes(doc), "t.docx").tables[0].rows
    assert grid == [["ab", "ab"], ["c", "d\ne"]]
    assert read_document(xlsx_bytes({"S": [["x", 1]]}), "t.xlsx").tables[0].rows == [["x", "1"]]
