"""The office's corrections in the import preview that outlive one file: a column mapping remembered
for the next file with the same headers, and per-task choices ("Cơ sở thí điểm") picked for one task,
in the preview or later on the task page."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.models import Assignment, ColumnMapping, Plan, Task, UnitAlias
from app.services.demo.seed import seed_directory, seed_users
from tests.conftest import csrf_token, login
from tests.unit.test_importers_builders import add_table, docx_bytes, new_document

APPLIED = "Đã áp dụng cách ghép cột đã lưu cho bảng này"
HEADER = ["STT", "Nội dung", "Thời hạn", "Đơn vị chủ trì", "Người theo dõi tiến độ"]


def _appendix(rows: list[list[str]], header=HEADER) -> bytes:
    doc = new_document()
    add_table(doc, [header, *rows])
    return docx_bytes(doc)


FIRST = _appendix([["1", "Cập nhật dữ liệu học sinh", "10/2025", "Văn phòng Sở", "Phòng QLCL"],
                   ["2", "Rà soát hồ sơ giáo viên", "11/2025", "Phòng TCCB", "Văn phòng Sở"]])
SECOND = _appendix([["1", "Kiểm tra hồ sơ tuyển sinh", "12/2025", "Phòng QLCL", "Phòng TCCB"]],
                   header=[h.upper() for h in HEADER])  # same layout, other spelling
PILOT = _appendix([
    ["1", "Thí điểm sổ điểm điện tử", "12/2025", "Cơ sở thí điểm", ""],
    ["2", "Thí điểm học bạ số", "01/2026", "Cơ sở thí điểm", ""],
    ["3", "Thẩm định kinh phí chuyển đổi số", "02/2026", "Văn phòng Sở, Sở Tài chính (thẩm định)", ""],
])


@pytest.fixture()
def office(db):
    units, _ = seed_directory()
    seed_users(units, "tdnv-demo")
    db.session.commit()
    return units


def _count(db, model, *where):
    return db.session.scalar(select(func.count(model.id)).where(*where))


def _upload(client, data: bytes, name: str) -> str:
    token = csrf_token(client, "/plans/")
    response = client.post("/plans/import", data={"file": (io.BytesIO(data), name), "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _column_form(page: str, **fields_by_header) -> dict:
    """Every column select of the preview as shown, with the given headers set to other fields."""
    form = {}
    for number, header in re.findall(r'name="colhead-([^"]+)" value="([^"]+)"', page):
        selected = re.search(rf'name="colfield-{re.escape(number)}">(.*?)</select>', page, re.S).group(1)
        chosen = re.search(r'<option value="([^"]*)" selected>', selected)
        form[f"colhead-{number}"] = header
        form[f"colfield-{number}"] = fields_by_header.get(header, chosen.group(1) if chosen else "")
    return form


def _confirm(client, url: str, page: str, name: str, **extra) -> str:
    data = {"csrf_token": _token(page), "filename": name, "title": "Kế hoạch thử", "confirm": "x", **extra}
    return client.post(url.split("?")[0], data=data, follow_redirects=True).get_data(as_text=True)


def test_a_remapped_column_is_remembered_for_the_next_file_with_the_same_headers(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    url = _upload(client, FIRST, "a.docx")
    page = client.get(url).get_data(as_text=True)
    assert APPLIED not in page
    form = _column_form(page, **{"Người theo dõi tiến độ": "cooperating"})
    done = _confirm(client, url, page, "a.docx", **form)
    assert "Đã nhập kế hoạch với 2 nhiệm vụ." in done
    mapping = db.session.scalar(select(ColumnMapping))
    assert mapping.fields == {"Người theo dõi tiến độ": "cooperating"}  # only what the office changed

    second_url = _upload(client, SECOND, "b.docx")
    second = client.get(second_url).get_data(as_text=True)
    assert APPLIED in second and "Đơn vị phối hợp" in second
    _confirm(client, second_url, second, "b.docx", **_column_form(second))
    task = db.session.scalar(select(Task).join(Plan).where(Plan.source_filename == "b.docx"))
    assert task.cooperating_text == "Phòng TCCB"
    assert {a.role for a in task.assignments} == {"lead", "cooperating"}
    assert _count(db, ColumnMapping) == 1


def test_undoing_the_saved_mapping_reads_the_file_by_the_scores_again(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    url = _upload(client, FIRST, "a.docx")
    page = client.get(url).get_data(as_text=True)
    _confirm(client, url, page, "a.docx", **_column_form(page, **{"Người theo dõi tiến độ": "cooperating"}))
    second_url = _upload(client, SECOND, "b.docx")
    second = client.get(second_url).get_data(as_text=True)
    forged = client.post(second_url.split("?")[0], data={"filename": "b.docx", "forget_mapping": "x"})
    assert forged.status_code == 400 and _count(db, ColumnMapping) == 1  # no CSRF token: nothing changes
    undone = client.post(second_url.split("?")[0], data={
        "csrf_token": _token(second), "filename": "b.docx", "title": "KH", "forget_mapping": "x",
        **_column_form(second)}, follow_redirects=True).get_data(as_text=True)
    assert "Đã bỏ cách ghép cột đã lưu" in undone and APPLIED not in undone
    assert _count(db, ColumnMapping) == 0
    assert APPLIED not in client.get(second_url).get_data(as_text=True)


def test_a_forged_field_is_not_remembered(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    url = _upload(client, FIRST, "a.docx")
    page = client.get(url).get_data(as_text=True)
    form = _column_form(page, **{"Người theo dõi tiến độ": "password"})
    _confirm(client, url, page, "a.docx", **form)
    assert _count(db, Plan) == 1 and _count(db, ColumnMapping) == 0


def _pilot_preview(client):
    url = _upload(client, PILOT, "thi-diem.docx")
    return url, client.get(url).get_data(as_text=True)


def test_units_picked_in_the_preview_go_to_that_task_only(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    url, page = _pilot_preview(client)
    assert 'name="pick-1-0"' in page and 'name="pick-2-0"' in page and 'name="pick-3-0"' not in page
    assert "/units/search" in page
    school_a, school_b = office["THPT-001"], office["THPT-002"]
    picks = {"pick-1-0": [str(school_a.id), str(school_b.id), ""]}
    done = _confirm(client, url, page, "thi-diem.docx", **picks)
    assert "Đã nhập kế hoạch với 3 nhiệm vụ." in done
    first, second, third = db.session.scalars(select(Task).order_by(Task.position)).all()
    assert {(a.unit_id, a.role) for a in first.assignments} == {(school_a.id, "lead"), (school_b.id, "lead")}
    assert first.choice_units == [{"name": "Cơ sở thí điểm", "role": "lead",
                                   "unit_ids": [school_a.id, school_b.id]}]
    assert first.unresolved_units == []
    assert second.assignments == [] and second.choice_units[0]["unit_ids"] == []
    assert second.unresolved_units == ["Cơ sở thí điểm"]
    assert _count(db, UnitAlias, UnitAlias.folded.contains("thi diem")) == 0  # never a global alias
    assert third.unit_roles == {"Sở Tài chính": "thẩm định"}


def test_forged_picks_change_nothing(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    url, page = _pilot_preview(client)
    retired = office["THPT-003"]
    retired.is_active = False
    db.session.commit()
    _confirm(client, url, page, "thi-diem.docx", **{
        "pick-1-0": ["999999", "abc", str(retired.id)], "pick-9-0": str(office["THPT-001"].id),
        "pick-2-7": str(office["THPT-001"].id), "pick-3-0": str(office["THPT-001"].id)})
    tasks = db.session.scalars(select(Task).order_by(Task.position)).all()
    assert len(tasks) == 3 and tasks[0].assignments == [] and tasks[1].assignments == []
    assert office["THPT-001"].id not in {a.unit_id for a in tasks[2].assignments}


def _imported_pilot(client, db) -> list[Task]:
    url, page = _pilot_preview(client)
    _confirm(client, url, page, "thi-diem.docx")
    return db.session.scalars(select(Task).order_by(Task.position)).all()


def test_an_open_choice_is_resolved_on_the_task_page(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    task = _imported_pilot(client, db)[1]
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Cần chọn đơn vị: Cơ sở thí điểm" in page and "data-unit-search" in page
    school = office["THPT-004"]
    done = client.post(f"/plans/tasks/{task.id}/choice-units", data={
        "csrf_token": _token(page), "choice": "0", "unit": [str(school.id), ""]}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Đã giao nhiệm vụ cho 1 đơn vị." in text and "Cần chọn đơn vị" not in text
    db.session.expire_all()
    assert [(a.unit_id, a.role) for a in task.assignments] == [(school.id, "lead")]
    assert task.choice_units[0]["unit_ids"] == [school.id] and task.unresolved_units == []


def test_the_task_page_shows_role_notes(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    task = _imported_pilot(client, db)[2]
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Vai trò ghi trong phụ lục" in page and "thẩm định" in page and "Cần chọn đơn vị" not in page


@pytest.mark.parametrize("form", [
    {"choice": "5", "unit": "{school}"},      # no such choice on the task
    {"choice": "0", "unit": "999999"},        # no such unit
    {"choice": "0", "unit": "x"},             # not an id
    {"choice": "-1", "unit": "{school}"},     # not an index
])
def test_forged_task_page_choices_change_nothing(client, office, db, form):
    login(client, "vanphong", "tdnv-demo")
    task = _imported_pilot(client, db)[1]
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    data = {k: v.format(school=office["THPT-001"].id) for k, v in form.items()}
    response = client.post(f"/plans/tasks/{task.id}/choice-units", data={"csrf_token": _token(page), **data},
                           follow_redirects=True)
    assert response.status_code == 200 and "alert-danger" in response.get_data(as_text=True)
    db.session.expire_all()
    assert task.assignments == [] and task.choice_units[0]["unit_ids"] == []


def test_only_the_office_assigns_an_open_choice(client, office, db):
    login(client, "vanphong", "tdnv-demo")
    task = _imported_pilot(client, db)[1]
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "qlcl.truongphong", "tdnv-demo")
    token = csrf_token(client, "/")
    response = client.post(f"/plans/tasks/{task.id}/choice-units", data={
        "csrf_token": token, "choice": "0", "unit": str(office["THPT-001"].id)})
    assert response.status_code == 403
    assert _count(db, Assignment, Assignment.task_id == task.id) == 0


@pytest.mark.parametrize("picked_rows", [1, 2])
def test_picks_are_checked_in_one_statement_however_many(office, db, picked_rows):
    from app.services.plans import task_choices
    from tests.query_counter import count_queries

    tasks = [{"choice_units": ["Cơ sở thí điểm"]} for _ in range(2)]
    schools = [office[f"THPT-{i:03d}"].id for i in range(1, 11)]
    picks = {row: {0: schools} for row in range(1, picked_rows + 1)}
    with count_queries() as statements:
        kept = task_choices.valid_picks(tasks, picks)
    assert len(statements) == 1
    assert kept == {row: {"Cơ sở thí điểm": schools} for row in range(1, picked_rows + 1)}
