"""Plans: list, import (upload, preview, confirm) and plan pages."""
from flask import Blueprint

bp = Blueprint("plans", __name__)

from app.plans import routes  # noqa: E402,F401
