"""The matrix exporters, reopened with openpyxl and python-docx."""
import io
from datetime import date

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from app.exporters.matrix_data import MatrixCell, MatrixData, MatrixTask, MatrixUnit
from app.exporters.matrix_docx import export_matrix_docx
from app.exporters.matrix_xlsx import export_matrix_xlsx


def sample(units: int = 3, tasks: int = 2) -> MatrixData:
    data = MatrixData(
        plan_label="1295/KH-SGDĐT – Kế hoạch thử",
        tasks=[MatrixTask(id=10 + i, ref=str(i + 1), content=f"Nhiệm vụ {i + 1}") for i in range(tasks)],
        units=[
            MatrixUnit(id=100 + i, name=f"Trường THPT số {i + 1}", short_name=f"THPT {i + 1}")
            for i in range(units)
        ],
        built_on=date(2025, 12, 24),
    )
    data.cells[(10, 100)] = MatrixCell("C", "done", "Hoàn thành")
    data.cells[(10, 101)] = MatrixCell("P", "in_progress", "Đang thực hiện", overdue=True)
    data.cells[(11, 100 + units - 1)] = MatrixCell("P", "not_started", "Chưa bắt đầu")
    return data


def test_xlsx_cells_and_colours():
    book = openpyxl.load_workbook(io.BytesIO(export_matrix_xlsx(sample())))
    sheet = book["Ma trận"]
    assert [sheet.cell(4, c).value for c in range(1, 7)] == ["STT", "Nội dung nhiệm vụ", "Thời gian",
                                                             "THPT 1", "THPT 2", "THPT 3"]
    assert sheet["D5"].value == "C" and sheet["E5"].value == "P" and sheet["F5"].value is None
    assert sheet["F6"].value == "P"
    assert sheet["D5"].fill.fgColor.rgb.endswith("C6EFCE")  # done: green
    assert sheet["E5"].fill.fgColor.rgb.endswith("FFC7CE")  # overdue: red
    assert sheet.freeze_panes == "D5"
    assert sheet.page_setup.orientation == "landscape"
    detail = book["Chi tiết"]
    assert detail.max_row == 4 and detail["D2"].value == "Chủ trì" and detail["F3"].value == "Có"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_xlsx_user_text_never_becomes_a_formula(prefix):
    unit_name = f"{prefix}cmd|' /C calc'!A0"
    data = MatrixData(
        plan_label=f'{prefix}HYPERLINK("http://x","kế hoạch")',
        tasks=[MatrixTask(id=10, ref=f"{prefix}1+1", content=f'{prefix}HYPERLINK("http://evil.example","Bấm")',
                          time_text=f"{prefix}NOW()")],
        units=[MatrixUnit(id=100, name=unit_name, short_name=unit_name)],
    )
    data.cells[(10, 100)] = MatrixCell("C", "done", "Hoàn thành")
    book = openpyxl.load_workbook(io.BytesIO(export_matrix_xlsx(data)))
    sheet, detail = book["Ma trận"], book["Chi tiết"]
    cells = [sheet["A2"], sheet["A5"], sheet["B5"], sheet["C5"], sheet["D4"], detail["A2"], detail["B2"],
             detail["C2"]]
    for cell in cells:
        assert cell.data_type == "s" and str(cell.value).startswith(prefix), cell.coordinate


def _header_repeats(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def test_docx_landscape_header_font_and_marks():
    document = Document(io.BytesIO(export_matrix_docx(sample())))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert document.styles["Normal"].font.name == "Times New Roman"
    table = document.tables[0]
    assert _header_repeats(table)
    assert [c.text for c in table.rows[0].cells] == ["STT", "Nội dung nhiệm vụ", "THPT 1", "THPT 2", "THPT 3"]
    first = [c.text for c in table.rows[1].cells]
    assert first[2].startswith("C") and "HT" in first[2]
    assert first[3].startswith("P") and "QH" in first[3]
    assert first[4] == ""


def _sizes(document) -> set[float]:
    return {run.font.size.pt for table in document.tables for row in table.rows for cell in row.cells
            for para in cell.paragraphs for run in para.runs if run.font.size is not None}


# The old layout squeezed up to 61 unit columns on one page at 5-7 pt and rotated headings without a
# row height (empty in LibreOffice): these tests were rewritten for the readable layout.
@pytest.mark.parametrize("units", [20, 21, 40])
def test_docx_units_as_columns_at_most_20_per_table_task_columns_repeated(units):
    document = Document(io.BytesIO(export_matrix_docx(sample(units=units, tasks=3))))
    tables = document.tables
    assert len(tables) == (1 if units <= 20 else 2)
    seen = []
    for table in tables:
        headers = [c.text for c in table.rows[0].cells]
        assert headers[:2] == ["STT", "Nội dung nhiệm vụ"] and len(headers) - 2 <= 20
        seen += headers[2:]
        assert _header_repeats(table)
        height = table.rows[0]._tr.trPr.find(qn("w:trHeight"))
        assert height is not None and height.get(qn("w:hRule")) == "atLeast"
        assert int(height.get(qn("w:val"))) >= 18 * 56
        assert table.rows[-1].cells[1].text.startswith("Tổng số")
    assert seen == [f"THPT {i + 1}" for i in range(units)]
    assert min(_sizes(document)) >= 9


@pytest.mark.parametrize("units", [41, 200])
def test_docx_many_units_become_rows(units):
    document = Document(io.BytesIO(export_matrix_docx(sample(units=units, tasks=3))))
    table = document.tables[0]
    assert len(table.rows) == units + 2 and len(table.columns) == 2 + 3  # header, units, total
    assert table.rows[1].cells[1].text == "Trường THPT số 1"
    assert table.rows[1].cells[2].text.startswith("C")
    assert table.rows[-1].cells[2].text == "1C\n1P"  # task 1: one lead, one cooperating unit
    assert _header_repeats(table)
    assert min(_sizes(document)) >= 9


def test_docx_many_tasks_and_units_split_into_tables():
    document = Document(io.BytesIO(export_matrix_docx(sample(units=70, tasks=130))))
    assert len(document.tables) == 7  # 130 tasks in slices of at most 20 task columns
    assert all(len(t.columns) <= 22 and _header_repeats(t) for t in document.tables)
    assert sum(len(t.columns) - 2 for t in document.tables) == 130


def test_docx_marks_never_wrap_and_margins_are_the_decree_s():
    document = Document(io.BytesIO(export_matrix_docx(sample(units=30, tasks=2))))
    mark = document.tables[0].rows[1].cells[2]
    assert mark._tc.tcPr.find(qn("w:noWrap")) is not None
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20


def test_units_in_vietnamese_alphabetical_order():
    names = ["Trường THPT Vĩnh Bảo", "Trường THPT Đồ Sơn", "Trường THPT Dương Kinh", "Trường THPT An Lão"]
    data = MatrixData(plan_label="KH", tasks=[MatrixTask(id=1, ref="1", content="NV")],
                      units=[MatrixUnit(id=i, name=n, kind="school") for i, n in enumerate(names)])
    for unit in data.units:
        data.cells[(1, unit.id)] = MatrixCell("P", "not_started")
    expected = ["Trường THPT An Lão", "Trường THPT Dương Kinh", "Trường THPT Đồ Sơn", "Trường THPT Vĩnh Bảo"]
    assert [u.name for u in data.ordered_units()] == expected
    table = Document(io.BytesIO(export_matrix_docx(data))).tables[0]
    assert [c.text for c in table.rows[0].cells][2:] == expected
    sheet = openpyxl.load_workbook(io.BytesIO(export_matrix_xlsx(data)))["Ma trận"]
    assert [sheet.cell(4, c).value for c in range(4, 8)] == expected


def test_xlsx_sheets_print_one_page_wide_with_headers_repeated():
    book = openpyxl.load_workbook(io.BytesIO(export_matrix_xlsx(sample())))
    for name in ("Ma trận", "Chi tiết"):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows
    long_task = sample()
    long_task.tasks[0] = MatrixTask(id=10, ref="1", content="Nội dung rất dài " * 20)
    sheet = openpyxl.load_workbook(io.BytesIO(export_matrix_xlsx(long_task)))["Ma trận"]
    assert sheet.row_dimensions[5].height >= 4 * 15 and sheet["B5"].alignment.wrap_text
