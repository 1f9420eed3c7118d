"""Views of "Cài đặt thông báo" (which alerts by mail) and the one-click unsubscribe of RFC 8058."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.auth import bp
from app.auth.forms import NotificationPreferencesForm, UnsubscribeForm
from app.extensions import csrf, db
from app.services.errors import DomainError
from app.services.notify import preferences


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notification_settings():
    prefs = preferences.preferences_for(current_user)
    form = NotificationPreferencesForm()
    if form.validate_on_submit():
        hour = int(form.digest_hour.data) if form.digest_hour.data else None
        try:
            preferences.save_preferences(
                current_user, mail_enabled=form.mail_enabled.data, digest_hour=hour,
                **{name: getattr(form, name).data for name in preferences.CATEGORIES},
            )
        except DomainError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash("Đã lưu cài đặt thông báo.", "success")
            return redirect(url_for("auth.notification_settings"))
    elif not form.is_submitted():
        form.mail_enabled.data = prefs.mail_enabled
        for name in preferences.CATEGORIES:
            getattr(form, name).data = getattr(prefs, name)
        form.digest_hour.data = "" if prefs.digest_hour is None else str(prefs.digest_hour)
    categories = [(getattr(form, name), label) for name, (label, _) in preferences.CATEGORIES.items()]
    return render_template("auth/notifications.html", form=form, categories=categories,
                           has_email=bool(current_user.email))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail providers POST "List-Unsubscribe=One-Click" without a session; the token signs it
def unsubscribe(token):
    """GET shows a button (link scanners must not unsubscribe anyone); POST turns alert mail off."""
    try:
        user = preferences.user_from_unsubscribe_token(token, current_app.config["SECRET_KEY"])
    except DomainError as error:
        return render_template("auth/unsubscribe.html", error=str(error), form=None), 404
    form = UnsubscribeForm()
    if form.is_submitted():
        preferences.unsubscribe(user)
        db.session.commit()
        return render_template("auth/unsubscribe.html", done=True, user=user, form=None)
    return render_template("auth/unsubscribe.html", user=user, form=form)
