"""data_table's one-pass w:tbl, read back with python-docx: header, rows, group rows, widths, the
repeated header, kept rows, escaping."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from app.exporters import docx_admin, docx_table_xml
from app.exporters.docx_fit import NB_HYPHEN

HEADERS = ["TT", "Đơn vị", "Kỳ", "Số"]
WIDTHS = [12, 90, 30, 20]
ROWS = [
    ("group", "I", "Khối <THPT> & GDTX"),
    ["1", "Trường A\nCơ sở 2", "01/10/2025-31/12/2025", 7],
    ["2", "Tab\tvà \x07điều khiển\x1f", "20-59", None],
]


def _reopen(document):
    return Document(io.BytesIO(docx_admin.to_bytes(document)))


def _built(**options):
    document = docx_admin.new_document()
    docx_admin.paragraph(document, "Trước bảng")
    docx_admin.data_table(document, HEADERS, WIDTHS, ROWS, size=11, centered_columns=(0, 3),
                          keep_columns=(2,), **options)
    docx_admin.paragraph(document, "Sau bảng")
    return _reopen(document)


def test_header_rows_and_text_read_back():
    document = _built()
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert table.alignment == WD_TABLE_ALIGNMENT.CENTER
    assert [c.text for c in table.rows[0].cells] == HEADERS
    header_runs = [c.paragraphs[0].runs[0] for c in table.rows[0].cells]
    assert all(run.bold and run.font.size.pt == 11 for run in header_runs)
    assert all(c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "E7E6E6" for c in table.rows[0].cells)
    assert [c.text for c in table.rows[2].cells] == ["1", "Trường A\nCơ sở 2",
                                                     f"01/10/2025{NB_HYPHEN}31/12/2025", "7"]
    assert [c.text for c in table.rows[3].cells] == ["2", "Tab\tvà điều khiển", f"20{NB_HYPHEN}59", ""]
    body = [p.text for p in document.paragraphs]
    assert body.index("Trước bảng") < body.index("Sau bảng")  # the table sits between them
    assert document.element.body.index(table._tbl) == 1


def test_alignment_bold_and_size_of_body_cells():
    table = _built().tables[0]
    cells = table.rows[2].cells
    centred = [c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER for c in cells]
    assert centred == [True, False, False, True]
    assert all(c.paragraphs[0].runs[0].font.size.pt == 11 and not c.paragraphs[0].runs[0].bold for c in cells)


def test_group_row_spans_the_table_in_bold_and_keeps_with_next():
    row = _built().tables[0].rows[1]
    label, text = row._tr.tc_lst
    assert text.grid_span == len(HEADERS) - 1
    assert row.cells[0].text == "I"
    assert row.cells[1].text == "Khối <THPT> & GDTX"
    for tc in (label, text):
        paragraph = tc.p_lst[0]
        assert paragraph.pPr.keepNext is not None
        assert paragraph.r_lst[0].rPr.b.val is True
    assert text.width.mm == pytest.approx(sum(WIDTHS[1:]), abs=0.1)


def test_widths_in_grid_and_cells():
    table = _built().tables[0]
    assert [round(c.width.mm) for c in table.columns] == WIDTHS
    assert [round(c.width.mm) for c in table.rows[2].cells] == WIDTHS
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


@pytest.mark.parametrize("keep_rows", [True, False])
def test_repeated_header_and_cant_split(keep_rows):
    rows = _built(keep_rows=keep_rows).tables[0].rows
    header_pr = rows[0]._tr.trPr
    assert header_pr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    assert rows[1]._tr.trPr.find(qn("w:cantSplit")) is not None  # a group row, always
    assert [r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None
            for r in rows[2:]] == [keep_rows, keep_rows]


def test_widths_from_content_sum_to_the_text_width():
    document = docx_admin.new_document()
    docx_admin.data_table(document, HEADERS, None, ROWS)
    table = _reopen(document).tables[0]
    text_width = docx_admin.usable_width_mm(document)
    assert sum(c.width.mm for c in table.columns) == pytest.approx(text_width, abs=0.5)


def test_returned_table_is_live_in_the_document():
    """report_docx makes the total row bold through the returned table."""
    document = docx_admin.new_document()
    table = docx_admin.data_table(document, HEADERS, WIDTHS, [["", "Tổng", "", "9"]])
    for run in (r for c in table.rows[-1].cells for r in c.paragraphs[0].runs):
        run.bold = True
    reopened = _reopen(document).tables[0]
    assert all(r.bold for c in reopened.rows[-1].cells for r in c.paragraphs[0].runs)


def test_runs_escape_and_drop_control_characters():
    xml = docx_table_xml.runs("a < b & c\x0b\x00", 10, bold=None)
    assert "a &lt; b &amp; c</w:t>" in xml and "\x0b" not in xml and "<w:b" not in xml
