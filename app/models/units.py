"""Units of the Sở (a tree), their aliases, and the rule-based unit groups."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin

# Kinds of unit. Groups are rules over these kinds, so a new school joins "CSGD" by itself.
KIND_DEPARTMENT_OF_EDUCATION = "so"
KIND_OFFICE = "office"
KIND_DIVISION = "division"  # phòng chuyên môn
KIND_SCHOOL = "school"
KIND_CENTRE = "centre"
KIND_COMMUNE = "commune"
KIND_EXTERNAL = "external"

UNIT_KINDS = {
    KIND_DEPARTMENT_OF_EDUCATION: "Sở GDĐT",
    KIND_OFFICE: "Văn phòng Sở",
    KIND_DIVISION: "Phòng chuyên môn",
    KIND_SCHOOL: "Trường học",
    KIND_CENTRE: "Trung tâm",
    KIND_COMMUNE: "UBND xã, phường, đặc khu",
    KIND_EXTERNAL: "Đơn vị ngoài ngành",
}


class Unit(TimestampMixin, db.Model):
    __tablename__ = "units"
    __table_args__ = (Index("ix_units_kind_name", "kind", "name"),)  # lists order units by kind, name

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # the unit's usual focal person (cán bộ đầu mối): when set, notifications go to the heads and this
    # person instead of every staff member (notifications.unit_people); use_alter: users ↔ units cycle
    default_focal_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, name="fk_units_default_focal_user_id_users",
                   ondelete="SET NULL"))
    # diacritics-free, lower-case copy of name/short name/code for search (SQLite lower() is ASCII-only)
    search_text: Mapped[str] = mapped_column(Text, default="")

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", cascade="all, delete-orphan"
    )

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind, self.kind)

    def search_sources(self) -> tuple[str | None, ...]:
        return (self.name, self.short_name, self.code)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class UnitGroup(TimestampMixin, db.Model):
    """A named set of units defined by kinds, e.g. CSGD = every school and centre."""

    __tablename__ = "unit_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(String(255))
    member_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)

    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )

    def members_query(self):
        """Active units whose kind the rule names; evaluated at use time so new units join."""
        return (
            select(Unit)
            .where(Unit.kind.in_(self.member_kinds or []), Unit.is_active.is_(True))
            .order_by(Unit.kind, Unit.name)
        )

    def __repr__(self) -> str:
        return f"<UnitGroup {self.name}>"


class UnitAlias(TimestampMixin, db.Model):
    """Another spelling of a unit or a group name, as found in plans ("Sở KHCN", "Uỷ ban…")."""

    __tablename__ = "unit_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(255))
    # folded form (no diacritics, lower case, one dash): the lookup key
    folded: Mapped[str] = mapped_column(String(255), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit_groups.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"))

    unit: Mapped[Unit | None] = relationship(back_populates="aliases")
    group: Mapped[UnitGroup | None] = relationship(back_populates="aliases")
