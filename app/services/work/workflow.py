"""The assignment workflow: updates, submission, sign-off and return, and the task roll-up.

Status flow per unit and task: chưa bắt đầu → đang thực hiện → chờ xác nhận → hoàn thành, with
tạm dừng and không thực hiện (both need a reason). Only the unit head submits; a cooperating unit's
submission is signed off by the lead unit's head (or the office/a director), a lead unit's by the
office or a director. Overdue and on-time/late are derived from dates, never stored.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.links import assignment_path
from app.models.assignments import (
    CLOSED_STATUSES,
    ROLE_COOPERATING,
    ROLE_LEAD,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_DONE,
    STATUS_NOT_STARTED,
    STATUS_PAUSED,
    STATUS_SUBMITTED,
    STATUSES,
    Assignment,
    AssignmentUpdate,
)
from app.models.base import utcnow
from app.models.checkins import CheckIn
from app.permissions import can_sign_off, can_submit, can_update_assignment
from app.services import audit
from app.services.errors import ConflictError, DomainError, PermissionDenied
from app.services.notify import notifications
from app.services.work import evidence
from app.services.work.rules import actual_at, parse_vn_number, target_met

CONFLICT_MESSAGE = ("Dữ liệu đã được người khác cập nhật trong lúc bạn nhập. Nội dung của bạn chưa được "
                    "lưu: hãy xem lại thông tin mới nhất rồi nhập lại.")
# Statuses a unit may choose in an update; submitted and done come from submit and sign-off.
UPDATE_STATUSES = [STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_PAUSED, STATUS_NOT_DONE]
REASON_STATUSES = {STATUS_PAUSED, STATUS_NOT_DONE}
_ALLOWED = {
    STATUS_NOT_STARTED: {STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_PAUSED, STATUS_NOT_DONE},
    STATUS_IN_PROGRESS: {STATUS_IN_PROGRESS, STATUS_PAUSED, STATUS_NOT_DONE},
    STATUS_PAUSED: {STATUS_PAUSED, STATUS_IN_PROGRESS, STATUS_NOT_DONE},
    STATUS_NOT_DONE: {STATUS_NOT_DONE, STATUS_IN_PROGRESS},
    STATUS_SUBMITTED: set(),
    STATUS_DONE: set(),
}
SUBMITTABLE = {STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_PAUSED}

KIND_LABELS = {"update": "Cập nhật", "submit": "Trình xác nhận", "signoff": "Xác nhận hoàn thành",
               "return": "Trả lại", "extension": "Gia hạn", "admin": "Văn phòng điều chỉnh",
               "focal": "Cán bộ đầu mối", "chase": "Đôn đốc", "ask_submit": "Đề nghị thủ trưởng trình"}
KIND_ASK_SUBMIT = "ask_submit"
# the entries that answer a request to submit: after one of them the unit no longer waits for its head
_ANSWERS_TO_ASK = ("submit", "signoff", "return", "update")


# --- numbers and targets -------------------------------------------------------------------


def target_rows(task, actuals: list | None) -> list[dict]:
    """One row per quantitative target: the target, the unit's actual and whether it is met (rules)."""
    rows = []
    for index, target in enumerate(task.targets or []):
        value = actual_at(actuals, index)
        rows.append({"index": index, "target": target, "value": value, "met": target_met(target, value)})
    return rows


def _normalise_actuals(task, target_actuals) -> list:
    targets = task.targets or []
    values = list(target_actuals or [])
    if len(values) > len(targets):
        raise DomainError("Số giá trị thực hiện nhiều hơn số chỉ tiêu của nhiệm vụ.")
    values += [None] * (len(targets) - len(values))
    out = []
    for value in values:
        if isinstance(value, str):
            value = parse_vn_number(value)
        if value is not None and (not isinstance(value, int | float) or value < 0):
            raise DomainError("Giá trị thực hiện phải là số không âm.")
        out.append(value)
    return out


# --- the task roll-up ----------------------------------------------------------------------


def task_state(task) -> str:
    """The task's overall state rolled up from its assignments: the lead units' sign-off completes it.

    Done when every lead assignment is done; otherwise the least advanced state of the leads
    (submitted, in progress, paused, not started), or of every unit when there is no lead.
    """
    leads = [a for a in task.assignments if a.role == ROLE_LEAD] or list(task.assignments)
    return state_of_statuses({a.status for a in leads})


def state_of_statuses(statuses: set[str]) -> str:
    """task_state from the set of the leads' statuses (the task page reads them with one GROUP BY)."""
    if not statuses:
        return STATUS_NOT_STARTED
    if statuses <= CLOSED_STATUSES:
        return STATUS_DONE if STATUS_DONE in statuses else STATUS_NOT_DONE
    if statuses <= CLOSED_STATUSES | {STATUS_SUBMITTED}:
        return STATUS_SUBMITTED
    if statuses & {STATUS_IN_PROGRESS, STATUS_SUBMITTED, STATUS_DONE}:
        return STATUS_IN_PROGRESS
    if STATUS_PAUSED in statuses:
        return STATUS_PAUSED
    return STATUS_NOT_STARTED


def task_progress(task) -> int:
    leads = [a for a in task.assignments if a.role == ROLE_LEAD] or list(task.assignments)
    return round(sum(a.progress or 0 for a in leads) / len(leads)) if leads else 0


# --- writes --------------------------------------------------------------------------------


def check_version(row: Assignment | CheckIn, expected_version) -> None:
    """Optimistic locking: the form carries the version it was loaded with."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise ConflictError(CONFLICT_MESSAGE) from None
    if expected != row.version:
        raise ConflictError(CONFLICT_MESSAGE)


def flush_or_conflict() -> None:
    """A concurrent save between our read and our write surfaces here as a stale version."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError(CONFLICT_MESSAGE) from None


def _journal(actor, assignment, kind: str, *, note=None, status=None, progress=None, actuals=None):
    entry = AssignmentUpdate(assignment=assignment, author_id=actor.id, kind=kind, note=note,
                             status=status, progress=progress, target_actuals=actuals)
    db.session.add(entry)
    assignment.updated_at = utcnow()  # always dirty, so every action moves the version on
    return entry


def _link(assignment) -> str:
    return assignment_path(assignment.id)


def _label(assignment) -> str:
    task = assignment.task
    ref = f"{task.ref}. " if task.ref else ""
    text = task.content if len(task.content) <= 90 else task.content[:87] + "…"
    return f"{ref}{text}"


def _check_transition(actor, assignment: Assignment, status: str) -> None:
    """Whether the assignment may move from its status to the one reported, by this actor."""
    if assignment.status == STATUS_SUBMITTED:
        raise DomainError("Báo cáo đang chờ xác nhận: chỉ cập nhật được sau khi được xác nhận hoặc trả lại.")
    if assignment.status == STATUS_DONE:
        raise DomainError("Nhiệm vụ đã được xác nhận hoàn thành, không cập nhật được nữa.")
    if status not in UPDATE_STATUSES:
        raise DomainError("Trạng thái không hợp lệ.")
    if status not in _ALLOWED[assignment.status]:
        raise DomainError(f"Không thể chuyển từ “{STATUSES[assignment.status]}” sang “{STATUSES[status]}”.")
    if (
        status == STATUS_NOT_DONE
        and assignment.status != STATUS_NOT_DONE
        and not can_submit(actor, assignment)
    ):
        # dropping a task takes it out of the overdue figures: the unit's head answers for that
        raise PermissionDenied("Chỉ thủ trưởng đơn vị được báo “Không thực hiện”.")


def _clean_note(status: str, note: str | None) -> str | None:
    note = (note or "").strip() or None
    if status in REASON_STATUSES and not note:
        raise DomainError(f"Vui lòng ghi lý do khi chọn “{STATUSES[status]}”.")
    return note


def progress_percent(value) -> int:
    """A progress figure as typed: a whole number from 0 to 100, or a domain error."""
    try:
        progress = int(value)
    except (TypeError, ValueError):
        raise DomainError("Tiến độ phải là số từ 0 đến 100.") from None
    if not 0 <= progress <= 100:
        raise DomainError("Tiến độ phải là số từ 0 đến 100.")
    return progress


def _clean_progress(status: str, value) -> int:
    progress = progress_percent(value)
    if status == STATUS_NOT_STARTED and progress > 0:
        raise DomainError("Đã có tiến độ thì trạng thái phải là “Đang thực hiện”.")
    return progress


def _checked_uploads(files, upload_folder: str | None, max_bytes: int | None) -> list:
    """The evidence files, refused before anything changes."""
    uploads = [f if isinstance(f, evidence.Upload) else evidence.Upload(*f) for f in files or ()]
    if uploads:
        if upload_folder is None or max_bytes is None:
            raise DomainError("Chưa cấu hình nơi lưu minh chứng.")
        for upload in uploads:
            evidence.check(upload, max_bytes)
    return uploads


def record_update(actor, assignment: Assignment, *, expected_version, status: str, progress: int,
                  note: str | None = None, target_actuals=None, files=(), upload_folder: str | None = None,
                  max_bytes: int | None = None) -> AssignmentUpdate:
    """One progress report by the unit: status, progress %, note, actuals and evidence files."""
    if not can_update_assignment(actor, assignment):
        raise PermissionDenied("Bạn không có quyền cập nhật nhiệm vụ của đơn vị này.")
    check_version(assignment, expected_version)
    _check_transition(actor, assignment, status)
    note = _clean_note(status, note)
    progress = _clean_progress(status, progress)
    actuals = _normalise_actuals(assignment.task, target_actuals)
    uploads = _checked_uploads(files, upload_folder, max_bytes)

    before = {"status": assignment.status, "progress": assignment.progress,
              "target_actuals": assignment.target_actuals}
    reported = any(v is not None for v in actuals)
    assignment.status = status
    assignment.progress = progress
    assignment.status_reason = note if status in REASON_STATUSES else None
    if reported or assignment.target_actuals:
        assignment.target_actuals = actuals
    entry = _journal(actor, assignment, "update", note=note, status=status, progress=progress,
                     actuals=actuals if reported else None)
    flush_or_conflict()
    files_saved = []
    if uploads:
        assert upload_folder is not None and max_bytes is not None  # _checked_uploads refused otherwise
        files_saved = evidence.store(actor, assignment, uploads, upload_folder=upload_folder,
                                     max_bytes=max_bytes, update=entry)
    audit.record(actor, "assignment_updated", assignment, details={
        "before": before, "after": {"status": status, "progress": progress, "target_actuals": actuals},
        "note": note, "files": [f.original_name for f in files_saved]})
    return entry


def submit(actor, assignment: Assignment, *, expected_version, note: str | None = None) -> AssignmentUpdate:
    """The unit head sends the unit's work for sign-off."""
    if not can_submit(actor, assignment):
        raise PermissionDenied("Chỉ thủ trưởng đơn vị được trình xác nhận hoàn thành.")
    check_version(assignment, expected_version)
    if assignment.status not in SUBMITTABLE:
        raise DomainError(f"Không thể trình xác nhận khi trạng thái là “{assignment.status_label}”.")
    before = assignment.status
    assignment.status = STATUS_SUBMITTED
    assignment.status_reason = None
    entry = _journal(actor, assignment, "submit", note=(note or "").strip() or None,
                     status=STATUS_SUBMITTED, progress=assignment.progress)
    flush_or_conflict()
    audit.record(actor, "assignment_submitted", assignment, details={"before": before})
    if assignment.role == ROLE_COOPERATING:
        leads = [a.unit_id for a in assignment.task.assignments if a.role == ROLE_LEAD]
        signers = notifications.unit_heads(leads) + notifications.office_and_directors()
    else:
        signers = notifications.office_and_directors()
    notifications.notify(
        signers, event=f"a{assignment.id}:j{entry.id}", kind=notifications.KIND_SUBMITTED,
        title=f"{assignment.unit.display_name} trình xác nhận: {_label(assignment)}",
        body=entry.note, link=_link(assignment), assignment_id=assignment.id, exclude=actor)
    return entry


def may_ask_head(actor, assignment: Assignment) -> bool:
    """A staff member (who may update but not submit) at 100% asks the unit's head to submit."""
    return (can_update_assignment(actor, assignment) and not can_submit(actor, assignment)
            and assignment.status in SUBMITTABLE and (assignment.progress or 0) >= 100)


def waiting_for_head(journal: list) -> AssignmentUpdate | None:
    """The request to submit still unanswered, from the journal (newest first), if any."""
    for entry in journal:
        if entry.kind == KIND_ASK_SUBMIT:
            return entry
        if entry.kind in _ANSWERS_TO_ASK:
            return None
    return None


def ask_head_to_submit(actor, assignment: Assignment, *, expected_version,
                       note: str | None = None) -> AssignmentUpdate:
    """The staff member reports the work finished and asks the unit's head(s) to submit it."""
    if not can_update_assignment(actor, assignment):
        raise PermissionDenied("Bạn không có quyền cập nhật nhiệm vụ của đơn vị này.")
    check_version(assignment, expected_version)
    if can_submit(actor, assignment):
        raise DomainError("Thủ trưởng đơn vị trình trực tiếp bằng nút “Trình xác nhận hoàn thành”.")
    if assignment.status not in SUBMITTABLE or (assignment.progress or 0) < 100:
        raise DomainError("Chỉ đề nghị trình được khi tiến độ đạt 100% và báo cáo chưa được trình.")
    heads = notifications.unit_heads([assignment.unit_id])
    if not heads:
        raise DomainError("Đơn vị chưa có tài khoản thủ trưởng để nhận đề nghị trình.")
    entry = _journal(actor, assignment, KIND_ASK_SUBMIT, note=(note or "").strip() or None,
                     status=assignment.status, progress=assignment.progress)
    flush_or_conflict()
    audit.record(actor, "assignment_submit_requested", assignment, details={"heads": [u.id for u in heads]})
    notifications.notify(
        heads, event=f"a{assignment.id}:j{entry.id}", kind=notifications.KIND_SUBMIT_REQUESTED,
        title=f"{actor.full_name} đề nghị trình xác nhận: {_label(assignment)}",
        body=entry.note, link=_link(assignment), assignment_id=assignment.id, exclude=actor)
    return entry


def _last_submission(assignment) -> AssignmentUpdate | None:
    return db.session.scalar(
        select(AssignmentUpdate).where(AssignmentUpdate.assignment_id == assignment.id,
                                       AssignmentUpdate.kind == "submit")
        .order_by(AssignmentUpdate.created_at.desc(), AssignmentUpdate.id.desc()).limit(1))


def sign_off(actor, assignment: Assignment, *, expected_version, note: str | None = None) -> AssignmentUpdate:
    """Accept the submitted work: the assignment is done as of its submission (the unit's date)."""
    if not can_sign_off(actor, assignment):
        raise PermissionDenied("Bạn không có quyền xác nhận hoàn thành cho nhiệm vụ này.")
    check_version(assignment, expected_version)
    if assignment.status != STATUS_SUBMITTED:
        raise DomainError("Chỉ xác nhận được báo cáo đang ở trạng thái “Chờ xác nhận”.")
    submission = _last_submission(assignment)
    assignment.status = STATUS_DONE
    assignment.progress = 100
    # on time or late is judged on the day the unit handed the work in, not on the signer's delay
    assignment.completed_at = submission.created_at if submission is not None else utcnow()
    entry = _journal(actor, assignment, "signoff", note=(note or "").strip() or None,
                     status=STATUS_DONE, progress=100)
    flush_or_conflict()
    audit.record(actor, "assignment_signed_off", assignment, details={
        "role": assignment.role, "completed_at": assignment.completed_at.isoformat(),
        "due_date": assignment.due_date.isoformat() if assignment.due_date else None})
    notifications.notify(
        notifications.unit_people(assignment), event=f"a{assignment.id}:j{entry.id}",
        kind=notifications.KIND_SIGNED_OFF, title=f"Đã xác nhận hoàn thành: {_label(assignment)}",
        body=entry.note, link=_link(assignment), assignment_id=assignment.id, exclude=actor)
    return entry


def return_work(actor, assignment: Assignment, *, expected_version, reason: str) -> AssignmentUpdate:
    """Send the submitted work back to the unit with a reason; it goes back to in progress."""
    if not can_sign_off(actor, assignment):
        raise PermissionDenied("Bạn không có quyền trả lại báo cáo của nhiệm vụ này.")
    check_version(assignment, expected_version)
    if assignment.status != STATUS_SUBMITTED:
        raise DomainError("Chỉ trả lại được báo cáo đang ở trạng thái “Chờ xác nhận”.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Vui lòng ghi lý do trả lại.")
    assignment.status = STATUS_IN_PROGRESS
    assignment.status_reason = reason
    entry = _journal(actor, assignment, "return", note=reason, status=STATUS_IN_PROGRESS,
                     progress=assignment.progress)
    flush_or_conflict()
    audit.record(actor, "assignment_returned", assignment, details={"reason": reason})
    notifications.notify(
        notifications.unit_people(assignment), event=f"a{assignment.id}:j{entry.id}",
        kind=notifications.KIND_RETURNED, title=f"Báo cáo bị trả lại: {_label(assignment)}",
        body=reason, link=_link(assignment), assignment_id=assignment.id, exclude=actor)
    return entry


def is_closed(assignment) -> bool:
    return assignment.status in CLOSED_STATUSES
