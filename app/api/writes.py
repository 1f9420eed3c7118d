"""API endpoints that change an assignment: updates, submission and evidence uploads."""
from flask import current_app, g, jsonify, request

from app.api import bp
from app.api.auth import ApiError
from app.api.routes import _today, load_assignment
from app.api.serializers import assignment_dict
from app.extensions import db
from app.models.assignments import STATUS_IN_PROGRESS
from app.models.checkins import CheckIn
from app.permissions import can_view_assignment
from app.services.errors import ConflictError, DomainError, PermissionDenied
from app.services.work import checkin_reports, evidence, workflow


def _domain_to_api(error: DomainError) -> ApiError:
    """Map domain refusals to stable HTTP statuses and codes."""
    if isinstance(error, PermissionDenied):
        return ApiError(403, str(error))
    if isinstance(error, ConflictError):
        return ApiError(409, str(error))
    if isinstance(error, evidence.FileTooLarge):
        return ApiError(413, str(error))
    if isinstance(error, evidence.UnsupportedFileType):
        return ApiError(415, str(error))
    return ApiError(422, str(error))


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "Nội dung yêu cầu phải là một đối tượng JSON.")
    return body


@bp.post("/assignments/<int:assignment_id>/updates")
def post_update(assignment_id: int):
    """Report status, progress, a note and target actuals, against the version last read."""
    assignment = load_assignment(assignment_id)
    body = _json_body()
    if "expected_version" not in body:
        raise ApiError(422, "Thiếu expected_version (phiên bản đã đọc của việc được giao).")
    try:
        workflow.record_update(
            g.api_user,
            assignment,
            expected_version=body.get("expected_version"),
            status=body.get("status") or assignment.status,
            progress=body.get("progress", assignment.progress),
            note=body.get("note"),
            target_actuals=body.get("target_actuals"),
        )
        # read before the commit: an acknowledged write never waits on a read that could fail after it
        answer = assignment_dict(assignment, today=_today(), detail=True)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise _domain_to_api(error) from None
    return jsonify(answer), 201


@bp.post("/assignments/<int:assignment_id>/submit")
def post_submit(assignment_id: int):
    """Send the unit's work for sign-off (unit heads only)."""
    assignment = load_assignment(assignment_id)
    body = _json_body()
    try:
        workflow.submit(g.api_user, assignment, expected_version=body.get("expected_version"),
                        note=body.get("note"))
        answer = assignment_dict(assignment, today=_today(), detail=True)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise _domain_to_api(error) from None
    return jsonify(answer)


@bp.post("/assignments/<int:assignment_id>/evidence")
def post_evidence(assignment_id: int):
    """Upload evidence files (multipart field "files"); checked by content, all or nothing."""
    assignment = load_assignment(assignment_id)
    files = [f for f in request.files.getlist("files") + request.files.getlist("file") if f.filename]
    if not files:
        raise ApiError(400, "Không có tệp nào trong trường 'files' (multipart/form-data).")
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    uploads = []
    for storage in files:
        data = storage.stream.read(limit + 1)
        uploads.append(evidence.Upload(storage.filename, data))
    try:
        rows = evidence.store(g.api_user, assignment, uploads,
                              upload_folder=current_app.config["UPLOAD_FOLDER"], max_bytes=limit)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise _domain_to_api(error) from None
    return jsonify(
        items=[
            {
                "id": r.id,
                "name": r.original_name,
                "size": r.size_bytes,
                "mime_type": r.mime_type,
                "sha256": r.content_sha256,
            }
            for r in rows
        ]
    ), 201


@bp.post("/checkins/<int:checkin_id>/report")
def post_checkin_report(checkin_id: int):
    """Report one period of an ongoing task: status in_progress or done, progress, note."""
    checkin = db.session.get(CheckIn, checkin_id)
    if checkin is None:
        raise ApiError(404, "Không tìm thấy kỳ báo cáo.")
    if not can_view_assignment(g.api_user, checkin.assignment):
        raise ApiError(403, "Kỳ báo cáo này thuộc đơn vị khác.")
    body = _json_body()
    try:
        checkin_reports.report_checkin(
            g.api_user,
            checkin,
            expected_version=body.get("expected_version"),
            status=body.get("status") or STATUS_IN_PROGRESS,
            progress=body.get("progress", 0),
            note=body.get("note"),
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise _domain_to_api(error) from None
    return jsonify(id=checkin.id, period=checkin.period_key, period_start=checkin.period_start.isoformat(),
                   due_date=checkin.due_date.isoformat(), status=checkin.status, progress=checkin.progress,
                   note=checkin.note, version=checkin.version)
