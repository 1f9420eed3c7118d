"""The area each Phó Giám đốc oversees: some units and/or task groups (set by the admin)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin
from app.models.units import Unit
from app.models.users import User


class OversightArea(TimestampMixin, db.Model):
    __tablename__ = "oversight_areas"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", "group_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    group_name: Mapped[str | None] = mapped_column(String(255))  # a task group (Nhóm nhiệm vụ)

    user: Mapped[User] = relationship()
    unit: Mapped[Unit | None] = relationship()
