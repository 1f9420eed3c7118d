"""Personal access tokens for the JSON API: created and revoked by their owner, hashed at rest."""
import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.base import as_utc, utcnow
from app.models.tokens import ApiToken
from app.models.users import User
from app.services import audit
from app.services.errors import DomainError, NotFound

TOKEN_PREFIX = "tdnv_"
# Writing last_used_at on every request would turn every read into a write; once a while is enough.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(user: User, name: str, *, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Return the row and the secret; the secret is shown once and never stored."""
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
    """The active owner of a valid, unrevoked, unexpired token, or None."""
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
