"""JSON API: tokens (HTTP Basic, UI), read endpoints, scoping by unit and stable error codes."""
import base64
from datetime import date

import pytest
from sqlalchemy import select

from app.models import ApiToken
from app.services.accounts import tokens
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, AssignmentFactory, PlanFactory, TaskFactory, UnitFactory, UserFactory


def basic(username: str, password: str) -> dict:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def bearer(user) -> dict:
    _, secret = tokens.create_token(user, "test")
    from app.extensions import db

    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_token_from_basic_credentials_is_hashed_and_works(client, db):
    user = UserFactory(username="api.user")
    response = client.post("/api/v1/tokens", headers=basic("api.user", PASSWORD), json={"name": "Bảng tính"})
    assert response.status_code == 201
    secret = response.get_json()["token"]
    stored = db.session.scalar(select(ApiToken))
    assert stored.user_id == user.id and secret not in stored.token_hash and stored.name == "Bảng tính"
    plans = client.get("/api/v1/plans", headers={"Authorization": f"Bearer {secret}"})
    assert plans.status_code == 200 and plans.get_json()["items"] == []


def test_token_refused_for_bad_credentials(client, db):
    UserFactory(username="api.user")
    response = client.post("/api/v1/tokens", headers=basic("api.user", "sai"))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert db.session.scalar(select(ApiToken)) is None


@pytest.mark.parametrize("header", [None, "Bearer tdnv_khong-ton-tai", "Basic abc", "Bearer "])
def test_missing_or_bad_token_is_401(client, db, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/assignments", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_session_cookie_does_not_authenticate_the_api(client, db):
    UserFactory(username="web.user")
    login(client, "web.user", PASSWORD)
    assert client.get("/api/v1/plans").status_code == 401


def test_revoked_token_stops_working(client, db):
    user = UserFactory(username="api.user")
    headers = bearer(user)
    token = db.session.scalar(select(ApiToken))
    tokens.revoke_token(user, token.id)
    db.session.commit()
    assert client.get("/api/v1/plans", headers=headers).status_code == 401


def test_tokens_page_creates_and_revokes(client, db):
    UserFactory(username="web.user")
    login(client, "web.user", PASSWORD)
    token = csrf_token(client, "/auth/tokens")
    page = client.post("/auth/tokens", data={"name": "Máy tính phòng", "csrf_token": token}).get_data(
        as_text=True
    )
    assert "chỉ hiển thị một lần" in page and "tdnv_" in page
    stored = db.session.scalar(select(ApiToken))
    client.post(f"/auth/tokens/{stored.id}/revoke", data={"csrf_token": token})
    db.session.refresh(stored)
    assert stored.revoked_at is not None


def test_other_users_token_cannot_be_revoked(client, db):
    owner = UserFactory()
    bearer(owner)
    UserFactory(username="other")
    login(client, "other", PASSWORD)
    token = csrf_token(client, "/auth/tokens")
    stored = db.session.scalar(select(ApiToken))
    page = client.post(f"/auth/tokens/{stored.id}/revoke", data={"csrf_token": token}, follow_redirects=True)
    assert "Không tìm thấy khoá truy cập." in page.get_data(as_text=True)
    db.session.refresh(stored)
    assert stored.revoked_at is None


@pytest.fixture()
def two_units(db):
    mine, theirs = UnitFactory(name="Phòng QLCL"), UnitFactory(name="Phòng KHTC")
    plan = PlanFactory()
    task = TaskFactory(plan=plan, content="Triển khai chữ ký số", group_name="Quản lý - điều hành",
                       targets=[{"op": ">=", "value": 98.5, "max": None, "unit": "%"}])
    # a cooperating unit may not open the lead unit's assignment (the lead may open its cooperators')
    own = AssignmentFactory(task=task, unit=mine, role="cooperating", due_date=date(2020, 1, 31))
    other = AssignmentFactory(task=task, unit=theirs, role="lead", due_date=date(2999, 1, 1))
    return mine, theirs, plan, task, own, other


def test_unit_user_sees_only_own_assignments(client, two_units):
    mine, _, plan, task, own, other = two_units
    headers = bearer(UserFactory(role="unit_staff", unit=mine))
    body = client.get("/api/v1/assignments", headers=headers).get_json()
    assert [a["id"] for a in body["items"]] == [own.id] and body["total"] == 1
    assert body["items"][0]["overdue"] is True and body["items"][0]["due_date"] == "2020-01-31"
    assert client.get(f"/api/v1/assignments/{own.id}", headers=headers).status_code == 200
    forged = client.get(f"/api/v1/assignments/{other.id}", headers=headers)
    assert forged.status_code == 403 and forged.get_json()["error"]["code"] == "forbidden"
    # the task's overall state is visible to everyone who can read tasks
    detail = client.get(f"/api/v1/tasks/{task.id}", headers=headers).get_json()
    assert {a["unit"]["name"] for a in detail["assignments"]} == {"Phòng QLCL", "Phòng KHTC"}
    assert detail["targets"][0]["value"] == 98.5


def test_director_sees_all_and_filters(client, two_units):
    mine, theirs, plan, task, own, other = two_units
    headers = bearer(UserFactory(role="director"))
    everything = client.get("/api/v1/assignments", headers=headers).get_json()
    assert everything["total"] == 2
    overdue = client.get("/api/v1/assignments?overdue=1", headers=headers).get_json()
    assert [a["id"] for a in overdue["items"]] == [own.id]
    by_unit = client.get(f"/api/v1/assignments?unit={theirs.id}", headers=headers).get_json()
    assert [a["id"] for a in by_unit["items"]] == [other.id]
    found = client.get("/api/v1/tasks?q=chu ky so", headers=headers).get_json()
    assert [t["id"] for t in found["items"]] == [task.id]


def test_admin_with_a_unit_reads_no_unit_work(client, two_units):
    mine, _, plan, task, own, other = two_units
    headers = bearer(UserFactory(role="admin", unit=mine))
    for url in ("/api/v1/assignments", "/api/v1/tasks", "/api/v1/plans"):
        assert client.get(url, headers=headers).get_json()["total"] == 0, url
    assert client.get(f"/api/v1/tasks/{task.id}", headers=headers).status_code == 403
    assert client.get(f"/api/v1/assignments/{own.id}", headers=headers).status_code == 403


def test_pagination_and_errors(client, db):
    headers = bearer(UserFactory(role="office"))
    for n in range(3):
        PlanFactory(title=f"KH {n}")
    page = client.get("/api/v1/plans?per_page=2&page=2", headers=headers).get_json()
    assert page["total"] == 3 and page["pages"] == 2 and len(page["items"]) == 1
    bad = client.get("/api/v1/plans?per_page=1000", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_request"
    missing = client.get("/api/v1/assignments/999999", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/khong-co", headers=headers).get_json()["error"]["code"] == "not_found"


def test_unit_user_cannot_read_tasks_or_plans_of_other_units(client, db):
    mine, theirs = UnitFactory(), UnitFactory()
    own_task = TaskFactory(content="Việc của đơn vị tôi")
    other_task = TaskFactory(content="Việc đơn vị khác")
    AssignmentFactory(task=own_task, unit=mine)
    AssignmentFactory(task=other_task, unit=theirs)
    headers = bearer(UserFactory(role="unit_staff", unit=mine))
    assert [t["id"] for t in client.get("/api/v1/tasks", headers=headers).get_json()["items"]] == [
        own_task.id
    ]
    assert [p["id"] for p in client.get("/api/v1/plans", headers=headers).get_json()["items"]] == [
        own_task.plan_id
    ]
    forged = client.get(f"/api/v1/tasks/{other_task.id}", headers=headers)
    assert forged.status_code == 403 and forged.get_json()["error"]["code"] == "forbidden"
