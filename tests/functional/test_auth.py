"""Log-in, throttling, forced password change, log-out and password reset by e-mail."""
import re
import socket

from sqlalchemy import select

from app.models import AuditLog, LoginAttempt, OutboxMessage
from tests import smtp_helpers
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, UserFactory
from tests.smtp_helpers import body_text


def test_login_page_is_vietnamese(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page


def test_good_login_shows_home_with_unit(client, db):
    user = UserFactory(username="chuyenvien")
    response = login(client, "chuyenvien", PASSWORD)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert user.unit.name in page
    assert "Đơn vị chưa được giao nhiệm vụ nào." in page
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.actor_id == user.id)) == "login"


def test_bad_password_is_refused(client, db):
    UserFactory(username="chuyenvien")
    page = login(client, "chuyenvien", "wrong-password").get_data(as_text=True)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert client.get("/").status_code == 302  # still anonymous


def test_unknown_user_and_inactive_user_are_refused(client, db):
    UserFactory(username="nghiviec", is_active_account=False)
    for name in ("khongco", "nghiviec"):
        page = login(client, name, PASSWORD).get_data(as_text=True)
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in page


def test_login_is_throttled_after_repeated_failures(client, app, db):
    UserFactory(username="chuyenvien")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        login(client, "chuyenvien", "wrong-password")
    response = login(client, "chuyenvien", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.get_data(as_text=True)
    assert db.session.scalar(select(LoginAttempt).where(LoginAttempt.succeeded.is_(True))) is None


def test_login_without_csrf_token_is_refused(client, db):
    UserFactory(username="chuyenvien")
    response = client.post("/auth/login", data={"username": "chuyenvien", "password": PASSWORD})
    assert response.status_code == 400
    assert "Vui lòng tải lại trang" in response.get_data(as_text=True)
    assert db.session.scalar(select(LoginAttempt)) is None


def test_next_parameter_cannot_redirect_off_site(client, db):
    UserFactory(username="chuyenvien")
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login?next=//evil.example/x",
                           data={"username": "chuyenvien", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_first_login_forces_password_change(client, db):
    UserFactory(username="moi", must_change_password=True)
    response = login(client, "moi", PASSWORD, follow_redirects=False)
    assert response.headers["Location"].endswith("/auth/password")
    assert client.get("/").headers["Location"].endswith("/auth/password")
    token = csrf_token(client, "/auth/password")
    short = client.post("/auth/password", data={"current_password": PASSWORD, "new_password": "abc",
                                                "confirm": "abc", "csrf_token": token})
    assert "ít nhất 8 ký tự" in short.get_data(as_text=True)
    done = client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "new_password": "mat-khau-moi-2025",
            "confirm": "mat-khau-moi-2025",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "Đã đổi mật khẩu." in done.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_logout_needs_post_and_ends_session(client, db):
    UserFactory(username="chuyenvien")
    login(client, "chuyenvien", PASSWORD)
    assert client.get("/auth/logout").status_code == 405
    token = csrf_token(client, "/")
    client.post("/auth/logout", data={"csrf_token": token})
    assert client.get("/").status_code == 302


def test_session_is_permanent_with_a_lifetime(client, app, db):
    UserFactory(username="chuyenvien")
    response = login(client, "chuyenvien", PASSWORD, follow_redirects=False)
    cookie = response.headers.get("Set-Cookie", "")
    assert "Expires=" in cookie and "HttpOnly" in cookie
    assert app.permanent_session_lifetime.total_seconds() <= 12 * 3600


smtp_server = smtp_helpers.smtp_server  # the shared loopback SMTP server (parsed as a client would)


def test_password_reset_by_emailed_link(client, app, db, runner, smtp_server):
    port, received = smtp_server.port, smtp_server.received
    user = UserFactory(username="quenmk", email="quenmk@example.vn")
    token = csrf_token(client, "/auth/forgot")
    page = client.post("/auth/forgot", data={"identifier": "quenmk@example.vn", "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "liên kết đặt lại mật khẩu đã được gửi" in page
    assert received == []  # only queued: the scheduler's mail job sends it
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        result = runner.invoke(args=["scheduler", "run-job", "send_mail"])
    finally:
        app.config.update(MAIL_SERVER="")
    assert result.exit_code == 0, result.output
    assert len(smtp_server.wait_for(1)) == 1
    email = received[0]
    assert email["To"] == "quenmk@example.vn"
    assert email["Subject"] == "[TDNV] Đặt lại mật khẩu"  # decoded as a mail client does
    body = body_text(email)
    link = re.search(r"http://\S+/auth/reset/(\S+)", body).group(0)
    path = link.split("127.0.0.1:5000", 1)[1]
    outbox = db.session.scalar(select(OutboxMessage))
    assert outbox.status == "sent" and email["Message-ID"] == outbox.message_id

    form_token = csrf_token(client, path)
    done = client.post(path, data={"new_password": "mat-khau-moi-2025", "confirm": "mat-khau-moi-2025",
                                   "csrf_token": form_token}, follow_redirects=True)
    assert "Đã đặt mật khẩu mới" in done.get_data(as_text=True)
    assert login(client, user.username, "mat-khau-moi-2025").status_code == 200
    # the link is single-use
    reused = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "không hợp lệ" in reused


def test_reset_for_unknown_account_reveals_nothing(client, db):
    token = csrf_token(client, "/auth/forgot")
    page = client.post("/auth/forgot", data={"identifier": "khongco", "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "Nếu tài khoản tồn tại" in page
    assert db.session.scalar(select(OutboxMessage)) is None


def test_reset_mail_stays_in_outbox_when_smtp_is_down(client, app, db, runner):
    UserFactory(username="quenmk", email="quenmk@example.vn")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    token = csrf_token(client, "/auth/forgot")
    client.post("/auth/forgot", data={"identifier": "quenmk", "csrf_token": token})
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port)
    try:
        runner.invoke(args=["scheduler", "run-job", "send_mail"])
    finally:
        app.config.update(MAIL_SERVER="")
    db.session.expire_all()
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 1 and message.last_error


def test_reset_requests_are_throttled(client, app, db):
    UserFactory(username="quenmk", email="quenmk@example.vn")
    token = csrf_token(client, "/auth/forgot")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/forgot", data={"identifier": "quenmk", "csrf_token": token})
    response = client.post("/auth/forgot", data={"identifier": "quenmk", "csrf_token": token})
    assert response.status_code == 429 and "quá nhiều yêu cầu" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(OutboxMessage)).all()) == app.config["LOGIN_MAX_FAILURES"]


def test_a_password_change_ends_other_sessions(app, db):
    UserFactory(username="chuyenvien")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "chuyenvien", PASSWORD)
    login(laptop, "chuyenvien", PASSWORD)
    token = csrf_token(laptop, "/auth/password")
    laptop.post("/auth/password", data={"current_password": PASSWORD, "new_password": "mat-khau-moi-2025",
                                        "confirm": "mat-khau-moi-2025", "csrf_token": token})
    assert laptop.get("/").status_code == 200  # the session that changed it goes on
    assert phone.get("/").status_code == 302  # the other one must log in again
