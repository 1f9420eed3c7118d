"""The JSON API (/api/v1) with personal access tokens."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import routes, writes  # noqa: E402,F401
from app.api.auth import refuse_token_before_password_change  # noqa: E402

bp.before_request(refuse_token_before_password_change)
