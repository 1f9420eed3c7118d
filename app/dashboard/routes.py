"""Routes of the dashboard blueprint."""
from app.dashboard import bp  # noqa: F401
