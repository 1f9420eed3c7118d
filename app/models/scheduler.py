"""Scheduler state: the leader lock and the dated assignment-matrix snapshots."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin
from app.models.plans import Plan


class SchedulerLock(db.Model):
    """On SQLite, the leader holds this row and renews its heartbeat (PostgreSQL uses an advisory lock)."""

    __tablename__ = "scheduler_locks"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MatrixSnapshot(TimestampMixin, db.Model):
    """One built tasks x units matrix file, kept so users can download earlier dates."""

    __tablename__ = "matrix_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    file_format: Mapped[str] = mapped_column(String(10))  # "xlsx" or "docx"
    filename: Mapped[str] = mapped_column(String(255))
    content_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    built_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[Plan] = relationship()
