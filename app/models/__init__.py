"""All models, imported here so Alembic and the app see every table."""
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.models import events  # noqa: F401  (derived columns kept on flush)
from app.models.assignments import (
    Assignment,
    AssignmentUpdate,
    EvidenceFile,
    ExtensionRequest,
)
from app.models.audit import AuditLog
from app.models.checkins import CheckIn
from app.models.comments import Comment
from app.models.notifications import Notification, OutboxMessage
from app.models.oversight import OversightArea
from app.models.plans import ColumnMapping, Plan, Task
from app.models.preferences import NotificationPreference
from app.models.saved_views import SavedView
from app.models.scheduler import MatrixSnapshot, SchedulerLock
from app.models.sessions import UserSession
from app.models.tokens import ApiToken
from app.models.units import Unit, UnitAlias, UnitGroup
from app.models.users import LoginAttempt, User

__all__ = [
    "ApiToken",
    "Assignment",
    "AssignmentUpdate",
    "AuditLog",
    "CheckIn",
    "ColumnMapping",
    "Comment",
    "EvidenceFile",
    "ExtensionRequest",
    "LoginAttempt",
    "MatrixSnapshot",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "OversightArea",
    "Plan",
    "SavedView",
    "SchedulerLock",
    "Task",
    "Unit",
    "UnitAlias",
    "UnitGroup",
    "User",
    "UserSession",
]


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session, flush_context, instances):
    """Keep the folded search column in step with the text it mirrors, whoever writes the row."""
    from app.parsing.text import fold

    for obj in list(session.new) + list(session.dirty):
        sources = getattr(obj, "search_sources", None)
        if sources is not None:
            obj.search_text = fold(" ".join(s for s in sources() if s))
