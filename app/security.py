"""Session, log-in manager and HTTP security headers."""
from flask import redirect, request, session, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from app.permissions import Guest

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Endpoints a user who must change the password may still reach.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "static", "main.healthz"}


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    login_manager.anonymous_user = Guest
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        from app.models.users import User

        raw_id, _, stamp = session_id.partition(":")
        user = db.session.get(User, int(raw_id)) if raw_id.isdigit() else None
        if user is None or not user.is_active or user.get_id() != session_id:
            return None  # deactivated, or the password changed since this session began
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
