"""A plan's life after import: its details corrected, withdrawn (kept for audit) or deleted when it was
imported by mistake, and the activity log that shows who did what to it."""
from __future__ import annotations

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.links import work_path
from app.models.assignments import (
    STATUS_NOT_STARTED,
    Assignment,
    AssignmentUpdate,
    EvidenceFile,
    ExtensionRequest,
)
from app.models.audit import AuditLog
from app.models.checkins import CheckIn
from app.models.comments import Comment
from app.models.plans import PLAN_ACTIVE, PLAN_WITHDRAWN, TASK_ACTIVE, TASK_CANCELLED, Plan, Task
from app.permissions import can_manage_plan
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.notify import notifications

PLAN_FIELDS = {
    "number": "Số hiệu",
    "issued_on": "Ngày ban hành",
    "title": "Trích yếu",
    "issuer": "Cơ quan ban hành",
    "school_year": "Năm học",
}
ACTIVITY_LABELS = {
    "plan_imported": "Nhập kế hoạch",
    "plan_edited": "Sửa thông tin kế hoạch",
    "plan_withdrawn": "Thu hồi kế hoạch",
    "plan_archived": "Lưu trữ",
    "task_added": "Thêm nhiệm vụ",
    "task_edited": "Sửa nhiệm vụ",
    "task_cancelled": "Huỷ nhiệm vụ",
    "task_restored": "Khôi phục nhiệm vụ",
    "assignment_added": "Giao thêm đơn vị",
    "assignment_bulk_added": "Giao theo nhóm",
    "assignment_removed": "Bỏ đơn vị",
    "assignment_role_changed": "Đổi vai trò",
    "assignment_deadline_changed": "Đổi thời hạn",
    "assignment_focal_set": "Chọn cán bộ đầu mối",
    "assignment_updated": "Đơn vị cập nhật",
    "assignment_submitted": "Trình xác nhận",
    "assignment_signed_off": "Xác nhận hoàn thành",
    "assignment_returned": "Trả lại",
    "extension_requested": "Đề nghị gia hạn",
    "extension_approved": "Quyết định gia hạn",
    "evidence_uploaded": "Tải minh chứng",
    "checkin_reported": "Báo cáo định kỳ",
    "comment_added": "Ý kiến",
}


def _require_office(actor) -> None:
    if not can_manage_plan(actor):
        raise PermissionDenied("Chỉ Văn phòng Sở được sửa, thu hồi hoặc xoá kế hoạch.")


def edit_plan(actor, plan: Plan, **changes) -> Plan:
    """Correct what the import read wrongly (số hiệu, ngày ban hành, trích yếu, cơ quan, năm học)."""
    _require_office(actor)
    if "title" in changes and not (changes["title"] or "").strip():
        raise DomainError("Vui lòng nhập trích yếu / tên kế hoạch.")
    diff = audit.apply_changes(plan, changes, PLAN_FIELDS)
    if diff:
        db.session.flush()
        audit.record(actor, "plan_edited", plan, details={"changes": diff})
    return plan


def withdraw_plan(actor, plan: Plan, *, reason: str) -> int:
    """Withdraw a plan: its active tasks are cancelled and every assigned unit is told; nothing is
    deleted, so the plan and its history stay readable. Returns how many units were told."""
    _require_office(actor)
    if plan.status != PLAN_ACTIVE:
        raise DomainError("Chỉ thu hồi được kế hoạch đang theo dõi.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Vui lòng ghi lý do thu hồi kế hoạch.")
    cancelled = list(
        db.session.scalars(select(Task.id).where(Task.plan_id == plan.id, Task.status == TASK_ACTIVE))
    )
    db.session.execute(update(Task).where(Task.id.in_(cancelled)).values(status=TASK_CANCELLED))
    plan.status = PLAN_WITHDRAWN
    db.session.flush()
    audit.record(actor, "plan_withdrawn", plan, details={"reason": reason, "cancelled_task_ids": cancelled})
    unit_ids = set(db.session.scalars(select(Assignment.unit_id).join(Task).where(Task.plan_id == plan.id)))
    notifications.notify(
        notifications.unit_heads(unit_ids), event=f"withdraw{plan.id}", kind=notifications.KIND_TASK_CHANGED,
        title=f"Kế hoạch bị thu hồi: {plan.label[:200]}", body=reason, link=work_path(plan=plan.id),
        exclude=actor)
    return len(unit_ids)


def has_reports(plan: Plan) -> bool:
    """Whether any unit has reported on the plan (an update, evidence, a check-in, a comment or an
    extension request): such a plan is withdrawn, never deleted."""
    of_plan = select(Assignment.id).join(Task).where(Task.plan_id == plan.id)
    reported = or_(
        exists(select(AssignmentUpdate.id).where(AssignmentUpdate.assignment_id.in_(of_plan))),
        exists(select(EvidenceFile.id).where(EvidenceFile.assignment_id.in_(of_plan))),
        exists(select(ExtensionRequest.id).where(ExtensionRequest.assignment_id.in_(of_plan))),
        exists(select(CheckIn.id).where(CheckIn.assignment_id.in_(of_plan),
                                       CheckIn.status != STATUS_NOT_STARTED)),
        exists(select(Comment.id).where(Comment.task_id.in_(select(Task.id).where(Task.plan_id == plan.id)))),
    )
    return bool(db.session.scalar(select(reported)))


def delete_plan(actor, plan: Plan) -> None:
    """Delete a plan imported by mistake, with its tasks and assignments, before anyone reported on it."""
    _require_office(actor)
    if has_reports(plan):
        raise DomainError("Đã có đơn vị báo cáo trên kế hoạch này: không thể xoá, hãy thu hồi kế hoạch.")
    details = {"number": plan.number, "title": plan.title[:300], "tasks": len(plan.tasks)}
    audit.record(actor, "plan_deleted", plan, details=details)
    db.session.delete(plan)
    db.session.flush()


def activity_query(plan: Plan):
    """Audit entries on the plan, its tasks, its assignments and what hangs on them (extension requests,
    check-ins, evidence, comments), newest first (paginated by the view)."""
    tasks = select(Task.id).where(Task.plan_id == plan.id)
    assignments = select(Assignment.id).join(Task).where(Task.plan_id == plan.id)
    owned = {
        "Task": tasks,
        "Assignment": assignments,
        "ExtensionRequest": select(ExtensionRequest.id).where(
            ExtensionRequest.assignment_id.in_(assignments)
        ),
        "CheckIn": select(CheckIn.id).where(CheckIn.assignment_id.in_(assignments)),
        "EvidenceFile": select(EvidenceFile.id).where(EvidenceFile.assignment_id.in_(assignments)),
        "Comment": select(Comment.id).where(Comment.task_id.in_(tasks)),
    }
    return (select(AuditLog).where(or_(
        and_(AuditLog.object_type == "Plan", AuditLog.object_id == plan.id),
        *(and_(AuditLog.object_type == kind, AuditLog.object_id.in_(ids)) for kind, ids in owned.items()),
    )).order_by(AuditLog.at.desc(), AuditLog.id.desc()))


def activity_label(action: str) -> str:
    return ACTIVITY_LABELS.get(action, action)


ACTIVITY_HEADERS = ["Thời điểm", "Người thực hiện", "Việc", "Chi tiết"]
ACTIVITY_WIDTHS = [17, 28, 30, 80]


def activity_details(details: dict | None) -> str:
    """The "Chi tiết" of an entry as one line: each changed field “old” → “new”, or the reason."""
    details = details or {}
    if changes := details.get("changes"):
        return "; ".join(f"{name}: “{old}” → “{new}”" for name, (old, new) in changes.items())
    return str(details.get("reason") or "")


def activity_rows(plan: Plan, batch: int = 1000):
    """Every entry of activity_query as an export row, newest first, read `batch` at a time."""
    stmt = activity_query(plan).options(joinedload(AuditLog.actor)).execution_options(yield_per=batch)
    for entries in db.session.scalars(stmt).partitions():
        for entry in entries:
            actor = entry.actor.full_name if entry.actor else "Hệ thống"
            yield [entry.at, actor, activity_label(entry.action), activity_details(entry.details)]
