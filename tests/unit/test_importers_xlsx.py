"""Excel appendices: title rows above the header, merged group and Nhóm cells, typed cell values."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from app.importers import parse_plan, read_document
from app.importers.errors import ImportFileError
from tests.unit.test_importers_builders import xlsx_bytes

TITLE_ROWS = [
    ["SỞ GIÁO DỤC VÀ ĐÀO TẠO QUẢNG NINH", "", "", "", "", "", ""],
    ["Số: 245/KH-SGDĐT", "", "", "", "", "", ""],
    ["KẾ HOẠCH", "", "", "", "", "", ""],
    ["Chuyển đổi số ngành giáo dục năm học 2024-2025", "", "", "", "", "", ""],
    ["", "", "", "", "", "", ""],
]
HEADER = ["STT", "Nhóm", "Nội dung nhiệm vụ", "Chỉ tiêu", "Thời gian hoàn thành", "Đơn vị chủ trì",
          "Đơn vị phối hợp"]


def workbook() -> bytes:
    rows = TITLE_ROWS + [
        HEADER,
        ["I. Về hạ tầng số (02)", "", "", "", "", "", ""],
        [1, "Hạ tầng", "Nâng cấp đường truyền Internet", "100% trường", "Quý I/2025", "Văn phòng Sở", "CSGD"],
        [2, "", "Trang bị máy chủ dự phòng", "02 máy chủ", dt.datetime(2025, 3, 31), "Văn phòng Sở", ""],
        ["II. Về dữ liệu số", "", "", "", "", "", ""],
        [3, "", "Chuẩn hóa dữ liệu học sinh", 0.985, "Thường xuyên", "Phòng QLCL", "CSGD"],
    ]
    merges = ["A7:G7", "A10:G10", "B8:B9"]
    data = xlsx_bytes({"Phụ lục": rows}, {"Phụ lục": merges})
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Phụ lục"]["D11"].number_format = "0.0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_grid_expands_merged_ranges():
    table = read_document(workbook(), "kh.xlsx").tables[0]
    assert table.name == "Phụ lục"
    assert table.rows[6] == ["I. Về hạ tầng số (02)"] * 7
    assert table.rows[8][1] == "Hạ tầng"  # vertical merge of the Nhóm cell
    assert table.rows[8][4] == "31/03/2025"
    assert table.rows[10][3] == "98,5%"


def test_whole_column_merge_ref_means_a_broken_file():
    """A mergeCell without row bounds ("A:G") has no top-left cell: the file is refused as broken."""
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                assert b'ref="A7:G7"' in data
                data = data.replace(b'ref="A7:G7"', b'ref="A:G"')
            target.writestr(item, data)
    with pytest.raises(ImportFileError, match="không phải là .xlsx hợp lệ"):
        read_document(out.getvalue(), "kh.xlsx")


def test_tasks_groups_and_values():
    plan = parse_plan(workbook(), "kh.xlsx")
    assert [t["ref"] for t in plan.tasks] == ["1", "2", "3"]
    assert [t["group"] for t in plan.tasks] == ["Hạ tầng", "Hạ tầng", "Về dữ liệu số"]
    assert plan.tasks[1]["due_date"] == "2025-03-31"
    assert plan.tasks[1]["targets"] == [{"op": ">=", "value": 2, "max": None, "unit": "máy chủ"}]
    assert plan.tasks[2]["targets"] == [{"op": ">=", "value": 98.5, "max": None, "unit": "%"}]
    assert plan.tasks[0]["start_date"] == "2025-01-01"
    assert all(t["warnings"] == [] for t in plan.tasks)
    assert plan.warnings == []


def test_meta_from_title_rows():
    plan = parse_plan(workbook(), "kh.xlsx")
    assert plan.meta == {
        "number": "245/KH-SGDĐT",
        "title": "Chuyển đổi số ngành giáo dục năm học 2024-2025",
        "school_year": "2024-2025",
        "issuer": "Sở Giáo dục và Đào tạo Quảng Ninh",
    }


def test_group_rows_without_nhom_column_and_hidden_sheet_ignored():
    rows = [
        ["TT", "Nội dung", "Thời gian", "Đơn vị chủ trì"],
        ["I", "Nhận thức số (07 nhiệm vụ)", "", ""],
        ["1", "Truyền thông chuyển đổi số", "Trước 01/3/2024", "Văn phòng Sở"],
    ]
    data = xlsx_bytes({"A": rows, "Ẩn": [["STT", "Nội dung", "Thời gian"], ["9", "Không nhập", "2024"]]},
                      {"A": ["B2:D2"]})
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Ẩn"].sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    plan = parse_plan(out.getvalue(), "a.xlsx")
    assert [(t["ref"], t["group"], t["due_date"]) for t in plan.tasks] == [
        ("1", "Nhận thức số", "2024-03-01")]


def test_second_sheet_with_the_same_header_continues_the_appendix():
    first = [HEADER, [1, "Nhân lực", "Nhiệm vụ một", "", "10/2025", "Văn phòng Sở", ""]]
    second = [HEADER, [2, "", "Nhiệm vụ hai", "", "11/2025", "Phòng TCCB", ""]]
    plan = parse_plan(xlsx_bytes({"Trang 1": first, "Trang 2": second}), "a.xlsx")
    assert [(t["ref"], t["group"]) for t in plan.tasks] == [("1", "Nhân lực"), ("2", None)]
