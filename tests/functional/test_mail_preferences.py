"""Mail receivers trust: headers as a client parses them, Vietnamese subjects that keep their spaces,
notification preferences (Python and SQL forms of one rule), the page and the one-click unsubscribe."""
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.formatting import vn_period
from app.models import Notification, NotificationPreference, OutboxMessage
from app.services.notify import mail, preferences
from app.services.notify.notifications import Alert, create_notifications
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, UserFactory

SUBJECT = ("[TDNV] 2 thông báo mới: Quá hạn báo cáo tháng 12/2025 của Trường THPT Ngô Quyền – "
           "Triển khai chữ ký số cho toàn bộ cán bộ quản lý, giáo viên")
NOW = datetime(2025, 12, 24, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def parsed(message: OutboxMessage, sender: str = "Sở GDĐT <tdnv@sogd.example.vn>"):
    raw = mail.build_email(message, sender).as_bytes()
    return raw, message_from_bytes(raw, policy=policy.default)


@pytest.mark.parametrize("subject", [
    SUBJECT, "[TDNV] Nhắc hạn: Trường THPT Ngô Quyền", "[TDNV] Đặt lại mật khẩu", "[TDNV] Plain ASCII",
    "[TDNV] Báo cáo quý IV/2025 – Phòng Kế hoạch - Tài chính, Phòng GDNN, GDTX và mầm non " * 3,
])
def test_headers_as_a_mail_client_reads_them(app, db, subject):
    app.config["MAIL_DEFAULT_SENDER"] = "Sở GDĐT <tdnv@sogd.example.vn>"
    message = mail.queue_email("hieutruong@thpt-ngoquyen.edu.vn", subject, "Nội dung",
                               list_unsubscribe="https://tdnv.example.vn/auth/unsubscribe/abc")
    db.session.flush()
    raw, email = parsed(message)
    assert email["Subject"] == mail.header_text(subject)
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Message-ID"].strip("<>").rpartition("@")[2] == "sogd.example.vn"
    assert parsedate_to_datetime(email["Date"]).utcoffset() is not None
    assert abs((parsedate_to_datetime(email["Date"]) - datetime.now(UTC)).total_seconds()) < 600
    assert email["List-Unsubscribe"] == "<https://tdnv.example.vn/auth/unsubscribe/abc>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert b"\r\n" in raw and all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
    # every blank of the subject sits inside an encoded word: no client can lose it when unfolding
    subject_lines = raw.split(b"\r\n\r\n")[0].split(b"Subject: ")[1].split(b"\r\n")
    for line in subject_lines:
        if not line.startswith((b" ", b"\t")) and line is not subject_lines[0]:
            break
        if not subject.isascii():
            assert line.strip().startswith(b"=?utf-8?") and line.strip().endswith(b"?=")


def test_message_id_falls_back_to_the_sender_domain_not_the_recipient(app, db):
    app.config["MAIL_DEFAULT_SENDER"] = "tdnv@sogd.example.vn"
    message = mail.queue_email("a@truong.edu.vn", "[TDNV] x", "y")
    assert message.message_id.endswith("@sogd.example.vn>")
    assert mail.build_email(message, "tdnv@sogd.example.vn")["List-Unsubscribe"] is None


@pytest.mark.parametrize("key, label", [
    ("2025-12", "tháng 12/2025"), ("2026-01", "tháng 1/2026"), ("2025-Q4", "quý IV/2025"),
    ("2026-Q1", "quý I/2026"), ("2025", "năm 2025"), ("HK1", "HK1"), ("", ""), (None, ""),
])
def test_period_names_in_vietnamese(key, label):
    assert vn_period(key) == label


KIND_CASES = [  # (settings, kind, wanted)
    (None, "deadline_reminder", True),
    ({}, "overdue_digest", True),
    ({"mail_enabled": False}, "deadline_reminder", False),
    ({"deadline_reminders": False}, "deadline_reminder", False),
    ({"deadline_reminders": False}, "checkin_reminder", False),
    ({"deadline_reminders": False}, "comment", True),
    ({"comments": False}, "mention", False),
    ({"overdue_digests": False}, "overdue_escalation", False),
    ({"assignment_events": False}, "submitted", False),
    ({"assignment_events": False}, "some_new_kind", True),
]


@pytest.mark.parametrize("settings, kind, wanted", KIND_CASES)
def test_wants_mail_in_python_and_sql_agree(db, settings, kind, wanted):
    user = UserFactory()
    prefs = None
    if settings is not None:
        prefs = preferences.save_preferences(user, mail_enabled=settings.pop("mail_enabled", True),
                                             digest_hour=None, **settings)
    create_notifications([Alert(user_id=user.id, key=f"k-{kind}", kind=kind, title="x")])
    db.session.flush()
    assert preferences.wants_mail(prefs, kind) is wanted
    in_sql = db.session.scalar(
        select(Notification.id).outerjoin(NotificationPreference,
                                          NotificationPreference.user_id == Notification.user_id)
        .where(Notification.user_id == user.id, preferences.mail_wanted_clause(Notification.kind))
    )
    assert (in_sql is not None) is wanted


def test_digest_respects_kinds_and_hour_and_links_the_settings(app, db):
    quiet, hourly, normal = UserFactory(), UserFactory(), UserFactory()
    preferences.save_preferences(quiet, mail_enabled=True, digest_hour=None, deadline_reminders=False)
    preferences.save_preferences(hourly, mail_enabled=True, digest_hour=17)
    create_notifications([Alert(user_id=u.id, key=f"r{u.id}", kind="deadline_reminder", title="Nhắc hạn")
                          for u in (quiet, hourly, normal)])
    db.session.commit()
    assert mail.queue_digests("https://tdnv.example.vn", "k" * 32, now=NOW)["digests"] == 1
    sent = db.session.scalars(select(OutboxMessage)).all()
    assert [m.user_id for m in sent] == [normal.id]
    assert "Cài đặt thông báo https://tdnv.example.vn/auth/notifications" in sent[0].body_text
    assert 'href="https://tdnv.example.vn/auth/notifications"' in sent[0].body_html
    assert sent[0].list_unsubscribe.startswith("https://tdnv.example.vn/auth/unsubscribe/")
    at_five = datetime(2025, 12, 24, 10, 5, tzinfo=UTC)  # 17:05 in Hà Nội
    assert mail.queue_digests("https://tdnv.example.vn", "k" * 32, now=at_five)["digests"] == 1
    create_notifications([Alert(user_id=hourly.id, key="later", kind="comment", title="Bình luận")])
    db.session.commit()
    assert mail.queue_digests("https://tdnv.example.vn", "k" * 32, now=at_five)["digests"] == 0  # tomorrow
    tomorrow = datetime(2025, 12, 25, 10, 0, tzinfo=UTC)
    assert mail.queue_digests("https://tdnv.example.vn", "k" * 32, now=tomorrow)["digests"] == 1
    # the quiet user's reminder is still in the app, never mailed
    assert db.session.scalar(select(Notification.emailed_outbox_id).where(Notification.user_id == quiet.id)) \
        is None


def test_settings_page_saves_choices(client, db):
    user = UserFactory(username="gv.nguyen")
    login(client, "gv.nguyen", PASSWORD)
    page = client.get("/auth/notifications").get_data(as_text=True)
    assert "Cài đặt thông báo" in page and "Nhắc hạn" in page
    token = csrf_token(client, "/auth/notifications")
    response = client.post("/auth/notifications", data={
        "csrf_token": token, "mail_enabled": "y", "deadline_reminders": "y", "overdue_digests": "y",
        "digest_hour": "7"}, follow_redirects=True)
    assert "Đã lưu cài đặt thông báo." in response.get_data(as_text=True)
    prefs = _db.session.get(NotificationPreference, user.id)
    assert (prefs.mail_enabled, prefs.deadline_reminders, prefs.assignment_events, prefs.comments,
            prefs.digest_hour) == (True, True, False, False, 7)
    bad = client.post("/auth/notifications", data={"csrf_token": token, "digest_hour": "25"})
    assert bad.status_code == 200 and _db.session.get(NotificationPreference, user.id).digest_hour == 7


def test_one_click_unsubscribe(app, client, db):
    user = UserFactory()
    db.session.commit()
    _, url = preferences.links(user, "https://tdnv.example.vn", app.config["SECRET_KEY"])
    path = url.removeprefix("https://tdnv.example.vn")
    page = client.get(path)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and _db.session.get(NotificationPreference, user.id) is None
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})  # RFC 8058, no cookie, no CSRF
    assert done.status_code == 200 and "Đã ngừng gửi thư" in done.get_data(as_text=True)
    assert _db.session.get(NotificationPreference, user.id).mail_enabled is False
    assert client.post("/auth/unsubscribe/forged-token").status_code == 404


def test_settings_page_needs_a_log_in(client, db):
    response = client.get("/auth/notifications")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post("/auth/notifications", data={"mail_enabled": ""}).status_code in (302, 400)
