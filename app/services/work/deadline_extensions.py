"""Extension requests: a unit asks for a new deadline, the office or a director decides."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db, rows_changed
from app.formatting import NO_DATE, vn_date
from app.models.assignments import (
    CLOSED_STATUSES,
    EXTENSION_APPROVED,
    EXTENSION_PENDING,
    EXTENSION_REFUSED,
    Assignment,
    ExtensionRequest,
)
from app.models.base import utcnow
from app.models.plans import Plan, Task
from app.models.units import Unit
from app.models.users import User
from app.permissions import can_decide_extension, can_request_extension
from app.services import audit
from app.services.errors import ConflictError, DomainError, PermissionDenied
from app.services.notify import notifications
from app.services.work.workflow import _journal, _label, _link, check_version, flush_or_conflict, is_closed

ALREADY_PENDING = "Đơn vị đã có một đề nghị gia hạn đang chờ quyết định."
ALREADY_DECIDED = "Đề nghị gia hạn này đã được quyết định."

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
        raise DomainError(
            f"Thời hạn đề nghị phải sau thời hạn hiện tại ({vn_date(assignment.due_date, empty=NO_DATE)})."
        )
    if requested_due_date < today:
        raise DomainError("Thời hạn đề nghị không được ở trong quá khứ.")
    if pending_for(assignment.id) is not None:
        raise DomainError(ALREADY_PENDING)
    request = ExtensionRequest(assignment_id=assignment.id, requested_by_id=actor.id,
                               current_due_date=assignment.due_date, requested_due_date=requested_due_date,
                               reason=reason, status=EXTENSION_PENDING)
    try:
        # the partial unique index (one pending request per assignment) settles a race between two
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:
        raise ConflictError(ALREADY_PENDING) from None
    audit.record(actor, "extension_requested", request, details={
        "assignment_id": assignment.id, "from": assignment.due_date.isoformat(),
        "to": requested_due_date.isoformat(), "reason": reason})
    notifications.notify(
        notifications.office_and_directors(),
        event=f"x{request.id}",
        kind=notifications.KIND_EXTENSION_REQUESTED,
        title=f"{assignment.unit.display_name} đề nghị gia hạn đến "
              f"{vn_date(requested_due_date, empty=NO_DATE)}: "
        f"{_label(assignment)}",
        body=reason,
        link=_link(assignment),
        assignment_id=assignment.id,
        exclude=actor,
    )
    return request


def decide_extension(actor, request: ExtensionRequest, *, approve: bool, note: str | None = None,
                     expected_version=None) -> ExtensionRequest:
    """Approve (the deadline in force moves, the original stays) or refuse (with a note)."""
    if not can_decide_extension(actor):
        raise PermissionDenied("Chỉ Văn phòng Sở hoặc Lãnh đạo Sở quyết định gia hạn.")
    if request.status != EXTENSION_PENDING:
        raise DomainError(ALREADY_DECIDED)
    assignment = request.assignment
    if approve and assignment.status in CLOSED_STATUSES:
        # moving the deadline after the fact would turn late work into on-time work
        raise DomainError("Việc đã kết thúc: không thể gia hạn nữa, hãy từ chối đề nghị.")
    if expected_version is not None:
        check_version(assignment, expected_version)
    note = (note or "").strip() or None
    if not approve and not note:
        raise DomainError("Vui lòng ghi lý do không đồng ý gia hạn.")
    _claim_decision(request, EXTENSION_APPROVED if approve else EXTENSION_REFUSED, actor, note)
    previous = assignment.due_date
    if approve:
        if assignment.original_due_date is None:
            assignment.original_due_date = previous
        assignment.due_date = request.requested_due_date
        _journal(
            actor,
            assignment,
            "extension",
            note=f"Gia hạn từ {vn_date(previous, empty=NO_DATE)} đến "
                 f"{vn_date(request.requested_due_date, empty=NO_DATE)}"
            + (f": {note}" if note else ""),
        )
    flush_or_conflict()
    audit.record(actor, "extension_approved" if approve else "extension_refused", request, details={
        "assignment_id": assignment.id, "from": previous.isoformat() if previous else None,
        "to": request.requested_due_date.isoformat(), "note": note})
    if approve:
        title = (
            f"Đồng ý gia hạn đến {vn_date(request.requested_due_date, empty=NO_DATE)}: {_label(assignment)}"
        )
    else:
        title = f"Không đồng ý gia hạn: {_label(assignment)}"
    requester = db.session.get(User, request.requested_by_id) if request.requested_by_id else None
    people = notifications.unit_people(assignment) + ([requester] if requester else [])
    notifications.notify(people, event=f"x{request.id}", kind=notifications.KIND_EXTENSION_DECIDED,
                         title=title, body=note, link=_link(assignment), assignment_id=assignment.id,
                         exclude=actor)
    return request


def _claim_decision(request: ExtensionRequest, status: str, actor, note: str | None) -> None:
    """Decide only if still pending, in one conditional UPDATE: of two officers deciding at once,
    the second one's UPDATE waits for the first to commit, then matches no row (a conflict)."""
    decided = rows_changed(
        update(ExtensionRequest)
        .where(ExtensionRequest.id == request.id, ExtensionRequest.status == EXTENSION_PENDING)
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow(), decision_note=note)
        .execution_options(synchronize_session=False))
    if decided != 1:
        db.session.rollback()
        raise ConflictError("Đề nghị gia hạn này vừa được người khác quyết định. Vui lòng tải lại trang.")
    # the row changed under the ORM's feet: read it back with the decision
    db.session.refresh(request)


def pending_requests_query():
    return (select(ExtensionRequest).where(ExtensionRequest.status == EXTENSION_PENDING)
            .order_by(ExtensionRequest.created_at))


def decided_requests_page(*, page: int, per_page: int):
    """Decided requests, newest decision first, with their plan, unit and decider loaded.

    Two statements per page: the page (with assignment, task, plan and unit joined) and the people
    who asked and decided, looked up for that page's rows only."""
    stmt = (select(ExtensionRequest)
            .where(ExtensionRequest.status != EXTENSION_PENDING)
            .options(joinedload(ExtensionRequest.assignment).joinedload(Assignment.task).joinedload(Task.plan),
                     joinedload(ExtensionRequest.assignment).joinedload(Assignment.unit))
            .order_by(ExtensionRequest.decided_at.desc(), ExtensionRequest.id.desc()))
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    ids = {x.decided_by_id for x in pagination.items} | {x.requested_by_id for x in pagination.items}
    ids.discard(None)
    people = ({u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {})
    return pagination, people


DECIDED_HEADERS = ["STT nhiệm vụ", "Nội dung công việc", "Kế hoạch", "Đơn vị", "Thời hạn trước đề nghị",
                   "Thời hạn đề nghị", "Lý do đề nghị", "Người đề nghị", "Thời điểm đề nghị", "Quyết định",
                   "Người quyết định", "Thời điểm quyết định", "Ý kiến"]
DECIDED_WIDTHS = [8, 60, 18, 28, 12, 12, 40, 22, 16, 12, 22, 16, 40]
_REQUESTER, _DECIDER = aliased(User, name="requester"), aliased(User, name="decider")


def decided_requests_rows(batch: int = 1000) -> Iterator[list]:
    """Every decided request as an export row, in decided_requests_page's order: one statement of
    columns read `batch` at a time (no ORM object per row)."""
    stmt = (select(Task.ref, Task.content, Plan.number, Plan.title, Unit.name,
                   ExtensionRequest.current_due_date, ExtensionRequest.requested_due_date,
                   ExtensionRequest.reason, _REQUESTER.full_name,
                   ExtensionRequest.created_at, ExtensionRequest.status, _DECIDER.full_name,
                   ExtensionRequest.decided_at, ExtensionRequest.decision_note)
            .join(Assignment, ExtensionRequest.assignment_id == Assignment.id)
            .join(Task, Assignment.task_id == Task.id).join(Plan, Task.plan_id == Plan.id)
            .join(Unit, Assignment.unit_id == Unit.id)
            .outerjoin(_REQUESTER, ExtensionRequest.requested_by_id == _REQUESTER.id)
            .outerjoin(_DECIDER, ExtensionRequest.decided_by_id == _DECIDER.id)
            .where(ExtensionRequest.status != EXTENSION_PENDING)
            .order_by(ExtensionRequest.decided_at.desc(), ExtensionRequest.id.desc()))
    for rows in db.session.execute(stmt.execution_options(yield_per=batch)).partitions():
        for (ref, content, number, title, unit, before, asked, reason, requester, asked_at, status, decider,
             decided_at, note) in rows:
            yield [ref, content, number or title, unit, before, asked, reason, requester or "",
                   asked_at, EXTENSION_STATUSES.get(status, status), decider or "", decided_at, note or ""]
