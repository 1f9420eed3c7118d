"""Idempotency under races: a key inserted meanwhile, notifications claimed by another run."""
from sqlalchemy import func, select, update

from app.models import Notification, OutboxMessage
from app.services.notify import mail, notifications
from app.services.notify.notifications import Alert, create_notifications
from tests.factories import UserFactory


def alert(user, key):
    return Alert(user_id=user.id, key=key, kind="deadline_reminder", title=f"Nhắc {key}")


def test_duplicate_key_inserted_meanwhile_is_skipped(db, monkeypatch):
    user = UserFactory()
    assert create_notifications([alert(user, "k1")]) == 1
    db.session.commit()
    # another scheduler inserted k1 between our check and our insert: the check saw nothing
    monkeypatch.setattr(notifications, "existing_keys", lambda keys: set())
    assert create_notifications([alert(user, "k1"), alert(user, "k2"), alert(user, "k3")]) == 2
    db.session.commit()
    keys = db.session.scalars(select(Notification.key).order_by(Notification.key)).all()
    assert keys == ["k1", "k2", "k3"]


def test_notifications_claimed_by_a_concurrent_run_are_not_mailed_twice(db, monkeypatch):
    user = UserFactory()
    create_notifications([alert(user, "a"), alert(user, "b")])
    db.session.commit()
    first = db.session.scalar(select(Notification.id).where(Notification.key == "a"))
    compose = mail.compose_digest

    def compose_while_another_run_claims(*args, **kwargs):
        with db.engine.begin() as conn:  # the other run commits its digest for "a" right now
            other = conn.execute(OutboxMessage.__table__.insert().values(
                to_address=user.email, subject="x", body_text="x", message_id="<other@tdnv>",
                status="pending", attempts=0)).inserted_primary_key[0]
            conn.execute(update(Notification).where(Notification.id == first).values(emailed_outbox_id=other))
        return compose(*args, **kwargs)

    monkeypatch.setattr(mail, "compose_digest", compose_while_another_run_claims)
    assert mail.queue_digests("https://tdnv.example.vn")["digests"] == 0
    db.session.commit()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1  # only the other run's
    monkeypatch.setattr(mail, "compose_digest", compose)
    assert mail.queue_digests("https://tdnv.example.vn")["digests"] == 1  # "b" goes next run
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2
    assert (
        db.session.scalar(select(func.count(Notification.id)).where(Notification.emailed_outbox_id.is_(None)))
        == 0
    )


def test_two_senders_cannot_claim_the_same_message(db):
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    user = UserFactory()
    message = mail.queue_email(user.email, "[TDNV] Thư", "Nội dung", user=user)
    db.session.commit()
    mine = db.session.get(OutboxMessage, message.id)
    assert mine.attempts == 0
    with Session(db.engine) as other:  # the web's immediate delivery claims it first
        theirs = other.get(OutboxMessage, message.id)
        theirs.status, theirs.attempts = "sending", 1
        other.commit()
    lease = datetime(2025, 12, 24, 1, 15, tzinfo=UTC)
    assert mail._claim(mine, lease) is False
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).attempts == 1
