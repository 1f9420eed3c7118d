"""The Nghị định 30 layout of every document, reopened with python-docx: margins, page numbers,
signature block, file properties and language, appendix and recipients, order and counts."""
import io
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from app.exporters import docx_admin
from app.exporters.collation import vn_sort_key
from app.exporters.docx_fit import fit_widths, longest_token_mm
from app.exporters.evaluation_docx import evaluation_docx
from app.exporters.matrix_docx import export_matrix_docx
from app.exporters.overdue_docx import OverdueLine, OverdueReport, overdue_docx
from app.exporters.report_docx import TONG_KET, report_docx
from app.services.reporting.dashboard_documents import letterhead, period_end
from tests.unit.test_exporters_docs import HEAD, evaluation_sample, overdue_sample, report_sample
from tests.unit.test_matrix_exporters import sample as matrix_sample


def documents() -> dict[str, bytes]:
    tong_ket = report_sample()
    tong_ket.period, tong_ket.kind = TONG_KET, "Tổng kết năm học 2025-2026"
    return {"evaluation": evaluation_docx(evaluation_sample()), "report": report_docx(report_sample()),
            "tong_ket": report_docx(tong_ket), "overdue": overdue_docx(overdue_sample()),
            "matrix": export_matrix_docx(matrix_sample(units=30, tasks=4)),
            "matrix_rows": export_matrix_docx(matrix_sample(units=50, tasks=4))}


@pytest.fixture(scope="module")
def opened():
    return {name: Document(io.BytesIO(data)) for name, data in documents().items()}


def text_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["evaluation", "report", "tong_ket", "overdue", "matrix", "matrix_rows"])
def test_margins_page_numbers_language_and_mode(opened, name):
    document = opened[name]
    for section in document.sections:  # the decree's ranges, landscape sections included
        sides = ("left", "right", "top", "bottom")
        mm = {side: round(getattr(section, f"{side}_margin") / Mm(1)) for side in sides}
        assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
        assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    first = document.sections[0]
    assert first.different_first_page_header_footer  # no number on page 1
    header = first.header._element.xml
    assert "PAGE" in header and 'w:fldCharType="begin"' in header
    assert first.header.paragraphs[0].alignment == 1  # centred
    for later in document.sections[1:]:  # numbers continue on the appendix's first page
        assert not later.different_first_page_header_footer and later.header.is_linked_to_previous
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    default_lang = defaults.find(qn("w:lang"))
    assert default_lang.get(qn("w:val")) == "vi-VN"
    normal_lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal_lang.get(qn("w:val")) == "vi-VN"
    modes = [s.get(qn("w:val")) for s in document.settings.element.iter(qn("w:compatSetting"))
             if s.get(qn("w:name")) == "compatibilityMode"]
    assert modes == ["15"]


@pytest.mark.parametrize("name", ["evaluation", "report", "overdue", "matrix"])
def test_file_properties(opened, name):
    props = opened[name].core_properties
    assert props.author == "Sở Giáo dục và Đào tạo" and props.language == "vi-VN"
    created = props.created.replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)


def test_company_property():
    document = Document(io.BytesIO(report_docx(report_sample())))
    app_xml = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml")
    assert "<Company>Sở Giáo dục và Đào tạo</Company>".encode() in app_xml.blob


@pytest.mark.parametrize("name", ["report", "overdue"])
def test_signature_block_spans_the_text_and_signs_at_the_right(opened, name):
    document = opened[name]
    table = next(t for t in document.tables if "Nơi nhận:" in t.cell(0, 0).text)
    section = document.sections[0] if name == "report" else document.sections[-1]
    usable = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    widths = [c.width / Mm(1) for c in table.columns]
    assert abs(sum(widths) - usable) < 1 and widths[1] <= usable / 2
    assert "KT. GIÁM ĐỐC" in table.cell(0, 1).text and "Trịnh Đình Hải" in table.cell(0, 1).text


def test_report_recipients_and_appendix(opened):
    text = text_of(opened["report"])
    assert "Như trên" not in text
    for line in ("- Bộ GDĐT (để b/c);", "- UBND thành phố (để b/c);", "- Lãnh đạo Sở;", "- Lưu: VT, VP."):
        assert line in text
    paragraphs = [p.text for p in opened["report"].paragraphs]
    start = paragraphs.index("Phụ lục 01")
    reference = "(Kèm theo Báo cáo số …/BC-SGDĐT ngày 20/10/2025 của Sở Giáo dục và Đào tạo)"
    assert paragraphs[start + 2] == reference
    assert text.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 1  # the appendix has no letterhead
    assert text.count("KT. GIÁM ĐỐC") == 1


def test_so_ket_and_tong_ket_are_different_documents(opened):
    so_ket, tong_ket = text_of(opened["report"]), text_of(opened["tong_ket"])
    assert "Số liệu tính đến ngày 05/01/2026" in so_ket and "theo học kỳ I" in so_ket
    assert "5. Phương hướng nhiệm vụ trọng tâm học kỳ II" in so_ket and "bài học kinh nghiệm" not in so_ket
    assert "theo năm học" in tong_ket and "5. Đánh giá chung, bài học kinh nghiệm" in tong_ket
    assert "Đến hết năm học, đã hoàn thành 1.500/1.700 lượt nhiệm vụ" in tong_ket


def test_count_tables_end_with_a_total_row(opened):
    tables = [t for t in opened["report"].tables if t.rows[0].cells[-1].text == "Tỷ lệ hoàn thành"]
    by_group, by_unit = tables
    assert [c.text for c in by_group.rows[-1].cells][1:4] == ["Tổng cộng", "1.700", "1.200"]
    assert by_unit.rows[-1].cells[1].text == "Tổng cộng" and len(by_unit.rows) == 1 + 60 + 1
    assert by_unit.rows[-1].cells[2].text == "840"  # 60 units × 14


@pytest.mark.parametrize(("kind", "school_year", "calendar", "today", "expected"), [
    ("so_ket", "2025-2026", None, date(2026, 3, 1), date(2026, 1, 18)),
    ("tong_ket", "2025-2026", None, date(2026, 7, 1), date(2026, 5, 31)),
    ("so_ket", "2025-2026", {"semester1_end": [1, 10]}, date(2026, 3, 1), date(2026, 1, 10)),
    ("so_ket", None, None, date(2025, 12, 1), date(2026, 1, 18)),
    ("tong_ket", None, None, date(2026, 2, 1), date(2026, 5, 31)),
])
def test_reports_count_to_the_period_end(kind, school_year, calendar, today, expected):
    plan = SimpleNamespace(school_year=school_year, calendar=calendar)
    assert period_end(plan, kind, today) == expected


def test_vietnamese_order_puts_d_before_dd():
    names = ["Trường THPT Vĩnh Bảo", "Trường THPT Đồ Sơn", "Trường THPT Dương Kinh", "Trường THPT Số 10",
             "Trường THPT Số 2", "Trường THPT An Lão", "Trường THPT Đa Phúc"]
    assert sorted(names, key=vn_sort_key) == [
        "Trường THPT An Lão", "Trường THPT Dương Kinh", "Trường THPT Đa Phúc", "Trường THPT Đồ Sơn",
        "Trường THPT Số 2", "Trường THPT Số 10", "Trường THPT Vĩnh Bảo"]
    assert sorted(["má", "mà", "ma", "mạ"], key=vn_sort_key) == ["ma", "mà", "má", "mạ"]


def test_overdue_rows_follow_the_plan_order_and_units_the_alphabet():
    def line(ref, position, unit):
        return OverdueLine("1295/KH-SGDĐT", ref, f"Nhiệm vụ {ref}", unit, "Văn phòng", date(2025, 10, 31),
                           None, 5, None, None, position=position)

    report = OverdueReport(as_of=date(2025, 11, 5), letterhead=HEAD, lines=[
        line("10", 10, "Trường THPT Vĩnh Bảo"), line("9", 9, "Trường THPT Đồ Sơn"),
        line("9", 9, "Trường THPT Dương Kinh")])
    table = Document(io.BytesIO(overdue_docx(report))).tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[2][1] == "9. Nhiệm vụ 9" and rows[3][1] == "10. Nhiệm vụ 10"
    assert rows[2][4] == "2 đơn vị: Trường THPT Dương Kinh, Trường THPT Đồ Sơn"
    text = text_of(Document(io.BytesIO(overdue_docx(report))))
    assert "tại 3 đơn vị" in text and rows[-1][1] == "Tổng cộng: 2 nhiệm vụ, 3 lượt quá hạn tại 3 đơn vị"


def test_widths_hold_the_longest_token_of_each_column():
    headers = ["TT", "Nội dung", "Thời hạn", "Số hiệu"]
    rows = [["VII", "một nội dung dài " * 30, "15/01/2026", "1295/KH\u2011SGDĐT"]]
    widths = fit_widths(headers, rows, 252, size=12)
    assert abs(sum(widths) - 252) < 0.01
    for index, token in enumerate(["VII", "nội", "15/01/2026", "1295/KH\u2011SGDĐT"]):
        assert widths[index] > longest_token_mm(token, 12) + 3.8
    assert widths[1] == max(widths)


def test_signer_from_the_settings(app, db):
    with app.app_context():
        head = letterhead(date(2026, 1, 5), overrides={"signer_titles": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                                                       "signer_name": "Nguyễn Văn A", "author": ""})
    assert head.signer_titles == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC") and head.signer_name == "Nguyễn Văn A"
    assert docx_admin.signer_titles("GIÁM ĐỐC") == ("GIÁM ĐỐC",)
