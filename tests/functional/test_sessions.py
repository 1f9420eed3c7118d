"""Server-side sessions: log-out kills every copy of the cookie; idle and absolute limits; the
"Phiên đăng nhập" page lists the account's sessions and ends the others."""
from datetime import timedelta

from sqlalchemy import select, update

from app.models import UserSession
from app.models.base import utcnow
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, UserFactory


def _copy_cookie(source, target):
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_copied_cookie_is_dead_after_logout(app, db):
    UserFactory(username="chuyenvien")
    browser, thief = app.test_client(), app.test_client()
    login(browser, "chuyenvien", PASSWORD)
    _copy_cookie(browser, thief)
    assert thief.get("/").status_code == 200  # a stolen cookie works while the session lives...
    browser.post("/auth/logout", data={"csrf_token": csrf_token(browser, "/")})
    assert thief.get("/").status_code == 302  # ...and is dead once its owner logs out
    assert db.session.scalar(select(UserSession)) is None


def test_session_row_holds_only_a_hash_of_the_token(client, db):
    user = UserFactory(username="chuyenvien")
    login(client, "chuyenvien", PASSWORD, follow_redirects=False)
    row = db.session.scalar(select(UserSession))
    assert row.user_id == user.id and len(row.token_hash) == 64
    assert row.token_hash not in client.get_cookie("session").value


def test_idle_session_ends(client, app, db):
    UserFactory(username="chuyenvien")
    login(client, "chuyenvien", PASSWORD)
    idle = app.config["PERMANENT_SESSION_LIFETIME"]
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle - timedelta(minutes=1)))
    db.session.commit()
    assert client.get("/").status_code == 302
    assert db.session.scalar(select(UserSession)) is None  # the expired row is swept on sight


def test_active_session_still_ends_after_the_absolute_lifetime(client, app, db):
    UserFactory(username="chuyenvien")
    login(client, "chuyenvien", PASSWORD)
    assert app.config["SESSION_MAX_HOURS"] == 12
    db.session.execute(update(UserSession).values(created_at=utcnow() - timedelta(hours=12, minutes=1),
                                                  last_seen_at=utcnow()))
    db.session.commit()
    assert client.get("/").status_code == 302


def test_sessions_page_lists_and_ends_the_other_sessions(app, db):
    UserFactory(username="chuyenvien")
    UserFactory(username="nguoikhac")
    phone, laptop, stranger = app.test_client(), app.test_client(), app.test_client()
    login(phone, "chuyenvien", PASSWORD)
    login(laptop, "chuyenvien", PASSWORD)
    login(stranger, "nguoikhac", PASSWORD)
    page = laptop.get("/auth/sessions", headers={"User-Agent": "Firefox trên máy tính"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Phiên đăng nhập" in text and "Phiên này" in text
    assert text.count("Kết thúc</button>") == 1  # the phone's; not the stranger's, not this one
    laptop.post("/auth/sessions/end-others", data={"csrf_token": csrf_token(laptop, "/auth/sessions")})
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200 and stranger.get("/").status_code == 200


def test_one_session_can_be_ended_but_not_another_users(app, db):
    UserFactory(username="chuyenvien")
    UserFactory(username="nguoikhac")
    phone, laptop, stranger = app.test_client(), app.test_client(), app.test_client()
    login(phone, "chuyenvien", PASSWORD)
    login(laptop, "chuyenvien", PASSWORD)
    login(stranger, "nguoikhac", PASSWORD)
    rows = {s.user.username: s for s in db.session.scalars(select(UserSession).order_by(UserSession.id))}
    theirs = rows["nguoikhac"].id
    phone_row = db.session.scalars(select(UserSession).order_by(UserSession.id)).first()
    token = csrf_token(laptop, "/auth/sessions")
    laptop.post(f"/auth/sessions/{theirs}/end", data={"csrf_token": token})
    assert stranger.get("/").status_code == 200
    laptop.post(f"/auth/sessions/{phone_row.id}/end", data={"csrf_token": token})
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 200


def test_rotating_secret_key_with_fallback_keeps_sessions(client, app, db, monkeypatch):
    UserFactory(username="chuyenvien")
    login(client, "chuyenvien", PASSWORD)
    signed_with_old = client.get_cookie("session").value
    old = app.config["SECRET_KEY"]
    monkeypatch.setitem(app.config, "SECRET_KEY", "a-brand-new-secret-key-for-tdnv")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old])
    assert client.get("/").status_code == 200  # README "Đổi SECRET_KEY", step 2: still logged in...
    assert client.get_cookie("session").value != signed_with_old  # ...and the cookie re-signed
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    assert client.get("/").status_code == 200  # step 3: active sessions moved to the new key
    stale = app.test_client()
    stale.set_cookie("session", signed_with_old)
    assert stale.get("/").status_code == 302  # a cookie only the old key signed opens nothing
