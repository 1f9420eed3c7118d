"""The same appendix imported again in another format (.xlsx after .docx) is a duplicate by content:
the preview names the earlier plan with a link and the import is refused; a changed task is not."""
import io
import re

import pytest
from docx import Document
from openpyxl import Workbook

from app.extensions import db as _db
from app.models import Plan
from app.services.plans import duplicates, plan_import
from tests.conftest import csrf_token, login
from tests.factories import UnitFactory, UserFactory

HEADER = ["STT", "Nội dung công việc", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp"]
ROWS = [
    ["1", "Rà soát, cập nhật cơ sở dữ liệu ngành giáo dục", "Tháng 3/2026", "Phòng QLCL", "Phòng GDPT"],
    ["2", "Tổ chức tập huấn chuyển đổi số cho giáo viên", "Trước 30/4/2026", "Phòng GDPT", "Phòng QLCL"],
    ["3", "Báo cáo sơ kết học kỳ I", "Tháng 1/2026", "Phòng QLCL", ""],
]


def _docx(rows) -> bytes:
    document = Document()
    document.add_paragraph("PHỤ LỤC: NHIỆM VỤ TRỌNG TÂM")
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        # typed differently in the sheet: extra spaces, no comma after "Rà soát"
        sheet.append([row[0], "  " + row[1].replace(",", "") + " ", *row[2:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture()
def office(db):
    UnitFactory(code="QLCL", name="Phòng Quản lý chất lượng", short_name="Phòng QLCL")
    UnitFactory(code="GDPT", name="Phòng Giáo dục phổ thông", short_name="Phòng GDPT")
    office_unit = UnitFactory(kind="office", name="Văn phòng Sở")
    user = UserFactory(username="vanphong", role="office", unit=office_unit)
    _db.session.commit()
    return user


def test_the_fingerprint_ignores_format_spacing_and_punctuation_not_content():
    task = {"content": "Rà soát, cập nhật CSDL", "due_date": "2026-03-31", "lead": ["Phòng QLCL"],
            "cooperating": ["Phòng GDPT"]}
    same = {"content": "  ra soat cap nhat  CSDL.", "due_date": "2026-03-31", "lead": ["phòng qlcl"],
            "cooperating": ["Phòng GDPT"]}
    assert duplicates.content_fingerprint([task]) == duplicates.content_fingerprint([same])
    for change in ({"due_date": "2026-04-30"}, {"content": "Rà soát CSDL"}, {"cooperating": []}):
        assert duplicates.content_fingerprint([task]) != duplicates.content_fingerprint([{**task, **change}])
    assert duplicates.content_fingerprint([]) is None


def test_xlsx_after_docx_is_flagged_and_refused(office):
    docx, xlsx = _docx(ROWS), _xlsx(ROWS)
    first = plan_import.import_plan(office, docx, "phu-luc.docx", meta={"title": "Kế hoạch trọng tâm"})
    _db.session.commit()
    assert first.content_fingerprint
    preview = plan_import.build_preview(xlsx, "phu-luc.xlsx")
    assert len(preview.rows) == 3
    assert preview.duplicate_of == first and preview.duplicate_by == duplicates.BY_CONTENT
    with pytest.raises(Exception, match="Nội dung phụ lục này"):
        plan_import.import_plan(office, xlsx, "phu-luc.xlsx")
    _db.session.rollback()
    changed = [row[:] for row in ROWS]
    changed[2][2] = "Tháng 2/2026"
    assert plan_import.build_preview(_xlsx(changed), "phu-luc.xlsx").duplicate_of is None
    assert plan_import.build_preview(docx, "lai.docx").duplicate_by == duplicates.BY_FILE


def test_the_preview_names_the_earlier_plan_with_a_link(client, office):
    plan_import.import_plan(office, _docx(ROWS), "phu-luc.docx", meta={"title": "Kế hoạch trọng tâm"})
    _db.session.commit()
    plan = _db.session.query(Plan).one()
    login(client, "vanphong")
    token = csrf_token(client, "/plans/")
    response = client.post("/plans/import", data={"csrf_token": token,
                                                  "file": (io.BytesIO(_xlsx(ROWS)), "phu-luc.xlsx")})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-duplicate="content"' in html and "Nội dung phụ lục này" in html
    assert f'href="/plans/{plan.id}"' in html
    assert re.search(r'<input[^>]*disabled[^>]*name="confirm"|<input[^>]*name="confirm"[^>]*disabled', html)
