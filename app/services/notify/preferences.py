"""Who wants which alerts by mail ("Cài đặt thông báo"), the digest hour, and one-click unsubscribe.

The rule "does this person want this kind of alert by mail" lives here twice, side by side: in Python
(wants_mail) and in SQL (mail_wanted_clause) for the digest query; tests run both on the same cases.
In-app notifications are never affected: only mail is.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, false, or_, true, update

from app import links as links_
from app.extensions import db
from app.formatting import to_local
from app.models.base import as_utc
from app.models.preferences import NotificationPreference
from app.models.users import User
from app.services.errors import DomainError

# preference column -> (label shown on the page, notification kinds it governs)
CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "deadline_reminders": ("Nhắc hạn (trước hạn và kỳ báo cáo định kỳ)",
                           ("deadline_reminder", "checkin_reminder")),
    "overdue_digests": ("Tổng hợp việc quá hạn, báo cáo tuần, báo cáo lên cấp trên",
                        ("overdue_digest", "overdue_escalation", "weekly_digest")),
    "assignment_events": ("Giao việc, trình và xác nhận, trả lại, gia hạn, thay đổi nhiệm vụ",
                          ("assigned", "submitted", "signed_off", "returned", "return",
                           "extension_requested", "extension_decided", "task_changed")),
    "comments": ("Bình luận và nhắc tên (@)", ("comment", "mention")),
}
_SALT = "tdnv-unsubscribe"


def preferences_for(user: User) -> NotificationPreference:
    """The user's settings; a fresh (unsaved) row with the defaults when they never changed any."""
    prefs = db.session.get(NotificationPreference, user.id)
    if prefs is None:
        prefs = NotificationPreference(user_id=user.id, mail_enabled=True, deadline_reminders=True,
                                       overdue_digests=True, assignment_events=True, comments=True)
    return prefs


def save_preferences(user: User, *, mail_enabled: bool, digest_hour: int | None,
                     **kinds: bool) -> NotificationPreference:
    """Store the page's choices (the caller commits). Only the user changes their own settings."""
    if digest_hour is not None and not 0 <= digest_hour <= 23:
        raise DomainError("Giờ gửi thư phải từ 0 đến 23.")
    unknown = set(kinds) - set(CATEGORIES)
    if unknown:
        raise DomainError(f"Loại thông báo không có: {', '.join(sorted(unknown))}.")
    prefs = preferences_for(user)
    prefs.mail_enabled = bool(mail_enabled)
    prefs.digest_hour = digest_hour
    for name, value in kinds.items():
        setattr(prefs, name, bool(value))
    db.session.add(prefs)
    return prefs


def category_of(kind: str) -> str | None:
    return next((name for name, (_, kinds) in CATEGORIES.items() if kind in kinds), None)


def wants_mail(prefs: NotificationPreference | None, kind: str) -> bool:
    """Python form: no settings = every mail; otherwise mail on, and the kind's category on."""
    if prefs is None:
        return True
    if not prefs.mail_enabled:
        return False
    category = category_of(kind)
    return category is None or bool(getattr(prefs, category))


def mail_wanted_clause(kind_column) -> Any:
    """SQL form of wants_mail, over a LEFT OUTER JOIN of NotificationPreference (NULL row = defaults)."""
    p = NotificationPreference
    per_kind = [and_(kind_column.in_(kinds), getattr(p, name).is_(false()))
                for name, (_, kinds) in CATEGORIES.items()]
    return or_(p.user_id.is_(None), and_(p.mail_enabled.is_(true()), ~or_(*per_kind)))


def digest_due(prefs: NotificationPreference | None, now: datetime, tz: str) -> bool:
    """With a digest hour, mail goes once a day, at the first run from that local hour on."""
    if prefs is None or prefs.digest_hour is None:
        return True
    local = to_local(as_utc(now), tz)
    today_slot = local.replace(hour=prefs.digest_hour, minute=0, second=0, microsecond=0)
    last = prefs.last_digest_at
    if last is None:
        return local >= today_slot
    # the slot that counts: today's once its hour has come, yesterday's before that
    slot = today_slot if local >= today_slot else today_slot - timedelta(days=1)
    return to_local(as_utc(last), tz) < slot


def mark_digests_sent(user_ids: list[int], now: datetime) -> None:
    """Those of the users who hold their mail until a digest hour had today's digest (one UPDATE)."""
    if user_ids:
        db.session.execute(update(NotificationPreference).where(
            NotificationPreference.user_id.in_(user_ids), NotificationPreference.digest_hour.is_not(None))
            .values(last_digest_at=now).execution_options(synchronize_session=False))


def unsubscribe_token(user: User, secret_key: str) -> str:
    """A signed, non-expiring token naming the user: mail links must keep working for months."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps({"uid": user.id})


def user_from_unsubscribe_token(token: str, secret_key: str) -> User:
    try:
        data = URLSafeSerializer(secret_key, salt=_SALT).loads(token)
    except BadSignature:
        raise DomainError("Liên kết huỷ nhận thư không hợp lệ.") from None
    uid = data.get("uid") if isinstance(data, dict) else None
    user = db.session.get(User, uid) if isinstance(uid, int) and 0 < uid < 2**31 else None
    if user is None:
        raise DomainError("Liên kết huỷ nhận thư không hợp lệ.")
    return user


def unsubscribe(user: User) -> NotificationPreference:
    """One click from a mail: no more alert mail for this user (they can turn it on again)."""
    prefs = preferences_for(user)
    prefs.mail_enabled = False
    db.session.add(prefs)
    return prefs


def links(user: User, base_url: str, secret_key: str) -> tuple[str, str]:
    """(the settings page, the one-click unsubscribe URL), absolute, for a mail's footer and headers."""
    base = (base_url or "").rstrip("/")
    return (base + links_.notification_settings_path(),
            base + links_.unsubscribe_path(unsubscribe_token(user, secret_key)))
