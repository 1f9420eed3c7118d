"""Directors' dashboard, overdue list, matrix page, calendar and documents."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from app.dashboard import routes, routes_calendar, routes_views  # noqa: E402,F401
