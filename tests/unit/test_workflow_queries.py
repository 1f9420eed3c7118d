"""The "Việc của đơn vị" query: a unit sees only its own items; filters, folded search, sorting."""
from datetime import date

import pytest

from app.extensions import db
from app.services.work.assignments import (
    AssignmentFilters,
    assignments_page,
    awaiting_sign_off,
    led_cooperation,
)
from tests.factories import AssignmentFactory, TaskFactory, UserFactory
from tests.workflow_helpers import DUE, build_world

TODAY = date(2026, 3, 15)


@pytest.fixture()
def world(db):
    w = build_world()
    # a second, overdue and already done task for the cooperating school
    late = TaskFactory(
        plan=w.plan, ref="9", content="Báo cáo đánh giá an toàn thông tin", group_name="An toàn"
    )
    w.late = AssignmentFactory(task=late, unit=w.coop_unit, role="lead", due_date=date(2026, 2, 1))
    done = TaskFactory(plan=w.plan, ref="10", content="Cập nhật cơ sở dữ liệu ngành")
    w.done = AssignmentFactory(task=done, unit=w.coop_unit, role="cooperating", due_date=date(2026, 1, 1),
                               status="done")
    db.session.commit()
    return w


def _ids(viewer, **kw):
    page = assignments_page(viewer, AssignmentFilters(**kw), today=TODAY, page=1, per_page=50)
    return [a.id for a in page.items]


def test_unit_user_sees_only_own_unit_even_when_asking_for_another(world):
    staff = world.users["coop_staff"]
    assert set(_ids(staff)) == {world.coop.id, world.late.id, world.done.id}
    assert set(_ids(staff, unit_id=world.other_unit.id)) == {world.coop.id, world.late.id, world.done.id}
    assert set(_ids(world.users["office"], unit_id=world.other_unit.id)) == {world.other.id}
    assert len(_ids(world.users["director"])) == 5


def test_a_unit_without_a_unit_role_sees_nothing(world):
    """An admin attached to a unit is not that unit's user: the list agrees with can_view_assignment."""
    admin = UserFactory(role="admin", unit=world.coop_unit)
    assert _ids(admin) == [] and _ids(admin, unit_id=world.coop_unit.id) == []
    assert led_cooperation(UserFactory(role="admin", unit=world.lead_unit), today=TODAY) == []


def test_default_sort_puts_overdue_first_and_closed_last(world):
    assert _ids(world.users["coop_head"]) == [world.late.id, world.coop.id, world.done.id]


@pytest.mark.parametrize("query,expected", [
    ("chu ky so", {"coop"}), ("CHỮ KÝ", {"coop"}), ("d", {"coop", "late", "done"}),
    ("đánh giá", {"late"}), ("danh gia an toan", {"late"}), ("100%", set()), ("co so du lieu", {"done"}),
])
def test_search_is_diacritics_insensitive(world, query, expected):
    names = {world.coop.id: "coop", world.late.id: "late", world.done.id: "done"}
    assert {names[i] for i in _ids(world.users["coop_staff"], q=query)} == expected


def test_filters(world):
    staff = world.users["coop_staff"]
    assert _ids(staff, overdue=True) == [world.late.id]
    assert set(_ids(staff, role="cooperating")) == {world.coop.id, world.done.id}
    assert _ids(staff, status="done") == [world.done.id]
    assert _ids(staff, group="An toàn") == [world.late.id]
    assert _ids(staff, due_from=date(2026, 3, 1), due_to=date(2026, 3, 31)) == [world.coop.id]
    assert set(_ids(staff, plan_id=world.plan.id)) == {world.coop.id, world.late.id, world.done.id}
    assert _ids(staff, plan_id=world.plan.id + 100) == []
    assert _ids(staff, sort="due_desc")[0] == world.coop.id


def test_lead_head_sees_cooperating_units_and_submissions(world):
    world.coop.status = "submitted"
    db.session.commit()
    head = world.users["lead_head"]
    assert [a.id for a in led_cooperation(head, today=TODAY)] == [world.coop.id]
    assert [a.id for a in awaiting_sign_off(head)] == [world.coop.id]
    assert awaiting_sign_off(world.users["other_head"]) == []
    assert awaiting_sign_off(world.users["coop_staff"]) == []
    assert [a.id for a in awaiting_sign_off(world.users["office"])] == [world.coop.id]
    assert world.coop.due_date == DUE
