"""Bulk actions on rows of a list: sign off, return, change the deadline, chase.

Each row goes through the same single-item service as on its own page (so the same permission and
state checks), all in the caller's one transaction: a row refused at confirmation raises a
DomainError naming it, and the caller rolls everything back. Before that, plan() splits the chosen
rows into those that will change and those skipped, with the reason, for the confirmation page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import STATUS_SUBMITTED, Assignment
from app.models.plans import Task
from app.permissions import (
    MANAGE_PLANS,
    SIGN_OFF_ANY,
    SUBMIT_OWN_UNIT,
    can_manage_plan,
    can_sign_off,
    can_view_assignment,
)
from app.services.errors import DomainError
from app.services.work import assignment_admin, chase, workflow

ACTION_SIGN_OFF = "sign_off"
ACTION_RETURN = "return"
ACTION_DEADLINE = "deadline"
ACTION_CHASE = "chase"
ACTIONS = {
    ACTION_SIGN_OFF: "Xác nhận hoàn thành",
    ACTION_RETURN: "Trả lại",
    ACTION_DEADLINE: "Đổi thời hạn",
    ACTION_CHASE: "Đôn đốc",
}
MAX_ROWS = 500
NO_RIGHT = "Bạn không có quyền với dòng này."


@dataclass
class BulkPlan:
    """The rows that will change and the rows skipped (with the reason), for the confirmation page."""

    action: str
    rows: list[Assignment] = field(default_factory=list)
    skipped: list[tuple[Assignment, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ACTIONS[self.action]


@dataclass
class BulkInput:
    """What the confirmation form carries besides the rows."""

    note: str | None = None
    reason: str | None = None
    due_date: date | None = None
    today: date | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    base_url: str = ""
    chased_today: set[int] = field(default_factory=set)  # filled by plan() for the chase action


def row_name(assignment: Assignment) -> str:
    """How a row is named in a message: the unit and the task's number (or its first words)."""
    task = assignment.task
    what = f"nhiệm vụ {task.ref}" if task.ref else f"“{task.content[:60]}”"
    return f"{assignment.unit.display_name} – {what}"


def load_rows(ids) -> list[Assignment]:
    """The chosen assignments with what the checks read (task, its units, the unit), in one go."""
    wanted = sorted({int(i) for i in ids})[:MAX_ROWS]
    if not wanted:
        return []
    return list(db.session.scalars(
        select(Assignment).where(Assignment.id.in_(wanted))
        .options(joinedload(Assignment.task).selectinload(Task.assignments), joinedload(Assignment.unit),
                 joinedload(Assignment.focal_user))
        .order_by(Assignment.id)).unique())


def _sign_off_refusal(actor, assignment: Assignment, data: BulkInput) -> str | None:
    if not can_sign_off(actor, assignment):
        return NO_RIGHT
    if assignment.status != STATUS_SUBMITTED:
        return f"Không ở trạng thái “Chờ xác nhận” ({assignment.status_label})."
    return None


def _deadline_refusal(actor, assignment: Assignment, data: BulkInput) -> str | None:
    if not can_manage_plan(actor):
        return NO_RIGHT
    if workflow.is_closed(assignment):
        return "Nhiệm vụ đã kết thúc."
    return None


def _chase_refusal(actor, assignment: Assignment, data: BulkInput) -> str | None:
    assert data.today is not None
    return chase.refusal(actor, assignment, today=data.today, timezone=data.timezone,
                         chased_today=assignment.id in data.chased_today)


_REFUSALS = {ACTION_SIGN_OFF: _sign_off_refusal, ACTION_RETURN: _sign_off_refusal,
             ACTION_DEADLINE: _deadline_refusal, ACTION_CHASE: _chase_refusal}


def check_action(action: str) -> None:
    if action not in ACTIONS:
        raise DomainError("Thao tác hàng loạt không hợp lệ.")


def plan(actor, action: str, rows: list[Assignment], data: BulkInput) -> BulkPlan:
    """Split the rows: those the actor may act on now, and those skipped with the reason."""
    check_action(action)
    result = BulkPlan(action)
    if action == ACTION_CHASE:
        assert data.today is not None
        data.chased_today = chase.chased_on([a.id for a in rows], data.today, data.timezone)
    for assignment in rows:
        if not can_view_assignment(actor, assignment):
            result.skipped.append((assignment, NO_RIGHT))
            continue
        reason = _REFUSALS[action](actor, assignment, data)
        if reason:
            result.skipped.append((assignment, reason))
        else:
            result.rows.append(assignment)
    return result


def _check_input(action: str, data: BulkInput) -> None:
    if action == ACTION_RETURN and not (data.reason or "").strip():
        raise DomainError("Vui lòng ghi lý do trả lại.")
    if action == ACTION_DEADLINE and data.due_date is None:
        raise DomainError("Vui lòng chọn thời hạn mới.")


def _apply_one(actor, action: str, assignment: Assignment, version, data: BulkInput) -> None:
    if action == ACTION_SIGN_OFF:
        workflow.sign_off(actor, assignment, expected_version=version, note=data.note)
    elif action == ACTION_RETURN:
        workflow.return_work(actor, assignment, expected_version=version, reason=data.reason or "")
    elif action == ACTION_DEADLINE:
        assignment_admin.change_deadline(actor, assignment, data.due_date, expected_version=version,
                                         reason=data.reason)
    else:
        assert data.today is not None
        chase.chase(actor, assignment, note=data.note, today=data.today, timezone=data.timezone,
                    base_url=data.base_url)


def apply(actor, action: str, versions: dict[int, str], data: BulkInput) -> int:
    """Run the single-item service on every row (id → the version shown on the confirmation page).
    All or nothing: the first refused row raises a DomainError naming it; the caller rolls back."""
    check_action(action)
    _check_input(action, data)
    rows = load_rows(versions)
    if not rows:
        raise DomainError("Chưa chọn dòng nào.")
    if len(rows) != len(versions):
        raise DomainError("Có dòng không còn tồn tại: vui lòng tải lại danh sách.")
    for assignment in rows:
        if not can_view_assignment(actor, assignment):
            raise DomainError(f"{row_name(assignment)}: {NO_RIGHT} Chưa dòng nào được thay đổi.")
        try:
            _apply_one(actor, action, assignment, versions[assignment.id], data)
        except DomainError as error:
            raise DomainError(f"{row_name(assignment)}: {error} Chưa dòng nào được thay đổi.") from error
    return len(rows)


def available_actions(actor) -> list[tuple[str, str]]:
    """The bulk actions worth offering this user (each row is checked again on its own)."""
    signer = actor.has_permission(SIGN_OFF_ANY) or actor.has_permission(SUBMIT_OWN_UNIT)
    offered = [ACTION_SIGN_OFF, ACTION_RETURN, ACTION_CHASE] if signer else []
    if actor.has_permission(MANAGE_PLANS):
        offered.insert(2, ACTION_DEADLINE)
    return [(action, ACTIONS[action]) for action in offered]
