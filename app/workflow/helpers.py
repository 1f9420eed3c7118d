"""Small view helpers of the workflow blueprint: loading with 403/404 (running a service: app.views)."""
from flask import abort, current_app
from flask_login import current_user

from app.extensions import db
from app.models.assignments import Assignment
from app.models.plans import Task
from app.permissions import can_view_assignment, can_view_task
from app.services.clock import today_local


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
