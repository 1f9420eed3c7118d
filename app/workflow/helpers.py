"""Small view helpers of the workflow blueprint: loading with 403/404, running one service."""
from flask import abort, current_app, flash
from flask_login import current_user

from app.extensions import db
from app.models.assignments import Assignment
from app.models.plans import Task
from app.permissions import can_view_assignment, can_view_task
from app.services.clock import today_local
from app.services.errors import DomainError, NotFound, PermissionDenied


def today():
    return today_local(current_app.config["TIMEZONE"])


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


def run(action, success: str | None = None) -> bool:
    """Call one service, commit, flash; a refused permission is a 403, other domain errors a flash."""
    try:
        action()
        db.session.commit()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return False
    if success:
        flash(success, "success")
    return True


def flash_form_errors(form) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}: {error}" if field.label.text else error, "danger")
