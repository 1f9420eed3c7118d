"""The notifications page, marking read, and the unread count and menu counts offered to every template."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.services.notify import notifications
from app.services.work import todo
from app.views import per_page, run
from app.workflow import bp
from app.workflow.forms import ActionForm


@bp.app_context_processor
def unread_notifications():
    """`unread_notifications` for a nav badge in base.html (0 for guests)."""
    def count():
        return notifications.unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": count, "menu_counts": _MenuCounts()}


class _MenuCounts:
    """The menu's numbers (Gia hạn 3, Chờ xác nhận 5), counted on first use in a page, once."""

    def __init__(self):
        self._counts: dict[str, int] | None = None

    def __getattr__(self, name: str) -> int:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._counts is None:
            self._counts = todo.menu_counts(current_user) if current_user.is_authenticated else {}
        return self._counts.get(name, 0)


@bp.route("/notifications")
@login_required
def notifications_page():
    unread_only = request.args.get("unread") == "1"
    pagination = db.paginate(notifications.list_query(current_user, unread_only=unread_only),
                             page=request.args.get("page", 1, type=int),
                             per_page=per_page(), error_out=False)
    return render_template("workflow/notifications.html", pagination=pagination, form=ActionForm(),
                           unread=notifications.unread_count(current_user), unread_only=unread_only,
                           kinds=notifications.KINDS)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def notification_read(notification_id):
    form = ActionForm()
    link = None
    if form.validate_on_submit():
        def mark():
            nonlocal link
            link = notifications.mark_read(current_user, notification_id).link

        run(mark)
    if link and request.form.get("open") == "1" and link.startswith("/") and not link.startswith("//"):
        return redirect(link)
    return redirect(url_for("workflow.notifications_page"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def notifications_read_all():
    if ActionForm().validate_on_submit():
        run(lambda: notifications.mark_all_read(current_user), "Đã đánh dấu tất cả là đã đọc.")
    return redirect(url_for("workflow.notifications_page"))
