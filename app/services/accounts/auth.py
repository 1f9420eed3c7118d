"""Log-in with throttling, password changes and e-mailed reset links."""
from __future__ import annotations

from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models.base import utcnow
from app.models.users import LoginAttempt, User
from app.services import audit
from app.services.errors import DomainError
from app.services.notify import mail

MIN_PASSWORD_LENGTH = 8


class LoginThrottled(DomainError):
    pass


class InvalidCredentials(DomainError):
    pass


def _recent_failures(column, value, since: datetime) -> int:
    stmt = select(func.count(LoginAttempt.id)).where(
        column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since
    )
    return db.session.scalar(stmt) or 0


def authenticate(
    username: str,
    password: str,
    *,
    ip_address: str | None,
    max_failures: int,
    ip_max_failures: int,
    window_minutes: int,
    now: datetime | None = None,
) -> User:
    """Return the user for good credentials; count failures by name and by address to slow guessing.

    The attempt row is committed even when the log-in fails, so throttling survives the request.
    """
    now = now or utcnow()
    username = (username or "").strip().lower()
    since = now - timedelta(minutes=window_minutes)
    if (
        _recent_failures(LoginAttempt.username, username, since) >= max_failures
        or (ip_address and _recent_failures(LoginAttempt.ip_address, ip_address, since) >= ip_max_failures)
    ):
        raise LoginThrottled(
            f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {window_minutes} phút."
        )
    user = db.session.scalar(select(User).where(func.lower(User.username) == username))
    ok = user is not None and user.is_active and user.check_password(password)
    db.session.add(LoginAttempt(username=username, ip_address=ip_address, succeeded=ok, attempted_at=now))
    if not ok:
        db.session.commit()
        raise InvalidCredentials("Tên đăng nhập hoặc mật khẩu không đúng.")
    user.last_login_at = now
    audit.record(user, "login", user, ip_address=ip_address)
    db.session.commit()
    return user


def validate_new_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if password.strip().lower() == user.username.lower():
        raise DomainError("Mật khẩu không được trùng với tên đăng nhập.")
    if user.check_password(password):
        raise DomainError("Mật khẩu mới phải khác mật khẩu hiện tại.")


def change_password(user: User, current_password: str | None, new_password: str) -> None:
    """Change a password; the current one is required except through a valid reset link."""
    if current_password is not None and not user.check_password(current_password):
        raise DomainError("Mật khẩu hiện tại không đúng.")
    validate_new_password(user, new_password)
    user.set_password(new_password)
    user.must_change_password = False
    audit.record(user, "password_changed", user)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="tdnv-password-reset")


def make_reset_token(user: User, secret_key: str) -> str:
    # The hash fragment makes a token single-use: once the password changes it no longer matches.
    return _serializer(secret_key).dumps({"uid": user.id, "h": user.password_hash[-12:]})


def user_from_reset_token(token: str, secret_key: str, max_age: int) -> User:
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError("Liên kết đặt lại mật khẩu đã hết hạn. Vui lòng yêu cầu liên kết mới.") from None
    except BadSignature:
        raise DomainError("Liên kết đặt lại mật khẩu không hợp lệ.") from None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.is_active or user.password_hash[-12:] != data.get("h"):
        raise DomainError("Liên kết đặt lại mật khẩu không hợp lệ hoặc đã được sử dụng.")
    return user


def request_password_reset(identifier: str, *, secret_key: str, base_url: str, ip_address: str | None = None,
                           max_requests: int = 5, window_minutes: int = 15, now: datetime | None = None):
    """Queue a reset e-mail for the account named by username or e-mail.

    Returns the queued OutboxMessage or None; the caller shows the same message either way so that the
    form does not reveal which accounts exist. The mail is only queued (the scheduler sends it), so the
    response time does not reveal it either. Requests are counted like failed log-ins, so nobody can
    flood a mailbox with reset links.
    """
    identifier = (identifier or "").strip().lower()
    if not identifier:
        return None
    now = now or utcnow()
    since = now - timedelta(minutes=window_minutes)
    key = f"reset:{identifier}"[:80]
    if (_recent_failures(LoginAttempt.username, key, since) >= max_requests
            or (ip_address and _recent_failures(LoginAttempt.ip_address, ip_address, since) >= max_requests * 4)):
        raise LoginThrottled(f"Đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {window_minutes} phút.")
    db.session.add(LoginAttempt(username=key, ip_address=ip_address, succeeded=False, attempted_at=now))
    user = db.session.scalar(
        select(User).where(
            (func.lower(User.username) == identifier) | (func.lower(User.email) == identifier)
        )
    )
    if user is None or not user.is_active or not user.email:
        return None
    token = make_reset_token(user, secret_key)
    link = f"{base_url.rstrip('/')}/auth/reset/{token}"
    message = mail.queue_email(
        user.email,
        "[TDNV] Đặt lại mật khẩu",
        (
            f"Chào {user.full_name},\n\n"
            "Có yêu cầu đặt lại mật khẩu cho tài khoản TDNV của bạn. Mở liên kết sau trong vòng "
            f"60 phút để đặt mật khẩu mới:\n\n{link}\n\n"
            "Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu của bạn không thay đổi.\n"
        ),
        user=user,
    )
    audit.record(user, "password_reset_requested", user)
    return message
