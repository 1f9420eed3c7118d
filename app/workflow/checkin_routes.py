"""Reporting one period (check-in) of an ongoing task from the assignment page."""
from flask import abort, redirect, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.models.checkins import CheckIn
from app.permissions import can_view_assignment
from app.services.work import checkin_reports
from app.views import flash_form_errors, run
from app.workflow import bp
from app.workflow.forms import CheckInReportForm
from app.workflow.helpers import evidence_uploads


@bp.route("/checkins/<int:checkin_id>/report", methods=["POST"])
@login_required
def report_checkin(checkin_id):
    checkin = db.get_or_404(CheckIn, checkin_id)
    if not can_view_assignment(current_user, checkin.assignment):
        abort(403)
    form = CheckInReportForm()
    if form.validate_on_submit():
        uploads, storage = evidence_uploads(form.files.name)
        run(lambda: checkin_reports.report_checkin(
                current_user, checkin, expected_version=form.version.data, status=form.status.data,
                progress=form.progress.data, note=form.note.data, files=uploads, **storage),
            f"Đã ghi báo cáo kỳ {checkin.period_key}.")
    else:
        flash_form_errors(form)
    return redirect(url_for("workflow.assignment", assignment_id=checkin.assignment_id) + "#bao-cao-ky")
