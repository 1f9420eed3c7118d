"""Bulk "assign to the selected units" from a plan: permissions per role, the count on the confirmation
page, groups expanding to their members, all or nothing, and a changed count refused."""
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Assignment, Notification
from app.services.errors import DomainError, PermissionDenied
from app.services.work import bulk_assign
from tests.conftest import login
from tests.factories import SchoolFactory, UnitGroupFactory
from tests.workflow_helpers import ROLES, any_token, build_world, token_from


@pytest.fixture()
def world(db):
    return build_world()


def _choice(world, *units, groups=(), role="cooperating") -> bulk_assign.AssignChoice:
    tasks = [world.task.id, world.other_task.id]
    return bulk_assign.AssignChoice(task_ids=tasks, unit_ids=[u.id for u in units],
                                    group_ids=[g.id for g in groups], role=role)


def _pairs(result) -> set[tuple[int, int]]:
    return {(task.id, unit.id) for task, unit in result.pairs}


def _count() -> int:
    return _db.session.scalar(select(func.count(Assignment.id)))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_office_may_assign_in_bulk(world, role):
    choice = _choice(world, world.lead_unit, world.other_unit)
    if role == "office":
        result = bulk_assign.plan_assignments(world.users[role], world.plan, choice)
        # lead_unit already has task 7, other_unit already has task 8: two new pairs, two skipped
        assert _pairs(result) == {(world.task.id, world.other_unit.id),
                                  (world.other_task.id, world.lead_unit.id)}
        assert result.already == 2
    else:
        with pytest.raises(PermissionDenied):
            bulk_assign.plan_assignments(world.users[role], world.plan, choice)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_but_the_office_is_refused_over_http(client, world, role):
    login(client, world.users[role].username)
    token = any_token(client)
    before = _count()
    response = client.post(f"/manage/plans/{world.plan.id}/assign/confirm", data={
        "csrf_token": token, "role": "cooperating", "expected": "1", "task_ids": [world.task.id],
        "unit_ids": [world.other_unit.id]})
    assert response.status_code == (302 if role == "office" else 403)
    assert _count() == before + (1 if role == "office" else 0)


def test_groups_expand_to_their_active_members(world):
    schools = [SchoolFactory(name=f"Trường THCS Nhóm {n}") for n in range(3)]
    SchoolFactory(name="Trường đã giải thể", is_active=False)
    group = UnitGroupFactory(name="Các trường thử", member_kinds=["school"])
    _db.session.commit()
    result = bulk_assign.plan_assignments(world.users["office"], world.plan, _choice(world, groups=[group]))
    members = {world.coop_unit.id} | {s.id for s in schools}
    assert {u.id for u in result.units} == members
    # the cooperating school already has task 7: 2 tasks × 4 schools − 1
    assert result.count == 7 and result.already == 1


def test_the_office_confirms_the_count_then_every_unit_is_assigned_and_told(client, world):
    office = world.users["office"]
    login(client, office.username)
    token = token_from(client, f"/plans/{world.plan.id}")
    form = {"csrf_token": token, "role": "lead", "task_ids": [world.task.id, world.other_task.id],
            "unit_ids": [world.other_unit.id, world.lead_unit.id]}
    page = client.post(f"/manage/plans/{world.plan.id}/assign", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>2</strong> lượt giao sẽ được tạo" in html
    assert "<strong>2</strong> lượt đã có được bỏ qua" in html
    assert re.search(r'name="expected"[^>]*value="2"|value="2"[^>]*name="expected"', html)
    response = client.post(f"/manage/plans/{world.plan.id}/assign/confirm", data={**form, "expected": "2"},
                           follow_redirects=True)
    assert "Đã tạo 2 lượt giao cho các đơn vị đã chọn." in response.get_data(as_text=True)
    created = _db.session.scalars(select(Assignment).where(
        Assignment.task_id == world.task.id, Assignment.unit_id == world.other_unit.id)).one()
    assert created.role == "lead" and created.due_date == world.task.due_date
    told = _db.session.scalars(select(Notification.user_id).where(Notification.assignment_id == created.id))
    assert world.users["other_head"].id in set(told)


def test_a_changed_count_creates_nothing(world):
    office = world.users["office"]
    choice = _choice(world, world.other_unit)
    with pytest.raises(DomainError, match="Số lượt giao đã thay đổi"):
        bulk_assign.apply_assignments(office, world.plan, choice, expected=5)
    _db.session.rollback()
    assert bulk_assign.apply_assignments(office, world.plan, choice, expected=1) == 1


def test_all_or_nothing_when_one_unit_is_refused(client, world):
    """A unit closed between the confirmation and the click is dropped from the choice, so the count
    changes and nothing is created, not the others alone."""
    login(client, world.users["office"].username)
    token = token_from(client, f"/plans/{world.plan.id}")
    school = SchoolFactory(name="Trường THPT Sắp đóng")
    _db.session.commit()
    before = _count()
    form = {"csrf_token": token, "role": "cooperating", "task_ids": [world.task.id],
            "unit_ids": [world.other_unit.id, school.id], "expected": "2"}
    school.is_active = False
    _db.session.commit()
    response = client.post(f"/manage/plans/{world.plan.id}/assign/confirm", data=form, follow_redirects=True)
    assert "Chưa lượt nào được tạo" in response.get_data(as_text=True)
    assert _count() == before


def test_units_of_another_plan_or_cancelled_tasks_are_not_touched(world):
    from tests.factories import TaskFactory

    stranger = TaskFactory(content="Nhiệm vụ của kế hoạch khác")
    world.other_task.status = "cancelled"
    _db.session.commit()
    choice = bulk_assign.AssignChoice(task_ids=[world.task.id, world.other_task.id, stranger.id],
                                      unit_ids=[world.other_unit.id])
    result = bulk_assign.plan_assignments(world.users["office"], world.plan, choice)
    assert [t.id for t in result.tasks] == [world.task.id, world.other_task.id]
    assert result.cancelled == [world.other_task]
    assert _pairs(result) == {(world.task.id, world.other_unit.id)}


def test_nothing_chosen_is_explained(world):
    office = world.users["office"]
    with pytest.raises(DomainError, match="Chưa chọn đơn vị"):
        bulk_assign.plan_assignments(office, world.plan, _choice(world))
    with pytest.raises(DomainError, match="Chưa chọn nhiệm vụ"):
        bulk_assign.plan_assignments(office, world.plan, bulk_assign.AssignChoice([], [world.lead_unit.id]))
    with pytest.raises(DomainError, match="Vai trò"):
        bulk_assign.plan_assignments(office, world.plan, _choice(world, world.lead_unit, role="boss"))


@pytest.mark.parametrize("role", ["office", "director"])
def test_the_plan_page_offers_the_picker_to_the_office_only(client, world, role):
    login(client, world.users[role].username)
    html = client.get(f"/plans/{world.plan.id}").get_data(as_text=True)
    offered = 'id="assign-form"' in html and 'data-unit-picker data-name="unit_ids"' in html
    assert offered == (role == "office")
    assert (f'name="task_ids" value="{world.task.id}" form="assign-form"' in html) == (role == "office")


def test_the_plan_page_sends_as_many_statements_for_many_units_as_for_few(client, world):
    from tests.factories import AssignmentFactory
    from tests.query_counter import statements_of

    login(client, world.users["office"].username)
    few = len(statements_of(client, f"/plans/{world.plan.id}"))
    for school in [SchoolFactory() for _ in range(30)]:
        AssignmentFactory(task=world.task, unit=school, role="cooperating")
    _db.session.commit()
    html = client.get(f"/plans/{world.plan.id}").get_data(as_text=True)
    assert '<td class="text-end">32</td>' in html  # the units of task 7, counted in SQL
    assert len(statements_of(client, f"/plans/{world.plan.id}")) == few
