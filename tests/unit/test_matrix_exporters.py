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


@pytest.mark.parametrize("units", [61, 62, 200])
def test_docx_many_units_become_rows(units):
    document = Document(io.BytesIO(export_matrix_docx(sample(units=units, tasks=3))))
    table = document.tables[0]
    assert len(table.columns) <= 63
    if units + 2 <= 63:
        assert len(table.columns) == units + 2
    else:
        assert len(table.rows) == units + 1 and len(table.columns) == 2 + 3
        assert table.rows[1].cells[1].text == "Trường THPT số 1"
        assert table.rows[1].cells[2].text.startswith("C")
    assert _header_repeats(table)


def test_docx_many_tasks_and_units_split_into_tables():
    document = Document(io.BytesIO(export_matrix_docx(sample(units=70, tasks=130))))
    assert len(document.tables) == 3  # 61 + 61 + 8 task columns
    assert all(len(t.columns) <= 63 and _header_repeats(t) for t in document.tables)
