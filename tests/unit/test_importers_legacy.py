"""Documents typed in the legacy TCVN3 (ABC) encoding are converted once and reported."""
from __future__ import annotations

import unicodedata

from app.importers import parse_plan
from app.parsing.text import TCVN3_TO_UNICODE
from tests.unit.test_importers_builders import add_table, docx_bytes, new_document

_TO_TCVN3 = {v: k for k, v in TCVN3_TO_UNICODE.items()}


def tcvn3(text: str) -> str:
    """Text as a .VnTime document stores it (upper-case toned letters reuse the lower-case codes)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TO_TCVN3:
            out.append(_TO_TCVN3[ch])
        elif ch.lower() in _TO_TCVN3 and ch.lower() not in "aeiouy":
            out.append(_TO_TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def test_tcvn3_document_is_converted():
    rows = [
        ["STT", "Nội dung công việc", "Thời gian", "Đơn vị chủ trì", "Đơn vị phối hợp"],
        ["1", "Kiện toàn bộ phận phụ trách chuyển đổi số", "Quý IV/2025", "Văn phòng Sở", "Các phòng"],
        ["2", "Tập huấn kỹ năng số cho giáo viên", "Thường xuyên", "Phòng TCCB", "CSGD"],
    ]
    doc = new_document()
    doc.add_paragraph(tcvn3("Kế hoạch thực hiện nhiệm vụ năm học 2025-2026"))
    add_table(doc, [[tcvn3(cell) for cell in row] for row in rows])
    plan = parse_plan(docx_bytes(doc), "cu.docx")
    assert plan.warnings == ["Văn bản được gõ bằng mã TCVN3 (ABC) và đã được chuyển sang Unicode."]
    assert [t["content"] for t in plan.tasks] == [rows[1][1], rows[2][1]]
    assert plan.tasks[0]["lead"] == ["Văn phòng Sở"]
    assert plan.tasks[0]["due_date"] == "2025-12-31"
    assert plan.tasks[1]["recurrence"] == "ongoing"


def test_unicode_document_is_not_touched():
    doc = new_document()
    add_table(
        doc, [["STT", "Nội dung", "Thời gian", "Chủ trì"], ["1", "Số hóa học bạ", "12/2025", "Văn phòng Sở"]]
    )
    plan = parse_plan(docx_bytes(doc), "moi.docx")
    assert plan.warnings == [] and plan.tasks[0]["content"] == "Số hóa học bạ"
