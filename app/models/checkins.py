"""Periodic check-ins of ongoing and recurring assignments (one per period and unit)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.assignments import CLOSED_STATUSES, STATUS_NOT_STARTED, STATUSES, Assignment
from app.models.base import TimestampMixin, utcnow


class CheckIn(TimestampMixin, db.Model):
    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("assignment_id", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    period_key: Mapped[str] = mapped_column(String(20))  # "2025-11", "2025-Q4", "2025"
    period_start: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date, index=True)  # the period's last day
    status: Mapped[str] = mapped_column(String(20), default=STATUS_NOT_STARTED, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    assignment: Mapped[Assignment] = relationship()

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def is_overdue(self, today: date) -> bool:
        return self.status not in CLOSED_STATUSES and today > self.due_date
