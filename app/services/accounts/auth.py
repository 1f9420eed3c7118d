"""Log-in with throttling, password changes and e-mailed reset links."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models.base import as_utc, utcnow
from app.models.users import LoginAttempt, User
from app.passwords import hash_method, hash_password, verify_password
from app.services import audit
from app.services.accounts import tokens
from app.services.errors import DomainError
from app.services.notify import mail

MIN_PASSWORD_LENGTH = 8


class LoginThrottled(DomainError):
    """Too many tries: wait retry_after seconds (the API sends it as Retry-After)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class InvalidCredentials(DomainError):
    pass


USERNAME_MAX = 80  # LoginAttempt.username and User.username
ADDRESS_MAX = 64  # LoginAttempt.ip_address
DEFAULT_MAX_DELAY_SECONDS = 15 * 60
_DUMMY_HASHES: dict[str, str] = {}


def throttle_delay(failures: int, threshold: int, max_delay_seconds: int) -> int:
    """Seconds to wait after the last failure: none below the threshold, then 2, 4, 8… capped."""
    if failures < threshold:
        return 0
    return min(max_delay_seconds, 2 ** min(failures - threshold + 1, 30))


def _pair_failures(username: str, ip_address: str | None, since: datetime) -> tuple[int, datetime | None]:
    """Failures of this (name, address) pair since `since` and since its last success; the last one."""
    pair = (LoginAttempt.username == username) & (
        LoginAttempt.ip_address == ip_address if ip_address else LoginAttempt.ip_address.is_(None))
    last_success = db.session.scalar(select(func.max(LoginAttempt.attempted_at)).where(
        pair, LoginAttempt.succeeded.is_(True), LoginAttempt.attempted_at >= since))
    start = max(since, as_utc(last_success)) if last_success else since
    count, last = db.session.execute(select(func.count(LoginAttempt.id), func.max(LoginAttempt.attempted_at))
                                     .where(pair, LoginAttempt.succeeded.is_(False),
                                            LoginAttempt.attempted_at > start)).one()
    return count or 0, as_utc(last) if last else None


def _address_failures(ip_address: str, since: datetime) -> tuple[int, datetime | None]:
    count, last = db.session.execute(select(func.count(LoginAttempt.id), func.max(LoginAttempt.attempted_at))
                                     .where(LoginAttempt.ip_address == ip_address,
                                            LoginAttempt.succeeded.is_(False),
                                            LoginAttempt.attempted_at >= since)).one()
    return count or 0, as_utc(last) if last else None


LOGIN_THROTTLED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait} giây."
RESET_THROTTLED = "Đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau {wait} giây."


def _check_throttle(username: str, ip_address: str | None, *, now: datetime, since: datetime,
                    max_failures: int, ip_max_failures: int, max_delay_seconds: int,
                    message: str = LOGIN_THROTTLED) -> None:
    """Refuse while a growing delay after repeated failures runs; never a lock that refuses the right
    password for good. Counted per (name, address), so a guesser elsewhere cannot lock anyone out;
    one address guessing many names waits too (with a much higher threshold: offices share one)."""
    checks = [(*_pair_failures(username, ip_address, since), max_failures)]
    if ip_address:
        checks.append((*_address_failures(ip_address, since), ip_max_failures))
    for failures, last, threshold in checks:
        delay = throttle_delay(failures, threshold, max_delay_seconds)
        if delay and last is not None and now < last + timedelta(seconds=delay):
            wait = max(1, int((last + timedelta(seconds=delay) - now).total_seconds() + 0.999))
            raise LoginThrottled(message.format(wait=wait), retry_after=wait)


def _dummy_hash() -> str:
    """A hash made once per method, checked for unknown names so the reply takes as long."""
    method = hash_method()
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password(secrets.token_urlsafe(16), method=method)
    return _DUMMY_HASHES[method]


def authenticate(
    username: str,
    password: str,
    *,
    ip_address: str | None,
    max_failures: int,
    ip_max_failures: int,
    window_minutes: int,
    max_delay_seconds: int = DEFAULT_MAX_DELAY_SECONDS,
    now: datetime | None = None,
) -> User:
    """Return the user for good credentials; failures slow further tries (see _check_throttle).

    Unknown and inactive names cost one password hash too, so timing does not tell which exist.
    The attempt row is committed even when the log-in fails, so throttling survives the request.
    """
    now = now or utcnow()
    username = (username or "").strip().lower()[:USERNAME_MAX]
    ip_address = (ip_address or "")[:ADDRESS_MAX] or None
    since = now - timedelta(minutes=window_minutes)
    _check_throttle(username, ip_address, now=now, since=since, max_failures=max_failures,
                    ip_max_failures=ip_max_failures, max_delay_seconds=max_delay_seconds)
    user = db.session.scalar(select(User).where(func.lower(User.username) == username))
    if user is None or not user.is_active:
        verify_password(_dummy_hash(), password or "")
        ok = False
    else:
        ok = user.check_password(password or "")
    db.session.add(LoginAttempt(username=username, ip_address=ip_address, succeeded=ok, attempted_at=now))
    if not ok or user is None:
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


def change_password(user: User, current_password: str | None, new_password: str, *,
                    keep_session_token: str | None = None) -> None:
    """Change a password; the current one is required except through a valid reset link.

    Every credential made under the old password goes: API tokens, the calendar address and every
    log-in session but the one that made the change (keep_session_token; none after a reset)."""
    if current_password is not None and not user.check_password(current_password):
        raise DomainError("Mật khẩu hiện tại không đúng.")
    validate_new_password(user, new_password)
    user.set_password(new_password)
    user.must_change_password = False
    tokens.revoke_credentials(user, keep_session_token=keep_session_token)
    audit.record(user, "password_changed", user)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="tdnv-password-reset")


def _password_stamp(user: User) -> int:
    """When the password last changed, in microseconds: nothing of the hash goes into a link."""
    changed = user.password_changed_at
    return int(as_utc(changed).timestamp() * 1_000_000) if changed else 0


def make_reset_token(user: User, secret_key: str) -> str:
    # Signing the password's change time makes a link single-use: a new password changes the time.
    return _serializer(secret_key).dumps({"uid": user.id, "pc": _password_stamp(user)})


def user_from_reset_token(token: str, secret_key: str, max_age: int) -> User:
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError("Liên kết đặt lại mật khẩu đã hết hạn. Vui lòng yêu cầu liên kết mới.") from None
    except BadSignature:
        raise DomainError("Liên kết đặt lại mật khẩu không hợp lệ.") from None
    uid = data.get("uid") if isinstance(data, dict) else None
    user = db.session.get(User, uid) if isinstance(uid, int) and 0 < uid < 2**31 else None
    if user is None or not user.is_active or _password_stamp(user) != data.get("pc"):
        raise DomainError("Liên kết đặt lại mật khẩu không hợp lệ hoặc đã được sử dụng.")
    return user


def request_password_reset(identifier: str, *, secret_key: str, base_url: str, ip_address: str | None = None,
                           max_requests: int = 5, ip_max_requests: int = 30, window_minutes: int = 15,
                           max_delay_seconds: int = DEFAULT_MAX_DELAY_SECONDS, now: datetime | None = None):
    """Queue a reset e-mail for the account named by username or e-mail.

    Returns the queued OutboxMessage or None; the caller shows the same message either way so that the
    form does not reveal which accounts exist. The mail is only queued (the scheduler sends it), so the
    response time does not reveal it either. Requests are throttled like failed log-ins, per (name,
    address) with growing delays, so nobody can flood a mailbox with links from one place, and asking
    for someone's link from elsewhere never stops that person asking for their own.
    """
    identifier = (identifier or "").strip().lower()
    if not identifier:
        return None
    now = now or utcnow()
    ip_address = (ip_address or "")[:ADDRESS_MAX] or None
    key = f"reset:{identifier}"[:USERNAME_MAX]
    _check_throttle(key, ip_address, now=now, since=now - timedelta(minutes=window_minutes),
                    max_failures=max_requests, ip_max_failures=ip_max_requests,
                    max_delay_seconds=max_delay_seconds, message=RESET_THROTTLED)
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
