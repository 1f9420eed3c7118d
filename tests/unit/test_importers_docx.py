"""Word appendices of real shapes, built with python-docx: headers, merges, groups, split tables."""
from __future__ import annotations

import pytest

from app.importers import parse_plan, read_document
from tests.unit.test_importers_builders import add_table, docx_bytes, merge, new_document, page_break

HEADER_TOP = ["STT", "Nhóm nhiệm vụ", "Nội dung công việc", "Sản phẩm/Chỉ tiêu", "Thời gian thực hiện",
              "Đơn vị thực hiện", ""]
HEADER_SUB = ["", "", "", "", "", "Chủ trì", "Phối hợp"]


def _two_row_header_table(doc, body: list[list[str]], numbering: bool = False):
    rows = [HEADER_TOP, HEADER_SUB] + ([[f"({i})" for i in range(1, 8)]] if numbering else []) + body
    table = add_table(doc, rows)
    merge(table, 0, 5, 0, 6, "Đơn vị thực hiện")
    for col in range(5):
        merge(table, 0, col, 1, col)
    return table


def plan_document() -> bytes:
    """A plan with a header block, prose, a legal-texts table, and an appendix split over two tables."""
    doc = new_document()
    add_table(doc, [["UBND THÀNH PHỐ HẢI PHÒNG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 1295/KH-SGDĐT",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                     "Hải Phòng, ngày 20 tháng 10 năm 2025"]])
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Thực hiện nhiệm vụ chuyển đổi số năm học 2025-2026")
    doc.add_paragraph("Căn cứ các văn bản sau đây, Sở GDĐT ban hành kế hoạch như sau.")
    add_table(doc, [
        ["STT", "Tên văn bản", "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành"],
        ["1", "Luật Dữ liệu", "60/2024/QH15", "30/11/2024", "Quốc hội"],
        ["2", "Nghị định bảo vệ dữ liệu cá nhân", "13/2023/NĐ-CP", "17/4/2023", "Chính phủ"],
    ])
    doc.add_paragraph("PHỤ LỤC")
    first = _two_row_header_table(doc, [
        ["1.", "Nhân lực", "Kiện toàn bộ phận phụ trách chuyển đổi số", "Quyết định kiện toàn", "Quý IV/2025",
         "Văn phòng Sở", "Các phòng, CSGD"],
        ["2.", "", "Tập huấn chuyển đổi số cho cán bộ quản lý", "≥70% CBQL được tập huấn", "11-12/2025",
         "Phòng TCCB", "CSGD"],
        ["3.", "Hạ tầng số", "Rà soát hạ tầng mạng\ntại các cơ sở giáo dục", "100% trường có Internet",
         "Thường xuyên", "Văn phòng Sở", "- Các phòng\n- CSGD"],
        ["", "", "và báo cáo kết quả", "", "", "", ""],
    ], numbering=True)
    merge(first, 3, 1, 4, 1, "Nhân lực")  # a vertically merged Nhóm cell
    merge(first, 5, 1, 6, 1, "Hạ tầng số")
    page_break(doc)
    _two_row_header_table(doc, [
        ["4.", "Đề án 06", "Số hóa văn bằng, chứng chỉ", "Bộ dữ liệu văn bằng số hóa", "12/2025",
         "Phòng QLCL", "Văn phòng"],
        ["5.", "Đề án 06", "Dịch vụ công trực tuyến cấp bản sao văn bằng", "100% hồ sơ trực tuyến",
         "Quý I/2026", "Phòng QLCL", "CSGD"],
    ])
    doc.add_paragraph("Nơi nhận:")
    add_table(doc, [["- Như trên;\n- Lưu: VT.", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLương Văn Việt"]])
    return docx_bytes(doc)


@pytest.fixture(scope="module")
def plan():
    return parse_plan(plan_document(), "kehoach.docx")


def test_grid_expands_merges_and_joins_paragraphs():
    tables = read_document(plan_document(), "kehoach.docx").tables
    assert len(tables) == 5
    appendix = tables[2].rows
    assert appendix[0][5] == appendix[0][6] == "Đơn vị thực hiện"  # gridSpan repeated
    assert appendix[1][0] == "STT"  # vMerge continued downwards
    assert [row[1] for row in appendix[3:7]] == ["Nhân lực", "Nhân lực", "Hạ tầng số", "Hạ tầng số"]
    assert appendix[5][2] == "Rà soát hạ tầng mạng\ntại các cơ sở giáo dục"


def test_tasks_from_both_tables(plan):
    assert [t["ref"] for t in plan.tasks] == ["1", "2", "3", "4", "5"]
    assert [t["group"] for t in plan.tasks] == ["Nhân lực", "Nhân lực", "Hạ tầng số", "Đề án 06", "Đề án 06"]


def test_two_row_header_columns(plan):
    first = plan.tasks[0]
    assert first["lead"] == ["Văn phòng Sở"]
    assert first["cooperating"] == ["Các phòng", "CSGD"]
    assert (first["start_date"], first["due_date"]) == ("2025-10-01", "2025-12-31")
    assert first["extra"] == {}


def test_continuation_row_and_bullets(plan):
    third = plan.tasks[2]
    assert third["content"] == "Rà soát hạ tầng mạng tại các cơ sở giáo dục và báo cáo kết quả"
    assert third["cooperating"] == ["Các phòng", "CSGD"]
    assert third["recurrence"] == "ongoing"


def test_targets_from_product_cell(plan):
    assert plan.tasks[1]["targets"] == [{"op": ">=", "value": 70, "max": None, "unit": "%"}]
    assert plan.tasks[1]["start_date"] == "2025-11-01"


def test_no_warnings_on_clear_rows(plan):
    assert plan.warnings == []
    assert all(t["warnings"] == [] for t in plan.tasks)


def test_meta_from_header_block(plan):
    assert plan.meta == {
        "number": "1295/KH-SGDĐT",
        "date": "2025-10-20",
        "title": "Thực hiện nhiệm vụ chuyển đổi số năm học 2025-2026",
        "school_year": "2025-2026",
        "issuer": "Sở Giáo dục và Đào tạo Hải Phòng",
    }


def grouped_document() -> bytes:
    """No Nhóm column: letter, Roman-numeral and numbered group rows (three levels)."""
    doc = new_document()
    rows = [
        ["TT", "Nội dung", "Sản phẩm", "Thời gian", "Đơn vị chủ trì", "Đơn vị phối hợp", "Ghi chú"],
        ["1", "2", "3", "4", "5", "6", "7"],
        ["A", "CCCS XÂY DỰNG CƠ CHẾ, CHÍNH SÁCH", "", "", "", "", ""],
        ["I", "Về phát triển dữ liệu số (03)", "", "", "", "", ""],
        ["1", "Cơ sở dữ liệu ngành", "", "", "", "", ""],
        ["1.1", "Cập nhật dữ liệu học sinh", "100% hồ sơ", "10/2025", "Văn phòng Sở", "CSGD", ""],
        ["1.2", "Cập nhật dữ liệu giáo viên", "", "11/2025", "Phòng TCCB", "CSGD", "Ưu tiên"],
        ["2", "Kết nối kho dữ liệu dùng chung", "", "Quý IV/2025", "Văn phòng Sở", "", ""],
        ["II.", "Về nhận thức số (07 nhiệm vụ)", "", "", "", "", ""],
        ["3", "Tuyên truyền chuyển đổi số", "", "Thường xuyên", "Văn phòng Sở", "CSGD", ""],
        ["B", "NTS PHÁT TRIỂN NỀN TẢNG CHO CHUYỂN ĐỔI SỐ", "", "", "", "", ""],
        ["4", "Nâng cấp hạ tầng mạng", "", "Năm 2026", "Văn phòng Sở", "", ""],
        ["Nhiệm vụ khác", "", "", "", "", "", ""],
        ["5", "Hỗ trợ kỹ thuật", "", "Hàng quý", "Văn phòng Sở", "", ""],
    ]
    table = add_table(doc, rows)
    for r in (2, 3, 4, 8, 10):
        merge(table, r, 1, r, 6)
    merge(table, 12, 0, 12, 6)
    return docx_bytes(doc)


def test_three_levels_of_groups():
    plan = parse_plan(grouped_document(), "nhom.docx")
    groups = {t["ref"]: t["group"] for t in plan.tasks}
    assert groups == {
        "1.1": "Cơ sở dữ liệu ngành",
        "1.2": "Cơ sở dữ liệu ngành",
        "2": "Về phát triển dữ liệu số",
        "3": "Về nhận thức số",
        "4": "NTS PHÁT TRIỂN NỀN TẢNG CHO CHUYỂN ĐỔI SỐ",
        "5": "Nhiệm vụ khác",
    }
    assert plan.tasks[1]["extra"] == {"Ghi chú": "Ưu tiên"}
    assert plan.tasks[-1]["recurrence"] == "quarterly"
    assert plan.warnings == []


def test_headerless_continuation_table_and_repeated_header_rows():
    doc = new_document()
    header = ["Số TT", "Nội dung nhiệm vụ", "Tiến độ", "Cơ quan chủ trì"]
    add_table(doc, [header, ["1", "Nhiệm vụ một", "10/2025", "Văn phòng Sở"],
                    header, ["2", "Nhiệm vụ hai", "11/2025", "Phòng QLCL"]])
    doc.add_paragraph("")
    add_table(
        doc, [["", "(tiếp theo của nhiệm vụ hai)", "", ""], ["3", "Nhiệm vụ ba", "12/2025", "Phòng TCCB"]]
    )
    plan = parse_plan(docx_bytes(doc), "a.docx")
    assert [(t["ref"], t["content"]) for t in plan.tasks] == [
        ("1", "Nhiệm vụ một"), ("2", "Nhiệm vụ hai (tiếp theo của nhiệm vụ hai)"), ("3", "Nhiệm vụ ba")]
    assert plan.tasks[2]["lead"] == ["Phòng TCCB"]


def test_row_without_content_is_skipped_with_a_document_warning():
    doc = new_document()
    add_table(doc, [["STT", "Nội dung", "Thời gian", "Đơn vị chủ trì"],
                    ["1", "Nhiệm vụ một", "10/2025", "Văn phòng Sở"],
                    ["2", "", "11/2025", "Phòng QLCL"]])
    plan = parse_plan(docx_bytes(doc), "a.docx")
    assert [t["ref"] for t in plan.tasks] == ["1"]
    assert plan.warnings == ["Bỏ qua dòng 3 của bảng 1 (STT 2): dòng không có nội dung nhiệm vụ."]


def test_symbol_font_and_line_breaks_in_cells():
    doc = new_document()
    table = add_table(doc, [["STT", "Nội dung", "Chỉ tiêu", "Thời gian", "Chủ trì"],
                            ["1", "Nhiệm vụ", "", "10/2025", "Văn phòng Sở"]])
    paragraph = table.cell(1, 2).paragraphs[0]
    run = paragraph.add_run()
    sym = run._r.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sym",
        {"{http://schemas.openxmlformats.org/wordprocessingml/2006/main}font": "Symbol",
         "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}char": "F0B3"},
    )
    run._r.append(sym)
    paragraph.add_run("90% trường")
    plan = parse_plan(docx_bytes(doc), "a.docx")
    assert plan.tasks[0]["product"] == "≥90% trường"
    assert plan.tasks[0]["targets"][0]["op"] == ">="
