"""The import preview shows how the table was read and lets the office read a column otherwise."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from app.importers.plan import parse_plan
from app.services.demo.seed import seed_directory, seed_users
from tests.conftest import csrf_token, login
from tests.unit.test_importers_builders import add_table, docx_bytes, new_document

CORPUS = Path(__file__).resolve().parent.parent / "data" / "appendices"


def _appendix() -> bytes:
    doc = new_document()
    add_table(doc, [
        ["STT", "Nội dung", "Thời hạn", "Đơn vị chủ trì", "Người theo dõi tiến độ"],
        ["1", "Cập nhật dữ liệu học sinh", "10/2025", "Văn phòng Sở", "Phòng QLCL"],
        ["2", "Rà soát hồ sơ giáo viên", "11/2025", "Phòng TCCB", "Văn phòng Sở"],
    ])
    return docx_bytes(doc)


def test_a_chosen_field_wins_over_the_scores():
    data = _appendix()
    assert parse_plan(data, "a.docx").tasks[0]["cooperating"] == []
    plan = parse_plan(data, "a.docx", column_fields={"Người theo dõi tiến độ": "cooperating"})
    assert plan.tasks[0]["cooperating"] == ["Phòng QLCL"]
    column = next(c for c in plan.columns[0]["columns"] if c["field"] == "cooperating")
    assert column["content"] == "chọn khi xem trước"
    ignored = parse_plan(data, "a.docx", column_fields={"Thời hạn": ""})
    assert ignored.tasks[0]["due_date"] is None and ignored.tasks[0]["extra"] == {
        "Thời hạn": "10/2025", "Người theo dõi tiến độ": "Phòng QLCL"}


@pytest.fixture()
def office(db):
    units, _ = seed_directory()
    seed_users(units, "tdnv-demo")
    db.session.commit()


def test_preview_page_explains_and_remaps_columns(client, office):
    login(client, "vanphong", "tdnv-demo")
    token = csrf_token(client, "/plans/")
    response = client.post("/plans/import", data={"file": (io.BytesIO(_appendix()), "a.docx"),
                                                  "csrf_token": token}, content_type="multipart/form-data")
    url = response.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "Cách đọc bảng" in page and "tiêu đề: chu tri" in page
    fields = dict(re.findall(r'name="(colhead-[^"]+)" value="([^"]+)"', page))
    number = next(k for k, v in fields.items() if v == "Người theo dõi tiến độ").removeprefix("colhead-")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "filename": "a.docx", "title": "KH", "remap": "x",
            f"colhead-{number}": "Người theo dõi tiến độ", f"colfield-{number}": "cooperating"}
    remapped = client.post(url.split("?")[0], data=form, follow_redirects=True).get_data(as_text=True)
    assert "chọn khi xem trước" in remapped and "alert-danger" not in remapped


def test_corpus_groups_are_listed_in_the_layout():
    path = CORPUS / "d04_danh_so_long_nhau.docx"
    plan = parse_plan(path.read_bytes(), path.name)
    assert [g["level"] for g in plan.group_rows][:3] == [1, 2, 3]
    assert plan.group_rows[1]["time_text"] == "Năm học 2025-2026"

