"""Comments on a task or on one unit's assignment."""
from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin
from app.models.users import User


class Comment(TimestampMixin, db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    # set when the comment is about one unit's assignment rather than the task as a whole
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    mentioned_unit_ids: Mapped[list] = mapped_column(JSON, default=list)

    author: Mapped[User | None] = relationship()

    @property
    def notified_units(self) -> list[str]:
        """Who was told of the mentions ("Đã báo cho: …"), set by services/work/comments."""
        return getattr(self, "_notified_units", [])

    @notified_units.setter
    def notified_units(self, names: list[str]) -> None:
        self._notified_units = names
