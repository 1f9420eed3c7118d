"""A guidance letter through the preview: suggestions with their sentences, dropped or edited, imported."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.models import Plan, Task
from app.services.demo.seed import seed_directory, seed_users
from tests.conftest import csrf_token, login

LETTER = Path(__file__).resolve().parent.parent / "data" / "letters" / "bo_gddt_huong_dan_cntt_2023-2024.txt"


@pytest.fixture()
def directory(db):
    units, _ = seed_directory()
    seed_users(units, "tdnv-demo")
    db.session.commit()
    return units


def test_letter_preview_drop_edit_confirm(client, directory, db):
    login(client, "vanphong", "tdnv-demo")
    token = csrf_token(client, "/plans/")
    response = client.post("/plans/import", data={"file": (io.BytesIO(LETTER.read_bytes()), LETTER.name),
                                                  "csrf_token": token}, content_type="multipart/form-data")
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "Câu gốc: «" in page and "Báo cáo" in page and "gửi Bộ GDĐT" in page
    refs = re.findall(r'name="suggestion-(\d+)" value="([^"]+)"', page)
    assert len(refs) == 4
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "filename": LETTER.name, "title": "Hướng dẫn CNTT 2023-2024",
            "confirm": "Xác nhận nhập kế hoạch"}
    for n, ref in refs:
        form[f"suggestion-{n}"] = ref
        if ref != "1":  # the first suggestion is dropped
            form[f"keep-{n}"] = "1"
    form["content-2"] = "Gửi văn bản hướng dẫn của Sở về Bộ GDĐT"
    form["due-2"] = "2023-10-02"
    done = client.post(preview_url.split("?")[0], data=form, follow_redirects=True)
    assert "Đã nhập kế hoạch với 3 nhiệm vụ." in done.get_data(as_text=True)
    plan = db.session.scalar(select(Plan))
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)).all()
    assert tasks[0].content == "Gửi văn bản hướng dẫn của Sở về Bộ GDĐT"
    assert tasks[0].due_date.isoformat() == "2023-10-02"
    assert tasks[0].extra["Loại"] == "Báo cáo" and tasks[0].extra["Gửi đến"] == "Bộ GDĐT"
    assert tasks[0].extra["Câu gốc"].startswith("Văn bản chỉ đạo, hướng dẫn triển khai nhiệm vụ của Sở")
    assert tasks[2].due_date.isoformat() == "2024-06-15"
