"""The JSON API (/api/v1) with personal access tokens."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import routes, writes  # noqa: E402,F401
