"""Paths to the app's pages for notifications and e-mails, built from the routing table (never by
hand), so a changed route changes every link. Works without a request: the scheduler has none."""
from __future__ import annotations

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """The path of a route, e.g. path_for("workflow.assignment", assignment_id=3) -> "/assignments/3";
    mail prefixes it with BASE_URL."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def assignment_path(assignment_id: int) -> str:
    return path_for("workflow.assignment", assignment_id=assignment_id)


def task_path(task_id: int) -> str:
    return path_for("workflow.task", task_id=task_id)


def work_path(**filters) -> str:
    return path_for("workflow.work", **filters)


def dashboard_path() -> str:
    return path_for("dashboard.index")


def notification_settings_path() -> str:
    return path_for("auth.notification_settings")


def unsubscribe_path(token: str) -> str:
    return path_for("auth.unsubscribe", token=token)
