"""The office's changes to assignments and plans after import; every change audited, units told."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select, update

from app.extensions import db
from app.formatting import NO_DATE, vn_date
from app.links import task_path
from app.models.assignments import ASSIGNMENT_ROLES, CLOSED_STATUSES, ROLE_COOPERATING, Assignment
from app.models.base import utcnow
from app.models.plans import PLAN_ACTIVE, PLAN_ARCHIVED, TASK_ACTIVE, TASK_CANCELLED, Plan, Task
from app.models.units import Unit, UnitGroup
from app.models.users import User
from app.parsing.targets import parse_targets
from app.permissions import can_choose_focal, can_manage_plan
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.notify import notifications
from app.services.work.workflow import _journal, _label, _link, check_version, flush_or_conflict


def _require_office(actor) -> None:
    if not can_manage_plan(actor):
        raise PermissionDenied("Chỉ Văn phòng Sở được điều chỉnh phân công và kế hoạch.")


def _tell_assigned(assignment, actor, event: str) -> None:
    notifications.notify(
        notifications.unit_heads([assignment.unit_id]), event=event, kind=notifications.KIND_ASSIGNED,
        title=f"Đơn vị được giao ({assignment.role_label.lower()}): {_label(assignment)}",
        body=f"Thời hạn: {vn_date(assignment.due_date, empty=NO_DATE)}", link=_link(assignment),
        assignment_id=assignment.id, exclude=actor)


def add_unit(actor, task: Task, unit: Unit, *, role: str, due_date: date | None = None) -> Assignment:
    """Give one more unit a part in the task (one assignment per unit and task)."""
    _require_office(actor)
    if role not in ASSIGNMENT_ROLES:
        raise DomainError("Vai trò không hợp lệ.")
    if not unit.is_active:
        raise DomainError("Đơn vị đã ngừng hoạt động.")
    if any(a.unit_id == unit.id for a in task.assignments):
        raise DomainError(f"{unit.display_name} đã được giao nhiệm vụ này.")
    due = due_date or task.due_date
    assignment = Assignment(task=task, unit=unit, role=role, due_date=due, original_due_date=due)
    db.session.add(assignment)
    db.session.flush()
    audit.record(actor, "assignment_added", assignment, details={
        "task_id": task.id, "unit": unit.code, "role": role, "due_date": due.isoformat() if due else None})
    _tell_assigned(assignment, actor, f"a{assignment.id}")
    return assignment


def bulk_assign(actor, task: Task, group: UnitGroup, *, role: str = ROLE_COOPERATING) -> list[Assignment]:
    """Assign the task to every current member of a group; units already assigned keep their role.

    A constant number of statements however big the group (1.600 schools): the assigned units and the
    members as columns, the new rows in one batched insert, every unit's heads in one query and their
    notifications in one batch."""
    members = db.session.execute(group.members_query().with_only_columns(Unit.id, Unit.code)).all()
    return add_units(actor, task, [(unit_id, code) for unit_id, code in members], role=role,
                     details={"group": group.name})


def add_units(actor, task: Task, units: list[tuple[int, str]], *, role: str,
              details: dict | None = None) -> list[Assignment]:
    """Assign the task to the given (unit id, code) pairs not assigned yet, in a constant number of
    statements: one batched insert, one read-back, one audit record, one batch of notifications."""
    _require_office(actor)
    if role not in ASSIGNMENT_ROLES:
        raise DomainError("Vai trò không hợp lệ.")
    have = set(db.session.scalars(select(Assignment.unit_id).where(Assignment.task_id == task.id)))
    new_ids = {unit_id for unit_id, _ in units if unit_id not in have}
    if new_ids:  # one executemany (the ORM would send one INSERT … RETURNING per row on SQLite)
        db.session.execute(insert(Assignment), [
            {"task_id": task.id, "unit_id": unit_id, "role": role, "due_date": task.due_date,
             "original_due_date": task.due_date} for unit_id, _ in units if unit_id in new_ids])
        db.session.expire(task, ["assignments"])
    created = [a for a in db.session.scalars(select(Assignment).where(Assignment.task_id == task.id)
                                             .order_by(Assignment.id)) if a.unit_id in new_ids]
    codes = [code for unit_id, code in units if unit_id in new_ids]
    audit.record(actor, "assignment_bulk_added", task,
                 details={**(details or {}), "role": role, "units": codes})
    _tell_assigned_many(created, actor)
    return created


def _tell_assigned_many(assignments: list[Assignment], actor) -> None:
    """_tell_assigned for many assignments of one task: one query for the heads, one batch of alerts."""
    heads = notifications.unit_heads_by_unit(a.unit_id for a in assignments)
    skip = getattr(actor, "id", None)
    alerts: list[notifications.Alert] = []
    for assignment in assignments:
        title = f"Đơn vị được giao ({assignment.role_label.lower()}): {_label(assignment)}"
        body = f"Thời hạn: {vn_date(assignment.due_date, empty=NO_DATE)}"
        kind = notifications.KIND_ASSIGNED
        alerts.extend(
            notifications.Alert(user_id=user.id, key=f"{kind}:a{assignment.id}:u{user.id}", kind=kind,
                                title=title, body=body, link=_link(assignment), assignment_id=assignment.id)
            for user in heads.get(assignment.unit_id, []) if user.id != skip)
    notifications.create_notifications(alerts)


def remove_assignment(actor, assignment: Assignment) -> None:
    """Take a unit off a task; refused once the unit has reported, so no history is lost."""
    _require_office(actor)
    if any(u.kind in {"update", "submit", "signoff", "return"} for u in assignment.updates):
        raise DomainError(
            f"{assignment.unit.display_name} đã báo cáo về nhiệm vụ này: không xoá được lịch sử. "
            "Hãy đổi thời hạn hoặc vai trò thay vì bỏ giao."
        )
    details = {"task_id": assignment.task_id, "unit": assignment.unit.code, "role": assignment.role,
               "status": assignment.status, "progress": assignment.progress}
    audit.record(actor, "assignment_removed", assignment, details=details)
    notifications.notify(
        notifications.unit_heads([assignment.unit_id]), event=f"rm{assignment.id}",
        kind=notifications.KIND_TASK_CHANGED, title=f"Đơn vị không còn được giao: {_label(assignment)}",
        exclude=actor)  # no link: the unit can no longer open the task
    db.session.delete(assignment)
    db.session.flush()


def change_role(actor, assignment: Assignment, role: str, *, expected_version) -> Assignment:
    _require_office(actor)
    check_version(assignment, expected_version)
    if role not in ASSIGNMENT_ROLES:
        raise DomainError("Vai trò không hợp lệ.")
    before = assignment.role
    if before == role:
        return assignment
    assignment.role = role
    _journal(
        actor, assignment, "admin", note=f"Đổi vai trò: {ASSIGNMENT_ROLES[before]} → {ASSIGNMENT_ROLES[role]}"
    )
    flush_or_conflict()
    audit.record(actor, "assignment_role_changed", assignment, details={"before": before, "after": role})
    return assignment


def change_deadline(actor, assignment: Assignment, due_date: date | None, *, expected_version,
                    reason: str | None = None) -> Assignment:
    """The office moves the deadline in force; the original deadline is kept."""
    _require_office(actor)
    check_version(assignment, expected_version)
    before = assignment.due_date
    if before == due_date:
        return assignment
    if assignment.original_due_date is None:
        assignment.original_due_date = before or due_date
    assignment.due_date = due_date
    note = f"Đổi thời hạn: {vn_date(before, empty=NO_DATE)} → {vn_date(due_date, empty=NO_DATE)}" + (
        f". {reason.strip()}" if reason else ""
    )
    _journal(actor, assignment, "admin", note=note)
    flush_or_conflict()
    audit.record(actor, "assignment_deadline_changed", assignment, details={
        "before": before.isoformat() if before else None,
        "after": due_date.isoformat() if due_date else None, "reason": reason})
    notifications.notify(
        notifications.unit_people(assignment),
        event=f"dl{assignment.id}:v{assignment.version}",
        kind=notifications.KIND_TASK_CHANGED,
        title=f"Thời hạn mới {vn_date(due_date, empty=NO_DATE)}: {_label(assignment)}",
        body=reason,
        link=_link(assignment),
        assignment_id=assignment.id,
        exclude=actor,
    )
    return assignment


def set_focal(actor, assignment: Assignment, user: User | None, *, expected_version) -> Assignment:
    """The unit head names the focal person among the unit's active users (or clears it)."""
    if not can_choose_focal(actor, assignment):
        raise PermissionDenied("Chỉ thủ trưởng đơn vị được chọn cán bộ đầu mối.")
    check_version(assignment, expected_version)
    if user is not None and (user.unit_id != assignment.unit_id or not user.is_active):
        raise DomainError("Cán bộ đầu mối phải là người dùng đang hoạt động của đơn vị.")
    before = assignment.focal_user_id
    assignment.focal_user = user
    _journal(actor, assignment, "focal", note=f"Cán bộ đầu mối: {user.full_name if user else 'không'}")
    flush_or_conflict()
    audit.record(actor, "assignment_focal_set", assignment, details={
        "before": before, "after": user.id if user else None})
    if user is not None:
        notifications.notify([user], event=f"focal{assignment.id}:v{assignment.version}",
                             kind=notifications.KIND_ASSIGNED,
                             title=f"Bạn là cán bộ đầu mối: {_label(assignment)}", link=_link(assignment),
                             assignment_id=assignment.id, exclude=actor)
    return assignment


# --- tasks and plans ------------------------------------------------------------------------

TASK_FIELDS = ("ref", "group_name", "content", "product", "time_text", "start_date", "due_date")


def _tell_task_units(actor, task: Task, title: str, event: str, body: str | None = None) -> None:
    notifications.notify(
        notifications.unit_heads(a.unit_id for a in task.assignments), event=event,
        kind=notifications.KIND_TASK_CHANGED, title=title, body=body, link=task_path(task.id), exclude=actor)


def add_task(actor, plan: Plan, *, content: str, ref=None, group_name=None, product=None, time_text=None,
             start_date=None, due_date=None) -> Task:
    _require_office(actor)
    if not (content or "").strip():
        raise DomainError("Vui lòng nhập nội dung nhiệm vụ.")
    position = (db.session.scalar(select(func.max(Task.position)).where(Task.plan_id == plan.id)) or 0) + 1
    task = Task(plan=plan, position=position, ref=ref or str(position), group_name=group_name or None,
                content=content.strip(), product=product or None, time_text=time_text or None,
                start_date=start_date, due_date=due_date, targets=parse_targets(product or ""))
    db.session.add(task)
    db.session.flush()
    audit.record(actor, "task_added", task, details={"plan_id": plan.id, "content": task.content})
    return task


def edit_task(actor, task: Task, **changes) -> Task:
    """Edit a task's text and dates; assignments still on the old task deadline follow the new one."""
    _require_office(actor)
    if "content" in changes and not (changes["content"] or "").strip():
        raise DomainError("Vui lòng nhập nội dung nhiệm vụ.")
    old_due = task.due_date
    diff = audit.apply_changes(task, changes, TASK_FIELDS)
    if not diff:
        return task
    if "product" in diff:
        task.targets = parse_targets(task.product or "")
    if "due_date" in diff:
        for assignment in task.assignments:
            if assignment.due_date == old_due and assignment.status not in CLOSED_STATUSES:
                if assignment.original_due_date is None:
                    assignment.original_due_date = old_due
                assignment.due_date = task.due_date
    db.session.flush()
    audit.record(actor, "task_edited", task, details={"changes": diff})
    _tell_task_units(actor, task, f"Nhiệm vụ được điều chỉnh: {task.ref or ''} {task.content[:120]}",
                     f"t{task.id}:{utcnow().timestamp()}", body=", ".join(sorted(diff)))
    return task


def cancel_task(actor, task: Task, *, reason: str) -> Task:
    _require_office(actor)
    if task.status == TASK_CANCELLED:
        raise DomainError("Nhiệm vụ đã bị huỷ.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Vui lòng ghi lý do huỷ nhiệm vụ.")
    task.status = TASK_CANCELLED
    task.extra = {**(task.extra or {}), "cancel_reason": reason}
    db.session.flush()
    audit.record(actor, "task_cancelled", task, details={"reason": reason})
    _tell_task_units(actor, task, f"Nhiệm vụ bị huỷ: {task.ref or ''} {task.content[:120]}",
                     f"cancel{task.id}", body=reason)
    return task


def restore_task(actor, task: Task) -> Task:
    _require_office(actor)
    if task.status != TASK_CANCELLED:
        raise DomainError("Nhiệm vụ đang hoạt động.")
    task.status = TASK_ACTIVE
    db.session.flush()
    audit.record(actor, "task_restored", task)
    return task


def archive_school_year(actor, school_year: str) -> int:
    """Archive every active plan of a school year; they leave the daily lists but stay readable."""
    _require_office(actor)
    plans = list(db.session.scalars(select(Plan).where(Plan.school_year == school_year,
                                                         Plan.status == PLAN_ACTIVE)))
    if not plans:
        raise DomainError(f"Không có kế hoạch đang hoạt động của năm học {school_year}.")
    now = utcnow()
    db.session.execute(update(Plan).where(Plan.id.in_([p.id for p in plans]))
                       .values(status=PLAN_ARCHIVED, archived_at=now))
    for plan in plans:
        audit.record(actor, "plan_archived", plan, details={"school_year": school_year})
    return len(plans)


def school_years() -> list[tuple[str, int]]:
    """(school year, active plans) for the archive screen."""
    rows = db.session.execute(
        select(Plan.school_year, func.count(Plan.id)).where(Plan.status == PLAN_ACTIVE,
                                                            Plan.school_year.is_not(None))
        .group_by(Plan.school_year).order_by(Plan.school_year))
    return [(year, count) for year, count in rows if year is not None]  # None: filtered out above
