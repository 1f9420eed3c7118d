"""Saved views: a user's named filters of one list (endpoint + query string), e.g. "QLCL quá hạn"."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import TimestampMixin


class SavedView(TimestampMixin, db.Model):
    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    endpoint: Mapped[str] = mapped_column(String(80))  # a list page, e.g. "workflow.work"
    query: Mapped[str] = mapped_column(String(1000), default="")  # without page and per_page
