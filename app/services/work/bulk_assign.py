"""Bulk "assign to the selected units": chosen tasks of one plan × chosen units (groups expand to their
members), each task's new units in one batch (assignment_admin.add_units, the group assignment's
path), all or nothing.

plan_assignments() counts what would be created and what is skipped (already assigned, task cancelled)
for the confirmation page; apply_assignments() recomputes the same pairs and refuses when the count
changed since the office confirmed it, so nobody creates more (or other) assignments than they saw.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.formatting import vn_number
from app.models.assignments import ASSIGNMENT_ROLES, ROLE_COOPERATING
from app.models.plans import TASK_CANCELLED, Plan, Task
from app.models.units import Unit, UnitGroup
from app.permissions import can_manage_plan
from app.services.errors import DomainError, PermissionDenied
from app.services.work import assignment_admin

MAX_NEW = 2000
MAX_TASKS = 500
MAX_UNITS = 2000


@dataclass
class AssignChoice:
    """What the office picked: task ids of the plan, unit ids, group ids, the role."""

    task_ids: list[int]
    unit_ids: list[int]
    group_ids: list[int] = field(default_factory=list)
    role: str = ROLE_COOPERATING


@dataclass
class AssignPlan:
    """The pairs (task, unit) to create and how many were skipped, for the confirmation page."""

    tasks: list[Task]
    units: list[Unit]
    groups: list[UnitGroup]
    pairs: list[tuple[Task, Unit]] = field(default_factory=list)
    already: int = 0
    cancelled: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.pairs)


def _ids(values, limit: int) -> list[int]:
    return sorted({int(v) for v in values if str(v).isdigit()})[:limit]


def _load(plan: Plan, choice: AssignChoice) -> tuple[list[Task], list[Unit], list[UnitGroup]]:
    """The plan's chosen tasks (with their assignments), the chosen active units and the groups'
    active members: three queries plus one per group."""
    task_ids = _ids(choice.task_ids, MAX_TASKS)
    tasks = list(db.session.scalars(
        select(Task).where(Task.plan_id == plan.id, Task.id.in_(task_ids))
        .options(selectinload(Task.assignments)).order_by(Task.position))) if task_ids else []
    group_ids = _ids(choice.group_ids, 100)
    groups = list(db.session.scalars(select(UnitGroup).where(UnitGroup.id.in_(group_ids))
                                     .order_by(UnitGroup.name))) if group_ids else []
    wanted = set(_ids(choice.unit_ids, MAX_UNITS))
    for group in groups:
        wanted.update(db.session.scalars(group.members_query().with_only_columns(Unit.id)))
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(wanted), Unit.is_active.is_(True))
                                    .order_by(Unit.kind, Unit.name))) if wanted else []
    return tasks, units, groups


def plan_assignments(actor, plan: Plan, choice: AssignChoice) -> AssignPlan:
    """Which assignments the choice would create; the same checks as the single add-unit."""
    if not can_manage_plan(actor):
        raise PermissionDenied("Chỉ Văn phòng Sở được điều chỉnh phân công và kế hoạch.")
    if choice.role not in ASSIGNMENT_ROLES:
        raise DomainError("Vai trò không hợp lệ.")
    tasks, units, groups = _load(plan, choice)
    if not tasks:
        raise DomainError("Chưa chọn nhiệm vụ nào của kế hoạch.")
    if not units:
        raise DomainError("Chưa chọn đơn vị nào (gõ tên để tìm, hoặc chọn nhóm đơn vị).")
    result = AssignPlan(tasks, units, groups)
    for task in tasks:
        if task.status == TASK_CANCELLED:
            result.cancelled.append(task)
            continue
        have = {a.unit_id for a in task.assignments}
        for unit in units:
            if unit.id in have:
                result.already += 1
            else:
                result.pairs.append((task, unit))
    if result.count > MAX_NEW:
        raise DomainError(f"Một lần giao tối đa {vn_number(MAX_NEW)} lượt "
                          f"(đã chọn {vn_number(result.count)}): "
                          "hãy chia nhỏ, hoặc dùng «Giao cho cả nhóm» trên từng nhiệm vụ.")
    return result


def apply_assignments(actor, plan: Plan, choice: AssignChoice, *, expected: int) -> int:
    """Create every pair, a batch per task, in the caller's transaction (the caller rolls back on error).
    Refused when the number differs from the one confirmed (someone assigned meanwhile)."""
    result = plan_assignments(actor, plan, choice)
    if result.count == 0:
        raise DomainError("Không có lượt giao mới nào: các đơn vị đã được giao các nhiệm vụ này.")
    if result.count != expected:
        raise DomainError(f"Số lượt giao đã thay đổi ({vn_number(expected)} → {vn_number(result.count)}) "
                          "từ lúc xác nhận: "
                          "vui lòng xem lại. Chưa lượt nào được tạo.")
    by_task: dict[int, tuple[Task, list[tuple[int, str]]]] = {}
    for task, unit in result.pairs:  # one batch per task, not one add_unit (flush, audit, alert) per pair
        by_task.setdefault(task.id, (task, []))[1].append((unit.id, unit.code))
    for task, units in by_task.values():
        assignment_admin.add_units(actor, task, units, role=choice.role, details={"plan_assign": True})
    return result.count
