"""Who may see what: the Python checks and the SQL where-clauses of app/permissions.py, on one world.

Two plans, two tasks: the lead phòng leads task 1 with a co-lead phòng (a school cooperates) and
cooperates on task 2 (led by another phòng). Co-leads each lead their own part (DOMAIN.md): they see
the cooperating units' parts, never each other's. For every kind of user the ids the SQL clause
lets through must equal the ids the Python check accepts, and both must equal the set written here.
"""
import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Assignment, Plan, Task
from app.permissions import (
    can_view_assignment,
    can_view_plan,
    can_view_task,
    visible_assignments_clause,
    visible_plans_clause,
    visible_tasks_clause,
)
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    SchoolFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)

EVERYTHING = {"t1_lead", "t1_colead", "t1_coop", "t2_lead", "t2_coop"}
# user: (role, unit), with the assignments, tasks and plans they must see
EXPECTED = {
    "admin": ("admin", "root", set(), set(), set()),
    "admin of the lead phòng": ("admin", "lead", set(), set(), set()),
    "office": ("office", "office", EVERYTHING, {"t1", "t2"},
               {"p0", "p1", "p2"}),
    "director": ("director", "root", EVERYTHING, {"t1", "t2"},
                 {"p0", "p1", "p2"}),
    "director without a unit": ("director", None, EVERYTHING, {"t1", "t2"},
                                {"p0", "p1", "p2"}),
    # the lead phòng: its own two, and the school's part of the task it leads
    "lead unit_head": ("unit_head", "lead", {"t1_lead", "t1_coop", "t2_coop"}, {"t1", "t2"}, {"p1", "p2"}),
    "lead unit_staff": ("unit_staff", "lead", {"t1_lead", "t1_coop", "t2_coop"}, {"t1", "t2"}, {"p1", "p2"}),
    "co-lead unit_head": ("unit_head", "colead", {"t1_colead", "t1_coop"}, {"t1"}, {"p1"}),
    # a cooperating unit does not open the lead unit's assignment
    "cooperating unit_head": ("unit_head", "coop", {"t1_coop"}, {"t1"}, {"p1"}),
    "cooperating unit_staff": ("unit_staff", "coop", {"t1_coop"}, {"t1"}, {"p1"}),
    "other phòng's unit_staff": ("unit_staff", "other", {"t2_lead", "t2_coop"}, {"t2"}, {"p2"}),
    "unrelated unit_head": ("unit_head", "unrelated", set(), set(), set()),
    "unit_staff without a unit": ("unit_staff", None, set(), set(), set()),
}


@pytest.fixture()
def world(db):
    units = {
        "root": UnitFactory(kind="so", name="Sở GDĐT"),
        "office": UnitFactory(kind="office", name="Văn phòng"),
        "lead": UnitFactory(name="Phòng QLCL"),
        "colead": UnitFactory(name="Phòng GDTX"),
        "coop": SchoolFactory(name="Trường THPT Trần Phú"),
        "other": UnitFactory(name="Phòng GDPT"),
        "unrelated": UnitFactory(name="Phòng KHTC"),
    }
    # p0 has no task yet: only those who see everything see it
    plans = {"p0": PlanFactory(), "p1": PlanFactory(), "p2": PlanFactory()}
    tasks = {"t1": TaskFactory(plan=plans["p1"]), "t2": TaskFactory(plan=plans["p2"])}
    assignments = {
        "t1_lead": AssignmentFactory(task=tasks["t1"], unit=units["lead"], role="lead"),
        "t1_colead": AssignmentFactory(task=tasks["t1"], unit=units["colead"], role="lead"),
        "t1_coop": AssignmentFactory(task=tasks["t1"], unit=units["coop"], role="cooperating"),
        "t2_lead": AssignmentFactory(task=tasks["t2"], unit=units["other"], role="lead"),
        "t2_coop": AssignmentFactory(task=tasks["t2"], unit=units["lead"], role="cooperating"),
    }
    _db.session.commit()
    return units, plans, tasks, assignments


def _names(objects: dict, ids) -> set[str]:
    ids = set(ids)
    return {name for name, obj in objects.items() if obj.id in ids}


@pytest.mark.parametrize("who", EXPECTED.keys())
def test_sql_clauses_and_python_checks_agree(world, who):
    units, plans, tasks, assignments = world
    role, unit, seen_assignments, seen_tasks, seen_plans = EXPECTED[who]
    user = UserFactory(role=role, unit=units[unit] if unit else None)
    _db.session.commit()

    by_sql = _names(
        assignments, _db.session.scalars(select(Assignment.id).where(visible_assignments_clause(user)))
    )
    by_python = {name for name, a in assignments.items() if can_view_assignment(user, a)}
    assert by_sql == by_python == seen_assignments

    by_sql = _names(tasks, _db.session.scalars(select(Task.id).where(visible_tasks_clause(user))))
    by_python = {name for name, t in tasks.items() if can_view_task(user, t)}
    assert by_sql == by_python == seen_tasks

    by_sql = _names(plans, _db.session.scalars(select(Plan.id).where(visible_plans_clause(user))))
    by_python = {name for name, p in plans.items() if can_view_plan(user, p)}
    assert by_sql == by_python == seen_plans
