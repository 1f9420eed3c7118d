"""Roles, the permissions they grant, route decorators and object-level checks.

Every permission decision lives here: views use the decorator, services call the can_* checks
again, so the JSON API, the CLI and the screens all enforce the same rules.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import AnonymousUserMixin, current_user
from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import aliased

from app.models.assignments import ROLE_COOPERATING, ROLE_LEAD, Assignment
from app.models.plans import Plan, Task
from app.roles import (  # noqa: F401 - the permission names are used from here by views
    DECIDE_EXTENSIONS,
    IMPORT_PLANS,
    MANAGE_DIRECTORY,
    MANAGE_PLANS,
    ROLE_ADMIN,
    ROLE_DIRECTOR,
    ROLE_OFFICE,
    ROLE_PERMISSIONS,
    ROLE_UNIT_HEAD,
    ROLE_UNIT_STAFF,
    SIGN_OFF_ANY,
    SUBMIT_OWN_UNIT,
    UPDATE_OWN_UNIT,
    VIEW_ALL,
    VIEW_AUDIT,
    VIEW_DASHBOARD,
    role_has_permission,
)


class Guest(AnonymousUserMixin):
    """The anonymous user: no role, no unit, no permissions, so checks never branch on log-in."""

    id = None
    role = None
    unit_id = None
    unit = None
    must_change_password = False

    def has_permission(self, permission: str) -> bool:
        return False


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def permission_required(*permissions: str):
    """Route decorator: log-in page for guests, 403 for users lacking any of the permissions."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if _wants_json():
                    abort(401)
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if not all(current_user.has_permission(p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Object-level checks. Views call them to hide buttons and refuse requests; services call them again.


def can_manage_directory(user) -> bool:
    return user.has_permission(MANAGE_DIRECTORY)


def can_manage_plan(user) -> bool:
    """Office: add/remove units, deadlines, tasks of a plan, archives."""
    return user.has_permission(MANAGE_PLANS)


def _lead_unit_ids(task) -> set[int]:
    return {a.unit_id for a in task.assignments if a.role == ROLE_LEAD}


def _is_unit_user(user) -> bool:
    return user.unit_id is not None and (
        user.has_permission(UPDATE_OWN_UNIT) or user.has_permission(SUBMIT_OWN_UNIT)
    )


# Who may see what: each check in Python (one object) and as a SQL where-clause (lists), side by side.


def can_view_task(user, task) -> bool:
    """The office and directors see every task; a unit sees the tasks it has a part in."""
    if user.has_permission(VIEW_ALL):
        return True
    return _is_unit_user(user) and any(a.unit_id == user.unit_id for a in task.assignments)


# built once: an alias costs ~0,5 ms to build, on every list page; the subqueries that use them are
# uncorrelated (correlate(None)), so a statement may hold both, or either twice
_PART = aliased(Assignment, name="unit_part")
_LEAD_PART = aliased(Assignment, name="lead_part")


def visible_tasks_clause(user):
    """SQL form of can_view_task: a where-clause over Task."""
    if user.has_permission(VIEW_ALL):
        return true()
    if not _is_unit_user(user):
        return false()
    return Task.id.in_(select(_PART.task_id).where(_PART.unit_id == user.unit_id).correlate(None))


def can_view_plan(user, plan) -> bool:
    """A plan is readable by whoever may read one of its tasks (the office and directors: all)."""
    return user.has_permission(VIEW_ALL) or any(can_view_task(user, task) for task in plan.tasks)


def visible_plans_clause(user):
    """SQL form of can_view_plan: a where-clause over Plan."""
    if user.has_permission(VIEW_ALL):
        return true()
    return Plan.id.in_(select(Task.plan_id).where(visible_tasks_clause(user)))


def can_view_assignment(user, assignment) -> bool:
    """Own unit's assignments, the lead unit's view of its cooperating units, or everything for the
    office and directors. Co-leads each lead their own part and do not see each other's; other units
    on the same task only see the overall state on the task page."""
    if user.has_permission(VIEW_ALL):
        return True
    if not _is_unit_user(user):
        return False
    if assignment.unit_id == user.unit_id:
        return True
    return assignment.role == ROLE_COOPERATING and user.unit_id in _lead_unit_ids(assignment.task)


def visible_assignments_clause(user):
    """SQL form of can_view_assignment: a where-clause over Assignment."""
    if user.has_permission(VIEW_ALL):
        return true()
    if not _is_unit_user(user):
        return false()
    lead = _LEAD_PART
    led_tasks = (select(lead.task_id).where(lead.unit_id == user.unit_id, lead.role == ROLE_LEAD)
                 .correlate(None))
    return or_(Assignment.unit_id == user.unit_id,
               and_(Assignment.role == ROLE_COOPERATING, Assignment.task_id.in_(led_tasks)))


def can_view_evidence(user, assignment) -> bool:
    """Evidence is downloaded only by those who may open the assignment itself."""
    return can_view_assignment(user, assignment)


def can_update_assignment(user, assignment) -> bool:
    """unit_staff and unit_head of the assigned unit."""
    return (
        user.has_permission(UPDATE_OWN_UNIT)
        and user.unit_id is not None
        and assignment.unit_id == user.unit_id
    )


def can_submit(user, assignment) -> bool:
    """Only the unit's head submits its work for sign-off."""
    return (
        user.has_permission(SUBMIT_OWN_UNIT)
        and user.unit_id is not None
        and assignment.unit_id == user.unit_id
    )


def can_sign_off(user, assignment) -> bool:
    """A cooperating unit's work: the lead unit's head, the office or a director.
    A lead unit's work: the office or a director."""
    if user.has_permission(SIGN_OFF_ANY):
        return True
    if assignment.role != ROLE_COOPERATING or assignment.unit_id == user.unit_id:
        return False
    return (
        user.has_permission(SUBMIT_OWN_UNIT)
        and user.unit_id is not None
        and user.unit_id in _lead_unit_ids(assignment.task)
    )


def can_request_extension(user, assignment) -> bool:
    return can_update_assignment(user, assignment)


def can_decide_extension(user) -> bool:
    return user.has_permission(DECIDE_EXTENSIONS)


def can_choose_focal(user, assignment) -> bool:
    """The unit head names the focal person (cán bộ đầu mối) of each of the unit's assignments."""
    return can_submit(user, assignment)


def can_comment(user, task, assignment=None) -> bool:
    if assignment is not None:
        return can_view_assignment(user, assignment)
    return can_view_task(user, task)


def can_assign_choice_units(user, task) -> bool:
    """The office picks the units of a task's "Cơ sở thí điểm" while the task is still in force."""
    from app.models.plans import TASK_ACTIVE

    return can_manage_plan(user) and task.status == TASK_ACTIVE
