"""Server-side log-in sessions: started at log-in, checked on every request, ended at log-out.

The Flask cookie only carries a random token; the row (found by the token's hash) is the session.
Deleting the row ends it at once, wherever a copy of the cookie is. A session also ends after
`idle` without a request and, whatever the activity, `max_age` after it began.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db, rows_changed
from app.models.base import as_utc, utcnow
from app.models.sessions import UserSession
from app.models.users import User
from app.services import audit
from app.services.errors import NotFound

# Writing last_seen_at on every request would turn every read into a write; once a minute is enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(user: User, *, user_agent: str | None, ip_address: str | None,
                  now: datetime | None = None) -> str:
    """Add the row and return the token for the cookie (never stored as it is)."""
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    db.session.add(UserSession(token_hash=digest(token), user_id=user.id, created_at=now, last_seen_at=now,
                               user_agent=(user_agent or "")[:255] or None, ip_address=(ip_address or None)))
    db.session.flush()
    return token


def is_expired(row: UserSession, *, now: datetime, idle: timedelta, max_age: timedelta) -> bool:
    return now - as_utc(row.last_seen_at) > idle or now - as_utc(row.created_at) > max_age


def session_for_token(token: str | None, *, idle: timedelta, max_age: timedelta,
                      now: datetime | None = None) -> UserSession | None:
    """The live session of an active user for this token, or None; an expired row is deleted.

    Commits when it records activity (at most once a LAST_SEEN_RESOLUTION)."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return None
    now = now or utcnow()
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == digest(token)))
    if row is None:
        return None
    if is_expired(row, now=now, idle=idle, max_age=max_age):
        db.session.delete(row)
        db.session.commit()
        return None
    if not row.user.is_active:
        return None
    if now - as_utc(row.last_seen_at) > LAST_SEEN_RESOLUTION:
        row.last_seen_at = now
        db.session.commit()
    return row


def end_session(token: str | None) -> None:
    """Log-out: the row goes, so a copied cookie is dead too."""
    if token and isinstance(token, str):
        db.session.execute(delete(UserSession).where(UserSession.token_hash == digest(token)))


def end_other_sessions(user: User, *, keep_token: str | None = None) -> int:
    """End every session of the user but the one holding keep_token; returns how many ended."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != digest(keep_token))
    ended = rows_changed(stmt.execution_options(synchronize_session=False))
    if ended:
        audit.record(user, "sessions_ended", user, details={"count": ended})
    return ended


def end_user_session(user: User, session_id: int) -> None:
    """End one of the user's own sessions (the list on "Phiên đăng nhập")."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound("Không tìm thấy phiên đăng nhập.")
    db.session.delete(row)
    audit.record(user, "sessions_ended", user, details={"count": 1})


def user_sessions(user: User) -> list[UserSession]:
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ))


def sweep_expired(*, idle: timedelta, max_age: timedelta, now: datetime | None = None) -> int:
    """Delete sessions past their idle or absolute limit (the nightly clean-up job)."""
    now = now or utcnow()
    stmt = delete(UserSession).where(
        (UserSession.last_seen_at < now - idle) | (UserSession.created_at < now - max_age))
    return rows_changed(stmt.execution_options(synchronize_session=False))
