"""The office's manage page of one task at province scale: it pages its assignment rows (filters and page
in the URL), sends the same statements for 5 and 120 units, and every action comes back to the same page."""
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Assignment
from app.parsing.text import fold
from tests.conftest import login
from tests.factories import AssignmentFactory, SchoolFactory
from tests.query_counter import statements_of
from tests.workflow_helpers import any_token, build_world

ROW_ID = re.compile(r'id="role-(\d+)"')


@pytest.fixture()
def world(db):
    w = build_world()
    _db.session.commit()
    return w


def _grow(task, total: int) -> None:
    """Cooperating schools until the task has `total` assignments."""
    have = _db.session.scalar(select(func.count()).where(Assignment.task_id == task.id))
    for _ in range(total - have):
        AssignmentFactory(task=task, unit=SchoolFactory(), role="cooperating")
    _db.session.commit()


def _row_ids(client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [int(i) for i in ROW_ID.findall(response.get_data(as_text=True))]


def _expected_ids(task_id: int, **where) -> list[int]:
    rows = select(Assignment.id).where(Assignment.task_id == task_id)
    for name, value in where.items():
        rows = rows.where(getattr(Assignment, name) == value)
    return list(_db.session.scalars(rows.order_by(Assignment.role.desc(), Assignment.id)))


def test_the_page_sends_the_same_statements_for_5_and_120_units(client, world):
    login(client, "vanphong")
    url = f"/manage/tasks/{world.task.id}"
    _grow(world.task, 5)
    small = len(statements_of(client, url))
    assert len(_row_ids(client, url)) == 5
    _grow(world.task, 120)
    assert len(statements_of(client, url)) == small
    assert len(statements_of(client, f"{url}?page=3&status=not_started")) == small
    assert len(_row_ids(client, url)) == 50


def test_page_2_shows_the_rows_after_page_1(client, world):
    _grow(world.task, 120)
    login(client, "vanphong")
    url = f"/manage/tasks/{world.task.id}"
    expected = _expected_ids(world.task.id)
    first, second = _row_ids(client, url), _row_ids(client, f"{url}?page=2")
    assert first == expected[:50] and second == expected[50:100]
    assert _row_ids(client, f"{url}?page=3") == expected[100:]
    html = client.get(f"{url}?page=2").get_data(as_text=True)
    assert "Trang 2/3" in html and "120 dòng" in html
    # a page past the end shows the last one
    assert _row_ids(client, f"{url}?page=99") == expected[100:]


def test_filters_count_by_role_and_status_and_stay_in_the_pager(client, world):
    _grow(world.task, 120)
    login(client, "vanphong")
    url = f"/manage/tasks/{world.task.id}"
    coop = _expected_ids(world.task.id, role="cooperating")
    assert _row_ids(client, f"{url}?assigned_role=cooperating&page=2") == coop[50:100]
    html = client.get(f"{url}?assigned_role=cooperating").get_data(as_text=True)
    assert f"Phối hợp ({len(coop)})" in html and "Chủ trì (1)" in html
    assert f"/manage/tasks/{world.task.id}?assigned_role=cooperating&amp;page=2" in html


def test_actions_come_back_to_the_same_page_of_the_list(client, world):
    _grow(world.task, 120)
    login(client, "vanphong")
    query = "?assigned_role=cooperating&page=2"
    page = f"/manage/tasks/{world.task.id}{query}"
    html = client.get(page).get_data(as_text=True)
    target = _row_ids(client, page)[0]
    assert f'action="/manage/assignments/{target}/role{query.replace("&", "&amp;")}"' in html
    assignment = _db.session.get(Assignment, target)
    response = client.post(f"/manage/assignments/{target}/role{query}", data={
        "csrf_token": any_token(client), "role": "lead", "version": assignment.version})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    _db.session.expire_all()
    assert _db.session.get(Assignment, target).role == "lead"
    response = client.post(f"/manage/assignments/{target}/remove{query}",
                           data={"csrf_token": any_token(client)})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    assert _db.session.get(Assignment, target) is None
    school = SchoolFactory()
    _db.session.commit()
    response = client.post(f"/manage/tasks/{world.task.id}/units{query}", data={
        "csrf_token": any_token(client), "unit_id": school.id, "unit_name": school.name,
        "role": "cooperating"})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    # a refused add shows the same page of the list again, with what was typed
    refused = client.post(f"/manage/tasks/{world.task.id}/units{query}", data={
        "csrf_token": any_token(client), "unit_id": "", "unit_name": "không có", "role": "cooperating"})
    assert refused.status_code == 400 and "Trang 2/" in refused.get_data(as_text=True)


def test_the_unit_search_finds_units_without_diacritics_and_stays_in_the_pager(client, world):
    _grow(world.task, 120)
    for number in range(1, 61):  # 60 more, all named after Trần Phú
        AssignmentFactory(task=world.task, unit=SchoolFactory(name=f"Trường THCS Trần Phú số {number}",
                                                              short_name=""), role="cooperating")
    _db.session.commit()
    login(client, "vanphong")
    url = f"/manage/tasks/{world.task.id}"
    # the oracle: the fold rule in Python over each unit's name, in the page's order
    wanted = [i for i in _expected_ids(world.task.id)
              if "tran phu" in fold(_db.session.get(Assignment, i).unit.name)]
    assert len(wanted) == 61  # the 60 schools and the world's "THPT chuyên Trần Phú"
    assert _row_ids(client, f"{url}?q=TRAN+phu") == wanted[:50]
    assert _row_ids(client, f"{url}?q=tran+phu&page=2") == wanted[50:]
    html = client.get(f"{url}?q=tran+phu").get_data(as_text=True)
    assert "61 dòng" in html and 'value="tran phu"' in html
    assert f"/manage/tasks/{world.task.id}?q=tran+phu&amp;page=2" in html
    assert _row_ids(client, f"{url}?q=chuyen+tran+phu") == wanted[:1]
    # no match: a plain word, and the counts on the filters stay those of the whole task
    nothing = client.get(f"{url}?q=khong+co+truong+nay").get_data(as_text=True)
    assert "Không có đơn vị nào được giao nhiệm vụ này khớp với “khong co truong nay”" in nothing
    assert f"Phối hợp ({len(_expected_ids(world.task.id, role='cooperating'))})" in nothing
    # an action comes back to the searched page
    target = wanted[50]
    assignment = _db.session.get(Assignment, target)
    response = client.post(f"/manage/assignments/{target}/role?q=tran+phu&page=2", data={
        "csrf_token": any_token(client), "role": "cooperating", "version": assignment.version})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{url}?q=tran+phu&page=2")


def test_the_unit_search_sends_the_same_statements_for_5_and_120_units(client, world):
    login(client, "vanphong")
    url = f"/manage/tasks/{world.task.id}?q=truong"
    _grow(world.task, 5)
    small = len(statements_of(client, url))
    _grow(world.task, 120)
    assert len(statements_of(client, url)) == small
