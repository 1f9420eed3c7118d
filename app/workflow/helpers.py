"""Small view helpers of the workflow blueprint: loading with 403/404 (running a service: app.views)."""
from flask import abort, current_app, request
from flask_login import current_user

from app.extensions import db
from app.models.assignments import Assignment
from app.models.plans import Task
from app.permissions import can_view_assignment, can_view_task
from app.services.work.evidence import Upload


def load_assignment(assignment_id: int) -> Assignment:
    assignment = db.get_or_404(Assignment, assignment_id)
    if not can_view_assignment(current_user, assignment):
        abort(403)
    return assignment


def load_task(task_id: int) -> Task:
    task = db.get_or_404(Task, task_id)
    if not can_view_task(current_user, task):
        abort(403)
    return task


def evidence_uploads(field_name: str) -> tuple[list[Upload], dict]:
    """The files posted in a form's evidence field, and where and how large the service may store them."""
    uploads = [Upload(f.filename or "", f.read())
               for f in request.files.getlist(field_name) if f and f.filename]
    return uploads, {"upload_folder": current_app.config["UPLOAD_FOLDER"],
                     "max_bytes": current_app.config["EVIDENCE_MAX_BYTES"]}
