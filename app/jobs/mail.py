"""Job `send_mail`: pending notifications become one digest per person, then the outbox is delivered."""
from datetime import datetime

from app.services.notify import mail


def send_mail(now: datetime, config) -> dict:
    """Digests first (committed with their notifications), then SMTP delivery with back-off."""
    summary = mail.queue_digests(config.get("BASE_URL", ""))
    summary.update(mail.deliver_due(mail.smtp_settings(config), now))
    return summary
