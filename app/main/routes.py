"""Home page: each role starts from what it must act on ("việc cần làm"); and /healthz."""
from flask import current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import __version__
from app.extensions import db
from app.main import bp
from app.permissions import MANAGE_DIRECTORY, MANAGE_PLANS, UPDATE_OWN_UNIT, VIEW_DASHBOARD
from app.services import health
from app.services.work import assignments as assignment_service
from app.services.work import todo
from app.views import local_today, per_page


@bp.route("/")
@login_required
def index():
    """Directors land on the dashboard (their area first), the office on its to-do, the administrator
    on the directory; a unit's people on their unit's to-do and assignments."""
    today = local_today()
    if current_user.has_permission(MANAGE_PLANS):
        return render_template(
            "main/office.html", boxes=todo.office_todo(current_user, today=today), today=today
        )
    if current_user.has_permission(VIEW_DASHBOARD):
        return redirect(url_for("dashboard.index"))
    if current_user.has_permission(MANAGE_DIRECTORY) and not current_user.has_permission(UPDATE_OWN_UNIT):
        return redirect(url_for("admin.units"))
    pagination = assignment_service.unit_assignments_page(
        current_user.unit_id, page=request.args.get("page", 1, type=int),
        per_page=per_page(), today=today)
    counts = assignment_service.unit_assignment_counts(current_user.unit_id, today=today)
    return render_template("main/index.html", pagination=pagination, counts=counts, today=today,
                           boxes=todo.unit_todo(current_user, today=today))


@bp.route("/units/search")
@login_required
def unit_search():
    """Type-ahead for unit fields: top 20 active units matching q, without diacritics ("tran phu")."""
    from app.services.directory.units import search_units

    return jsonify([{"id": unit_id, "name": name}
                    for unit_id, name in search_units(request.args.get("q", "")[:100], limit=20)])


@bp.route("/healthz")
def healthz():
    status = health.check(db, current_app.extensions["migrate"].directory)
    status["version"] = __version__
    return jsonify(status), (200 if status["database"] == "ok" else 503)
