"""The documents TDNV writes, reopened with python-docx, and converted to PDF as a user would."""
import io
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from app.exporters import docx_admin
from app.exporters.evaluation_docx import (
    DONE,
    IN_PROGRESS,
    MOSTLY_DONE,
    STOPPED,
    Evaluation,
    EvaluationGroup,
    EvaluationRow,
    evaluation_docx,
    summary_lines,
)
from app.exporters.overdue_docx import OverdueLine, OverdueReport, overdue_docx
from app.exporters.report_docx import CountRow, ReportData, report_docx

ISSUED = date(2025, 10, 20)
HEAD = docx_admin.Letterhead(issued_on=ISSUED, signer_name="Trịnh Đình Hải")


def evaluation_sample() -> Evaluation:
    rows = [
        EvaluationRow(
            str(i),
            f"Nhiệm vụ số {i}; có dấu phẩy, chấm phẩy",
            "Phòng GDPT",
            "Các trường",
            "Quý IV/2025",
            "Đã triển khai",
            DONE if i <= 9 else IN_PROGRESS,
        )
        for i in range(1, 13)
    ]
    return Evaluation(
        title="Đánh giá tình hình thực hiện các nhiệm vụ năm học 2025-2026",
        groups=[EvaluationGroup("Nhận thức số", rows[:7]), EvaluationGroup("Thể chế số", rows[7:])],
        letterhead=HEAD,
        intro="Kế hoạch số 1295/KH-SGDĐT đặt ra 12 nhiệm vụ.",
    )


def report_sample() -> ReportData:
    return ReportData(
        kind="Sơ kết học kỳ I năm học 2025-2026",
        subject="thực hiện Kế hoạch số 1295/KH-SGDĐT",
        as_of=date(2026, 1, 5),
        totals=CountRow("Tổng", 1200, 300, 150, 50),
        tasks=25,
        groups=7,
        units=1700,
        ongoing=34,
        by_group=[CountRow("Hạ tầng số", 400, 100, 50, 20), CountRow("Dữ liệu số", 800, 200, 100, 30)],
        by_unit=[CountRow(f"Trường THPT Số {i}", 10, 2, 1, i % 3) for i in range(60)],
        overdue_units=[("Trường THPT Số 2", 2)],
        upcoming=[(date(2026, 1, 10), "Báo cáo sơ kết học kỳ I", 1700)],
        checkins=CountRow("Kỳ báo cáo", 20, 4, 3, 2),
        targets_met=98,
        targets_not_met=2,
        letterhead=HEAD,
    )


def overdue_sample() -> OverdueReport:
    lines = [OverdueLine("1295/KH-SGDĐT", "9", "Cấp phát email công vụ", f"THPT Số {i}", "Văn phòng",
                         date(2025, 10, 31), date(2025, 10, 15) if i == 0 else None, 20 + i, None,
                         date(2025, 12, 15) if i == 1 else None) for i in range(40)]
    return OverdueReport(as_of=date(2025, 11, 20), lines=lines, letterhead=HEAD, scope_label="Toàn Sở")


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("day,text", [
    (date(2025, 10, 20), "Hải Phòng, ngày 20 tháng 10 năm 2025"),
    (date(2026, 1, 5), "Hải Phòng, ngày 05 tháng 01 năm 2026"),
    (date(2026, 3, 9), "Hải Phòng, ngày 09 tháng 3 năm 2026"),
])
def test_place_and_date_line(day, text):
    assert docx_admin.place_and_date("Hải Phòng", day) == text


def test_roman_numerals():
    assert [docx_admin.roman(n) for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]


def test_summary_lines_are_computed_from_the_rows():
    groups = evaluation_sample().groups
    assert summary_lines(groups) == [
        "- Có 09/12 nhiệm vụ hoàn thành, đạt 75%;",
        "- Có 03/12 nhiệm vụ đang thực hiện, chưa hoàn thành, chiếm 25%;",
        "- Có 00/12 nhiệm vụ dừng triển khai, chiếm 0%.",
    ]
    groups[1].rows[0].assessment = MOSTLY_DONE
    groups[1].rows[-1].assessment = STOPPED
    lines = summary_lines(groups)
    assert "- Có 01/12 nhiệm vụ cơ bản hoàn thành, chiếm 8,3%;" in lines
    assert lines[-1] == "- Có 01/12 nhiệm vụ dừng triển khai, chiếm 8,3%."


def test_evaluation_table_shape():
    document = Document(io.BytesIO(evaluation_docx(evaluation_sample())))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and abs(section.page_width - Mm(297)) < Mm(1)
    assert document.styles["Normal"].font.name == "Times New Roman"
    # an appendix of a report: numbered, names its report, no letterhead or signature of its own
    assert len(document.tables) == 1
    assert [p.text for p in document.paragraphs[:3]] == [
        "Phụ lục 01", "ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ NĂM HỌC 2025-2026",
        "(Kèm theo Báo cáo số …/BC-SGDĐT ngày 20/10/2025 của Sở Giáo dục và Đào tạo)"]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "TT",
        "Nội dung/Mục tiêu",
        "Chủ trì",
        "Phối hợp",
        "Thời gian",
        "Kết quả",
        "Đánh giá",
        "Ghi chú",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1].cells[0].text == "I" and table.rows[1].cells[1].text == "Nhận thức số (07 nhiệm vụ)"
    assert table.rows[9].cells[0].text == "II"
    assert table.rows[2].cells[1].text == "Nhiệm vụ số 1; có dấu phẩy, chấm phẩy"
    text = all_text(document)
    assert "- Có 09/12 nhiệm vụ hoàn thành, đạt 75%;" in text
    assert "CỘNG HÒA XÃ HỘI" not in text and "KT. GIÁM ĐỐC" not in text and "Nơi nhận:" not in text


def test_report_follows_the_outline_with_figures_and_placeholders():
    document = Document(io.BytesIO(report_docx(report_sample())))
    text = all_text(document)
    headings = ["1. Công tác lãnh đạo, triển khai", "2. Kết quả thực hiện các nhiệm vụ, giải pháp",
                "3. Công tác báo cáo định kỳ", "4. Khó khăn, vướng mắc", "5. Phương hướng nhiệm vụ trọng tâm",
                "6. Đề xuất, kiến nghị"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "giao cho 1.700 đơn vị" in text
    assert "tỷ lệ hoàn thành đạt 88,2% (1.500/1.700" in text
    assert "- Hoàn thành đúng hạn: 1.200/1.700 lượt nhiệm vụ, chiếm 70,6%;" in text
    assert text.count("[Đơn vị bổ sung nội dung") == 6
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE  # the by-unit appendix
    assert "Trường THPT Số 59" in text


def test_overdue_document_groups_units_per_task():
    document = Document(io.BytesIO(overdue_docx(overdue_sample())))
    text = all_text(document)
    assert "DANH SÁCH NHIỆM VỤ QUÁ HẠN" in text and "(Tính đến ngày 20/11/2025 - Toàn Sở)" in text
    assert "- Có 40 lượt nhiệm vụ quá hạn tại 40 đơn vị, thuộc 1 kế hoạch;" in text
    table = document.tables[1]
    assert table.rows[1].cells[1].text == "1295/KH-SGDĐT"
    row = [c.text for c in table.rows[2].cells]
    # units in Vietnamese alphabetical order (the old list began with the longest overdue: a bug),
    # ranges with a non-breaking hyphen so "20-59" never breaks at the hyphen
    assert row[1] == "9. Cấp phát email công vụ"
    assert row[4].startswith("40 đơn vị: THPT Số 0, THPT Số 1, THPT Số 2,")
    assert row[5] == "20\u201159" and "ban đầu 15/10/2025" in row[3] and row[7] == "1 đề nghị chờ duyệt"
    assert table.rows[-1].cells[1].text == "Tổng cộng: 1 nhiệm vụ, 40 lượt quá hạn tại 40 đơn vị"


