"""CSV appendices: UTF-8 with or without BOM, comma or semicolon, quoted multi-line cells, UTF-16."""
from __future__ import annotations

import unicodedata

import pytest

from app.importers import ImportFileError, parse_plan, read_document
from app.importers.plan import MSG_NO_LEAD_COLUMN

CSV_TEXT = (
    "STT,Nhóm nhiệm vụ,Nội dung công việc,Sản phẩm/Chỉ tiêu,Thời gian,Đơn vị chủ trì,Đơn vị phối hợp\r\n"
    '1.,Nhân lực,Kiện toàn tổ chức,"Văn bản kiện toàn",Quý IV/2025,Văn phòng Sở,"Các phòng, CSGD"\r\n'
    '2.,Đề án 06,"Số hóa văn bằng\nvà học bạ","≥98,5% bản ghi xác thực đúng",Thường xuyên,Phòng QLCL,CSGD\r\n'
)


@pytest.mark.parametrize("prefix", [b"\xef\xbb\xbf", b""], ids=["bom", "no-bom"])
def test_utf8_csv(prefix):
    plan = parse_plan(prefix + CSV_TEXT.encode("utf-8"), "phuluc.csv")
    assert [t["ref"] for t in plan.tasks] == ["1", "2"]
    first, second = plan.tasks
    assert first["group"] == "Nhân lực" and first["cooperating"] == ["Các phòng", "CSGD"]
    assert (first["start_date"], first["due_date"]) == ("2025-10-01", "2025-12-31")
    assert second["content"] == "Số hóa văn bằng và học bạ"
    assert second["targets"] == [{"op": ">=", "value": 98.5, "max": None, "unit": "%"}]
    assert second["recurrence"] == "ongoing"
    assert plan.warnings == [] and all(t["warnings"] == [] for t in plan.tasks)


def test_semicolon_csv_with_title_line():
    text = ("KẾ HOẠCH;;;\nChuyển đổi số năm học 2025-2026;;;\n"
            "TT;Nội dung;Thời gian;Đơn vị chủ trì\n1;Tập huấn giáo viên;11/2025;Phòng TCCB\n")
    plan = parse_plan(text.encode("utf-8"), "a.csv")
    assert [(t["ref"], t["due_date"], t["lead"]) for t in plan.tasks] == [("1", "2025-11-30", ["Phòng TCCB"])]
    assert plan.meta["school_year"] == "2025-2026"
    assert plan.meta["title"] == "Chuyển đổi số năm học 2025-2026"


def test_utf16_csv_from_excel_unicode_text():
    data = CSV_TEXT.replace(",", "\t").encode("utf-16")
    rows = read_document(data, "a.txt").tables[0].rows
    assert rows[0][0] == "STT" and rows[1][2] == "Kiện toàn tổ chức"


def test_legacy_8bit_csv_is_refused_with_advice():
    with pytest.raises(ImportFileError, match="UTF-8"):
        parse_plan(unicodedata.normalize("NFD", CSV_TEXT).encode("cp1258", "replace"), "a.csv")


def test_csv_without_task_table():
    with pytest.raises(ImportFileError, match="Không tìm thấy bảng nhiệm vụ"):
        parse_plan("Họ tên,Ngày sinh\nNguyễn Văn A,01/01/1990\n".encode(), "a.csv")


def test_semicolon_csv_with_commas_inside_cells():
    text = ("STT;Nội dung;Thời gian;Đơn vị chủ trì;Đơn vị phối hợp\n"
            "1;Rà soát, cập nhật dữ liệu, báo cáo;10/2025;Văn phòng Sở;Các phòng, CSGD\n"
            "2;Tập huấn;11/2025;Phòng TCCB;CSGD, Các trường\n")
    plan = parse_plan(text.encode("utf-8"), "a.csv")
    assert plan.tasks[0]["content"] == "Rà soát, cập nhật dữ liệu, báo cáo"
    assert plan.tasks[1]["cooperating"] == ["CSGD", "Các trường"]


def test_table_without_lead_column_warns_once():
    plan = parse_plan("STT,Nội dung,Thời gian\n1,Việc một,10/2025\n2,Việc hai,11/2025\n".encode(), "a.csv")
    assert plan.warnings == [MSG_NO_LEAD_COLUMN]
    assert all(t["warnings"] == [] and t["lead"] == [] for t in plan.tasks)
