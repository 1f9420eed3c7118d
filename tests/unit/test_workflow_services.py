"""Workflow services without HTTP: transitions, sign-off rules, conflicts, extensions, roll-up."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AssignmentUpdate, AuditLog, Notification
from app.services.errors import ConflictError, DomainError, PermissionDenied
from app.services.work import deadline_extensions as extensions
from app.services.work import rules, workflow
from tests.workflow_helpers import DUE, build_world


@pytest.fixture()
def world(db):
    return build_world()


def _update(actor, a, **kw):
    args = {"expected_version": a.version, "status": "in_progress", "progress": 50, "note": "Đang làm"}
    args.update(kw)
    entry = workflow.record_update(actor, a, **args)
    db.session.commit()
    return entry


def _audit(action):
    return db.session.scalars(select(AuditLog).where(AuditLog.action == action)).all()


def test_update_records_journal_actuals_and_audit(world):
    a, staff = world.coop, world.users["coop_staff"]
    version = a.version
    entry = _update(staff, a, target_actuals=["96,2"])
    assert (a.status, a.progress, a.target_actuals) == ("in_progress", 50, [96.2])
    assert a.version == version + 1
    assert entry.author_id == staff.id and entry.target_actuals == [96.2]
    rows = workflow.target_rows(a.task, a.target_actuals)
    assert rows[0]["met"] is False  # 96,2% against ≥98,5%
    assert workflow.target_rows(a.task, [98.5])[0]["met"] is True
    log = _audit("assignment_updated")
    assert len(log) == 1 and log[0].details["after"]["progress"] == 50 and log[0].actor_id == staff.id


@pytest.mark.parametrize("text,value", [("96,2", 96.2), ("1.700", 1700), ("98.5", 98.5), ("100", 100),
                                        ("", None), (" 45,75 % ", 45.75)])
def test_parse_vn_number(text, value):
    assert rules.parse_vn_number(text) == value


@pytest.mark.parametrize("text", ["abc", "9,8,7", "1/2"])
def test_parse_vn_number_refuses_garbage(text):
    with pytest.raises(DomainError):
        rules.parse_vn_number(text)


@pytest.mark.parametrize("target,value,met", [
    ({"op": ">", "value": 50}, 50, False), ({"op": "<=", "value": 2}, 2, True),
    ({"op": "<", "value": 2}, 2, False), ({"op": "between", "value": 3, "max": 5}, 4, True),
    ({"op": "between", "value": 3, "max": 5}, 6, False), ({"op": ">=", "value": 10}, None, None)])
def test_target_met(target, value, met):
    assert rules.target_met(target, value) is met


def test_pause_and_not_done_need_a_reason(world):
    a, staff, head = world.coop, world.users["coop_staff"], world.users["coop_head"]
    for user, status in ((staff, "paused"), (head, "not_done")):
        with pytest.raises(DomainError, match="lý do"):
            workflow.record_update(user, a, expected_version=a.version, status=status, progress=0, note=" ")
    _update(staff, a, status="paused", progress=10, note="Chờ kinh phí")
    assert a.status == "paused" and a.status_reason == "Chờ kinh phí"


def test_only_the_head_declares_not_done(world):
    a, staff, head = world.coop, world.users["coop_staff"], world.users["coop_head"]
    with pytest.raises(PermissionDenied, match="thủ trưởng"):
        workflow.record_update(staff, a, expected_version=a.version, status="not_done", progress=0,
                               note="Không có kinh phí")
    _update(head, a, status="not_done", progress=0, note="Không có kinh phí")
    assert a.status == "not_done"


def test_invalid_transitions_are_refused(world):
    a, staff = world.coop, world.users["coop_staff"]
    with pytest.raises(DomainError):
        workflow.record_update(staff, a, expected_version=a.version, status="done", progress=100)
    with pytest.raises(DomainError):
        workflow.record_update(staff, a, expected_version=a.version, status="not_started", progress=20)
    _update(staff, a)
    with pytest.raises(DomainError, match="Không thể chuyển"):
        workflow.record_update(staff, a, expected_version=a.version, status="not_started", progress=0)
    with pytest.raises(DomainError, match="Tiến độ"):
        workflow.record_update(staff, a, expected_version=a.version, status="in_progress", progress=120)


def test_stale_version_conflicts_and_changes_nothing(world):
    a, staff = world.coop, world.users["coop_staff"]
    stale = a.version
    _update(staff, a, progress=30)
    with pytest.raises(ConflictError, match="Dữ liệu đã được người khác cập nhật"):
        workflow.record_update(staff, a, expected_version=stale, status="in_progress", progress=90)
    db.session.rollback()
    assert a.progress == 30
    assert len(db.session.scalars(select(AssignmentUpdate)).all()) == 1


def test_other_units_cannot_update(world):
    for role in ("other_head", "other_staff", "lead_staff", "office", "director", "admin"):
        with pytest.raises(PermissionDenied):
            workflow.record_update(world.users[role], world.coop, expected_version=world.coop.version,
                                   status="in_progress", progress=10)


def test_only_the_unit_head_submits(world):
    a = world.coop
    _update(world.users["coop_staff"], a)
    with pytest.raises(PermissionDenied):
        workflow.submit(world.users["coop_staff"], a, expected_version=a.version)
    workflow.submit(world.users["coop_head"], a, expected_version=a.version, note="Xong")
    db.session.commit()
    assert a.status == "submitted"
    # the lead unit's head hears about it
    keys = {
        n.user_id for n in db.session.scalars(select(Notification).where(Notification.kind == "submitted"))
    }
    assert world.users["lead_head"].id in keys and world.users["office"].id in keys
    with pytest.raises(DomainError, match="chờ xác nhận"):
        workflow.record_update(world.users["coop_staff"], a, expected_version=a.version, status="in_progress",
                               progress=60)


def test_cooperating_sign_off_by_lead_head_and_completion(world):
    a = world.coop
    workflow.submit(world.users["coop_head"], a, expected_version=a.version)
    db.session.commit()
    for role in ("lead_staff", "coop_head", "other_head"):
        with pytest.raises(PermissionDenied):
            workflow.sign_off(world.users[role], a, expected_version=a.version)
    workflow.sign_off(world.users["lead_head"], a, expected_version=a.version, note="Đạt")
    db.session.commit()
    assert a.status == "done" and a.progress == 100 and a.completed_at is not None
    # completed as of the submission, made after the 31/03/2026 deadline: late
    assert a.completed_at.date() > DUE
    assert rules.assignment_bucket(a, today=date(2026, 5, 1)) == rules.DONE_LATE
    note = db.session.scalar(select(Notification).where(Notification.kind == "signed_off"))
    assert note.user_id == world.users["coop_head"].id and note.link == f"/assignments/{a.id}"
    # the task is not complete until the lead is
    assert workflow.task_state(world.task) != "done"


def test_lead_submission_needs_office_or_director(world):
    a = world.lead
    workflow.submit(world.users["lead_head"], a, expected_version=a.version)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        workflow.sign_off(world.users["lead_head"], a, expected_version=a.version)
    workflow.sign_off(world.users["director"], a, expected_version=a.version)
    db.session.commit()
    assert a.status == "done"
    assert workflow.task_state(world.task) == "done"  # the lead's sign-off completes the task


def test_return_needs_a_reason_and_reopens(world):
    a = world.coop
    workflow.submit(world.users["coop_head"], a, expected_version=a.version)
    db.session.commit()
    with pytest.raises(DomainError, match="lý do"):
        workflow.return_work(world.users["office"], a, expected_version=a.version, reason="")
    workflow.return_work(world.users["office"], a, expected_version=a.version, reason="Thiếu minh chứng")
    db.session.commit()
    assert a.status == "in_progress" and a.status_reason == "Thiếu minh chứng"
    note = db.session.scalar(select(Notification).where(Notification.kind == "returned"))
    assert note.body == "Thiếu minh chứng"


def test_bucket_counts_the_due_day_as_on_time(world):
    a = world.coop
    a.status = "done"
    # 23:30 in Hà Nội on the due day is 16:30 UTC: still on time
    a.completed_at = datetime(DUE.year, DUE.month, DUE.day, 16, 30, tzinfo=UTC)
    assert rules.assignment_bucket(a, today=date(2026, 4, 5)) == rules.DONE_ON_TIME
    a.completed_at = datetime(DUE.year, DUE.month, DUE.day, 17, 30, tzinfo=UTC)  # 00:30 next day locally
    assert rules.assignment_bucket(a, today=date(2026, 4, 5)) == rules.DONE_LATE
    a.status = "in_progress"
    assert rules.assignment_bucket(a, today=DUE) == rules.OPEN_IN_TIME
    assert rules.assignment_bucket(a, today=date(2026, 4, 1)) == rules.OPEN_OVERDUE
    assert a.is_overdue(date(2026, 4, 1)) and not a.is_overdue(DUE)


def test_extension_approved_moves_deadline_in_force_and_keeps_original(world):
    a = world.coop
    req = extensions.request_extension(world.users["coop_staff"], a, requested_due_date=date(2026, 4, 30),
                                       reason="Chờ cấp chứng thư số", today=date(2026, 3, 1))
    db.session.commit()
    with pytest.raises(DomainError, match="đang chờ"):
        extensions.request_extension(world.users["coop_head"], a, requested_due_date=date(2026, 5, 30),
                                     reason="Lần hai", today=date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        extensions.decide_extension(world.users["lead_head"], req, approve=True)
    extensions.decide_extension(world.users["director"], req, approve=True, note="Đồng ý")
    db.session.commit()
    assert a.due_date == date(2026, 4, 30) and a.original_due_date == DUE
    assert req.status == "approved" and req.decided_by_id == world.users["director"].id
    # late against the original, on time against the deadline in force
    a.status, a.completed_at = "done", datetime(2026, 4, 20, 3, 0, tzinfo=UTC)
    assert rules.assignment_bucket(a, today=date(2026, 5, 1)) == rules.DONE_ON_TIME
    assert rules.assignment_bucket(a, today=date(2026, 5, 1), basis=rules.BASIS_ORIGINAL) == rules.DONE_LATE
    told = {
        n.user_id
        for n in db.session.scalars(select(Notification).where(Notification.kind == "extension_decided"))
    }
    assert told == {world.users["coop_head"].id, world.users["coop_staff"].id}


def test_extension_refused_needs_a_note_and_keeps_deadline(world):
    a = world.coop
    req = extensions.request_extension(world.users["coop_head"], a, requested_due_date=date(2026, 4, 30),
                                       reason="Thiếu nhân lực", today=date(2026, 3, 1))
    with pytest.raises(DomainError, match="lý do"):
        extensions.decide_extension(world.users["office"], req, approve=False)
    extensions.decide_extension(world.users["office"], req, approve=False, note="Không có căn cứ")
    db.session.commit()
    assert a.due_date == DUE and req.status == "refused"
    with pytest.raises(DomainError, match="đã được quyết định"):
        extensions.decide_extension(world.users["office"], req, approve=True)


def test_extension_request_rules(world):
    a = world.coop
    with pytest.raises(DomainError, match="sau thời hạn hiện tại"):
        extensions.request_extension(world.users["coop_head"], a, requested_due_date=DUE, reason="x",
                                     today=date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        extensions.request_extension(world.users["other_head"], a, requested_due_date=date(2026, 5, 1),
                                     reason="x", today=date(2026, 3, 1))


def test_notifications_are_idempotent_and_marked_read(world):
    from app.services.notify import notifications
    user = world.users["coop_head"]
    for _ in range(2):
        notifications.notify([user], event="e1", kind="assigned", title="Được giao")
    db.session.commit()
    assert notifications.unread_count(user) == 1
    note = db.session.scalar(select(Notification))
    with pytest.raises(DomainError):
        notifications.mark_read(world.users["coop_staff"], note.id)
    notifications.mark_read(user, note.id)
    db.session.commit()
    assert notifications.unread_count(user) == 0
