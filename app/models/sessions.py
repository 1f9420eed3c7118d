"""Server-side log-in sessions: the cookie carries a random token, the database its hash."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.assignments import ExtensionRequest
from app.models.base import TimestampMixin, utcnow
from app.models.users import User


class UserSession(TimestampMixin, db.Model):
    """One row per signed-in browser; deleting the row ends the session wherever the cookie is."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the cookie's token: a leaked database does not leak usable sessions
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_agent: Mapped[str | None] = mapped_column(String(255))
    ip_address: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


# At most one pending extension request per assignment, enforced by the database (a partial unique
# index: SQLite and PostgreSQL both have them). Declared here because app/models/assignments.py
# belongs to the workflow; the index attaches to the extension_requests table all the same.
ONE_PENDING_EXTENSION = Index(
    "uq_extension_requests_one_pending", ExtensionRequest.assignment_id, unique=True,
    sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'"),
)
