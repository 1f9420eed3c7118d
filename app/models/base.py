"""Shared column helpers for the models."""
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Timestamps are stored in UTC; views convert to Asia/Ho_Chi_Minh."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Stored timestamps are UTC, but SQLite hands them back without an offset: make them aware.

    The display side has the same rule in app.formatting.as_utc (models import only the stdlib and
    SQLAlchemy); tests/unit/test_formatting.py runs both on the same cases."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
