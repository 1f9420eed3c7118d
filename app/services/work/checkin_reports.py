"""A unit's report for one period of an ongoing task (a check-in): status, progress, note, files."""
from sqlalchemy import select

from app.extensions import db
from app.models.assignments import STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED, STATUSES
from app.models.base import utcnow
from app.models.checkins import CheckIn
from app.permissions import can_update_assignment
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.work import evidence
from app.services.work.workflow import check_version, flush_or_conflict, progress_percent

# A period is reported (done) or under way; sign-off happens on the assignment, not per period.
CHECKIN_STATUSES = [STATUS_IN_PROGRESS, STATUS_DONE]


def checkins_for(assignment, limit: int = 24) -> list[CheckIn]:
    """The latest periods first (two years of monthly check-ins at most)."""
    return list(db.session.scalars(
        select(CheckIn).where(CheckIn.assignment_id == assignment.id)
        .order_by(CheckIn.period_start.desc()).limit(limit)
    ))


def report_checkin(actor, checkin: CheckIn, *, expected_version, status: str, progress: int,
                   note: str | None = None, files=(), upload_folder: str | None = None,
                   max_bytes: int | None = None) -> CheckIn:
    """Record the unit's report for the period; "done" closes the period (on time or late)."""
    assignment = checkin.assignment
    if not can_update_assignment(actor, assignment):
        raise PermissionDenied("Bạn không có quyền báo cáo cho đơn vị này.")
    progress = _checked_progress(checkin, expected_version, status, progress)
    note = (note or "").strip() or None
    if status == STATUS_DONE and not note and not files:
        raise DomainError("Vui lòng ghi kết quả của kỳ hoặc đính kèm minh chứng.")
    uploads = [f if isinstance(f, evidence.Upload) else evidence.Upload(*f) for f in files or ()]
    for upload in uploads:  # refuse before anything changes
        evidence.check(upload, max_bytes or 0)
    before = {"status": checkin.status, "progress": checkin.progress}
    checkin.status = status
    checkin.progress = 100 if status == STATUS_DONE else progress
    checkin.note = note
    checkin.completed_at = utcnow() if status == STATUS_DONE else None
    flush_or_conflict()
    if uploads:
        if upload_folder is None:
            raise ValueError("evidence files need an upload folder")  # the views always pass one
        # max_bytes or 0 as in the check above (which refuses every file when it is None)
        rows = evidence.store(actor, assignment, uploads, upload_folder=upload_folder,
                              max_bytes=max_bytes or 0)
        for row in rows:
            row.checkin_id = checkin.id
    audit.record(actor, "checkin_reported", checkin, details={
        "assignment_id": assignment.id, "period": checkin.period_key, "before": before,
        "after": {"status": checkin.status, "progress": checkin.progress}, "files": len(uploads)})
    return checkin


def _checked_progress(checkin: CheckIn, expected_version, status: str, progress) -> int:
    """The progress as a number 0-100, once the form's version, the period and the status allow it."""
    check_version(checkin, expected_version)
    if checkin.status == STATUS_DONE:
        raise DomainError("Kỳ báo cáo này đã hoàn thành.")
    if status not in CHECKIN_STATUSES:
        raise DomainError("Trạng thái không hợp lệ.")
    return progress_percent(progress)


def status_label(status: str) -> str:
    return "Đã báo cáo" if status == STATUS_DONE else STATUSES.get(status or STATUS_NOT_STARTED, status)
