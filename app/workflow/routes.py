"""Routes of the workflow blueprint."""
from app.workflow import bp  # noqa: F401
