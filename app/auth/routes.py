"""Views of the auth blueprint: thin wrappers over app.services.accounts.auth."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from app.auth import bp
from app.auth.forms import (
    ChangePasswordForm,
    CreateTokenForm,
    EndSessionForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    RevokeTokenForm,
)
from app.extensions import db
from app.security import begin_session, current_session_token, end_current_session, local_target
from app.services.accounts import auth as auth_service
from app.services.accounts import sessions as session_service
from app.services.accounts import tokens
from app.services.errors import DomainError


def _safe_next(target: str | None) -> str:
    """Only follow relative 'next' links, so the log-in page cannot redirect off-site."""
    return local_target(target, url_for("main.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            user = auth_service.authenticate(
                form.username.data,
                form.password.data,
                ip_address=request.remote_addr,
                max_failures=cfg["LOGIN_MAX_FAILURES"],
                ip_max_failures=cfg["LOGIN_IP_MAX_FAILURES"],
                window_minutes=cfg["LOGIN_WINDOW_MINUTES"],
                max_delay_seconds=cfg["LOGIN_MAX_DELAY_SECONDS"],
            )
        except auth_service.LoginThrottled as error:
            flash(str(error), "danger")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": error.retry_after}
        except DomainError as error:
            flash(str(error), "danger")
            return render_template("auth/login.html", form=form), 200
        begin_session(user)
        if user.must_change_password:
            flash("Đây là lần đăng nhập đầu tiên: vui lòng đổi mật khẩu.", "info")
            return redirect(url_for("auth.change_password"))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    end_current_session()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth_service.change_password(current_user, form.current_password.data, form.new_password.data,
                                         keep_session_token=current_session_token())
        except DomainError as error:
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this session goes on; other ones end
            flash("Đã đổi mật khẩu.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        cfg = current_app.config
        try:
            auth_service.request_password_reset(
                form.identifier.data, secret_key=cfg["SECRET_KEY"], base_url=cfg["BASE_URL"],
                ip_address=request.remote_addr, max_requests=cfg["LOGIN_MAX_FAILURES"],
                ip_max_requests=cfg["LOGIN_IP_MAX_FAILURES"], window_minutes=cfg["LOGIN_WINDOW_MINUTES"],
                max_delay_seconds=cfg["LOGIN_MAX_DELAY_SECONDS"],
            )
        except auth_service.LoginThrottled as error:
            db.session.rollback()
            flash(str(error), "danger")
            return (render_template("auth/forgot_password.html", form=form), 429,
                    {"Retry-After": error.retry_after})
        # queued only: the scheduler's mail job sends it within a minute, whoever asked
        db.session.commit()
        flash("Nếu tài khoản tồn tại và có e-mail, một liên kết đặt lại mật khẩu đã được gửi.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    cfg = current_app.config
    try:
        user = auth_service.user_from_reset_token(token, cfg["SECRET_KEY"], cfg["PASSWORD_RESET_MAX_AGE"])
    except DomainError as error:
        flash(str(error), "danger")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            auth_service.change_password(user, None, form.new_password.data)
        except DomainError as error:
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            flash("Đã đặt mật khẩu mới. Vui lòng đăng nhập.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """The user's personal access tokens for the JSON API; a new secret is shown once."""
    form = CreateTokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _, secret = tokens.create_token(current_user, form.name.data)
        except DomainError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            form = CreateTokenForm(formdata=None)
    return render_template("auth/tokens.html", form=form, secret=secret,
                           tokens=tokens.user_tokens(current_user), revoke_form=RevokeTokenForm())


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id):
    if RevokeTokenForm().validate_on_submit():
        try:
            tokens.revoke_token(current_user, token_id)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash("Đã thu hồi khoá truy cập.", "success")
    return redirect(url_for("auth.api_tokens"))


@bp.route("/sessions")
@login_required
def user_sessions():
    """"Phiên đăng nhập": where the account is signed in; end any of the others."""
    current = session_service.digest(current_session_token() or "")
    return render_template("auth/sessions.html", sessions=session_service.user_sessions(current_user),
                           current_hash=current, form=EndSessionForm())


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    if EndSessionForm().validate_on_submit():
        try:
            session_service.end_user_session(current_user, session_id)
        except DomainError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash("Đã kết thúc phiên đăng nhập.", "success")
    return redirect(url_for("auth.user_sessions"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if EndSessionForm().validate_on_submit():
        ended = session_service.end_other_sessions(current_user, keep_token=current_session_token())
        db.session.commit()
        flash(f"Đã kết thúc {ended} phiên đăng nhập khác.", "success")
    return redirect(url_for("auth.user_sessions"))
