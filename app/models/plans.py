"""Plans (kế hoạch, công văn) and the tasks of their appendix."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin

PLAN_ACTIVE = "active"
PLAN_ARCHIVED = "archived"
PLAN_WITHDRAWN = "withdrawn"  # thu hồi: tasks cancelled, kept for audit
PLAN_STATUSES = {PLAN_ACTIVE: "Đang theo dõi", PLAN_ARCHIVED: "Lưu trữ", PLAN_WITHDRAWN: "Đã thu hồi"}

TASK_ACTIVE = "active"
TASK_CANCELLED = "cancelled"

RECURRENCES = {
    None: "",
    "ongoing": "Thường xuyên",
    "monthly": "Hằng tháng",
    "quarterly": "Hằng quý",
    "yearly": "Hằng năm",
}


class Plan(TimestampMixin, db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(80), index=True)  # số hiệu, e.g. 1295/KH-SGDĐT
    title: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[date | None] = mapped_column(Date)
    school_year: Mapped[str | None] = mapped_column(String(9), index=True)  # "2025-2026"
    issuer: Mapped[str | None] = mapped_column(String(255))
    source_filename: Mapped[str | None] = mapped_column(String(255))
    source_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    # the same appendix in another format: services/plans/duplicates.py
    content_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PLAN_ACTIVE, index=True)
    # per-plan school calendar (month, day pairs) overriding the Ministry's defaults
    calendar: Mapped[dict | None] = mapped_column(JSON)
    import_warnings: Mapped[list | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tasks: Mapped[list[Task]] = relationship(
        back_populates="plan", order_by="Task.position", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"{self.number} – {self.title}" if self.number else self.title

    @property
    def status_label(self) -> str:
        return PLAN_STATUSES.get(self.status, self.status)


class Task(TimestampMixin, db.Model):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the appendix
    ref: Mapped[str | None] = mapped_column(String(20))  # STT as written
    group_name: Mapped[str | None] = mapped_column(String(255), index=True)
    content: Mapped[str] = mapped_column(Text)
    product: Mapped[str | None] = mapped_column(Text)
    time_text: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    recurrence: Mapped[str | None] = mapped_column(String(20))
    # quantitative targets: [{"op": ">=", "value": 98.5, "max": null, "unit": "%"}]
    targets: Mapped[list] = mapped_column(JSON, default=list)
    lead_text: Mapped[str | None] = mapped_column(Text)
    cooperating_text: Mapped[str | None] = mapped_column(Text)
    # names the importer could not resolve: kept until the office resolves them
    unresolved_units: Mapped[list] = mapped_column(JSON, default=list)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    warnings: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=TASK_ACTIVE, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # from the appendix: the groups above the task (outermost first), the role note in brackets
    # after a unit ({"Sở Tài chính": "thẩm định"}), and the per-task choices ("Cơ sở thí điểm"):
    # [{"name": ..., "role": "lead"|"cooperating", "unit_ids": [...]}], unit_ids empty until picked
    group_path: Mapped[list] = mapped_column(JSON, default=list)
    unit_roles: Mapped[dict] = mapped_column(JSON, default=dict)
    choice_units: Mapped[list] = mapped_column(JSON, default=list)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    assignments: Mapped[list[Assignment]] = relationship(  # noqa: F821
        back_populates="task", cascade="all, delete-orphan"
    )

    @property
    def recurrence_label(self) -> str:
        return RECURRENCES.get(self.recurrence, self.recurrence or "")

    def search_sources(self) -> tuple[str | None, ...]:
        return (self.ref, self.group_name, self.content, self.product)


class ColumnMapping(TimestampMixin, db.Model):
    """The office's reading of the columns of an appendix layout, applied to the next file with the
    same headers: {header: field} for the columns it changed, keyed by the folded header signature."""

    __tablename__ = "column_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the folded headers
    headers: Mapped[list] = mapped_column(JSON, default=list)  # the headers as written, for reading
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
