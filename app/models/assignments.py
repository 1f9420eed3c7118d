"""Assignments of a task to a unit, with their journal, evidence and extension requests."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, utcnow
from app.models.plans import Task
from app.models.units import Unit
from app.models.users import User

ROLE_LEAD = "lead"
ROLE_COOPERATING = "cooperating"
ASSIGNMENT_ROLES = {ROLE_LEAD: "Chủ trì", ROLE_COOPERATING: "Phối hợp"}

STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_SUBMITTED = "submitted"
STATUS_DONE = "done"
STATUS_PAUSED = "paused"
STATUS_NOT_DONE = "not_done"

STATUSES = {
    STATUS_NOT_STARTED: "Chưa bắt đầu",
    STATUS_IN_PROGRESS: "Đang thực hiện",
    STATUS_SUBMITTED: "Chờ xác nhận",
    STATUS_DONE: "Hoàn thành",
    STATUS_PAUSED: "Tạm dừng",
    STATUS_NOT_DONE: "Không thực hiện",
}
CLOSED_STATUSES = {STATUS_DONE, STATUS_NOT_DONE}

EXTENSION_PENDING = "pending"
EXTENSION_APPROVED = "approved"
EXTENSION_REFUSED = "refused"


class Assignment(TimestampMixin, db.Model):
    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        # the filters and sorts the lists offer (overdue = due_date < today and an open status)
        Index("ix_assignments_due_date_status", "due_date", "status"),
        Index("ix_assignments_unit_id_status", "unit_id", "status"),
        Index("ix_assignments_task_id_status", "task_id", "status"),
        Index("ix_assignments_status_updated_at", "status", "updated_at"),  # the sign-off queue's order
        Index("ix_assignments_updated_at", "updated_at"),  # "Cập nhật gần nhất"
        # covering the dashboard's GROUP BYs: the 2 × 2 and targets counted without reading the rows
        Index("ix_assignments_dashboard", "task_id", "unit_id", "status", "due_date", "original_due_date",
              "completed_at", "targets_verdict"),
        # the dashboard's order of units (open and overdue, total per unit): read in unit order, no sort
        Index("ix_assignments_unit_sort", "unit_id", "task_id", "status", "due_date", "original_due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_NOT_STARTED, index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    # deadline in force (moved by approved extensions) and the one first assigned
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    original_due_date: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    target_actuals: Mapped[list] = mapped_column(JSON, default=list)
    focal_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # time of the latest journal entry, kept by app/models/events.py in the flush that adds one
    last_update_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # rules.actuals_verdict(task.targets, target_actuals): "met", "not_met", "unreported", or None when
    # nothing is reported; kept by app/services/work/rules.py in the flush that writes either
    targets_verdict: Mapped[str | None] = mapped_column(String(20))

    __mapper_args__ = {"version_id_col": version}

    task: Mapped[Task] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
    focal_user: Mapped[User | None] = relationship()
    updates: Mapped[list[AssignmentUpdate]] = relationship(
        back_populates="assignment", order_by="AssignmentUpdate.created_at.desc()",
        cascade="all, delete-orphan",
    )

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def role_label(self) -> str:
        return ASSIGNMENT_ROLES.get(self.role, self.role)

    def is_overdue(self, today: date) -> bool:
        """Derived, never stored: the deadline is the whole day, so due today is not overdue."""
        return self.due_date is not None and self.status not in CLOSED_STATUSES and today > self.due_date


class AssignmentUpdate(TimestampMixin, db.Model):
    """One journal entry: what a unit reported at a point in time."""

    __tablename__ = "assignment_updates"
    __table_args__ = (Index("ix_assignment_updates_assignment_id_created_at", "assignment_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20), default="update")  # update, submit, signoff, return…
    status: Mapped[str | None] = mapped_column(String(20))
    progress: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    target_actuals: Mapped[list | None] = mapped_column(JSON)

    assignment: Mapped[Assignment] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()


class EvidenceFile(TimestampMixin, db.Model):
    """An uploaded proof file, stored outside static/ under its content hash."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    update_id: Mapped[int | None] = mapped_column(ForeignKey("assignment_updates.id", ondelete="SET NULL"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    content_sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(100))


class ExtensionRequest(TimestampMixin, db.Model):
    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    current_due_date: Mapped[date | None] = mapped_column(Date)
    requested_due_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=EXTENSION_PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)

    assignment: Mapped[Assignment] = relationship()
