"""The streaming Word grid reader agrees with python-docx and survives odd or hostile table XML."""
from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml.ns import qn

from app.importers import parse_plan, read_document
from app.importers.raw import MAX_COLUMNS
from tests.unit.test_importers_builders import add_table, docx_bytes, merge, new_document
from tests.unit.test_importers_docx import grouped_document, plan_document

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "haiphong_phuluc_2025-2026.docx"


def _python_docx_grids(data: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    def text(cell) -> str:  # empty paragraphs are dropped by the importer
        return "\n".join(line.strip() for line in cell.text.split("\n") if line.strip())

    return [[[text(cell) for cell in row.cells] for row in table.rows] for table in document.tables]


def test_grid_matches_python_docx_row_cells():
    for data in (FIXTURE.read_bytes(), plan_document(), grouped_document()):
        ours = [table.rows for table in read_document(data, "a.docx").tables]
        theirs = _python_docx_grids(data)
        for mine, reference in zip(ours, theirs, strict=True):
            assert mine == [row[: len(mine[0])] for row in reference]


def _row_xml(table, index):
    return table.rows[index]._tr


def test_grid_before_and_after_pad_the_row():
    doc = new_document()
    table = add_table(
        doc, [["STT", "Nội dung", "Thời gian", "Chủ trì"], ["1", "Việc", "2025", "Văn phòng Sở"]]
    )
    tr = _row_xml(table, 1)
    tr.remove(tr.tc_lst[0])
    tr.remove(tr.tc_lst[-1])
    props = tr.get_or_add_trPr()
    for tag in ("w:gridBefore", "w:gridAfter"):
        element = props.makeelement(qn(tag), {qn("w:val"): "1"})
        props.append(element)
    rows = read_document(docx_bytes(doc), "a.docx").tables[0].rows
    assert rows[1] == ["", "Việc", "2025", ""]


def test_huge_grid_span_is_clamped():
    doc = new_document()
    table = add_table(
        doc, [["STT", "Nội dung", "Thời gian", "Chủ trì"], ["1", "Việc", "2025", "Văn phòng Sở"]]
    )
    props = table.cell(1, 1)._tc.get_or_add_tcPr()
    props.append(props.makeelement(qn("w:gridSpan"), {qn("w:val"): "1000000000"}))
    rows = read_document(docx_bytes(doc), "a.docx").tables[0].rows
    assert len(rows[1]) <= MAX_COLUMNS


def test_deleted_revisions_are_not_read():
    doc = new_document()
    table = add_table(
        doc, [["STT", "Nội dung", "Thời gian", "Chủ trì"], ["1", "Việc mới", "2025", "Văn phòng Sở"]]
    )
    paragraph = table.cell(1, 1).paragraphs[0]._p
    deleted = paragraph.makeelement(qn("w:del"), {qn("w:id"): "1", qn("w:author"): "A"})
    run = deleted.makeelement(qn("w:r"), {})
    text = run.makeelement(qn("w:delText"), {})
    text.text = " cũ"
    run.append(text)
    deleted.append(run)
    paragraph.append(deleted)
    assert read_document(docx_bytes(doc), "a.docx").tables[0].rows[1][1] == "Việc mới"


def test_vertical_merge_spanning_two_columns():
    doc = new_document()
    table = add_table(doc, [["STT", "Nội dung", "Thời gian", "Chủ trì"],
                            ["1", "Việc một", "", ""], ["2", "Việc hai", "", ""]])
    merge(table, 1, 2, 2, 3, "Quý IV/2025")
    plan = parse_plan(docx_bytes(doc), "a.docx")
    assert [t["time_text"] for t in plan.tasks] == ["Quý IV/2025", "Quý IV/2025"]


def test_known_unit_names_from_a_directory_generator():
    doc = new_document()
    add_table(doc, [["STT", "Nội dung", "Thời gian", "Đơn vị chủ trì", "Đơn vị phối hợp"],
                    ["1", "Việc", "2025", "Sở Giáo dục và Đào tạo", "Phòng Kế hoạch - Tài chính, CSGD"],
                    ["2", "Việc", "2025", "Sở Giáo dục và Đào tạo", "CSGD"]])
    names = (name for name in ["Sở Giáo dục và Đào tạo", "Phòng Kế hoạch - Tài chính", "CSGD"])
    plan = parse_plan(docx_bytes(doc), "a.docx", known_unit_names=names)
    assert [t["lead"] for t in plan.tasks] == [["Sở Giáo dục và Đào tạo"]] * 2
    assert plan.tasks[0]["cooperating"] == ["Phòng Kế hoạch - Tài chính", "CSGD"]


def test_dates_of_cited_texts_are_not_the_plan_date():
    doc = new_document()
    doc.add_paragraph("Nghị định số 13/2023/NĐ-CP, ngày 17 tháng 4 năm 2023 của Chính phủ")
    add_table(doc, [["STT", "Nội dung", "Thời gian", "Chủ trì"], ["1", "Việc", "2025", "Văn phòng Sở"]])
    assert "date" not in parse_plan(docx_bytes(doc), "a.docx").meta
