"""Deadline calendar and iCal feed, the assignment matrix page, and the directors' areas (admin)."""
from __future__ import annotations

import io

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user, login_required

from app.dashboard import bp
from app.dashboard.forms import AreaForm, CalendarTokenForm
from app.exporters.media import DOCX_MIME as DOCX
from app.exporters.media import XLSX_MIME as XLSX
from app.extensions import db
from app.models.assignments import STATUSES
from app.models.plans import Plan
from app.models.scheduler import MatrixSnapshot
from app.models.units import UNIT_KINDS
from app.models.users import ROLE_DIRECTOR, User
from app.permissions import MANAGE_DIRECTORY, VIEW_ALL, VIEW_DASHBOARD, permission_required
from app.services.directory.units import active_units
from app.services.errors import DomainError
from app.services.plans.matrices import export_matrix, list_snapshots, snapshot_path
from app.services.reporting import calendar_feed
from app.services.reporting import dashboard_areas as areas
from app.services.reporting import dashboard_lists as lists
from app.views import local_today

MATRIX_UNITS_PER_PAGE = 50
_NEW_FEED_KEY = "new_calendar_feed"  # the new feed secret, kept for the one page that shows it


@bp.route("/calendar")
@login_required
def calendar():
    """Month view of deadlines (or, with ?view=agenda, the list of days that have some, for phones):
    every unit's for the office and directors, one's own otherwise."""
    today = local_today()
    year = request.args.get("year", today.year, type=int)
    month = request.args.get("month", today.month, type=int)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        abort(404)
    # the column holds the secret's hash: the address is shown once, right after it is made
    secret = session.pop(_NEW_FEED_KEY, None)
    feed_url = url_for("dashboard.ical_feed", token=secret, _external=True) if secret else None
    weeks = calendar_feed.month_grid(current_user, year, month)
    view = request.args.get("view") if request.args.get("view") in ("agenda", "month") else ""
    return render_template(
        "dashboard/calendar.html",
        weeks=weeks,
        view=view or "month",
        chosen_view=bool(view),
        agenda=_agenda(weeks),
        year=year,
        month=month,
        month_name=calendar_feed.MONTHS[month - 1],
        weekdays=calendar_feed.WEEKDAYS,
        today=today,
        prev=calendar_feed.shift_month(year, month, -1),
        next=calendar_feed.shift_month(year, month, 1),
        feed_url=feed_url,
        has_feed=bool(current_user.calendar_token),
        form=CalendarTokenForm(),
        sees_all=current_user.has_permission(VIEW_ALL),
        can_list=current_user.has_permission(VIEW_DASHBOARD),
    )


def _agenda(weeks) -> list[tuple]:
    """The phone's agenda: only the days of the month that have deadlines, in order."""
    return [(day, items) for week in weeks for day, in_month, items in week if in_month and items]


@bp.route("/calendar/token", methods=["POST"])
@login_required
def calendar_token():
    """Create or regenerate the secret URL of the user's iCal feed (the old URL stops working)."""
    form = CalendarTokenForm()
    if form.validate_on_submit():
        secret = calendar_feed.regenerate_token(current_user)
        db.session.commit()
        session[_NEW_FEED_KEY] = secret
        flash("Đã tạo địa chỉ lịch mới. Địa chỉ cũ (nếu có) không còn dùng được.", "success")
    return redirect(url_for("dashboard.calendar"))


@bp.route("/ical/<token>.ics")
def ical_feed(token):
    """No log-in (calendar apps cannot): the unguessable token is the credential."""
    user = calendar_feed.user_for_token(token)
    if user is None:
        abort(404)
    body = calendar_feed.ical(user, today=local_today(),
                              base_url=current_app.config["BASE_URL"], name=f"TDNV - {user.full_name}")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Content-Disposition"] = "inline; filename=tdnv.ics"
    return response


@bp.route("/plans/<int:plan_id>/matrix")
@permission_required(VIEW_DASHBOARD)
def matrix(plan_id):
    """Tasks × units (C/P with status colour), 50 units per page so 1,700 units never freeze a browser."""
    plan = db.get_or_404(Plan, plan_id)
    kind = request.args.get("kind") if request.args.get("kind") in UNIT_KINDS else None
    tasks, pagination, cells = lists.matrix_page(plan.id, unit_kind=kind,
                                                 page=max(request.args.get("page", 1, type=int), 1),
                                                 per_page=MATRIX_UNITS_PER_PAGE)
    snapshots = list_snapshots(plan)[:20]
    return render_template(
        "dashboard/matrix.html",
        plan=plan,
        tasks=tasks,
        pagination=pagination,
        cells=cells,
        kind=kind,
        kinds=UNIT_KINDS,
        statuses=STATUSES,
        today=local_today(),
        snapshots=snapshots,
    )


@bp.route("/plans/<int:plan_id>/matrix.<fmt>")
@permission_required(VIEW_DASHBOARD)
def matrix_download(plan_id, fmt):
    """Today's matrix, built by the scheduler engineer's exporter (the same one the nightly job uses)."""
    if fmt not in ("xlsx", "docx"):
        abort(404)
    plan = db.get_or_404(Plan, plan_id)
    today = local_today()
    return send_file(io.BytesIO(export_matrix(plan, fmt, today)), mimetype=XLSX if fmt == "xlsx" else DOCX,
                     as_attachment=True, download_name=f"ma-tran-ke-hoach-{plan.id}-{today:%Y%m%d}.{fmt}")


@bp.route("/plans/<int:plan_id>/matrix/snapshots/<int:snapshot_id>")
@permission_required(VIEW_DASHBOARD)
def matrix_snapshot(plan_id, snapshot_id):
    """A dated snapshot file kept by the nightly job."""
    snapshot = db.get_or_404(MatrixSnapshot, snapshot_id)
    path = snapshot_path(current_app.config["UPLOAD_FOLDER"], snapshot)
    if snapshot.plan_id != plan_id or not path.is_file():
        abort(404)
    return send_file(path, mimetype=XLSX if snapshot.file_format == "xlsx" else DOCX, as_attachment=True,
                     download_name=snapshot.filename)


@bp.route("/areas")
@permission_required(MANAGE_DIRECTORY)
def areas_index():
    return render_template("dashboard/areas.html", rows=areas.directors_with_areas())


@bp.route("/areas/<int:user_id>", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def area_edit(user_id):
    director = db.get_or_404(User, user_id)
    if director.role != ROLE_DIRECTOR:
        abort(404)
    form = AreaForm()
    units = active_units()
    form.units.choices = [(u.id, f"{u.name} ({UNIT_KINDS.get(u.kind, u.kind)})") for u in units]
    form.groups.choices = [(g, g) for g in areas.task_groups()]
    if request.method == "GET":
        form.units.data, form.groups.data = (list(x) for x in areas.area_of(director.id))
    elif form.validate_on_submit():
        try:
            areas.set_area(current_user, director.id, form.units.data or [], form.groups.data or [])
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            flash(f"Đã lưu lĩnh vực theo dõi của {director.full_name}.", "success")
            return redirect(url_for("dashboard.areas_index"))
    return render_template("dashboard/area_form.html", form=form, director=director)
