"""Admin view of e-mails the scheduler gave up on, with a way to send them again."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from app.admin import bp
from app.admin.forms import ActionForm
from app.extensions import db
from app.models.notifications import OutboxMessage
from app.permissions import MANAGE_DIRECTORY, permission_required
from app.services import audit
from app.services.notify import mail


@bp.route("/mail")
@permission_required(MANAGE_DIRECTORY)
def failed_mail():
    return render_template("admin/failed_mail.html", messages=mail.failed_messages(),
                           counts=mail.outbox_counts(), form=ActionForm())


@bp.route("/mail/<int:message_id>/requeue", methods=["POST"])
@permission_required(MANAGE_DIRECTORY)
def requeue_mail(message_id):
    message = db.get_or_404(OutboxMessage, message_id)
    if ActionForm().validate_on_submit() and message.status == "failed":
        mail.requeue(message)
        audit.record(current_user, "mail_requeued", message, details={"to": message.to_address})
        db.session.commit()
        flash(f"Đã đưa thư gửi {message.to_address} vào hàng đợi gửi lại.", "success")
    return redirect(url_for("admin.failed_mail"))
