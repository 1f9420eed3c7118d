"""Server-side sessions, log-in manager, client address behind proxies and HTTP security headers."""
from datetime import timedelta

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import db, login_manager
from app.permissions import Guest
from app.services.accounts import sessions

SESSION_KEY = "sid"  # the Flask session's key for the server-side session token

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Endpoints a user who must change the password may still reach.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "static", "main.healthz"}


def _limits() -> tuple[timedelta, timedelta]:
    cfg = current_app.config
    return cfg["PERMANENT_SESSION_LIFETIME"], timedelta(hours=cfg["SESSION_MAX_HOURS"])


def begin_session(user) -> None:
    """Log the user in with a new server-side session (a new token: no session fixation)."""
    token = sessions.start_session(user, user_agent=request.headers.get("User-Agent"),
                                   ip_address=request.remote_addr)
    db.session.commit()
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = token
    login_user(user)


def current_session_token() -> str | None:
    return session.get(SESSION_KEY)


def end_current_session() -> None:
    """Log-out: the server forgets the session, so a copy of the cookie is dead too."""
    sessions.end_session(session.get(SESSION_KEY))
    db.session.commit()
    logout_user()
    session.clear()


def init_app(app):
    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted > 0:
        # X-Forwarded-For/-Proto are believed only from that many proxies in front of us
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    login_manager.anonymous_user = Guest
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        idle, max_age = _limits()
        row = sessions.session_for_token(session.get(SESSION_KEY), idle=idle, max_age=max_age)
        if row is None or str(row.user_id) != session_id.partition(":")[0]:
            return None  # logged out, ended from another device, expired, or a deactivated account
        user = row.user
        if user.get_id() != session_id:
            return None  # the password changed since this session began
        return user

    @app.before_request
    def refresh_session_and_force_password_change():
        # A permanent session expires after PERMANENT_SESSION_LIFETIME of inactivity.
        session.permanent = True
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in _ALLOWED_BEFORE_PASSWORD_CHANGE
        ):
            return redirect(url_for("auth.change_password"))
        return None

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("HSTS_SECONDS"):
            response.headers.setdefault("Strict-Transport-Security",
                                        f"max-age={int(app.config['HSTS_SECONDS'])}; includeSubDomains")
        return response


def local_target(target: str | None, default: str) -> str:
    """A redirect target only if it stays on this site (a relative path), else the default."""
    from urllib.parse import urlsplit

    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and not urlsplit(target).netloc:
        return target
    return default


def back_to_referrer(default: str) -> str:
    """The page the user came from, if it is one of ours (the Referer header is client-controlled)."""
    from urllib.parse import urlsplit

    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return default
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return local_target(path, default)
