"""Notification preferences: which alerts a person receives by mail, and when the digest goes out."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin


class NotificationPreference(TimestampMixin, db.Model):
    """One row per user who changed a setting; no row means every alert by mail, as soon as possible.

    In-app notifications are never turned off: these settings govern only the mail."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    mail_enabled: Mapped[bool] = mapped_column(Boolean, default=True)  # off after a one-click unsubscribe
    deadline_reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    overdue_digests: Mapped[bool] = mapped_column(Boolean, default=True)
    assignment_events: Mapped[bool] = mapped_column(Boolean, default=True)
    comments: Mapped[bool] = mapped_column(Boolean, default=True)
    # local hour (0-23) of the one daily mail; None = every run of the mail job
    digest_hour: Mapped[int | None] = mapped_column(Integer)
    last_digest_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
