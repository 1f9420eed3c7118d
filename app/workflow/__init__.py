"""Daily work on assignments: my unit's list, task and assignment pages, updates, sign-off, extensions."""
from flask import Blueprint

bp = Blueprint("workflow", __name__)

from app.workflow import (  # noqa: E402,F401
    assign_routes,
    checkin_routes,
    manage,
    notification_routes,
    routes,
    task_export_routes,
)
