"""Office changes (units, roles, deadlines, bulk, focal, tasks, archive), comments and mentions."""
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.formatting import vn_date
from app.models import AuditLog, Comment, Notification, Plan, Task
from app.services.errors import DomainError, PermissionDenied
from app.services.work import assignment_admin, comments
from tests.factories import SchoolFactory, UnitGroupFactory, UserFactory
from tests.workflow_helpers import DUE, build_world


@pytest.fixture()
def world(db):
    return build_world()


def _actions():
    return [a.action for a in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_add_remove_unit_and_change_role(world):
    office = world.users["office"]
    a = assignment_admin.add_unit(office, world.task, world.other_unit, role="cooperating")
    db.session.commit()
    assert a.due_date == DUE and a.original_due_date == DUE
    note = db.session.scalar(select(Notification).where(Notification.kind == "assigned"))
    assert note.user_id == world.users["other_head"].id
    with pytest.raises(DomainError, match="đã được giao"):
        assignment_admin.add_unit(office, world.task, world.other_unit, role="lead")
    assignment_admin.change_role(office, a, "lead", expected_version=a.version)
    db.session.commit()
    assert a.role == "lead"
    assignment_admin.remove_assignment(office, a)
    db.session.commit()
    assert {x.unit_id for x in world.task.assignments} == {world.lead_unit.id, world.coop_unit.id}
    assert _actions() == ["assignment_added", "assignment_role_changed", "assignment_removed"]


@pytest.mark.parametrize("role", ["director", "lead_head", "coop_staff", "admin"])
def test_only_the_office_manages(world, role):
    with pytest.raises(PermissionDenied):
        assignment_admin.add_unit(world.users[role], world.task, world.other_unit, role="lead")
    with pytest.raises(PermissionDenied):
        assignment_admin.cancel_task(world.users[role], world.task, reason="x")


def test_change_deadline_keeps_the_original(world):
    a = world.coop
    assignment_admin.change_deadline(world.users["office"], a, date(2026, 6, 30), expected_version=a.version,
                                     reason="Theo chỉ đạo")
    db.session.commit()
    assert (a.due_date, a.original_due_date) == (date(2026, 6, 30), DUE)


def test_bulk_assign_every_member_of_a_group_once(world):
    schools = [SchoolFactory() for _ in range(3)]
    group = UnitGroupFactory(name="Các trường", member_kinds=["school"])
    created = assignment_admin.bulk_assign(world.users["office"], world.task, group)
    db.session.commit()
    # the cooperating school already assigned is skipped
    assert {a.unit_id for a in created} == {s.id for s in schools}
    assert all(a.role == "cooperating" and a.due_date == DUE for a in created)
    assert assignment_admin.bulk_assign(world.users["office"], world.task, group) == []


def test_focal_person_is_named_by_the_unit_head_from_the_unit(world):
    a = world.coop
    staff = world.users["coop_staff"]
    with pytest.raises(PermissionDenied):
        assignment_admin.set_focal(staff, a, staff, expected_version=a.version)
    with pytest.raises(DomainError):
        assignment_admin.set_focal(world.users["coop_head"], a, world.users["other_staff"],
                                   expected_version=a.version)
    assignment_admin.set_focal(world.users["coop_head"], a, staff, expected_version=a.version)
    db.session.commit()
    assert a.focal_user_id == staff.id
    assert db.session.scalar(select(Notification).where(Notification.user_id == staff.id)).kind == "assigned"


def test_add_edit_cancel_task(world):
    office = world.users["office"]
    task = assignment_admin.add_task(office, world.plan, content="Rà soát hạ tầng mạng",
                                     product="tối thiểu 30% trường", due_date=date(2026, 5, 31))
    db.session.commit()
    assert task.position == max(world.task.position, world.other_task.position) + 1
    assert task.targets[0]["op"] == ">=" and task.targets[0]["value"] == 30
    before = world.task.due_date
    with pytest.raises(DomainError, match="Trường không hợp lệ: colour"):
        assignment_admin.edit_task(office, world.task, colour="red")
    assignment_admin.edit_task(office, world.task, due_date=date(2026, 4, 15), product="100% đơn vị")
    db.session.commit()
    assert world.lead.due_date == date(2026, 4, 15) and world.task.targets[0]["value"] == 100
    edited = db.session.scalars(select(AuditLog).where(AuditLog.action == "task_edited")).one()
    assert edited.details["changes"]["due_date"] == [vn_date(before), "15/04/2026"]
    told = db.session.scalars(select(Notification.user_id).where(Notification.kind == "task_changed")).all()
    assert set(told) == {world.users["lead_head"].id, world.users["coop_head"].id}
    assignment_admin.cancel_task(office, world.task, reason="Trùng kế hoạch khác")
    db.session.commit()
    assert world.task.status == "cancelled" and world.task.extra["cancel_reason"] == "Trùng kế hoạch khác"
    assert "task_cancelled" in _actions()


def test_archive_by_school_year(world):
    old = Plan(title="Kế hoạch cũ", school_year="2024-2025")
    db.session.add(old)
    db.session.commit()
    assert assignment_admin.archive_school_year(world.users["office"], "2024-2025") == 1
    db.session.commit()
    assert db.session.get(Plan, old.id).status == "archived" and world.plan.status == "active"
    with pytest.raises(DomainError):
        assignment_admin.archive_school_year(world.users["office"], "2024-2025")


def test_comment_with_mentions_notifies_the_heads(world):
    second_head = UserFactory(role="unit_head", unit=world.coop_unit)
    comment = comments.add_comment(world.users["lead_head"], world.task,
                                   "Đề nghị @GDPT và @thpt-001 gửi số liệu trước 20/3")
    db.session.commit()
    # GDPT has no part in this task: it is not told (the comment would leak to it)
    assert set(comment.mentioned_unit_ids) == {world.coop_unit.id}
    mentioned = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "mention")))
    assert mentioned == {second_head.id, world.users["coop_head"].id}
    assert world.users["other_head"].id not in mentioned


def test_mention_by_short_name_and_comment_on_assignment(world):
    comments.add_comment(world.users["coop_staff"], world.task, "Kính gửi @QLCL: đã cập nhật",
                         assignment=world.coop)
    db.session.commit()
    kinds = {(n.kind, n.user_id) for n in db.session.scalars(select(Notification))}
    assert ("mention", world.users["lead_head"].id) in kinds
    assert ("comment", world.users["coop_head"].id) in kinds
    assert db.session.scalar(select(Comment)).assignment_id == world.coop.id


def test_comment_permissions(world):
    with pytest.raises(PermissionDenied):
        comments.add_comment(world.users["other_staff"], world.task, "Xin chào")
    with pytest.raises(PermissionDenied):
        comments.add_comment(world.users["other_head"], world.task, "Xin chào", assignment=world.coop)
    with pytest.raises(DomainError):
        comments.add_comment(world.users["office"], world.task, "   ")
    assert db.session.scalar(select(Task).where(Task.id == world.task.id)) is not None


def test_a_unit_that_reported_cannot_be_removed(world):
    from app.services.work import workflow
    a = world.coop
    workflow.record_update(world.users["coop_staff"], a, expected_version=a.version, status="in_progress",
                           progress=30, note="Đã bắt đầu")
    db.session.commit()
    with pytest.raises(DomainError, match="không xoá được lịch sử"):
        assignment_admin.remove_assignment(world.users["office"], a)
