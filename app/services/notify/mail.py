"""The e-mail outbox: queue a message in the transaction, deliver it over SMTP later or now.

Delivery protocol (the one crash window): a message is marked `sending` (with a lease in
next_attempt_at) and committed before the SMTP call, then `sent` after it. A crash in between leaves
it `sending`; once the lease expires the next run retries it, so at worst one message goes twice,
with the same Message-ID, which mail clients recognise. Failures back off exponentially; after
MAIL_MAX_ATTEMPTS the message is `failed` and listed by failed_messages() for the admins.
"""
from __future__ import annotations

import logging
import smtplib
import unicodedata
from datetime import datetime, timedelta
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update

from app import links as links_
from app.extensions import db, rows_changed
from app.formatting import to_local
from app.models.base import as_utc, utcnow
from app.models.notifications import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OutboxMessage,
)

MAX_ATTEMPTS = 8
MAIL_TIMEZONE = "Asia/Ho_Chi_Minh"  # the Date header shows Vietnam time (+0700)
log = logging.getLogger(__name__)


def header_text(value: str | None, max_length: int = 255) -> str:
    """One line for a mail header: task text with line breaks (or other control characters) must
    not end a header early (header injection) nor make the message unbuildable."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in (value or ""))
    return " ".join(text.split())[:max_length]


def _sender_domain(sender: str | None) -> str:
    """The domain of MAIL_DEFAULT_SENDER: Message-IDs belong to the sender, not to the recipient."""
    if sender is None:
        from flask import current_app, has_app_context

        sender = current_app.config.get("MAIL_DEFAULT_SENDER") if has_app_context() else None
    domain = parseaddr(sender or "")[1].rpartition("@")[2].strip().lower()
    return domain or "tdnv.local"


def queue_email(to_address: str, subject: str, body_text: str, *, body_html=None, user=None,
                sender: str | None = None, list_unsubscribe: str | None = None) -> OutboxMessage:
    """Add a message to the outbox; its Message-ID is fixed now so a resend is recognisable.

    `sender` defaults to MAIL_DEFAULT_SENDER; `list_unsubscribe` is the one-click URL of alert mail."""
    message = OutboxMessage(
        to_address=header_text(to_address),
        user_id=getattr(user, "id", None),
        subject=header_text(subject),
        body_text=body_text,
        body_html=body_html,
        message_id=make_msgid(idstring="tdnv", domain=_sender_domain(sender)),
        list_unsubscribe=header_text(list_unsubscribe, 500) or None,
        status=OUTBOX_PENDING,
        attempts=0,
    )
    db.session.add(message)
    return message


# policy.SMTP: CRLF line ends and RFC 5322 folding; headers we set raw are kept as we fold them
MAIL_POLICY = policy.SMTP.clone(refold_source="none")


def encoded_subject(subject: str) -> str:
    """The Subject as RFC 2047 encoded words from the standard library's encoder, with every space
    inside a word. policy.SMTP alone folds "Trường THPT Ngô Quyền" as `…?= THPT =?utf-8?b?…`, and
    clients that drop the blank next to an encoded word then show "THPTNgô"."""
    text = header_text(subject)
    if text.isascii():
        return text
    return Header(text, "utf-8", header_name="Subject").encode()


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as sent: Date (when it was queued), Message-ID, Auto-Submitted, and for alert mail
    List-Unsubscribe with RFC 8058 one-click POST."""
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = header_text(sender)
    email["To"] = header_text(message.to_address)
    email.set_raw("Subject", encoded_subject(message.subject))
    email["Date"] = format_datetime(to_local(as_utc(message.created_at or utcnow()), MAIL_TIMEZONE))
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to the robot
    if message.list_unsubscribe:
        email["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def smtp_settings(config) -> dict:
    return {
        key: config.get(key)
        for key in (
            "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_USERNAME",
            "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "MAIL_TIMEOUT", "MAIL_MAX_ATTEMPTS",
            "MAIL_RETRY_BASE_SECONDS", "MAIL_RETRY_MAX_SECONDS", "MAIL_SENDING_TIMEOUT_SECONDS",
            "MAIL_BATCH_SIZE",
        )
    }



def backoff_seconds(attempts: int, settings: dict) -> int:
    """Wait after the n-th failed attempt: base, 2 × base, 4 × base… capped."""
    base = int(settings.get("MAIL_RETRY_BASE_SECONDS") or 300)
    cap = int(settings.get("MAIL_RETRY_MAX_SECONDS") or 6 * 3600)
    return min(cap, base * 2 ** max(0, attempts - 1))


def _max_attempts(settings: dict) -> int:
    return int(settings.get("MAIL_MAX_ATTEMPTS") or MAX_ATTEMPTS)


class _Connection:
    """One SMTP session per run, opened on first use and reopened after an error."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        name, address = parseaddr(settings.get("MAIL_DEFAULT_SENDER") or "tdnv@localhost")
        self.sender, self.address = formataddr((name, address)), address

    def open(self):
        if self.smtp is None:
            s = self.settings
            smtp_class = smtplib.SMTP_SSL if s.get("MAIL_USE_SSL") else smtplib.SMTP
            smtp = smtp_class(
                s["MAIL_SERVER"], int(s.get("MAIL_PORT") or 25), timeout=s.get("MAIL_TIMEOUT") or 10
            )
            try:
                if s.get("MAIL_USE_TLS"):
                    smtp.starttls()
                if s.get("MAIL_USERNAME"):
                    smtp.login(s["MAIL_USERNAME"], s.get("MAIL_PASSWORD") or "")
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        return self.smtp

    def send(self, message: OutboxMessage) -> None:
        assert self.smtp is not None  # open() comes before every send
        self.smtp.send_message(build_email(message, self.sender), from_addr=self.address,
                               to_addrs=[message.to_address])

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _record_failure(message: OutboxMessage, error: BaseException | str, settings: dict, now: datetime,
                    *, permanent: bool = False) -> None:
    message.last_error = (error if isinstance(error, str) else f"{type(error).__name__}: {error}")[:1000]
    if permanent or message.attempts >= _max_attempts(settings):
        message.status = OUTBOX_FAILED
        message.next_attempt_at = None
        log.warning("mail %s to %s failed for good: %s", message.id, message.to_address, message.last_error)
    else:
        message.status = OUTBOX_PENDING
        message.next_attempt_at = now + timedelta(seconds=backoff_seconds(message.attempts, settings))


def _is_permanent(error: BaseException) -> bool:
    """The recipient refused with a 5xx code (unknown mailbox): retrying cannot help. Other errors
    (server down, sender or authentication refused) are retried: fixing the settings fixes them."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _ in error.recipients.values())
    return False


def _claim(message: OutboxMessage, lease_until: datetime) -> bool:
    """Mark the message sending and commit, before the SMTP call; compare-and-set on attempts so
    two senders cannot both claim it. If we die after this, it is retried once the lease is over."""
    expected = message.attempts
    claimed = rows_changed(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.attempts == expected,
               OutboxMessage.status.in_((OUTBOX_PENDING, OUTBOX_SENDING)))
        .values(status=OUTBOX_SENDING, attempts=expected + 1, next_attempt_at=lease_until)
        .execution_options(synchronize_session=False))
    db.session.commit()  # expires the object: its fields are read back from the row
    return claimed == 1


def _deliver_messages(messages: list[OutboxMessage], settings: dict, now: datetime) -> dict:
    lease = timedelta(seconds=int(settings.get("MAIL_SENDING_TIMEOUT_SECONDS") or 900))
    connection = _Connection(settings)
    summary: dict[str, Any] = {"sent": 0, "retry": 0, "failed": 0, "connect_error": None}
    try:
        for index, message in enumerate(messages):
            try:
                connection.open()
            except (OSError, smtplib.SMTPException) as error:
                # SMTP unreachable: nothing was in flight; every remaining message counts one attempt
                summary["connect_error"] = f"{type(error).__name__}: {error}"
                for waiting in messages[index:]:
                    waiting.attempts += 1
                    _record_failure(waiting, error, settings, now)
                    summary["failed" if waiting.status == OUTBOX_FAILED else "retry"] += 1
                db.session.commit()
                break
            if not _claim(message, now + lease):
                continue  # another sender (the web's immediate delivery, a manual run) has it
            try:
                connection.send(message)
            except (OSError, smtplib.SMTPException) as error:
                connection.close()
                _record_failure(message, error, settings, now, permanent=_is_permanent(error))
                summary["failed" if message.status == OUTBOX_FAILED else "retry"] += 1
            except Exception as error:  # noqa: BLE001 - one bad message must not stop the others
                # the message itself cannot be built or encoded (a bad header, an odd address):
                # retrying cannot help; the SMTP session may be mid-command, so start a fresh one
                log.exception("mail %s cannot be sent", message.id)
                connection.close()
                _record_failure(message, error, settings, now, permanent=True)
                summary["failed"] += 1
            else:
                message.status = OUTBOX_SENT
                message.sent_at = utcnow()
                message.next_attempt_at = None
                message.last_error = None
                summary["sent"] += 1
            db.session.commit()
    finally:
        connection.close()
    return summary


def deliver(message_ids: list[int], settings: dict, *, now: datetime | None = None) -> int:
    """Send the given pending messages now (e.g. a password reset); returns how many were sent.

    Without MAIL_SERVER nothing is sent: the messages stay in the outbox for the scheduler.
    """
    if not settings.get("MAIL_SERVER") or not message_ids:
        return 0
    messages = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == OUTBOX_PENDING)
        .order_by(OutboxMessage.id)
    ))
    return _deliver_messages(messages, settings, as_utc(now or utcnow()))["sent"]


def _due_filter(now: datetime, settings: dict):
    lease = timedelta(seconds=int(settings.get("MAIL_SENDING_TIMEOUT_SECONDS") or 900))
    pending = and_(OutboxMessage.status == OUTBOX_PENDING,
                   or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
    stuck = and_(OutboxMessage.status == OUTBOX_SENDING,
                 or_(OutboxMessage.next_attempt_at <= now,
                     and_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.created_at <= now - lease)))
    return or_(pending, stuck)


def deliver_due(settings: dict, now: datetime | None = None) -> dict:
    """The mail job's delivery step: pending messages whose time has come, and `sending` ones whose
    lease expired (the process died mid-send), oldest first, MAIL_BATCH_SIZE at a time."""
    now = as_utc(now or utcnow())
    if not settings.get("MAIL_SERVER"):
        return {"sent": 0, "retry": 0, "failed": 0, "skipped": "MAIL_SERVER chưa cấu hình"}
    messages = list(db.session.scalars(
        select(OutboxMessage).where(_due_filter(now, settings)).order_by(OutboxMessage.id)
        .limit(int(settings.get("MAIL_BATCH_SIZE") or 200))
    ))
    stuck = [m for m in messages if m.status == OUTBOX_SENDING]
    for message in stuck:
        log.warning("mail %s was left sending (crash?): retrying with the same Message-ID", message.id)
        if message.attempts >= _max_attempts(settings):
            _record_failure(message, "interrupted while sending", settings, now)
    db.session.commit()
    summary = _deliver_messages([m for m in messages if m.status != OUTBOX_FAILED], settings, now)
    summary["stuck_retried"] = len(stuck)
    return summary


def failed_messages(limit: int = 100) -> list[OutboxMessage]:
    """Messages given up on (for the admins' page), newest first."""
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OUTBOX_FAILED)
        .order_by(OutboxMessage.id.desc()).limit(limit)
    ))


def requeue(message: OutboxMessage) -> OutboxMessage:
    """Give a failed message a fresh set of attempts (an admin action once SMTP is fixed)."""
    message.status = OUTBOX_PENDING
    message.attempts = 0
    message.next_attempt_at = None
    return message


def outbox_counts() -> dict:
    """Messages per status, for health pages and `flask scheduler list`."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {status: count for status, count in rows}


# Alerts that need action come first in a digest.
KIND_ORDER = (
    "overdue_escalation",
    "overdue_digest",
    "weekly_digest",
    "deadline_reminder",
    "checkin_reminder",
)
DIGEST_DETAIL_LIMIT = 40


def _absolute(base_url: str, link: str | None) -> str:
    base = (base_url or "").rstrip("/")
    if not link:
        return base + "/"
    return link if link.startswith(("http://", "https://")) else f"{base}/{link.lstrip('/')}"


def compose_digest(user, notifications: list, base_url: str,
                   settings_url: str | None = None) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one person's digest (Vietnamese, links into TDNV); the footer
    links to the person's "Cài đặt thông báo" page."""
    from markupsafe import escape

    count = len(notifications)
    first = notifications[0].title
    subject = f"[TDNV] {first}" if count == 1 else f"[TDNV] {count} thông báo mới: {first}"
    home = _absolute(base_url, "/")
    text = [f"Kính gửi {user.full_name},", "",
            f"Hệ thống theo dõi nhiệm vụ TDNV có {count} thông báo mới cho anh/chị:", ""]
    html = [f"<p>Kính gửi {escape(user.full_name)},</p>",
            f"<p>Hệ thống theo dõi nhiệm vụ TDNV có <strong>{count}</strong> thông báo mới cho anh/chị:</p>",
            "<ol>"]
    for index, note in enumerate(notifications, 1):
        url = _absolute(base_url, note.link)
        text.append(f"{index}. {note.title}")
        html.append(f'<li><p><a href="{escape(url)}"><strong>{escape(note.title)}</strong></a></p>')
        if note.body and index <= DIGEST_DETAIL_LIMIT:
            text += [f"   {line}" for line in note.body.splitlines()]
            html.append("<p>" + "<br>".join(str(escape(line)) for line in note.body.splitlines()) + "</p>")
        text += [f"   Xem: {url}", ""]
        html.append("</li>")
    html.append("</ol>")
    footer = ("Thư này do TDNV gửi tự động, mỗi lần chạy gộp mọi thông báo mới thành một thư. "
              f"Mọi thông báo cũng có trong TDNV: {home}")
    settings_url = settings_url or _absolute(base_url, links_.notification_settings_path())
    settings_line = f"Chọn loại thư muốn nhận hoặc giờ gửi thư: Cài đặt thông báo {settings_url}"
    text += ["--", footer, settings_line]
    html.append(f'<hr><p style="color:#666">{escape(footer.rsplit(": ", 1)[0])}: '
                f'<a href="{escape(home)}">{escape(home)}</a><br>'
                f'Chọn loại thư muốn nhận hoặc giờ gửi thư: '
                f'<a href="{escape(settings_url)}">Cài đặt thông báo</a></p>')
    return subject, "\n".join(text), "\n".join(html)


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _pending_by_user(now: datetime, tz: str) -> dict[int, tuple]:
    """Unmailed, unread notifications of people with a mail address who want that kind by mail and
    whose digest hour has come, grouped by person."""
    from app.models.notifications import Notification
    from app.models.preferences import NotificationPreference
    from app.models.users import User
    from app.services.notify import preferences

    rows = db.session.execute(
        select(Notification, User, NotificationPreference).join(User, Notification.user_id == User.id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(Notification.emailed_outbox_id.is_(None), Notification.read_at.is_(None),
               User.email.is_not(None), User.email != "", User.is_active_account.is_(True),
               preferences.mail_wanted_clause(Notification.kind))
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user: dict[int, tuple] = {}
    for note, user, prefs in rows:
        if preferences.digest_due(prefs, now, tz):
            by_user.setdefault(user.id, (user, []))[1].append(note)
    return by_user


DIGEST_BATCH = 1000  # people per multi-row INSERT of digests


def queue_digests(base_url: str, secret_key: str | None = None, *, now: datetime | None = None,
                  tz: str = MAIL_TIMEZONE) -> dict:
    """Turn each person's pending notifications into ONE outbox message.

    Set-based, per 1.000 people: one multi-row INSERT of the messages, one executemany that claims
    each notification only while still unclaimed, one count of the claims; one commit. A person
    whose notifications a concurrent run claimed meanwhile loses this run's message (deleted in the
    same transaction, their claims undone), so nothing is e-mailed twice and the rest goes next run.
    Users without an e-mail (or deactivated) are skipped: they still see every alert in the app, as do
    those whose "Cài đặt thông báo" turn that kind of mail off (or hold it until their digest hour).
    """
    from app.services.notify import preferences

    if secret_key is None:
        from flask import current_app

        secret_key = current_app.config["SECRET_KEY"]
    now = as_utc(now or utcnow())
    people = list(_pending_by_user(now, tz).values())
    queued = 0
    for start in range(0, len(people), DIGEST_BATCH):
        batch = people[start:start + DIGEST_BATCH]
        rows, notes_of = [], {}
        for user, notes in batch:
            notes.sort(key=lambda n: (_kind_rank(n.kind), n.id))
            settings_url, unsubscribe_url = preferences.links(user, base_url, secret_key)
            subject, text, html = compose_digest(user, notes, base_url, settings_url)
            rows.append(_outbox_row(user.email, subject, text, html, user.id, unsubscribe_url))
            notes_of[rows[-1]["message_id"]] = (user.id, [n.id for n in notes])
        sent = _claim_for_digests(rows, notes_of)
        preferences.mark_digests_sent(sent, now)
        queued += len(sent)
    db.session.commit()  # once: a commit between batches would expire (and reload) every loaded row
    return {"digests": queued, "notifications": sum(len(n) for _, n in people)}


def _outbox_row(to_address, subject, text, html, user_id, list_unsubscribe) -> dict:
    """queue_email's row as a dict, for a multi-row INSERT."""
    return {"to_address": header_text(to_address), "user_id": user_id, "subject": header_text(subject),
            "body_text": text, "body_html": html, "status": OUTBOX_PENDING, "attempts": 0,
            "message_id": make_msgid(idstring="tdnv", domain=_sender_domain(None)),
            "list_unsubscribe": header_text(list_unsubscribe, 500) or None, "created_at": utcnow()}


def _claim_for_digests(rows: list[dict], notes_of: dict[str, tuple[int, list[int]]]) -> list[int]:
    """Insert the messages and claim their notifications; returns the users whose digest holds."""
    from app.models.notifications import Notification

    ids = dict(db.session.execute(insert(OutboxMessage).returning(OutboxMessage.message_id, OutboxMessage.id),
                                  rows).all())
    notes = Notification.__table__
    claims = [{"note": note_id, "outbox": ids[message_id]}
              for message_id, (_, note_ids) in notes_of.items() for note_id in note_ids]
    unclaimed = and_(notes.c.id == bindparam("note"), notes.c.emailed_outbox_id.is_(None))
    db.session.execute(notes.update().where(unclaimed).values(emailed_outbox_id=bindparam("outbox")), claims)
    held: dict[int, int] = dict(db.session.execute(select(notes.c.emailed_outbox_id, func.count()).where(
        notes.c.emailed_outbox_id.in_(ids.values())).group_by(notes.c.emailed_outbox_id)).all())
    lost = [ids[m] for m, (_, note_ids) in notes_of.items() if held.get(ids[m], 0) != len(note_ids)]
    if lost:  # someone else claimed some of them: leave these people to the next run
        db.session.execute(notes.update().where(notes.c.emailed_outbox_id.in_(lost))
                           .values(emailed_outbox_id=None))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(lost)))
    dropped = set(lost)
    return [user_id for m, (user_id, _) in notes_of.items() if ids[m] not in dropped]


__all__ = [
    "OUTBOX_FAILED", "OUTBOX_PENDING", "OUTBOX_SENDING", "OUTBOX_SENT", "MAX_ATTEMPTS",
    "queue_email", "build_email", "smtp_settings", "deliver", "deliver_due", "failed_messages",
    "requeue", "backoff_seconds", "outbox_counts", "queue_digests", "compose_digest",
]
