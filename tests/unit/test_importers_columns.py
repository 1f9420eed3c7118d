"""Header matching, group titles, numbering rows and plan details, table-driven over real spellings."""
from __future__ import annotations

import pytest

from app.importers.columns import classify_header, detect_header, is_numbering_row
from app.importers.plan_meta import extract_meta
from app.importers.plan_table import clean_group_title, clean_ref


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("STT", "ref"), ("TT", "ref"), ("Số TT", "ref"), ("Số thứ tự", "ref"), ("TT.", "ref"),
        ("Nhóm nhiệm vụ", "group"), ("Nhóm", "group"), ("NHÓM\nNHIỆM VỤ", "group"),
        ("Nội dung công việc trọng tâm", "content"), ("Nội dung", "content"), ("Mục tiêu", "content"),
        ("Nhiệm vụ", "content"), ("Nội dung nhiệm vụ", "content"), ("NỘI DUNG CÔNG VIỆC", "content"),
        ("Sản phẩm/Chỉ tiêu", "product"), ("Sản phẩm đầu ra", "product"), ("Chỉ tiêu", "product"),
        ("Kết quả dự kiến", "product"),
        ("Thời gian", "time"), ("Thời gian thực hiện", "time"), ("Thời gian hoàn thành", "time"),
        ("Tiến độ", "time"), ("Thời gian triển khai/hoàn thành", "time"),
        ("Đơn vị chủ trì", "lead"), ("Cơ quan chủ trì", "lead"), ("Đơn vị thực hiện Chủ trì", "lead"),
        ("Chủ trì", "lead"), ("Cơ quan \nchủ trì", "lead"),
        ("Đơn vị phối hợp", "cooperating"), ("Cơ quan phối hợp", "cooperating"), ("Phối hợp", "cooperating"),
        ("Đơn vị thực hiện", "lead_fallback"),
        ("Ghi chú", None), ("Cơ quan theo dõi chỉ tiêu", None), ("Đánh giá khả năng hoàn thành 2024", None),
        ("Dự kiến kết quả thực hiện trong năm 2024", None), ("Mã nhiệm vụ/Hành động", None), ("", None),
    ],
)
def test_classify_header(header, field):
    assert classify_header(header) == field


def test_long_cells_are_not_headers():
    assert classify_header("Nội dung " + "rất dài " * 20) is None


def test_header_found_below_title_rows_and_single_unit_column_is_lead():
    rows = [["KẾ HOẠCH", "KẾ HOẠCH", "KẾ HOẠCH"], ["", "", ""],
            ["Nội dung", "Thời hạn", "Đơn vị thực hiện"], ["Việc một", "10/2025", "Văn phòng Sở"]]
    cmap, start = detect_header(rows)
    assert start == 3 and cmap.first_row == 2
    assert cmap.columns == {"content": [0], "time": [1], "lead": [2]}


def test_header_merged_across_two_columns_reads_both():
    rows = [["STT", "Nội dung", "Nội dung", "Thời gian"], ["1", "a)", "Việc", "2025"]]
    cmap, _ = detect_header(rows)
    assert cmap.values(rows[1])[0]["content"] == "a) Việc"


def test_unrelated_table_has_no_header():
    assert detect_header([["STT", "Tên văn bản", "Số, ký hiệu"], ["1", "Luật", "60/2024/QH15"]]) is None


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["(1)", "(2)", "(3)", "(4)", "(5)"], True), (["1", "2", "3", "4", "5", "6", "7"], True),
        (["1", "2", "3", "", ""], True), (["1", "Nhiệm vụ", "2025", "Văn phòng"], False),
        (["3", "2", "1"], False), (["1", "2"], False), (["", "", "", "", "1"], False),
    ],
)
def test_numbering_row(row, expected):
    assert is_numbering_row(row) is expected


@pytest.mark.parametrize(
    ("text", "token", "title"),
    [
        ("I. Về phát triển dữ liệu số (03)", "I", "Về phát triển dữ liệu số"),
        ("Về phát triển dữ liệu số (03)", None, "Về phát triển dữ liệu số"),
        ("II Thể chế số (04 nhiệm vụ)", "II", "Thể chế số"),
        ("A. CCCS XÂY DỰNG CƠ CHẾ, CHÍNH SÁCH", "A", "CCCS XÂY DỰNG CƠ CHẾ, CHÍNH SÁCH"),
        ("1. Nhóm dữ liệu:", "1", "Nhóm dữ liệu"),
        ("AI - STEM", None, "AI - STEM"),
        ("Chuyển đổi số", None, "Chuyển đổi số"),
        ("Đề án 06", None, "Đề án 06"),
    ],
)
def test_clean_group_title(text, token, title):
    assert clean_group_title(text) == (token, title)


def test_nhom_cell_keeps_dash_names():
    assert clean_group_title("A - STEM", strict=True) == (None, "A - STEM")
    assert clean_group_title("1. Nhân lực", strict=True) == ("1", "Nhân lực")


@pytest.mark.parametrize(
    ("text", "ref"), [("1.", "1"), (" 12 ", "12"), ("1.2.", "1.2"), ("I.", "I"), ("", "")]
)
def test_clean_ref(text, ref):
    assert clean_ref(text) == ref


def test_meta_from_a_plan_header():
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 2160/SGDĐT-VP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Tây Ninh, ngày 05 tháng 9 năm 2025", "KẾ HOẠCH",
        "Thực hiện nhiệm vụ Ứng dụng công nghệ thông tin, chuyển đổi số",
        "và thống kê giáo dục năm học 2025 - 2026",
        "I. CĂN CỨ LẬP KẾ HOẠCH", "- Kế hoạch số 01-KH/BCĐ ngày 26/8/2025 của Ban Chỉ đạo",
    ]
    assert extract_meta(lines) == {
        "number": "2160/SGDĐT-VP",
        "date": "2025-09-05",
        "title": "Thực hiện nhiệm vụ Ứng dụng công nghệ thông tin, chuyển đổi số và thống kê giáo dục "
                 "năm học 2025 - 2026",
        "school_year": "2025-2026",
        "issuer": "Sở Giáo dục và Đào tạo Tây Ninh",
    }


def test_meta_uppercase_title_and_ministry():
    lines = ["BỘ GIÁO DỤC VÀ ĐÀO TẠO", "PHỤ LỤC", "MỘT SỐ VĂN BẢN VỀ TRIỂN KHAI",
             "ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM HỌC 2023-2024", "(Ban hành kèm theo Công văn số: /BGDĐT-CNTT)",
             "Hà Nội, ngày 20/8/2023"]
    assert extract_meta(lines) == {
        "title": "MỘT SỐ VĂN BẢN VỀ TRIỂN KHAI ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM HỌC 2023-2024",
        "school_year": "2023-2024",
        "issuer": "Bộ Giáo dục và Đào tạo",
        "date": "2023-08-20",
    }


def test_meta_absent_when_not_stated():
    assert extract_meta(["Căn cứ Kế hoạch số 01-KH/BCĐ ngày 26/8/2025", "Số liệu: 09/12 mục tiêu"]) == {}
