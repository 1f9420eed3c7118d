"""Saved views (create, list, delete; per user only; CSRF) and the page-size parameter."""
import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import SavedView
from app.page_size import PRINT_PAGE_SIZE, page_size
from app.services.errors import DomainError, NotFound
from app.services.work import saved_views
from tests.conftest import csrf_token, login
from tests.factories import UnitFactory, UserFactory


@pytest.fixture()
def people(db):
    office = UnitFactory(name="Văn phòng Sở")
    alice = UserFactory(username="alice", role="office", unit=office)
    bob = UserFactory(username="bob", role="office", unit=office)
    _db.session.commit()
    return alice, bob


def _save(client, name, query, endpoint="workflow.work"):
    token = csrf_token(client, "/work")
    return client.post("/dashboard/views", data={"csrf_token": token, "name": name, "endpoint": endpoint,
                                                 "query": query})


def test_save_list_and_open_a_view(client, people):
    login(client, "alice")
    response = _save(client, "QLCL quá hạn", "q=&status=in_progress&overdue=y&page=3&per_page=50")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/work?status=in_progress&overdue=y")
    view = _db.session.scalar(select(SavedView))
    assert (view.name, view.endpoint, view.query) == ("QLCL quá hạn", "workflow.work",
                                                     "status=in_progress&overdue=y")
    page = client.get("/work").get_data(as_text=True)
    assert "QLCL quá hạn" in page and 'href="/work?status=in_progress&amp;overdue=y"' in page
    manage = client.get("/dashboard/views").get_data(as_text=True)
    assert "QLCL quá hạn" in manage and "Việc của đơn vị" in manage


def test_same_name_replaces_the_query(client, people):
    login(client, "alice")
    _save(client, "Trường THPT chưa bắt đầu", "status=not_started")
    _save(client, "Trường THPT chưa bắt đầu", "status=not_started&q=THPT")
    views = _db.session.scalars(select(SavedView)).all()
    assert [v.query for v in views] == ["status=not_started&q=THPT"]


def test_views_are_per_user(app, client, people):
    login(client, "alice")
    _save(client, "Của Alice", "status=done")
    view_id = _db.session.scalar(select(SavedView.id))
    client = app.test_client()
    login(client, "bob")
    assert "Của Alice" not in client.get("/work").get_data(as_text=True)
    assert "Của Alice" not in client.get("/dashboard/views").get_data(as_text=True)
    token = csrf_token(client, "/dashboard/views")
    assert client.post(f"/dashboard/views/{view_id}/delete", data={"csrf_token": token}).status_code == 404
    assert _db.session.get(SavedView, view_id) is not None


def test_delete_own_view(client, people):
    login(client, "alice")
    _save(client, "Tạm", "status=done")
    view_id = _db.session.scalar(select(SavedView.id))
    token = csrf_token(client, "/dashboard/views")
    response = client.post(f"/dashboard/views/{view_id}/delete", data={"csrf_token": token},
                           follow_redirects=True)
    assert response.status_code == 200 and "Đã xoá bộ lọc" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(SavedView, view_id) is None


def test_csrf_is_required(client, people):
    login(client, "alice")
    response = client.post("/dashboard/views", data={"name": "X", "endpoint": "workflow.work", "query": ""})
    assert response.status_code in (400, 302)
    assert _db.session.scalar(select(SavedView)) is None
    _save(client, "Giữ", "status=done")
    view_id = _db.session.scalar(select(SavedView.id))
    client.post(f"/dashboard/views/{view_id}/delete", data={})
    assert _db.session.get(SavedView, view_id) is not None


def test_anonymous_cannot_save(client, people):
    response = client.post("/dashboard/views", data={"name": "X", "endpoint": "workflow.work"})
    assert response.status_code in (302, 400)
    assert _db.session.scalar(select(SavedView)) is None


def test_service_refuses_unknown_lists_and_empty_names(db, people):
    alice, _bob = people
    with pytest.raises(DomainError):
        saved_views.save_view(alice, name="  ", endpoint="workflow.work", query="")
    with pytest.raises(DomainError):
        saved_views.save_view(alice, name="X", endpoint="admin.users", query="")
    with pytest.raises(NotFound):
        saved_views.delete_view(alice, 123456)


@pytest.mark.parametrize("raw, expected", [
    (None, 25), ("", 25), ("50", 50), ("100", 100), ("25", 25), ("7", 25), ("-50", 25), ("abc", 25),
    ("100000", 25), (str(PRINT_PAGE_SIZE), PRINT_PAGE_SIZE),
])
def test_page_size_is_validated(raw, expected):
    args = {} if raw is None else {"per_page": raw}
    assert page_size(args, 25) == expected


def test_clean_query_drops_paging_and_blanks():
    assert saved_views.clean_query("page=2&q=&unit=5&per_page=100&csrf_token=x&sort=due") == "unit=5&sort=due"


def test_a_view_of_a_vanished_list_opens_the_manage_page(client, people):
    alice, _bob = people
    _db.session.add(SavedView(user_id=alice.id, name="Cũ", endpoint="dashboard.gone", query="a=1"))
    _db.session.commit()
    login(client, "alice")
    page = client.get("/dashboard/views")
    assert page.status_code == 200 and 'href="/dashboard/views">Cũ</a>' in page.get_data(as_text=True)
