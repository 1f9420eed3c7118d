"""The evaluation appendices of seeds/003 (Phụ lục 01 and 02), rebuilt as .docx and as .xlsx."""
from __future__ import annotations

import pytest

from app.importers import parse_plan
from app.importers.plan import MSG_NO_TIME_COLUMN
from tests.unit.test_importers_builders import (
    add_table,
    docx_bytes,
    merge,
    new_document,
    page_break,
    xlsx_bytes,
)

TITLE_01 = [
    "Phụ lục 01",
    "ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN CÁC MỤC TIÊU/CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2024",
    "(Kèm theo công văn số: /SGDĐT-GDPT ngày /11/2024 của Sở Giáo dục và Đào tạo)",
    "Kế hoạch 73/KH-UBND ngày 13/3/2024 đặt ra 30 mục tiêu.",
    "- Có 09/12 mục tiêu hoàn thành, đạt 75%;",
    "- Có 03/12 mục tiêu không hoàn thành, chiếm 25%;",
]
HEADER_01 = ["TT", "Mục tiêu", "Cơ quan chủ trì", "Cơ quan phối hợp", "Cơ quan theo dõi chỉ tiêu",
             "Dự kiến kết quả thực hiện trong năm 2024", "Đánh giá khả năng hoàn thành 2024", "Ghi chú"]
ROWS_01 = [
    ["I", "Về phát triển dữ liệu số (03)"],
    [
        "1",
        "Triển khai xây dựng các nền tảng cơ sở dữ liệu quan trọng theo định hướng của Bộ chủ quản gồm: "
        "cán bộ, công chức, viên chức; an sinh xã hội; y tế; giáo dục; quy hoạch tỉnh, đầu tư công; "
        "công thương (công nghiệp - thương mại).",
        "Các sở: Nội vụ/ Y tế/ GDĐT/ KHĐT/ Công Thương/ LĐTB&XH",
        "Sở TTTT; UBND các huyện, thị xã, thành phố",
        "Sở TTTT",
        "Hoàn thành",
        "Hoàn thành",
        "",
    ],
    [
        "2",
        "100% cơ sở dữ liệu, hệ thống thông tin của các sở, ngành, địa phương được kết nối, chia sẻ dữ liệu "
        "trên Nền tảng tích hợp của tỉnh.",
        "Các sở, ban, ngành và UBND các huyện, thị xã, thành phố",
        "Sở TTTT",
        "Sở TTTT; duy trì thực hiện",
        "Theo KH UBND tỉnh",
        "Theo KH UBND tỉnh",
        "",
    ],
    [
        "3",
        "100% hệ thống thông tin từ đang vận hành được phê duyệt cấp độ an toàn hệ thống thông tin trước "
        "ngày 30/9/2024 và triển khai đầy đủ phương án bảo đảm an toàn thông tin.",
        "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố",
        "Sở TTTT, Công an tỉnh",
        "Sở TTTT",
        "Đang thực hiện",
        "Tiếp tục thực hiện",
        "Chưa hoàn thành việc lập hồ sơ",
    ],
    HEADER_01,  # the header repeated at the top of the next page
    ["II", "Phát triển chính quyền số (11)"],
    [
        "1",
        "100% các thủ tục hành chính ban hành mới đủ điều kiện cung ứng dịch vụ công trực tuyến",
        "Các sở, ngành, địa phương",
        "Sở TTTT",
        "Sở TTTT",
        "Hoàn thành",
        "Hoàn thành",
        "",
    ],
]
TITLE_02 = [
    "Phụ lục 02",
    "ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2024",
    "(Kèm theo công văn số: /SGDĐT-GDPT ngày /11/2024 của Sở Giáo dục và Đào tạo)",
]
HEADER_02 = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian triển khai/hoàn thành",
             "Dự kiến Kết quả thực hiện năm 2024", "Khả năng hoàn thành trong năm 2024", "Ghi chú"]
ROWS_02 = [
    ["I", "Nhận thức số (07 nhiệm vụ)"],
    [
        "1",
        "Xây dựng và triển khai Kế hoạch truyền thông về Chuyển đổi số năm 2024",
        "Trung tâm Truyền thông tỉnh",
        "Sở TTTT và các sở, ban, ngành, địa phương",
        "Trước 01/3/2024",
        "Hoàn thành",
        "Hoàn thành",
        "",
    ],
    [
        "2",
        "Xây dựng, ban hành Kế hoạch tổ chức chuỗi sự kiện hưởng ứng Ngày chuyển đổi số quốc gia 10/10",
        "Sở Thông tin và Truyền thông",
        "UBND các huyện, thị xã, thành phố",
        "Trước 30/6/2024",
        "Hoàn thành",
        "Hoàn thành",
        "",
    ],
    [
        "3",
        "Tổ chức Cuộc thi về chuyển đổi số cấp huyện và cấp tỉnh",
        "",
        "",
        "",
        "Hoàn thành",
        "Hoàn thành",
        "",
    ],
    ["III", "Phát triển hạ tầng số (03 nhiệm vụ)"],
    ["IV", "Dữ liệu số (03 nhiệm vụ)"],
    [
        "1",
        "Phấn đấu xây dựng, hoàn thành cơ bản 06 cơ sở dữ liệu nền tảng quan trọng theo định hướng của Bộ,",
        "Sở Thông tin và Truyền thông",
        "Các sở, ngành",
        "2024",
        "Hoàn thành",
        "Hoàn thành",
        "",
    ],
    HEADER_02,
    ["", "ngành, của tỉnh: (1) Cán bộ, công chức, viên chức; (2) Y tế; (3) Giáo dục", "", "", "", "", "", ""],
    [
        "1.3",
        "Đưa vào vận hành CSDL ngành Giáo dục",
        "Sở Giáo dục và Đào tạo",
        "",
        "2024",
        "Hoàn thành",
        "Hoàn thành",
        "",
    ],
]


def _full(rows: list[list[str]]) -> list[list[str]]:
    return [row + [""] * (8 - len(row)) for row in rows]


def evaluation_docx() -> bytes:
    doc = new_document()
    for title, header, rows in ((TITLE_01, HEADER_01, ROWS_01), (TITLE_02, HEADER_02, ROWS_02)):
        for line in title:
            doc.add_paragraph(line)
        table = add_table(doc, _full([header] + rows))
        for r, row in enumerate(rows, start=1):
            if len(row) == 2:  # a group row: its title merged across the other columns
                merge(table, r, 1, r, 7)
        page_break(doc)
    return docx_bytes(doc)


def evaluation_xlsx() -> bytes:
    sheets, merges = {}, {}
    for name, title, header, rows in (
        ("PL01", TITLE_01, HEADER_01, ROWS_01),
        ("PL02", TITLE_02, HEADER_02, ROWS_02),
    ):
        grid = _full([[line] for line in title] + [[""], header] + rows)
        sheets[name] = grid
        merges[name] = [f"B{i + 1}:H{i + 1}" for i, row in enumerate(grid)
                        if row[0] and row[1] and not any(row[2:]) and row[0] not in ("TT",)]
    return xlsx_bytes(sheets, merges)


@pytest.fixture(scope="module", params=["docx", "xlsx"])
def plan(request):
    data = evaluation_docx() if request.param == "docx" else evaluation_xlsx()
    return parse_plan(data, f"danhgia.{request.param}")


def _by_content(plan, start: str) -> dict:
    return next(t for t in plan.tasks if t["content"].startswith(start))


def test_both_appendices_are_read(plan):
    assert [t["ref"] for t in plan.tasks] == ["1", "2", "3", "1", "1", "2", "3", "1", "1.3"]
    assert [t["group"] for t in plan.tasks] == [
        "Về phát triển dữ liệu số", "Về phát triển dữ liệu số", "Về phát triển dữ liệu số",
        "Phát triển chính quyền số",
        "Nhận thức số", "Nhận thức số", "Nhận thức số", "Dữ liệu số", "Dữ liệu số"]


def test_evaluation_columns_kept_as_extra(plan):
    first = plan.tasks[0]
    assert first["extra"] == {
        "Cơ quan theo dõi chỉ tiêu": "Sở TTTT",
        "Dự kiến kết quả thực hiện trong năm 2024": "Hoàn thành",
        "Đánh giá khả năng hoàn thành 2024": "Hoàn thành",
        "Ghi chú": "",
    }
    assert first["product"] == "" and first["targets"] == []
    assert first["cooperating"][0] == "Sở TTTT"


def test_table_without_time_column_warns_once(plan):
    assert MSG_NO_TIME_COLUMN in plan.warnings
    assert plan.tasks[0]["warnings"] == [] and plan.tasks[1]["warnings"] == []
    assert plan.tasks[0]["due_date"] is None


def test_deadline_in_content_without_time_column_is_flagged(plan):
    third = _by_content(plan, "100% hệ thống thông tin")
    assert any("30/9/2024" in w for w in third["warnings"])


def test_deadlines_of_the_task_appendix(plan):
    first = _by_content(plan, "Xây dựng và triển khai Kế hoạch truyền thông")
    assert (first["start_date"], first["due_date"], first["warnings"]) == (None, "2024-03-01", [])
    assert first["lead"] == ["Trung tâm Truyền thông tỉnh"]
    second = _by_content(plan, "Xây dựng, ban hành Kế hoạch tổ chức")
    assert second["due_date"] == "2024-06-30" and second["warnings"] == []  # "10/10" is not a deadline


def test_row_missing_lead_and_time_is_flagged(plan):
    contest = _by_content(plan, "Tổ chức Cuộc thi")
    assert contest["lead"] == [] and contest["due_date"] is None
    assert any("thời gian" in w for w in contest["warnings"])
    assert any("chủ trì" in w for w in contest["warnings"])


def test_row_continued_after_repeated_header(plan):
    task = _by_content(plan, "Phấn đấu xây dựng")
    assert task["content"].endswith("theo định hướng của Bộ, ngành, của tỉnh: (1) Cán bộ, công chức, "
                                    "viên chức; (2) Y tế; (3) Giáo dục")
    assert task["lead"] == ["Sở Thông tin và Truyền thông"]
    assert (task["start_date"], task["due_date"]) == ("2024-01-01", "2024-12-31")


def test_title_from_the_first_appendix(plan):
    assert plan.meta["title"] == "ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN CÁC MỤC TIÊU/CHỈ TIÊU CHUYỂN ĐỔI SỐ NĂM 2024"
    assert "number" not in plan.meta and "school_year" not in plan.meta
