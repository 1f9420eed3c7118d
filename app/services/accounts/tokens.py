"""Personal access tokens for the JSON API and the calendar feed's secret: created and revoked by
their owner, hashed at rest, all revoked when the password changes or is reset."""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.extensions import db, rows_changed
from app.models.base import as_utc, utcnow
from app.models.tokens import ApiToken
from app.models.users import User
from app.services import audit
from app.services.errors import DomainError, NotFound, PermissionDenied

TOKEN_PREFIX = "tdnv_"
# Writing last_used_at on every request would turn every read into a write; once a while is enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)
PASSWORD_CHANGE_REQUIRED = ("Tài khoản phải đổi mật khẩu (trên trang web) trước khi dùng hoặc tạo "
                            "khoá truy cập API.")


class PasswordChangeRequired(PermissionDenied):
    """A forced password change (must_change_password) is pending: no API access until it is done."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user: User, name: str, *, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Return the row and the secret; the secret is shown once and never stored."""
    if user.must_change_password:
        raise PasswordChangeRequired(PASSWORD_CHANGE_REQUIRED)
    name = (name or "").strip()
    if not name:
        raise DomainError("Vui lòng đặt tên cho khoá truy cập (ví dụ: Bảng tính tổng hợp).")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name[:100], token_hash=_digest(secret), prefix=secret[:12],
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(user, "api_token_created", token, details={"name": token.name})
    return token, secret


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("Không tìm thấy khoá truy cập.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(user, "api_token_revoked", token, details={"name": token.name})
    return token


def user_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ))


def user_for_token(secret: str, *, now: datetime | None = None) -> User | None:
    """The active owner of a valid, unrevoked, unexpired token, or None.

    The caller refuses the owner while must_change_password is set (PASSWORD_CHANGE_REQUIRED)."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    now = now or utcnow()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and as_utc(token.expires_at) <= now:
        return None
    user = token.user
    if not user.is_active:
        return None
    if token.last_used_at is None or now - as_utc(token.last_used_at) > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return user


def revoke_all_tokens(user: User, *, now: datetime | None = None) -> int:
    """Revoke every live API token of the user (a password change or reset); returns how many."""
    revoked = rows_changed(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow()).execution_options(synchronize_session=False))
    if revoked:
        audit.record(user, "api_tokens_revoked", user, details={"count": revoked})
    return revoked


# --- the calendar feed's secret (User.calendar_token holds its SHA-256) ---------------------------

def new_calendar_token(user: User) -> str:
    """A new unguessable feed secret, shown once; the old address stops working at once."""
    secret = secrets.token_urlsafe(32)
    user.calendar_token = _digest(secret)
    db.session.flush()
    return secret


def drop_calendar_token(user: User) -> None:
    """The feed address stops working; the user creates a new one on the calendar page."""
    user.calendar_token = None


def user_for_calendar_token(secret: str) -> User | None:
    """The active owner of the feed secret, or None."""
    if not secret or not isinstance(secret, str) or not 20 <= len(secret) <= 100:
        return None
    digest = _digest(secret)
    user = db.session.scalar(select(User).where(User.calendar_token == digest))
    if user is None or not user.is_active or not secrets.compare_digest(user.calendar_token, digest):
        return None
    return user


def revoke_credentials(user: User, *, keep_session_token: str | None = None) -> None:
    """After a password change or reset: API tokens revoked, calendar address dropped, every other
    log-in session ended (the one that changed the password may go on)."""
    from app.services.accounts import sessions

    revoke_all_tokens(user)
    drop_calendar_token(user)
    sessions.end_other_sessions(user, keep_token=keep_session_token)
