"""Log-in, log-out, password change and reset."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes, routes_notifications  # noqa: E402,F401
