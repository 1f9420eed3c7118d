"""Bold first lines of task cells: read from Word runs into RawTable.bold_first_line, and used by the
plan table to tell a group title (bold, over rows that are not) from a task."""
from __future__ import annotations

import pytest
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn

from app.importers.plan import parse_plan
from app.importers.tables import read_document
from tests.unit.test_importers_builders import add_table, docx_bytes, merge, new_document

HEADER = ["Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]


def _write(cell, runs: list[tuple[str, bool]], *, more_lines: list[str] = ()) -> None:
    """Replace a cell's text by runs (text, bold) on its first paragraph, then regular lines."""
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    for text, bold in runs:
        paragraph.add_run(text).bold = bold
    for line in more_lines:
        cell.add_paragraph(line)


def _read(build) -> set[tuple[int, int]]:
    doc = new_document()
    table = add_table(doc, [["", ""], ["", ""]])
    build(table)
    return read_document(docx_bytes(doc), "t.docx").tables[0].bold_first_line


def test_a_cell_whose_first_line_is_bold_is_marked():
    marks = _read(lambda t: _write(t.cell(1, 0), [("Nhóm giải pháp", True), (" về thể chế", True)],
                                   more_lines=["Mô tả thường"]))
    assert marks == {(1, 0)}


@pytest.mark.parametrize("runs,more", [
    ([("Lưu ý:", True), (" rà soát định mức", False)], []),   # a bold lead-in of a regular line
    ([("Tổ chức tập huấn", False)], ["Nội dung in đậm"]),         # bold on a later line only
    ([("Không đậm", None)], []),
])
def test_a_cell_without_a_wholly_bold_first_line_is_not_marked(runs, more):
    def build(table):
        _write(table.cell(1, 0), runs)
        for line in more:
            table.cell(1, 0).add_paragraph().add_run(line).bold = True
    assert _read(build) == set()


def test_bold_switched_off_explicitly_is_not_bold():
    def build(table):
        _write(table.cell(0, 1), [("Tiêu đề", True)])
        mark = table.cell(0, 1).paragraphs[0].runs[0]._element.rPr.find(qn("w:b"))
        mark.set(qn("w:val"), "0")
    assert _read(build) == set()


def test_a_line_break_ends_the_bold_line():
    def build(table):
        paragraph = table.cell(1, 1).paragraphs[0]
        title = paragraph.add_run("Tiêu đề nhóm")
        title.bold = True
        title.add_break(WD_BREAK.LINE)
        paragraph.add_run("mô tả thường").bold = False
    assert _read(build) == {(1, 1)}


def test_merged_cells_are_marked_in_every_slot():
    doc = new_document()
    table = add_table(doc, [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]])
    merged = merge(table, 0, 0, 1, 1, "")
    _write(merged, [("Nhóm", True)])
    marks = read_document(docx_bytes(doc), "t.docx").tables[0].bold_first_line
    assert {(0, 0), (0, 1), (1, 0), (1, 1)} <= marks and (2, 0) not in marks


def _appendix(rows: list[tuple[list[str], bool]]) -> bytes:
    """A task table whose rows are (cells, task cell's first line bold)."""
    doc = new_document()
    table = add_table(doc, [HEADER, *[cells for cells, _ in rows]])
    for r, (cells, bold) in enumerate(rows, 1):
        lines = cells[0].split("\n")
        _write(table.cell(r, 0), [(lines[0], bold)])
        for line in lines[1:]:
            table.cell(r, 0).add_paragraph(line)
        for p in table.cell(r, 0).paragraphs[len(lines):]:
            p._element.getparent().remove(p._element)
    return docx_bytes(doc)


GROUPED = [
    (["Nhóm giải pháp về thể chế\nHoàn thiện quy định nội bộ", "Văn phòng Sở", "", "Năm 2026"], True),
    (["Rà soát quy chế làm việc", "", "Các phòng", ""], False),
    (["Ban hành quy định phân cấp", "Phòng Tổ chức cán bộ", "", "Quý II/2026"], False),
    (["Nhóm giải pháp về chuyển đổi số", "", "", ""], True),
    (["Số hoá hồ sơ lưu trữ", "Văn phòng Sở", "", "Năm 2026"], False),
]


def test_bold_rows_over_unnumbered_tasks_are_groups_with_their_own_lead_and_time():
    plan = parse_plan(_appendix(GROUPED), "a.docx")
    assert [t["content"] for t in plan.tasks] == [
        "Rà soát quy chế làm việc", "Ban hành quy định phân cấp", "Số hoá hồ sơ lưu trữ"]
    assert [t["group_path"] for t in plan.tasks] == [
        ["Nhóm giải pháp về thể chế"], ["Nhóm giải pháp về thể chế"], ["Nhóm giải pháp về chuyển đổi số"]]
    first = plan.tasks[0]
    assert first["lead"] == ["Văn phòng Sở"] and first["due_date"] == "2026-12-31"  # from the group row
    assert [g["reason"] for g in plan.group_rows] == ["dòng đầu in đậm, trên các nhiệm vụ"] * 2
    assert plan.group_rows[0]["time_text"] == "Năm 2026"


def test_without_bold_the_same_rows_are_read_as_tasks_and_continuations():
    plan = parse_plan(_appendix([(cells, False) for cells, _ in GROUPED]), "a.docx")
    assert plan.group_rows == []
    assert plan.tasks[0]["content"].startswith("Nhóm giải pháp về thể chế")


def test_a_table_written_all_in_bold_has_no_bold_groups():
    plan = parse_plan(_appendix([(cells, True) for cells, _ in GROUPED]), "a.docx")
    assert not any(g["reason"].startswith("dòng đầu in đậm") for g in plan.group_rows)


def test_numbered_bold_rows_over_siblings_or_their_own_bullets_stay_tasks():
    rows = [
        (["1. Tổng kết năm học", "Văn phòng Sở", "Các phòng", "30/6/2026"], True),
        (["- Báo cáo kết quả từng cấp học", "", "", ""], False),
        (["2. Tổ chức hội nghị tổng kết", "Văn phòng Sở", "", "Tháng 8/2026"], True),
        (["3. Khen thưởng tập thể, cá nhân", "Phòng Tổ chức cán bộ", "", "Tháng 8/2026"], False),
    ]
    plan = parse_plan(_appendix(rows), "a.docx")
    assert plan.group_rows == []
    assert [t["ref"] for t in plan.tasks] == ["1", "2", "3"]
    assert "Báo cáo kết quả từng cấp học" in plan.tasks[0]["content"]


def test_a_bold_lead_in_word_does_not_make_a_group():
    doc = new_document()
    table = add_table(doc, [HEADER, ["", "Văn phòng Sở", "", "Năm 2026"],
                            ["Cập nhật dữ liệu", "Phòng QLCL", "", "Tháng 3/2026"]])
    _write(table.cell(1, 0), [("Lưu ý:", True), (" rà soát định mức giáo viên", False)])
    plan = parse_plan(docx_bytes(doc), "a.docx")
    assert plan.group_rows == [] and plan.tasks[0]["content"] == "Lưu ý: rà soát định mức giáo viên"
