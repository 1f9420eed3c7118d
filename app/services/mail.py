"""The e-mail outbox: queue a message in the transaction, deliver it over SMTP later or now."""
from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formataddr, parseaddr

from sqlalchemy import select

from app.extensions import db
from app.models.base import utcnow
from app.models.notifications import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENDING,
    OUTBOX_SENT,
    OutboxMessage,
)

MAX_ATTEMPTS = 5


def queue_email(to_address: str, subject: str, body_text: str, *, body_html=None, user=None) -> OutboxMessage:
    """Add a message to the outbox; its Message-ID is fixed now so a resend is recognisable."""
    domain = (parseaddr(to_address)[1].rpartition("@")[2] or "tdnv.local").lower()
    message = OutboxMessage(
        to_address=to_address,
        user_id=getattr(user, "id", None),
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        message_id=f"<{uuid.uuid4().hex}@tdnv.{domain}>",
        status=OUTBOX_PENDING,
    )
    db.session.add(message)
    return message


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def smtp_settings(config) -> dict:
    return {
        key: config.get(key)
        for key in (
            "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_USERNAME",
            "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "MAIL_TIMEOUT",
        )
    }


def deliver(message_ids: list[int], settings: dict) -> int:
    """Send the given pending messages; mark each sending, then sent or back to pending/failed.

    Without MAIL_SERVER nothing is sent: the messages stay in the outbox for the scheduler.
    """
    if not settings.get("MAIL_SERVER") or not message_ids:
        return 0
    messages = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id.in_(message_ids), OutboxMessage.status == OUTBOX_PENDING
        )
    ).all()
    sent = 0
    for message in messages:
        message.status = OUTBOX_SENDING
        message.attempts += 1
        db.session.commit()
        try:
            _send_one(message, settings)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            message.status = OUTBOX_FAILED if message.attempts >= MAX_ATTEMPTS else OUTBOX_PENDING
        else:
            message.status = OUTBOX_SENT
            message.sent_at = utcnow()
            sent += 1
        db.session.commit()
    return sent


def _send_one(message: OutboxMessage, settings: dict) -> None:
    name, address = parseaddr(settings.get("MAIL_DEFAULT_SENDER") or "tdnv@localhost")
    email = build_email(message, formataddr((name, address)))
    smtp_class = smtplib.SMTP_SSL if settings.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_class(settings["MAIL_SERVER"], int(settings.get("MAIL_PORT") or 25),
                    timeout=settings.get("MAIL_TIMEOUT") or 10) as smtp:
        if settings.get("MAIL_USE_TLS"):
            smtp.starttls()
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings["MAIL_USERNAME"], settings.get("MAIL_PASSWORD") or "")
        smtp.send_message(email, from_addr=address, to_addrs=[message.to_address])
