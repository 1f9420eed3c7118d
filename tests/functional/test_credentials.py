"""Credentials: a forced password change holds for the API too; a new password revokes API tokens,
the calendar address and other sessions; log-in timing and throttling reveal and lock nothing;
reset links carry nothing of the hash; client address behind proxies; HSTS in production."""
import base64
import hashlib
from datetime import timedelta

import pytest
from flask import request
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app import create_app
from app.models import ApiToken, LoginAttempt, User
from app.models.base import utcnow
from app.services.accounts import auth as auth_service
from app.services.accounts import tokens
from app.services.directory import users as user_service
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "mat-khau-moi-2025"


def basic(username: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def _token(db, user) -> dict:
    _, secret = tokens.create_token(user, "Bảng tính")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _feed_path(client) -> str:
    page = client.post(
        "/dashboard/calendar/token",
        data={"csrf_token": csrf_token(client, "/dashboard/calendar")},
        follow_redirects=True,
    ).get_data(as_text=True)
    start = page.index("http://localhost/dashboard/ical/")
    return page[start:page.index('"', start)].removeprefix("http://localhost")


def test_existing_token_is_refused_while_a_password_change_is_forced(client, db):
    user = UserFactory(username="api.user")
    headers = _token(db, user)
    user.must_change_password = True  # e.g. an administrator reset the password
    db.session.commit()
    response = client.get("/api/v1/plans", headers=headers)
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "password_change_required" and "đổi mật khẩu" in error["message"]


def test_no_token_is_created_while_a_password_change_is_forced(client, db):
    UserFactory(username="moi", must_change_password=True)
    response = client.post("/api/v1/tokens", headers=basic("moi", PASSWORD), json={"name": "x"})
    assert response.status_code == 403 and "đổi mật khẩu" in response.get_json()["error"]["message"]
    assert db.session.scalar(select(ApiToken)) is None
    wrong = client.post("/api/v1/tokens", headers=basic("moi", "sai-mat-khau"))
    assert wrong.status_code == 401  # the 403 never confirms a wrong password


def test_changing_the_password_revokes_tokens_and_the_calendar_address(client, db):
    user = UserFactory(username="chuyenvien")
    headers = _token(db, user)
    login(client, "chuyenvien", PASSWORD)
    feed = _feed_path(client)
    assert client.get(feed).status_code == 200
    client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/auth/password"),
        },
    )
    assert client.get("/api/v1/plans", headers=headers).status_code == 401
    assert client.get(feed).status_code == 404
    assert client.get("/").status_code == 200  # this session goes on


def test_an_administrators_reset_revokes_tokens_and_sessions(app, db):
    user = UserFactory(username="chuyenvien")
    headers = _token(db, user)
    browser = app.test_client()
    login(browser, "chuyenvien", PASSWORD)
    user_service.reset_password(None, user, "TamThoi@2025")
    db.session.commit()
    assert browser.get("/api/v1/plans", headers=headers).status_code == 401
    assert browser.get("/").status_code == 302


def test_calendar_secret_is_stored_hashed(client, db):
    user = UserFactory(username="chuyenvien")
    login(client, "chuyenvien", PASSWORD)
    secret = _feed_path(client).removeprefix("/dashboard/ical/").removesuffix(".ics")
    db.session.expire_all()
    stored = db.session.get(User, user.id).calendar_token
    assert stored != secret and stored == hashlib.sha256(secret.encode()).hexdigest()
    again = client.get("/dashboard/calendar").get_data(as_text=True)
    assert secret not in again and "Bạn đã có địa chỉ lịch riêng" in again  # shown once only


def test_unknown_and_inactive_names_cost_a_password_hash_too(client, db, monkeypatch):
    UserFactory(username="nghiviec", is_active_account=False)
    calls = []
    real = auth_service.verify_password
    monkeypatch.setattr(auth_service, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    for name in ("khongco", "nghiviec"):
        page = login(client, name, PASSWORD).get_data(as_text=True)
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert len(calls) == 2


def test_failures_from_elsewhere_do_not_lock_the_owner_out(app, db):
    UserFactory(username="chuyenvien")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        login(attacker, "chuyenvien", "doan-mo")
    assert login(attacker, "chuyenvien", PASSWORD).status_code == 429  # the guesser waits
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert login(owner, "chuyenvien", PASSWORD).status_code == 200  # the owner is not locked out
    assert owner.get("/").status_code == 200


def test_delays_grow_and_then_let_the_right_password_in(db):
    UserFactory(username="chuyenvien")
    kwargs = {"ip_address": "198.51.100.9", "max_failures": 3, "ip_max_failures": 1000, "window_minutes": 60,
              "max_delay_seconds": 60}
    start = utcnow()
    for i in range(3):
        with pytest.raises(auth_service.InvalidCredentials):
            auth_service.authenticate("chuyenvien", "sai", now=start + timedelta(seconds=i), **kwargs)
    last = start + timedelta(seconds=2)
    with pytest.raises(auth_service.LoginThrottled):
        auth_service.authenticate("chuyenvien", PASSWORD, now=last + timedelta(seconds=1), **kwargs)
    with pytest.raises(auth_service.InvalidCredentials):  # 2 s after the 3rd failure: one more try
        auth_service.authenticate("chuyenvien", "sai", now=last + timedelta(seconds=2), **kwargs)
    last += timedelta(seconds=2)
    with pytest.raises(auth_service.LoginThrottled, match="giây"):  # now 4 s
        auth_service.authenticate("chuyenvien", PASSWORD, now=last + timedelta(seconds=3), **kwargs)
    assert auth_service.authenticate("chuyenvien", PASSWORD, now=last + timedelta(seconds=4), **kwargs)
    assert [auth_service.throttle_delay(n, 3, 60) for n in (2, 3, 4, 5, 9, 20)] == [0, 2, 4, 8, 60, 60]


def test_a_user_name_longer_than_its_column_is_just_wrong(client, db):
    response = login(client, "x" * 5000, PASSWORD)
    assert response.status_code == 200 and "Tối đa 80 ký tự" in response.get_data(as_text=True)
    with pytest.raises(auth_service.InvalidCredentials):
        auth_service.authenticate("y" * 5000, "p", ip_address="1" * 200, max_failures=5, ip_max_failures=30,
                                  window_minutes=15)
    assert len(db.session.scalar(select(LoginAttempt.username))) == 80


def test_reset_link_carries_nothing_of_the_password_hash(app, db):
    user = UserFactory(username="quenmk")
    token = auth_service.make_reset_token(user, app.config["SECRET_KEY"])
    data = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="tdnv-password-reset").loads(token)
    assert set(data) == {"uid", "pc"} and data["uid"] == user.id  # the id and the change time only
    payload = base64.urlsafe_b64decode(token.split(".")[0] + "==").decode()
    assert user.password_hash[-12:] not in payload and "$" not in payload
    assert auth_service.user_from_reset_token(token, app.config["SECRET_KEY"], 3600) is user
    user.set_password(NEW_PASSWORD)
    db.session.commit()
    with pytest.raises(auth_service.DomainError, match="đã được sử dụng"):
        auth_service.user_from_reset_token(token, app.config["SECRET_KEY"], 3600)


@pytest.mark.parametrize(("trusted", "expected"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_client_address_behind_trusted_proxies(trusted, expected):
    proxied = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", TRUSTED_PROXIES=trusted)
    proxied.add_url_rule("/_address", "address", lambda: request.remote_addr)
    response = proxied.test_client().get("/_address", headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.7"})
    assert response.get_data(as_text=True) == expected


def test_hsts_in_production_only():
    production = create_app("production", SECRET_KEY="k" * 40, SQLALCHEMY_DATABASE_URI="sqlite://")
    header = production.test_client().get("/auth/login").headers.get("Strict-Transport-Security", "")
    assert header.startswith("max-age=31536000")
    testing = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    assert "Strict-Transport-Security" not in testing.test_client().get("/auth/login").headers


def _ask_reset(client, identifier: str):
    return client.post("/auth/forgot", data={"identifier": identifier,
                                             "csrf_token": csrf_token(client, "/auth/forgot")})


def test_reset_requests_from_elsewhere_do_not_block_the_owners_reset(app, db):
    from app.models import OutboxMessage

    UserFactory(username="quenmk", email="quenmk@example.vn")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
        _ask_reset(attacker, "quenmk")
    refused = _ask_reset(attacker, "quenmk")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0  # the flooder waits
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert _ask_reset(owner, "quenmk").status_code == 302  # the owner still gets a link
    assert len(db.session.scalars(select(OutboxMessage)).all()) == app.config["LOGIN_MAX_FAILURES"] + 1


def test_reset_requests_wait_growing_delays_not_a_fixed_window(db):
    UserFactory(username="quenmk", email="quenmk@example.vn")
    kwargs = {"secret_key": "k" * 32, "base_url": "http://tdnv.local", "ip_address": "198.51.100.9",
              "max_requests": 2, "ip_max_requests": 1000, "window_minutes": 60, "max_delay_seconds": 600}
    start = utcnow()
    for i in range(2):
        assert auth_service.request_password_reset("quenmk", now=start + timedelta(seconds=i), **kwargs)
    last = start + timedelta(seconds=1)
    with pytest.raises(auth_service.LoginThrottled, match="2 giây") as refused:
        auth_service.request_password_reset("quenmk", now=last, **kwargs)
    assert refused.value.retry_after == 2
    assert auth_service.request_password_reset("quenmk", now=last + timedelta(seconds=2), **kwargs)
    last += timedelta(seconds=2)
    with pytest.raises(auth_service.LoginThrottled, match="4 giây"):  # the delay doubled
        auth_service.request_password_reset("quenmk", now=last, **kwargs)
    assert auth_service.request_password_reset("quenmk", now=last + timedelta(seconds=4), **kwargs)


def test_a_reset_by_emailed_link_revokes_tokens_the_calendar_address_and_sessions(app, db):
    user = UserFactory(username="chuyenvien")
    headers = _token(db, user)
    laptop = app.test_client()
    login(laptop, "chuyenvien", PASSWORD)
    feed = _feed_path(laptop)
    path = f"/auth/reset/{auth_service.make_reset_token(user, app.config['SECRET_KEY'])}"
    stranger = app.test_client()
    done = stranger.post(path, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                     "csrf_token": csrf_token(stranger, path)})
    assert done.status_code == 302
    assert laptop.get("/api/v1/plans", headers=headers).status_code == 401
    assert laptop.get(feed).status_code == 404
    assert laptop.get("/").status_code == 302  # the old session must log in again
