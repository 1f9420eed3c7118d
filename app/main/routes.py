"""Home page (the signed-in user's unit and its assignments) and /healthz."""
from flask import current_app, jsonify, render_template, request
from flask_login import current_user, login_required

from app import __version__
from app.extensions import db
from app.main import bp
from app.services import health
from app.services.clock import today_local
from app.services.work import assignments as assignment_service


@bp.route("/")
@login_required
def index():
    page = request.args.get("page", 1, type=int)
    today = today_local(current_app.config["TIMEZONE"])
    pagination = assignment_service.unit_assignments_page(
        current_user.unit_id, page=page, per_page=current_app.config["ITEMS_PER_PAGE"], today=today
    )
    counts = assignment_service.unit_assignment_counts(current_user.unit_id, today=today)
    return render_template(
        "main/index.html", pagination=pagination, counts=counts, today=today
    )


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
