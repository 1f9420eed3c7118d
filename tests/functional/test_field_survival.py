"""What was typed survives a validation error on the same page: the unit chosen and every field of
the add-unit form, the extension form and the import preview come back in the HTML."""
import io
import re

import pytest

from app.extensions import db as _db
from app.models import Assignment, ExtensionRequest, Plan
from tests.conftest import csrf_token, login
from tests.factories import SchoolFactory
from tests.functional.test_plan_duplicates import _docx
from tests.workflow_helpers import any_token, build_world


@pytest.fixture()
def world(db):
    return build_world()


def _selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select, name
    chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)"[^>]*selected',
                       select.group(0))
    return (chosen.group(1) or chosen.group(2)) if chosen else None


def test_add_unit_keeps_the_unit_role_and_date_after_a_bad_date(client, world):
    login(client, "vanphong")
    url = f"/manage/tasks/{world.task.id}/units"
    response = client.post(url, data={"csrf_token": any_token(client), "unit_id": str(world.other_unit.id),
                                      "unit_name": world.other_unit.name, "role": "lead",
                                      "due_date": "31/02/2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'value="{world.other_unit.id}"' in html and f'value="{world.other_unit.name}"' in html
    assert 'value="31/02/2026"' in html and _selected(html, "role") == "lead"
    added = _db.session.query(Assignment).filter_by(unit_id=world.other_unit.id, task_id=world.task.id)
    assert added.count() == 0


def test_add_unit_refused_by_the_service_shows_why_with_the_typed_values(client, world):
    login(client, "vanphong")
    response = client.post(f"/manage/tasks/{world.task.id}/units", data={
        "csrf_token": any_token(client), "unit_id": str(world.lead_unit.id), "unit_name": "",
        "role": "lead", "due_date": "15/06/2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Phòng QLCL đã được giao nhiệm vụ này." in html
    assert f'value="{world.lead_unit.name}"' in html and 'value="15/06/2026"' in html


def test_add_unit_without_a_picked_unit_keeps_the_typed_name(client, world):
    login(client, "vanphong")
    response = client.post(f"/manage/tasks/{world.task.id}/units", data={
        "csrf_token": any_token(client), "unit_id": "", "unit_name": "trường không có",
        "role": "cooperating"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vui lòng chọn đơn vị trong danh sách gợi ý." in html and 'value="trường không có"' in html


def test_add_unit_still_works_and_offers_a_type_ahead(client, world):
    school = SchoolFactory(name="Trường THPT Lê Quý Đôn")
    _db.session.commit()
    login(client, "vanphong")
    page = client.get(f"/manage/tasks/{world.task.id}").get_data(as_text=True)
    assert 'data-unit-target="add-unit-id"' in page and f'<option value="{school.id}"' not in page
    response = client.post(f"/manage/tasks/{world.task.id}/units", follow_redirects=True, data={
        "csrf_token": any_token(client), "unit_id": str(school.id), "unit_name": school.name,
        "role": "cooperating", "due_date": ""})
    assert "Đã giao cho Trường THPT Lê Quý Đôn." in response.get_data(as_text=True)


def test_extension_request_keeps_date_and_reason_after_an_error(client, world):
    login(client, "tranphu.hieutruong")
    url = f"/assignments/{world.coop.id}/extensions"
    response = client.post(url, data={"csrf_token": any_token(client), "requested_due_date": "99/99/2026",
                                      "reason": "Chờ thiết bị từ nhà cung cấp"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="99/99/2026"' in html and "Chờ thiết bị từ nhà cung cấp</textarea>" in html
    assert re.search(r"<details[^>]*open[^>]*><summary>Đề nghị gia hạn", html)
    # a date the service refuses (not after the current deadline): the message and the values
    response = client.post(url, data={"csrf_token": any_token(client), "requested_due_date": "01/01/2026",
                                      "reason": "Chờ thiết bị"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'value="01/01/2026"' in html and "Chờ thiết bị</textarea>" in html
    assert _db.session.query(ExtensionRequest).count() == 0


def test_import_preview_keeps_the_unit_choice_and_the_typed_fields(client, world):
    rows = [["1", "Tổ chức ngày hội đọc sách", "Tháng 4/2026", "Phòng QLCL", "Trường Mầm non Hoa Sen"]]
    login(client, "vanphong")
    token = csrf_token(client, "/plans/")
    upload = {"csrf_token": token, "file": (io.BytesIO(_docx(rows)), "phu-luc.docx")}
    location = client.post("/plans/import", data=upload).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    unknown = re.search(r'name="unknown-1" value="([^"]+)"', page).group(1)
    assert unknown == "Trường Mầm non Hoa Sen"
    response = client.post(location.split("?")[0], data={
        "csrf_token": token, "filename": "phu-luc.docx", "title": "Kế hoạch đọc sách",
        "number": "12/KH-SGDĐT",
        "issued_on": "31/02/2026", "unknown-1": unknown, "choice-1": f"unit:{world.coop_unit.id}",
        "confirm": "Xác nhận nhập kế hoạch"})
    html = response.get_data(as_text=True)
    assert "Ngày không hợp lệ" in html and _db.session.query(Plan).count() == 1  # only the world's plan
    assert _selected(html, "choice-1") == f"unit:{world.coop_unit.id}"
    assert 'value="12/KH-SGDĐT"' in html and "Kế hoạch đọc sách" in html and 'value="31/02/2026"' in html
    # the choice is still in the form: confirming with a good date assigns the chosen school
    assert f'name="unknown-1" value="{unknown}"' in html
    done = client.post(location.split("?")[0], follow_redirects=True, data={
        "csrf_token": token, "filename": "phu-luc.docx", "title": "Kế hoạch đọc sách",
        "number": "12/KH-SGDĐT",
        "issued_on": "28/02/2026", "unknown-1": unknown, "choice-1": f"unit:{world.coop_unit.id}",
        "confirm": "Xác nhận nhập kế hoạch"})
    assert "Đã nhập kế hoạch với 1 nhiệm vụ." in done.get_data(as_text=True)
    plan = _db.session.query(Plan).filter_by(number="12/KH-SGDĐT").one()
    assert {a.unit_id for t in plan.tasks for a in t.assignments} >= {world.coop_unit.id}


def _preview_with_an_unknown_name(client):
    rows = [["1", "Tổ chức ngày hội đọc sách", "Tháng 4/2026", "Phòng QLCL", "Trường Mầm non Hoa Sen"]]
    login(client, "vanphong")
    token = csrf_token(client, "/plans/")
    upload = {"csrf_token": token, "file": (io.BytesIO(_docx(rows)), "phu-luc.docx")}
    location = client.post("/plans/import", data=upload).headers["Location"]
    return token, location, client.get(location).get_data(as_text=True)


def test_unknown_names_are_resolved_with_a_type_ahead_not_a_list_of_every_unit(client, world):
    """A province has 1.700 units: the preview lists the groups only, and a unit is typed."""
    SchoolFactory.create_batch(30)
    _db.session.commit()
    token, location, page = _preview_with_an_unknown_name(client)
    assert 'value="unit:' not in page  # no <option> per unit
    assert 'name="choiceunit-1"' in page and 'data-unit-target="choiceunit-1"' in page
    school = world.coop_unit
    done = client.post(location.split("?")[0], follow_redirects=True, data={
        "csrf_token": token, "filename": "phu-luc.docx", "title": "Kế hoạch đọc sách", "number": "13/KH",
        "issued_on": "28/02/2026", "unknown-1": "Trường Mầm non Hoa Sen", "choice-1": "",
        "choiceunit-1": str(school.id), "confirm": "Xác nhận nhập kế hoạch"})
    assert "Đã nhập kế hoạch với 1 nhiệm vụ." in done.get_data(as_text=True)
    plan = _db.session.query(Plan).filter_by(number="13/KH").one()
    assert school.id in {a.unit_id for t in plan.tasks for a in t.assignments}


def test_a_typed_unit_comes_back_by_name_and_a_group_chosen_in_the_list_wins(client, world):
    from tests.factories import UnitGroupFactory

    group = UnitGroupFactory(name="Các trường mầm non")
    _db.session.commit()
    token, location, _page = _preview_with_an_unknown_name(client)
    school = world.coop_unit
    again = client.post(location.split("?")[0], data={
        "csrf_token": token, "filename": "phu-luc.docx", "title": "Kế hoạch", "issued_on": "31/02/2026",
        "unknown-1": "Trường Mầm non Hoa Sen", "choice-1": "", "choiceunit-1": str(school.id),
        "confirm": "Xác nhận nhập kế hoạch"}).get_data(as_text=True)
    assert _selected(again, "choice-1") == f"unit:{school.id}"
    assert f'value="{school.name}"' in again
    assert f'name="choiceunit-1" id="choiceunit-1" value="{school.id}"' in again
    # the group chosen in the list wins over the unit still in the type-ahead
    page = client.post(location.split("?")[0], data={
        "csrf_token": token, "filename": "phu-luc.docx", "title": "Kế hoạch", "issued_on": "31/02/2026",
        "unknown-1": "Trường Mầm non Hoa Sen", "choice-1": f"group:{group.id}",
        "choiceunit-1": str(school.id),
        "confirm": "Xác nhận nhập kế hoạch"}).get_data(as_text=True)
    assert _selected(page, "choice-1") == f"group:{group.id}"
