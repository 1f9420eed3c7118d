"""The web preview lets the office fix a wrong group/task decision before confirming (issue 11)."""
import html
import io
import re

import pytest
from docx import Document
from sqlalchemy import select

from app.importers.plan_table import FORCED_REASON
from app.models import Plan, Task
from app.services.demo.seed import seed_directory, seed_users
from tests.conftest import csrf_token, login
from tests.unit.test_row_kinds import GROUP_ROW, ROWS, TASK_ROW

_HIDDEN = re.compile(r'<input type="hidden" name="((?:grouprow|taskrow|kindloc|kind)-\d+)" value="([^"]*)"')


@pytest.fixture()
def directory(db):
    units, _ = seed_directory()
    seed_users(units, "tdnv-demo")
    db.session.commit()


def _docx() -> bytes:
    doc = Document()
    table = doc.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for row, texts in zip(table.rows, ROWS, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _upload(client) -> tuple[str, str]:
    """Log in as the office, upload the small appendix; the CSRF token and the preview's address."""
    login(client, "vanphong", "tdnv-demo")
    token = csrf_token(client, "/plans/")
    upload = client.post("/plans/import", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(_docx()), "nho.docx"), "csrf_token": token})
    return token, upload.headers["Location"]


def _hidden(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


def _box(fields: dict[str, str], prefix: str, location: str, box: str) -> str:
    key = next(k for k, v in fields.items() if k.startswith(prefix) and v == location)
    return box + key.removeprefix(prefix)


def test_office_turns_a_group_into_a_task_and_a_task_into_a_group_then_confirms(client, directory, db):
    token, location = _upload(client)
    url = location.split("?")[0]
    page = client.get(location).get_data(as_text=True)
    fields = _hidden(page)
    assert "3 nhiệm vụ" in page and not any(k.startswith("kindloc-") for k in fields)
    base = {"csrf_token": token, "filename": "nho.docx", "title": "Kế hoạch dữ liệu số"}
    ticked = {_box(fields, "grouprow-", GROUP_ROW, "astask-"): "1",
              _box(fields, "taskrow-", TASK_ROW, "asgroup-"): "1"}
    reread = client.post(url, data=base | fields | ticked | {"remap": "1"}).get_data(as_text=True)
    assert f"Triển khai học bạ số</strong> · cấp 1 · {FORCED_REASON}" in reread
    kept = _hidden(reread)
    decisions = {value: kept["kind-" + key.removeprefix("kindloc-")]
                 for key, value in kept.items() if key.startswith("kindloc-")}
    assert decisions == {GROUP_ROW: "task", TASK_ROW: "group"}
    assert db.session.scalar(select(Plan)) is None  # the preview writes nothing
    # confirming with the kept decisions only (no box ticked again) imports what was shown
    client.post(url, data=base | kept | {"confirm": "1"})
    tasks = db.session.scalars(select(Task).order_by(Task.position)).all()
    assert [(t.ref, t.content, t.group_name, t.group_path) for t in tasks] == [
        ("I", "Về dữ liệu số", None, []),
        ("1", "Cập nhật cơ sở dữ liệu ngành", None, []),
        ("", "Tập huấn giáo viên cốt cán về học bạ số", "Triển khai học bạ số", ["Triển khai học bạ số"]),
    ]


def test_forged_row_decisions_are_ignored(client, directory, db):
    token, location = _upload(client)
    url = location.split("?")[0]
    forged = {"kindloc-1": "dòng 99 của bảng 9", "kind-1": "group", "kindloc-2": GROUP_ROW, "kind-2": "nhóm",
              "taskrow-1": "<script>", "asgroup-1": "1"}
    page = client.post(url, data={"csrf_token": token, "filename": "nho.docx", "remap": "1"} | forged)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "3 nhiệm vụ" in text and FORCED_REASON not in text
    assert "<script>" not in text
