"""Users, their role, and the log-in attempts used for throttling."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, as_utc, utcnow
from app.models.units import Unit
from app.passwords import hash_password, verify_password
from app.roles import (  # noqa: F401 - the role names are imported from here too
    ROLE_ADMIN,
    ROLE_DIRECTOR,
    ROLE_OFFICE,
    ROLE_UNIT_HEAD,
    ROLE_UNIT_STAFF,
    ROLES,
    role_has_permission,
)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    search_text: Mapped[str] = mapped_column(Text, default="")
    # secret part of the personal iCal feed URL; None until the user asks for a feed
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])  # units also point back (focal)

    # Flask-Login reads is_active: a deactivated account cannot log in or keep a session.
    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def get_id(self) -> str:
        """The session carries the password's change time too: a new password ends old sessions."""
        changed = as_utc(self.password_changed_at) if self.password_changed_at else None
        return f"{self.id}:{int(changed.timestamp() * 1_000_000) if changed else 0}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    def has_permission(self, permission: str) -> bool:
        return self.is_active and role_has_permission(self.role, permission)

    def search_sources(self) -> tuple[str | None, ...]:
        return (self.username, self.full_name, self.email)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class LoginAttempt(db.Model):
    """One row per log-in try; recent failures by name or address throttle further tries."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    ip_address: Mapped[str | None] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
