"""Directors' dashboard, overdue list, matrix page, calendar and documents."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from app.dashboard import routes, routes_calendar  # noqa: E402,F401
