"""The mail job against a real SMTP server: one digest per person, back-off, failure, crash window."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.jobs.scheduler import execute
from app.models import Notification, OutboxMessage
from app.services.notify import mail
from app.services.notify.notifications import Alert, create_notifications
from tests import smtp_helpers
from tests.factories import UnitFactory, UserFactory
from tests.smtp_helpers import body_html, body_text, free_port

NOW = datetime(2025, 12, 24, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội

smtp_server = smtp_helpers.smtp_server  # the fixtures, shared
mail_config = smtp_helpers.mail_config


def alerts_for(user, count, prefix="t"):
    return [
        Alert(
            user_id=user.id,
            key=f"{prefix}:{user.id}:{i}",
            kind="deadline_reminder",
            title=f"Nhắc hạn số {i}",
            body=f"Nội dung {i}",
            link=f"/assignments/{i}",
        )
        for i in range(count)
    ]


def outbox(db):
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_one_digest_per_person_once(app, db, mail_config, smtp_server):
    unit = UnitFactory()
    head = UserFactory(unit=unit, role="unit_head", full_name="Trần Văn Bình")
    staff = UserFactory(unit=unit)
    no_mail = UserFactory(unit=unit, email=None)
    assert create_notifications(alerts_for(head, 3) + alerts_for(staff, 2) + alerts_for(no_mail, 1)) == 6
    db.session.commit()

    summary = execute(app, "send_mail", NOW)
    assert summary["digests"] == 2 and summary["sent"] == 2
    received = smtp_server.wait_for(2)
    assert sorted(smtp_server.recipients()) == sorted([head.email, staff.email])
    to_head = next(m for m in received if m["To"] == head.email)
    assert to_head["Subject"] == "[TDNV] 3 thông báo mới: Nhắc hạn số 0"
    text = body_text(to_head)
    assert "Kính gửi Trần Văn Bình" in text
    assert all(f"Nhắc hạn số {i}" in text for i in range(3))
    assert "https://tdnv.example.vn/assignments/2" in text
    assert 'href="https://tdnv.example.vn/assignments/1"' in body_html(to_head)
    rows = outbox(db)
    assert {m.message_id for m in rows} == {str(m["Message-ID"]) for m in received}
    assert all(m.status == "sent" and m.attempts == 1 for m in rows)
    # the notifications point at their e-mail; the user without an address still has hers in the app
    notes = db.session.scalars(select(Notification)).all()
    assert {n.emailed_outbox_id is None for n in notes if n.user_id == no_mail.id} == {True}
    assert all(n.emailed_outbox_id for n in notes if n.user_id != no_mail.id)

    again = execute(app, "send_mail", NOW + timedelta(minutes=1))
    assert again["digests"] == 0 and again["sent"] == 0
    assert len(smtp_server.wait_for(3, timeout=0.5)) == 2
    # a new alert later makes a new digest with only that alert
    create_notifications(alerts_for(head, 4, prefix="later")[3:])
    db.session.commit()
    execute(app, "send_mail", NOW + timedelta(minutes=2))
    latest = smtp_server.wait_for(3)[-1]
    assert latest["Subject"] == "[TDNV] Nhắc hạn số 3"


def test_smtp_down_backs_off_then_sends_once(app, db, mail_config, smtp_server, monkeypatch):
    user = UserFactory()
    create_notifications(alerts_for(user, 2))
    db.session.commit()
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there

    summary = execute(app, "send_mail", NOW)
    assert summary["sent"] == 0 and summary["retry"] == 1 and summary["connect_error"]
    [message] = outbox(db)
    assert message.status == "pending" and message.attempts == 1 and message.last_error
    base = app.config["MAIL_RETRY_BASE_SECONDS"]
    assert message.next_attempt_at.replace(tzinfo=UTC) == NOW + timedelta(seconds=base)

    # before the back-off is over nothing is tried
    assert execute(app, "send_mail", NOW + timedelta(seconds=base - 1))["retry"] == 0
    assert outbox(db)[0].attempts == 1
    second = execute(app, "send_mail", NOW + timedelta(seconds=base + 1))
    assert second["retry"] == 1
    [message] = outbox(db)
    assert message.attempts == 2
    assert message.next_attempt_at.replace(tzinfo=UTC) == NOW + timedelta(seconds=base + 1 + 2 * base)

    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)  # SMTP is back
    assert execute(app, "send_mail", NOW + timedelta(hours=1))["sent"] == 1
    assert execute(app, "send_mail", NOW + timedelta(hours=2))["sent"] == 0
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1
    [message] = outbox(db)
    assert message.status == "sent" and message.attempts == 3 and smtp_server.received[0]["Message-ID"] == \
        message.message_id


def test_failed_after_max_attempts(app, db, mail_config, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    user = UserFactory()
    create_notifications(alerts_for(user, 1))
    db.session.commit()
    moment = NOW
    for _ in range(3):
        execute(app, "send_mail", moment)
        moment += timedelta(days=1)
    [message] = outbox(db)
    assert message.status == "failed" and message.attempts == 3 and message.next_attempt_at is None
    assert [m.id for m in mail.failed_messages()] == [message.id]
    assert execute(app, "send_mail", moment)["retry"] == 0
    assert outbox(db)[0].attempts == 3
    mail.requeue(message)
    db.session.commit()
    assert outbox(db)[0].status == "pending"


def test_message_stuck_in_sending_is_retried_with_same_message_id(app, db, mail_config, smtp_server):
    user = UserFactory()
    stuck = mail.queue_email(user.email, "[TDNV] Thư dở dang", "Nội dung", user=user)
    fresh = mail.queue_email(user.email, "[TDNV] Đang gửi", "Nội dung", user=user)
    db.session.flush()
    # the process died after marking it sending: its lease is over
    stuck.status, stuck.attempts, stuck.next_attempt_at = "sending", 1, NOW - timedelta(seconds=1)
    # another process is sending this one right now: its lease still runs
    fresh.status, fresh.attempts, fresh.next_attempt_at = "sending", 1, NOW + timedelta(minutes=10)
    db.session.commit()
    message_id = stuck.message_id

    summary = execute(app, "send_mail", NOW)
    assert summary["stuck_retried"] == 1 and summary["sent"] == 1
    [email] = smtp_server.wait_for(1)
    assert email["Message-ID"] == message_id and email["Subject"] == "[TDNV] Thư dở dang"
    rows = {m.id: m for m in outbox(db)}
    assert rows[stuck.id].status == "sent" and rows[stuck.id].attempts == 2
    assert rows[fresh.id].status == "sending"


def test_without_mail_server_digests_wait_in_the_outbox(app, db):
    user = UserFactory()
    create_notifications(alerts_for(user, 2))
    db.session.commit()
    summary = execute(app, "send_mail", NOW)
    assert summary["digests"] == 1 and summary["sent"] == 0 and "skipped" in summary
    assert [m.status for m in outbox(db)] == ["pending"]


def test_password_reset_still_delivered_directly(app, db, mail_config, smtp_server):
    user = UserFactory()
    message = mail.queue_email(user.email, "[TDNV] Đặt lại mật khẩu", "liên kết", user=user)
    db.session.commit()
    assert mail.deliver([message.id], mail.smtp_settings(app.config)) == 1
    assert smtp_server.wait_for(1)[0]["Message-ID"] == message.message_id
