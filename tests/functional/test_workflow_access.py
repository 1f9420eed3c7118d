"""Every workflow route for every role: who may open, who may act, and forged requests (403, nothing
changed)."""

import io

import pytest
from sqlalchemy import func, select

from app.models import Assignment, AssignmentUpdate, Comment, EvidenceFile, ExtensionRequest, Task
from tests.conftest import login
from tests.workflow_helpers import PDF, ROLES, any_token, build_world

VIEW_TASK = {"office", "director", "lead_head", "lead_staff", "coop_head", "coop_staff"}
OFFICE = {"office"}
DECIDERS = {"office", "director"}


@pytest.fixture()
def world(db):
    return build_world()


def _as(client, world, role):
    response = login(client, world.users[role].username)
    assert response.status_code == 200
    return client


def _get_pages(world):
    return {
        "/work": set(ROLES),
        "/work/export.xlsx": set(ROLES),
        "/work/export.csv": set(ROLES),
        "/notifications": set(ROLES),
        f"/tasks/{world.task.id}": VIEW_TASK,
        f"/assignments/{world.coop.id}": VIEW_TASK,
        f"/assignments/{world.lead.id}": {"office", "director", "lead_head", "lead_staff"},
        "/extensions": DECIDERS,
        f"/manage/tasks/{world.task.id}": OFFICE,
        f"/manage/plans/{world.plan.id}/tasks/new": OFFICE,
        "/manage/archive": OFFICE,
    }


@pytest.mark.parametrize("role", ROLES)
def test_get_pages_by_role(client, world, role):
    _as(client, world, role)
    for url, allowed in _get_pages(world).items():
        response = client.get(url)
        assert response.status_code == (200 if role in allowed else 403), (role, url)


def test_guest_is_sent_to_login(client, world):
    for url in _get_pages(world):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def _count(db, model):
    return db.session.scalar(select(func.count(model.id)))


def _snapshot(db, world):
    db.session.expire_all()
    a = db.session.get(Assignment, world.coop.id)
    lead = db.session.get(Assignment, world.lead.id)
    return (a.status, a.progress, a.version, a.due_date, a.focal_user_id, a.role, lead and lead.version,
            _count(db, AssignmentUpdate), _count(db, Comment), _count(db, ExtensionRequest),
            _count(db, EvidenceFile), db.session.get(Task, world.task.id).status, _count(db, Assignment))


def _posts(world, version):
    a, t = world.coop.id, world.task.id
    return [
        (
            "update",
            f"/assignments/{a}/update",
            {"status": "in_progress", "progress": "40", "version": version},
            {"coop_head", "coop_staff"},
        ),
        ("comment-assignment", f"/assignments/{a}/comments", {"body": "Ý kiến"}, VIEW_TASK),
        ("comment-task", f"/tasks/{t}/comments", {"body": "Ý kiến"}, VIEW_TASK),
        (
            "extension",
            f"/assignments/{a}/extensions",
            {"requested_due_date": "30/06/2099", "reason": "Lý do"},
            {"coop_head", "coop_staff"},
        ),
        (
            "focal",
            f"/assignments/{a}/focal",
            {"user_id": str(world.users["coop_staff"].id), "version": version},
            {"coop_head"},
        ),
        ("role", f"/manage/assignments/{a}/role", {"role": "lead", "version": version}, OFFICE),
        (
            "deadline",
            f"/manage/assignments/{a}/deadline",
            {"due_date": "30/06/2099", "version": version},
            OFFICE,
        ),
        ("cancel", f"/manage/tasks/{t}/cancel", {"reason": "Huỷ"}, OFFICE),
        (
            "add-unit",
            f"/manage/tasks/{t}/units",
            {"unit_id": str(world.other_unit.id), "role": "cooperating"},
            OFFICE,
        ),
        ("remove", f"/manage/assignments/{world.lead.id}/remove", {}, OFFICE),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action",
    [
        "update",
        "comment-assignment",
        "comment-task",
        "extension",
        "focal",
        "role",
        "deadline",
        "cancel",
        "add-unit",
        "remove",
    ],
)
def test_post_actions_by_role(client, db, world, role, action):
    """Allowed roles change something; anyone else gets 403 and nothing changes, CSRF token or not."""
    _as(client, world, role)
    token = any_token(client)
    before = _snapshot(db, world)
    _name, url, data, allowed = next(p for p in _posts(world, str(world.coop.version)) if p[0] == action)
    response = client.post(url, data={**data, "csrf_token": token})
    after = _snapshot(db, world)
    if role in allowed:
        assert response.status_code == 302, (role, action, response.get_data(as_text=True)[:2000])
        assert after != before, (role, action)
    else:
        assert response.status_code == 403, (role, action)
        assert after == before


@pytest.mark.parametrize("action", ["update", "comment-task", "extension", "cancel", "remove"])
def test_post_without_csrf_is_400_and_changes_nothing(client, db, world, action):
    _as(client, world, "office" if action in ("cancel", "remove") else "coop_head")
    before = _snapshot(db, world)
    _name, url, data, _allowed = next(p for p in _posts(world, str(world.coop.version)) if p[0] == action)
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Phiên làm việc của biểu mẫu" in response.get_data(as_text=True)
    assert _snapshot(db, world) == before


def test_forged_update_of_another_unit_with_evidence_is_refused(client, db, world):
    _as(client, world, "other_staff")
    token = any_token(client)
    response = client.post(f"/assignments/{world.coop.id}/update", data={
        "status": "in_progress", "progress": "90", "version": str(world.coop.version), "csrf_token": token,
        "files": (io.BytesIO(PDF), "gia-mao.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Assignment, world.coop.id).progress == 0
    assert _count(db, EvidenceFile) == 0


def test_notification_of_another_user_cannot_be_marked(client, db, world):
    from app.services.notify import notifications
    notifications.notify([world.users["coop_head"]], event="x", kind="assigned", title="Được giao")
    db.session.commit()
    note_id = db.session.scalar(select(notifications.Notification.id))
    _as(client, world, "other_head")
    response = client.post(f"/notifications/{note_id}/read", data={"csrf_token": any_token(client)})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(notifications.Notification, note_id).read_at is None


def _prepare(db, world, action):
    """Put the world in the state an action needs (a submission, a pending request, a cancelled task)."""
    from datetime import date

    from app.models import Plan
    from app.services.notify import notifications
    from app.services.work import deadline_extensions as extensions
    if action in ("sign-off", "return"):
        world.coop.status = "submitted"
    if action == "decide":
        extensions.request_extension(
            world.users["coop_head"],
            world.coop,
            requested_due_date=date(2099, 1, 1),
            reason="Chờ thiết bị",
            today=date(2026, 1, 1),
        )
    if action == "restore":
        world.task.status = "cancelled"
    if action == "archive":
        db.session.add(Plan(title="Kế hoạch cũ", school_year="2024-2025"))
    if action == "read-all":
        for user in world.users.values():
            notifications.notify([user], event="e", kind="assigned", title="Được giao")
    db.session.commit()


def _state(db, world):
    from app.models import Notification, Plan

    unread = db.session.scalar(select(func.count(Notification.id)).where(Notification.read_at.is_(None)))
    archived = db.session.scalar(select(func.count(Plan.id)).where(Plan.status == "archived"))
    requests = tuple(db.session.scalars(select(ExtensionRequest.status)))
    content = db.session.get(Task, world.task.id).content
    return _snapshot(db, world) + (unread, archived, requests, content, _count(db, Task))


MORE = {
    "submit": ("/assignments/{coop}/submit", {"version": "{version}"}, {"coop_head"}),
    "sign-off": (
        "/assignments/{coop}/sign-off",
        {"version": "{version}"},
        {"lead_head", "office", "director"},
    ),
    "return": (
        "/assignments/{coop}/return",
        {"version": "{version}", "reason": "Thiếu"},
        {"lead_head", "office", "director"},
    ),
    "decide": ("/extensions/{request}/decide", {"approve": "1"}, DECIDERS),
    "bulk": ("/manage/tasks/{task}/bulk", {"group_id": "{group}", "role": "cooperating"}, OFFICE),
    "edit": ("/manage/tasks/{task}/edit", {"content": "Nội dung mới"}, OFFICE),
    "restore": ("/manage/tasks/{task}/restore", {}, OFFICE),
    "new-task": ("/manage/plans/{plan}/tasks/new", {"content": "Nhiệm vụ bổ sung"}, OFFICE),
    "archive": ("/manage/archive", {"school_year": "2024-2025"}, OFFICE),
    "read-all": ("/notifications/read-all", {}, set(ROLES)),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MORE))
def test_more_post_actions_by_role(client, db, world, role, action):
    from tests.factories import SchoolFactory, UnitGroupFactory

    _prepare(db, world, action)
    group = UnitGroupFactory(name="Các trường", member_kinds=["school"])
    SchoolFactory()
    request_id = db.session.scalar(select(ExtensionRequest.id))
    ids = {"coop": world.coop.id, "task": world.task.id, "plan": world.plan.id, "request": request_id,
           "group": group.id, "version": world.coop.version}
    url, data, allowed = MORE[action]
    _as(client, world, role)
    token = any_token(client)
    before = _state(db, world)
    response = client.post(url.format(**ids), data={"csrf_token": token,
                                                      **{k: v.format(**ids) for k, v in data.items()}})
    db.session.expire_all()
    after = _state(db, world)
    if role in allowed:
        assert response.status_code == 302, (role, action)
        if action == "read-all":  # each user only marks their own
            assert after[-5] == before[-5] - 1
        else:
            assert after != before, (role, action)
    else:
        assert response.status_code == 403, (role, action)
        assert after == before


def test_stale_sign_off_is_a_conflict_and_changes_nothing(client, db, world):
    world.coop.status = "submitted"
    db.session.commit()
    stale = world.coop.version
    world.coop.progress = 90  # someone else saved in between
    db.session.commit()
    _as(client, world, "lead_head")
    response = client.post(
        f"/assignments/{world.coop.id}/sign-off",
        data={"csrf_token": any_token(client), "version": str(stale)},
        follow_redirects=True,
    )
    assert "Dữ liệu đã được người khác cập nhật" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Assignment, world.coop.id).status == "submitted"
