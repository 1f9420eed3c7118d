""""Việc cần làm": what each role must act on first, with its count, for the home page and the menu.

Every list is a few rows (the oldest or most urgent first) and a count, each from one query over
indexed columns of the viewer's own unit, or of the small set of pending items for the office.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import (
    CLOSED_STATUSES,
    EXTENSION_PENDING,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    STATUS_SUBMITTED,
    Assignment,
    AssignmentUpdate,
    ExtensionRequest,
)
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.permissions import DECIDE_EXTENSIONS, MANAGE_PLANS, SUBMIT_OWN_UNIT, UPDATE_OWN_UNIT
from app.services.work import assignments as assignment_queries
from app.services.work.workflow import SUBMITTABLE

SHOWN = 10
DUE_SOON_DAYS = 7
NOT_STARTED_DAYS = 14
KIND_RETURN = "return"


@dataclass
class TodoList:
    """One "việc cần làm" box: a title, how many there are, the first rows and where the rest live."""

    key: str
    title: str
    count: int
    items: list = field(default_factory=list)


def _active(stmt):
    return (
        stmt.join(Assignment.task)
        .join(Task.plan)
        .where(Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE)
    )


def _listed(key: str, title: str, stmt, order) -> TodoList:
    """Count and first rows of one statement over Assignment (two queries)."""
    count = db.session.scalar(stmt.with_only_columns(func.count(Assignment.id)).order_by(None)) or 0
    items = list(db.session.scalars(stmt.options(joinedload(Assignment.task).joinedload(Task.plan),
                                                 joinedload(Assignment.unit)).order_by(*order).limit(SHOWN)))
    return TodoList(key, title, count, items)


def _latest_kind():
    """The kind of each assignment's latest journal entry (correlated, for the unit's few rows)."""
    return (select(AssignmentUpdate.kind).where(AssignmentUpdate.assignment_id == Assignment.id)
            .order_by(AssignmentUpdate.created_at.desc(), AssignmentUpdate.id.desc()).limit(1)
            .correlate(Assignment).scalar_subquery())


def unit_todo(viewer, *, today: date) -> list[TodoList]:
    """A unit's boxes: its head sees what waits for their sign-off and what is ready to submit; every
    member sees what was returned, what is due within 7 days and what is overdue."""
    if viewer.unit_id is None or not viewer.has_permission(UPDATE_OWN_UNIT):
        return []
    own = _active(select(Assignment)).where(Assignment.unit_id == viewer.unit_id)
    by_due = (Assignment.due_date, Assignment.id)
    boxes = []
    if viewer.has_permission(SUBMIT_OWN_UNIT):
        waiting = assignment_queries.awaiting_sign_off(viewer, limit=SHOWN)
        boxes.append(TodoList("sign_off", "Chờ tôi xác nhận (đơn vị phối hợp đã trình)",
                              assignment_queries.awaiting_sign_off_count(viewer), waiting))
        boxes.append(
            _listed(
                "ready",
                "Sẵn sàng trình (đã đạt 100%)",
                own.where(Assignment.status.in_(SUBMITTABLE), Assignment.progress >= 100),
                by_due,
            )
        )
    boxes.append(_listed("returned", "Bị trả lại, cần bổ sung",
                         own.where(Assignment.status == STATUS_IN_PROGRESS, _latest_kind() == KIND_RETURN),
                         (Assignment.updated_at.desc(), Assignment.id)))
    boxes.append(_listed("due_soon", f"Đến hạn trong {DUE_SOON_DAYS} ngày tới",
                         own.where(Assignment.status.not_in(CLOSED_STATUSES | {STATUS_SUBMITTED}),
                                   Assignment.due_date >= today,
                                   Assignment.due_date <= today + timedelta(days=DUE_SOON_DAYS)), by_due))
    boxes.append(
        _listed(
            "overdue",
            "Quá hạn",
            own.where(Assignment.status.not_in(CLOSED_STATUSES), Assignment.due_date < today),
            by_due,
        )
    )
    return boxes


def office_todo(viewer, *, today: date) -> list[TodoList]:
    """The office's boxes: extension requests to decide, submissions waiting longest, units that have
    not started tasks due within 14 days, and names the import could not resolve."""
    boxes = []
    if viewer.has_permission(DECIDE_EXTENSIONS):
        pending = _active(select(ExtensionRequest).join(ExtensionRequest.assignment)).where(
            ExtensionRequest.status == EXTENSION_PENDING)
        count = db.session.scalar(pending.with_only_columns(func.count(ExtensionRequest.id))) or 0
        items = list(db.session.scalars(pending.options(
            joinedload(ExtensionRequest.assignment).joinedload(Assignment.task),
            joinedload(ExtensionRequest.assignment).joinedload(Assignment.unit))
            .order_by(ExtensionRequest.created_at, ExtensionRequest.id).limit(SHOWN)))
        boxes.append(TodoList("extensions", "Đề nghị gia hạn chờ quyết định", count, items))
    boxes.append(
        TodoList(
            "sign_off",
            "Chờ xác nhận lâu nhất",
            assignment_queries.awaiting_sign_off_count(viewer),
            assignment_queries.awaiting_sign_off(viewer, limit=SHOWN),
        )
    )
    boxes.append(_listed("not_started", f"Chưa bắt đầu, đến hạn trong {NOT_STARTED_DAYS} ngày",
                         _active(select(Assignment)).where(
                             Assignment.status == STATUS_NOT_STARTED, Assignment.due_date >= today,
                             Assignment.due_date <= today + timedelta(days=NOT_STARTED_DAYS)),
                         (Assignment.due_date, Assignment.id)))
    if viewer.has_permission(MANAGE_PLANS):
        unresolved = (
            select(Task)
            .join(Task.plan)
            .where(
                Plan.status == PLAN_ACTIVE,
                Task.status == TASK_ACTIVE,
                and_(
                    Task.unresolved_units.is_not(None),
                    func.coalesce(func.json_array_length(Task.unresolved_units), 0) > 0,
                ),
            )
        )
        count = db.session.scalar(unresolved.with_only_columns(func.count(Task.id))) or 0
        items = list(
            db.session.scalars(
                unresolved.options(joinedload(Task.plan)).order_by(Task.plan_id, Task.position).limit(SHOWN)
            )
        )
        boxes.append(TodoList("unresolved", "Tên đơn vị chưa xác định sau khi nhập", count, items))
    return boxes


def menu_counts(viewer) -> dict[str, int]:
    """The numbers on the menu items (Gia hạn 3, Chờ xác nhận 5): two small counts."""
    counts = {}
    if viewer.has_permission(DECIDE_EXTENSIONS):
        counts["extensions"] = db.session.scalar(select(func.count(ExtensionRequest.id)).where(
            ExtensionRequest.status == EXTENSION_PENDING)) or 0
    if viewer.has_permission(SUBMIT_OWN_UNIT) or viewer.has_permission(DECIDE_EXTENSIONS):
        counts["sign_off"] = assignment_queries.awaiting_sign_off_count(viewer)
    return counts
