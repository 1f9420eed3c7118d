"""Extension requests: a unit asks for a new deadline, the office or a director decides."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.formatting import NO_DATE, vn_date
from app.models.assignments import (
    EXTENSION_APPROVED,
    EXTENSION_PENDING,
    EXTENSION_REFUSED,
    Assignment,
    ExtensionRequest,
)
from app.models.base import utcnow
from app.models.users import User
from app.permissions import can_decide_extension, can_request_extension
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.notify import notifications
from app.services.work.workflow import _journal, _label, _link, check_version, flush_or_conflict, is_closed

EXTENSION_STATUSES = {EXTENSION_PENDING: "Chờ quyết định", EXTENSION_APPROVED: "Đã đồng ý",
                      EXTENSION_REFUSED: "Không đồng ý"}


def pending_for(assignment_id: int) -> ExtensionRequest | None:
    return db.session.scalar(select(ExtensionRequest).where(
        ExtensionRequest.assignment_id == assignment_id, ExtensionRequest.status == EXTENSION_PENDING))


def request_extension(actor, assignment: Assignment, *, requested_due_date: date, reason: str,
                      today: date) -> ExtensionRequest:
    """The unit asks for a later deadline; one pending request at a time."""
    if not can_request_extension(actor, assignment):
        raise PermissionDenied("Bạn không có quyền đề nghị gia hạn cho đơn vị này.")
    if is_closed(assignment):
        raise DomainError("Nhiệm vụ đã kết thúc, không thể đề nghị gia hạn.")
    if assignment.due_date is None:
        raise DomainError("Nhiệm vụ không có thời hạn (thường xuyên), không cần gia hạn.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Vui lòng ghi lý do đề nghị gia hạn.")
    if requested_due_date is None or requested_due_date <= assignment.due_date:
        raise DomainError(f"Thời hạn đề nghị phải sau thời hạn hiện tại ({vn_date(assignment.due_date, empty=NO_DATE)}).")
    if requested_due_date < today:
        raise DomainError("Thời hạn đề nghị không được ở trong quá khứ.")
    if pending_for(assignment.id) is not None:
        raise DomainError("Đơn vị đã có một đề nghị gia hạn đang chờ quyết định.")
    request = ExtensionRequest(assignment_id=assignment.id, requested_by_id=actor.id,
                               current_due_date=assignment.due_date, requested_due_date=requested_due_date,
                               reason=reason, status=EXTENSION_PENDING)
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "extension_requested", request, details={
        "assignment_id": assignment.id, "from": assignment.due_date.isoformat(),
        "to": requested_due_date.isoformat(), "reason": reason})
    notifications.notify(
        notifications.office_and_directors(), event=f"x{request.id}",
        kind=notifications.KIND_EXTENSION_REQUESTED,
        title=f"{assignment.unit.display_name} đề nghị gia hạn đến {vn_date(requested_due_date, empty=NO_DATE)}: "
              f"{_label(assignment)}",
        body=reason, link=_link(assignment), assignment_id=assignment.id, exclude=actor)
    return request


def decide_extension(actor, request: ExtensionRequest, *, approve: bool, note: str | None = None,
                     expected_version=None) -> ExtensionRequest:
    """Approve (the deadline in force moves, the original stays) or refuse (with a note)."""
    if not can_decide_extension(actor):
        raise PermissionDenied("Chỉ Văn phòng Sở hoặc Lãnh đạo Sở quyết định gia hạn.")
    if request.status != EXTENSION_PENDING:
        raise DomainError("Đề nghị gia hạn này đã được quyết định.")
    assignment = request.assignment
    if approve and assignment.status in {"done", "not_done"}:
        # moving the deadline after the fact would turn late work into on-time work
        raise DomainError("Việc đã kết thúc: không thể gia hạn nữa, hãy từ chối đề nghị.")
    if expected_version is not None:
        check_version(assignment, expected_version)
    note = (note or "").strip() or None
    if not approve and not note:
        raise DomainError("Vui lòng ghi lý do không đồng ý gia hạn.")
    request.status = EXTENSION_APPROVED if approve else EXTENSION_REFUSED
    request.decided_by_id = actor.id
    request.decided_at = utcnow()
    request.decision_note = note
    previous = assignment.due_date
    if approve:
        if assignment.original_due_date is None:
            assignment.original_due_date = previous
        assignment.due_date = request.requested_due_date
        _journal(actor, assignment, "extension",
                 note=f"Gia hạn từ {vn_date(previous, empty=NO_DATE)} đến {vn_date(request.requested_due_date, empty=NO_DATE)}"
                      + (f": {note}" if note else ""))
    flush_or_conflict()
    audit.record(actor, "extension_approved" if approve else "extension_refused", request, details={
        "assignment_id": assignment.id, "from": previous.isoformat() if previous else None,
        "to": request.requested_due_date.isoformat(), "note": note})
    if approve:
        title = f"Đồng ý gia hạn đến {vn_date(request.requested_due_date, empty=NO_DATE)}: {_label(assignment)}"
    else:
        title = f"Không đồng ý gia hạn: {_label(assignment)}"
    requester = db.session.get(User, request.requested_by_id) if request.requested_by_id else None
    people = notifications.unit_people(assignment) + ([requester] if requester else [])
    notifications.notify(people, event=f"x{request.id}", kind=notifications.KIND_EXTENSION_DECIDED,
                         title=title, body=note, link=_link(assignment), assignment_id=assignment.id,
                         exclude=actor)
    return request


def pending_requests_query():
    return (select(ExtensionRequest).where(ExtensionRequest.status == EXTENSION_PENDING)
            .order_by(ExtensionRequest.created_at))
