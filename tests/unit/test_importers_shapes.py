"""Table shapes the importer must read whatever the wording: columns named by their words and
contents, multi-row headers, nested numbering, Excel formats, times counted from the issue date."""
from __future__ import annotations

import datetime as dt
import io
from datetime import date

import openpyxl
import pytest

from app.importers.columns import detect_header
from app.importers.plan import parse_plan
from app.parsing.targets import parse_targets_checked
from app.parsing.times import parse_time
from tests.unit.test_importers_builders import add_table, docx_bytes, new_document


def test_a_column_of_quarters_is_the_time_column_whatever_its_header():
    rows = [
        ["TT", "Nội dung", "Giai đoạn", "Đơn vị"],
        ["1", "Tổ chức tập huấn cán bộ quản lý về chuyển đổi số", "Quý I/2026", "Văn phòng Sở"],
        ["2", "Kiểm tra công tác thống kê tại các cơ sở giáo dục", "Quý II/2026", "Phòng Quản lý chất lượng"],
        ["3", "Sơ kết học kỳ I năm học 2025-2026", "Tháng 1/2026", "Văn phòng Sở"],
    ]
    cmap, start = detect_header(rows)
    assert start == 1
    assert cmap.columns == {"ref": [0], "content": [1], "time": [2], "lead": [3]}
    time = next(c for c in cmap.explain if c["field"] == "time")
    assert time["words"] == [] and "thời gian" in time["content"]


@pytest.mark.parametrize(("header", "field"), [
    ("Nhiệm vụ/giải pháp", "content"), ("Việc cần làm", "content"), ("Cơ quan chủ trì", "lead"),
    ("Trách nhiệm thực hiện", "lead_fallback"), ("Bộ phận tham mưu", "lead_detail"),
    ("Kết quả/sản phẩm cần đạt", "product"), ("Yêu cầu cần đạt", "product"), ("Sản phẩm đầu ra", "product"),
    ("Thời hạn", "time"), ("Hoàn thành trước", "time"), ("Thời gian thực hiện (ngày)", "time"),
    ("Số ngày thực hiện", "duration"), ("Từ ngày", "start"), ("Đơn vị tham gia", "cooperating"),
    ("Kinh phí", None), ("Ghi chú", None), ("Người đầu mối", None), ("Lãnh đạo Sở phụ trách", None),
    ("Kết quả thực hiện", None),
])
def test_header_words_alone(header, field):
    # the header alone: "(ngày)" needs the cells (whole numbers) to make a duration column
    from app.importers.columns import classify_header

    assert classify_header(header) == field


def test_a_column_of_days_is_a_duration():
    rows = [["STT", "Nội dung", "Thời gian thực hiện (ngày)", "Đơn vị chủ trì"],
            ["1", "Rà soát dữ liệu", "30", "Văn phòng Sở"], ["2", "Cấp tài khoản", "45", "Phòng TCCB"],
            ["3", "Thanh toán học phí", "90", "Phòng KHTC"]]
    cmap, _ = detect_header(rows)
    assert cmap.columns["duration"] == [2] and "time" not in cmap.columns


def test_unknown_headers_are_reported_and_known_extras_are_not():
    rows = [["STT", "Nội dung nhiệm vụ", "Thời hạn", "Đơn vị chủ trì", "Kinh phí", "Ghi chú", "Mức ưu tiên"],
            ["1", "Cập nhật dữ liệu", "10/2025", "Văn phòng Sở", "20", "", "Cao"],
            ["2", "Rà soát hồ sơ", "11/2025", "Phòng TCCB", "", "", "Thấp"]]
    cmap, _ = detect_header(rows)
    assert cmap.unrecognised == ["Mức ưu tiên"]
    assert [header for header, _ in cmap.extras] == ["Kinh phí", "Ghi chú", "Mức ưu tiên"]


def test_unrelated_tables_are_not_task_tables():
    equipment = [["STT", "Tên thiết bị", "Cấu hình tối thiểu", "Số lượng", "Đơn vị tính"],
                 ["1", "Máy chủ", "CPU 16 nhân, RAM 64GB, ổ cứng SSD 2TB, nguồn dự phòng kép", "2", "Bộ"],
                 ["2", "Màn hình", "Kích thước 75 inch, cảm ứng 20 điểm, độ phân giải 4K UHD", "30", "Cái"]]
    assert detect_header(equipment) is None


def test_start_and_end_sub_columns_and_a_sub_header_that_is_no_task():
    doc = new_document()
    add_table(doc, [
        ["STT", "Nội dung", "Thời gian", "Thời gian", "Đơn vị", "Đơn vị"],
        ["STT", "Nội dung", "Bắt đầu", "Hoàn thành", "Chủ trì", "Phối hợp"],
        ["1", "Triển khai học bạ số", "Tháng 1/2026", "Tháng 5/2026", "Phòng GDTrH", "Các trường"],
    ])
    plan = parse_plan(docx_bytes(doc), "t.docx")
    (task,) = plan.tasks
    assert (task["start_date"], task["due_date"]) == ("2026-01-01", "2026-05-31")
    assert task["lead"] == ["Phòng GDTrH"] and task["cooperating"] == ["Các trường"]
    assert plan.columns[0]["header_rows"] == 2


def test_nested_numbering_makes_groups_not_continuations():
    doc = new_document()
    add_table(doc, [
        ["TT", "Nội dung", "Thời gian", "Đơn vị chủ trì"],
        ["I", "Thống kê", "", ""],
        ["1", "Báo cáo định kỳ", "Năm 2026", "Văn phòng Sở"],
        ["a)", "Báo cáo quý", "Hàng quý", ""],
        ["b)", "Báo cáo năm", "", "Phòng KHTC"],
        ["2", "Tập huấn", "Quý IV/2026", "Văn phòng Sở"],
    ])
    plan = parse_plan(docx_bytes(doc), "t.docx")
    assert [(t["ref"], t["group_path"]) for t in plan.tasks] == [
        ("a", ["Thống kê", "Báo cáo định kỳ"]), ("b", ["Thống kê", "Báo cáo định kỳ"]), ("2", ["Thống kê"])]
    # the parent's own deadline and lead hold for a child that has none
    assert plan.tasks[0]["lead"] == ["Văn phòng Sở"] and plan.tasks[1]["due_date"] == "2026-12-31"
    assert [g["title"] for g in plan.group_rows] == ["Thống kê", "Báo cáo định kỳ"]


@pytest.mark.parametrize("bullet", ["-", "–", "•"])
def test_bullet_rows_under_a_task_stay_list_items_of_its_text(bullet):
    doc = new_document()
    add_table(doc, [
        ["TT", "Nội dung", "Thời gian", "Đơn vị chủ trì"],
        ["1", "Tổng kết năm học", "Trước ngày 30/6/2026", "Văn phòng Sở"],
        ["", f"{bullet} Báo cáo kết quả từng cấp học", "", ""],
        ["", f"{bullet} Đề xuất nhiệm vụ năm học mới", "", ""],
        ["2", "Tổ chức hội nghị tổng kết ngành", "Tháng 8/2026", "Văn phòng Sở"],
    ])
    plan = parse_plan(docx_bytes(doc), "t.docx")
    assert [t["content"] for t in plan.tasks] == [
        "Tổng kết năm học - Báo cáo kết quả từng cấp học - Đề xuất nhiệm vụ năm học mới",
        "Tổ chức hội nghị tổng kết ngành"]


def _workbook(rows, formats=None, hidden_rows=(), hidden_cols=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    for c in hidden_cols:
        ws.column_dimensions[c].hidden = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_excel_month_format_means_the_whole_month_and_hidden_parts_are_ignored():
    data = _workbook(
        [["STT", "Nội dung", "Mã", "Thời gian", "Đơn vị chủ trì"],
         [1, "Cập nhật dữ liệu", "X1", dt.datetime(2026, 6, 1), "Văn phòng Sở"],
         [2, "Nhiệm vụ đã hủy", "X2", dt.datetime(2026, 7, 1), "Văn phòng Sở"],
         [3, "Báo cáo năm", "X3", dt.datetime(2026, 1, 1), "Văn phòng Sở"]],
        formats={"D2": '"Tháng "m/yyyy', "D3": '"Tháng "m/yyyy', "D4": "yyyy"}, hidden_rows=(3,),
        hidden_cols=("C",))
    plan = parse_plan(data, "t.xlsx")
    assert [(t["ref"], t["time_text"], t["start_date"], t["due_date"]) for t in plan.tasks] == [
        ("1", "Tháng 6/2026", "2026-06-01", "2026-06-30"), ("3", "2026", "2026-01-01", "2026-12-31")]
    assert all("Mã" not in t["extra"] for t in plan.tasks)


@pytest.mark.parametrize(("text", "issue", "start", "due", "recurrence"), [
    ("60 ngày kể từ ngày ký", date(2026, 1, 15), None, date(2026, 3, 16), None),
    ("trong 30 ngày", date(2026, 1, 15), None, date(2026, 2, 14), None),
    ("Kể từ khi Kế hoạch có hiệu lực", date(2026, 1, 15), date(2026, 1, 15), None, "ongoing"),
    ("Quý II/2026 (bước 1); Quý IV/2026 (bước 2)", None, date(2026, 4, 1), date(2026, 12, 31), None),
    ("30/6/2026 (có thể điều chỉnh theo tiến độ)", None, None, date(2026, 6, 30), None),
])
def test_time_forms(text, issue, start, due, recurrence):
    parsed = parse_time(text, issue_date=issue)
    assert (parsed.start, parsed.due, parsed.recurrence) == (start, due, recurrence)


def test_relative_time_without_issue_date_warns_and_a_note_is_kept():
    assert parse_time("trong 30 ngày").due is None
    assert "ngày ban hành" in parse_time("trong 30 ngày").warnings[0]
    assert "có thể điều chỉnh" in parse_time("30/6/2026 (có thể điều chỉnh theo tiến độ)").warnings[0]


@pytest.mark.parametrize(("text", "targets"), [
    ("Phủ sóng tại 45 phường", []),
    ("Kiện toàn Tổ công tác 389", []),
    ("Triển khai Nghị quyết 57-NQ/TW và Đề án 06 giai đoạn 2021-2025", []),
    ("Thẩm định dự án trên 5 tỷ đồng", []),
    ("Không quá 45 học sinh/lớp", [{"op": "<=", "value": 45, "max": None, "unit": "học sinh/lớp"}]),
    ("Không ít hơn 12 trường", [{"op": ">=", "value": 12, "max": None, "unit": "trường"}]),
    ("≥ 99,5% trẻ 6 tuổi vào lớp 1", [{"op": ">=", "value": 99.5, "max": None, "unit": "%"}]),
])
def test_numbers_that_are_not_targets(text, targets):
    assert parse_targets_checked(text)[0] == targets


def test_money_is_no_target_but_says_so():
    assert parse_targets_checked("dự án trên 5 tỷ đồng")[1]


def test_an_unnamed_column_beside_the_number_is_its_second_level():
    doc = new_document()
    table = add_table(doc, [
        ["TT", "", "Nội dung", "Thời gian", "Đơn vị thực hiện"],
        ["1", "", "Thống kê giáo dục", "", ""],
        ["", "a", "Báo cáo đầu năm", "10/2025", "Văn phòng Sở (chủ trì), CSGD (phối hợp)"],
        ["", "b", "Báo cáo cuối năm", "6/2026", "Văn phòng Sở"],
    ])
    assert table is not None
    plan = parse_plan(docx_bytes(doc), "t.docx")
    assert [(t["ref"], t["group_path"]) for t in plan.tasks] == [("a", ["Thống kê giáo dục"]),
                                                                 ("b", ["Thống kê giáo dục"])]
    assert plan.tasks[0]["lead"] == ["Văn phòng Sở"] and plan.tasks[0]["cooperating"] == ["CSGD"]
    assert plan.tasks[0]["unit_roles"] == {"Văn phòng Sở": "chủ trì", "CSGD": "phối hợp"}
