"""Administration of units, unit groups and users (role admin)."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from app.admin import mail_routes, routes  # noqa: E402,F401
