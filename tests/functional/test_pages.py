"""A page per role, the Vietnamese error pages, security headers and /healthz."""
import pytest

from app import create_app
from tests.conftest import login
from tests.factories import PASSWORD, AssignmentFactory, UserFactory

ROLES = ["admin", "office", "director", "unit_head", "unit_staff"]


@pytest.mark.parametrize("role", ROLES)
def test_home_page_for_every_role(client, db, role):
    user = UserFactory(role=role)
    page = login(client, user.username, PASSWORD).get_data(as_text=True)
    assert user.unit.name in page
    assert user.role_label in page


def test_home_lists_own_unit_assignments_overdue_first(client, db):
    user = UserFactory(role="unit_head")
    from datetime import date

    AssignmentFactory(unit=user.unit, task__content="Việc còn hạn", due_date=date(2999, 1, 1))
    AssignmentFactory(unit=user.unit, task__content="Việc đã trễ", due_date=date(2020, 5, 4))
    AssignmentFactory(task__content="Việc của đơn vị khác")
    page = login(client, user.username, PASSWORD).get_data(as_text=True)
    assert page.index("Việc đã trễ") < page.index("Việc còn hạn")
    assert "Việc của đơn vị khác" not in page
    assert "04/05/2020" in page and "Quá hạn" in page


@pytest.mark.parametrize("role,status", [("admin", 200), ("office", 403), ("director", 403),
                                         ("unit_head", 403), ("unit_staff", 403)])
def test_admin_area_by_role(client, db, role, status):
    user = UserFactory(role=role)
    login(client, user.username, PASSWORD)
    assert client.get("/admin/units").status_code == status


@pytest.mark.parametrize("role,status", [("admin", 403), ("office", 200), ("director", 200),
                                         ("unit_head", 403), ("unit_staff", 403)])
def test_plans_area_by_role(client, db, role, status):
    user = UserFactory(role=role)
    login(client, user.username, PASSWORD)
    assert client.get("/plans/").status_code == status


def test_anonymous_is_sent_to_login(client, db):
    for url in ("/", "/admin/units", "/plans/"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_error_pages_are_vietnamese(client, db):
    page = client.get("/khong-co-trang-nay")
    assert page.status_code == 404
    assert "Không tìm thấy trang" in page.get_data(as_text=True)
    user = UserFactory(role="unit_staff")
    login(client, user.username, PASSWORD)
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403
    assert "Không có quyền truy cập" in forbidden.get_data(as_text=True)


def test_security_headers(client, db):
    response = client.get("/auth/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_healthz_reports_version_database_and_migrations(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok" and body["migrations"] == "head" and body["version"]


def test_healthz_is_503_when_database_is_unreachable(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/no/such/dir/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_unexpected_error_gives_vietnamese_500_page(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.sqlite3'}")

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Lỗi hệ thống" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_an_unreachable_database_gives_a_clear_503_page_and_json(tmp_path):
    """The database stops under load: pages and the API answer 503 with Retry-After, never 500."""
    from sqlalchemy.exc import OperationalError

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.sqlite3'}")

    def lost():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    app.add_url_rule("/lost", "lost", lost)
    app.add_url_rule("/api/v1/lost", "api_lost", lost)
    page = app.test_client().get("/lost")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Tạm thời gián đoạn" in page.get_data(as_text=True)
    assert "server closed" not in page.get_data(as_text=True)
    api = app.test_client().get("/api/v1/lost")
    assert api.status_code == 503 and api.headers["Retry-After"] == "30"
    assert api.get_json()["error"]["message"].startswith("Hệ thống tạm thời không kết nối")
