"""Dashboard views: the 2 × 2 page, the lists behind its numbers, the overdue list, charts, documents."""
from __future__ import annotations

import io
from datetime import date

from flask import abort, current_app, jsonify, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from app.dashboard import bp
from app.exporters.media import DOCX_MIME as DOCX
from app.exporters.media import XLSX_MIME as XLSX
from app.extensions import db
from app.models.plans import PLAN_ACTIVE, Plan
from app.models.units import UNIT_KINDS, Unit
from app.pagination import Page
from app.permissions import VIEW_DASHBOARD, permission_required
from app.services.reporting import dashboard as stats
from app.services.reporting import dashboard_documents as documents
from app.services.reporting import dashboard_lists as lists
from app.services.reporting.dashboard_areas import area_of, task_groups
from app.views import local_today, per_page

NO_GROUP = "__none__"
UNITS_PER_PAGE = 20


def _docx(data: bytes, filename: str):
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=filename)


def _tz() -> str:
    return current_app.config["TIMEZONE"]


def _basis() -> str:
    return stats.BASIS_ORIGINAL if request.args.get("basis") == stats.BASIS_ORIGINAL else stats.BASIS_IN_FORCE


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def scope_from_request() -> tuple[stats.Scope, dict]:
    """The Scope the query string describes, and the arguments that reproduce it in links."""
    args = request.args
    group = args.get("group") or None
    scope = stats.Scope(
        plan_id=args.get("plan", type=int), unit_id=args.get("unit", type=int),
        unit_kind=args.get("kind") if args.get("kind") in UNIT_KINDS else None,
        group="" if group == NO_GROUP else group, due_on=_date_arg("due"),
    )
    keep = {key: args[key] for key in ("plan", "unit", "kind", "group", "due") if args.get(key)}
    if args.get("area") == "1":
        units, groups = area_of(current_user.id)
        scope = scope.narrowed(area_unit_ids=units, area_groups=groups)
        keep["area"] = "1"
    if _basis() == stats.BASIS_ORIGINAL:
        keep["basis"] = stats.BASIS_ORIGINAL
    return scope, keep


def filter_choices() -> dict:
    """Plans, unit kinds and task groups for the filter bars, and the chosen unit's name (the unit
    field is a type-ahead over /units/search: 1.700 units are not shipped with every page)."""
    plans = db.session.execute(select(Plan.id, Plan.number, Plan.title).where(Plan.status == PLAN_ACTIVE)
                               .order_by(Plan.issued_on.desc(), Plan.id.desc())).all()
    unit_id = request.args.get("unit", type=int)
    unit_name = db.session.scalar(select(Unit.name).where(Unit.id == unit_id)) if unit_id else None
    return {"plans": plans, "kinds": UNIT_KINDS, "groups": task_groups(), "unit_name": unit_name,
            "no_group": NO_GROUP}


@bp.route("/")
@permission_required(VIEW_DASHBOARD)
def index():
    """The director's screen: opens on their area (if any) with the whole Sở one click away."""
    area_units, area_groups = area_of(current_user.id)
    has_area = bool(area_units or area_groups)
    use_area = has_area and request.args.get("scope") != "all"
    scope = stats.Scope(
        plan_id=request.args.get("plan", type=int),
        unit_kind=request.args.get("kind") if request.args.get("kind") in UNIT_KINDS else None,
    )
    link = {k: v for k, v in (("plan", request.args.get("plan")), ("kind", scope.unit_kind)) if v}
    if use_area:
        scope = scope.narrowed(area_unit_ids=area_units, area_groups=area_groups)
        link["area"] = "1"
    basis = _basis()
    if basis == stats.BASIS_ORIGINAL:
        link["basis"] = basis
    today, tz = local_today(), _tz()
    page = max(request.args.get("upage", 1, type=int), 1)
    figures = stats.overview(scope, today=today, timezone=tz, basis=basis, unit_page=page,
                             units_per_page=UNITS_PER_PAGE)
    unit_page = Page(figures.by_unit, page, UNITS_PER_PAGE, figures.unit_count)
    trend = lists.completions_over_time(scope, today=today, timezone=tz, months=2)
    return render_template(
        "dashboard/index.html", totals=figures.totals, trend=trend,
        by_group=figures.by_group, by_plan=figures.by_plan,
        unit_page=unit_page, link=link, has_area=has_area, use_area=use_area, basis=basis, today=today,
        area_units=area_units, area_groups=area_groups, choices=filter_choices(), buckets=stats.BUCKETS,
        no_group=NO_GROUP,
    )


@bp.route("/list")
@permission_required(VIEW_DASHBOARD)
def items():
    """The assignments (and check-ins) behind one number of the dashboard."""
    scope, keep = scope_from_request()
    bucket = request.args.get("bucket") if request.args.get("bucket") in stats.BUCKETS else ""
    page = max(request.args.get("page", 1, type=int), 1)
    size = per_page()
    today, tz = local_today(), _tz()
    period = request.args.get("period", "")
    checkins = None
    if period:
        try:
            first, last = lists.period_bounds(period)
        except ValueError:
            abort(404)
        pagination = lists.completed_between(scope, first, last, timezone=tz, page=page, per_page=size)
        keep["period"] = period
    else:
        pagination = lists.bucket_assignments(scope, bucket, today=today, timezone=tz, basis=_basis(),
                                              page=page, per_page=size)
        if bucket in stats.TWO_BY_TWO or not bucket:
            checkins = lists.bucket_checkins(scope, bucket, today=today, timezone=tz,
                                             page=max(request.args.get("cpage", 1, type=int), 1),
                                             per_page=size)
    if bucket:
        keep["bucket"] = bucket
    return render_template("dashboard/list.html", pagination=pagination, checkins=checkins, bucket=bucket,
                           bucket_label=stats.BUCKETS.get(bucket, "Tất cả nhiệm vụ được giao"), keep=keep,
                           period=period, scope=scope, today=today, choices=filter_choices())


@bp.route("/list.xlsx")
@permission_required(VIEW_DASHBOARD)
def items_xlsx():
    """The drill-down list behind a number as Excel: the same filters and order, every row, streamed."""
    from app.exporters.xlsx_stream import xlsx_file

    bucket, name, rows = _drilldown_export()
    title = stats.BUCKETS.get(bucket, "Tất cả nhiệm vụ được giao")[:31]
    return send_file(xlsx_file(title, lists.DRILLDOWN_HEADERS, rows, widths=lists.DRILLDOWN_WIDTHS),
                     mimetype=XLSX, as_attachment=True, download_name=f"{name}.xlsx")


@bp.route("/list.csv")
@permission_required(VIEW_DASHBOARD)
def items_csv():
    """The drill-down list as CSV (UTF-8 with its mark): the rows of the Excel export."""
    from app.exporters.csv_stream import csv_file
    from app.exporters.media import CSV_MIME

    _bucket, name, rows = _drilldown_export()
    return send_file(csv_file(lists.DRILLDOWN_HEADERS, rows), mimetype=CSV_MIME, as_attachment=True,
                     download_name=f"{name}.csv")


def _drilldown_export():
    """(bucket, file name without extension, rows) of the drill-down list the request asks for."""
    scope, _keep = scope_from_request()
    bucket = request.args.get("bucket") if request.args.get("bucket") in stats.BUCKETS else ""
    period, today = request.args.get("period", ""), local_today()
    try:
        bounds = lists.period_bounds(period) if period else None
    except ValueError:
        abort(404)
    rows = lists.iter_drilldown_rows(scope, "" if period else bucket, today=today, timezone=_tz(),
                                     basis=_basis(), period=bounds)
    return bucket, f"danh-sach-{bucket or period or 'tat-ca'}-{today:%Y%m%d}", rows


SORTS = {"days": "Số ngày quá hạn", "unit": "Đơn vị", "plan": "Kế hoạch", "task": "Nhiệm vụ",
         "update": "Cập nhật gần nhất"}


def _sort() -> tuple[str, bool]:
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "days"
    return sort, request.args.get("dir", "desc") != "asc"


@bp.route("/overdue")
@permission_required(VIEW_DASHBOARD)
def overdue():
    scope, keep = scope_from_request()
    sort, descending = _sort()
    page = lists.overdue_page(scope, today=local_today(), sort=sort, descending=descending,
                              page=max(request.args.get("page", 1, type=int), 1),
                              per_page=per_page())
    return render_template("dashboard/overdue.html", pagination=page, keep=keep, sort=sort,
                           descending=descending, sorts=SORTS, today=local_today(), choices=filter_choices())


@bp.route("/overdue.xlsx")
@permission_required(VIEW_DASHBOARD)
def overdue_xlsx():
    """Every overdue row (no cap), read as columns in batches and streamed from a temporary file."""
    from app.exporters.xlsx_stream import xlsx_file

    return send_file(xlsx_file("Nhiệm vụ quá hạn", lists.OVERDUE_HEADERS, _overdue_export_rows(),
                               widths=lists.OVERDUE_WIDTHS), mimetype=XLSX, as_attachment=True,
                     download_name=f"nhiem-vu-qua-han-{local_today():%Y%m%d}.xlsx")


@bp.route("/overdue.csv")
@permission_required(VIEW_DASHBOARD)
def overdue_csv():
    from app.exporters.csv_stream import csv_file
    from app.exporters.media import CSV_MIME

    return send_file(csv_file(lists.OVERDUE_HEADERS, _overdue_export_rows()), mimetype=CSV_MIME,
                     as_attachment=True, download_name=f"nhiem-vu-qua-han-{local_today():%Y%m%d}.csv")


def _overdue_export_rows():
    scope, _keep = scope_from_request()
    sort, descending = _sort()
    return lists.iter_overdue_rows(scope, today=local_today(), sort=sort, descending=descending)


def _letterhead_overrides() -> dict:
    return current_app.config.get("DOCUMENT_LETTERHEAD") or {}


@bp.route("/overdue.docx")
@permission_required(VIEW_DASHBOARD)
def overdue_docx():
    from app.exporters.overdue_docx import overdue_docx as build

    scope, keep = scope_from_request()
    label = "Lĩnh vực được phân công theo dõi" if keep.get("area") else "Toàn Sở"
    data = build(documents.overdue_report(scope, today=local_today(), scope_label=label,
                                          letterhead_overrides=_letterhead_overrides()))
    return _docx(data, f"danh-sach-qua-han-{local_today():%Y%m%d}.docx")


@bp.route("/plans/<int:plan_id>/evaluation.docx")
@permission_required(VIEW_DASHBOARD)
def evaluation_docx(plan_id):
    from app.exporters.evaluation_docx import evaluation_docx as build

    plan = db.get_or_404(Plan, plan_id)
    data = build(documents.evaluation(plan, today=local_today(), timezone=_tz(),
                                      letterhead_overrides=_letterhead_overrides()))
    return _docx(data, f"danh-gia-ke-hoach-{plan.id}-{local_today():%Y%m%d}.docx")


@bp.route("/plans/<int:plan_id>/report.docx")
@permission_required(VIEW_DASHBOARD)
def report_docx(plan_id):
    from app.exporters.report_docx import report_docx as build

    plan = db.get_or_404(Plan, plan_id)
    kind = "tong_ket" if request.args.get("kind") == "tong_ket" else "so_ket"
    data = build(documents.report(plan, kind=kind, today=local_today(), timezone=_tz(),
                                  letterhead_overrides=_letterhead_overrides()))
    name = "tong-ket" if kind == "tong_ket" else "so-ket"
    return _docx(data, f"bao-cao-{name}-ke-hoach-{plan.id}-{local_today():%Y%m%d}.docx")


def _items_url(**params) -> str:
    return url_for("dashboard.items", **{k: v for k, v in params.items() if v not in (None, "")})


@bp.route("/charts.json")
@permission_required(VIEW_DASHBOARD)
def charts():
    """Series for the four charts, each bar with the URL of the list behind it."""
    scope, keep = scope_from_request()
    today, tz = local_today(), _tz()
    by_unit = [r for r in stats.statistics(scope, today=today, timezone=tz, dimension="unit", basis=_basis())
               if r.counts.total]
    worst = sorted(by_unit, key=lambda r: (r.counts.completion_rate or 0, -r.counts.total, r.label))[:20]
    by_group = stats.statistics(scope, today=today, timezone=tz, dimension="group", basis=_basis())
    period = "week" if request.args.get("period") == "week" else "month"
    over_time = lists.completions_over_time(scope, today=today, timezone=tz, period=period,
                                            months=3 if period == "week" else 12)
    ranking = lists.overdue_ranking(scope, today=today, timezone=tz)
    no_unit = {k: v for k, v in keep.items() if k != "unit"}
    no_group = {k: v for k, v in keep.items() if k != "group"}
    return jsonify(
        {
            "by_unit": {
                "labels": [r.label for r in worst],
                "values": [r.counts.completion_rate or 0 for r in worst],
                "urls": [_items_url(**no_unit, unit=r.key) for r in worst],
            },
            "by_group": {
                "labels": [r.label for r in by_group],
                "values": [r.counts.completion_rate or 0 for r in by_group],
                "urls": [_items_url(**no_group, group=r.key or NO_GROUP) for r in by_group],
            },
            "over_time": {
                "labels": [label for _k, label, _n in over_time],
                "values": [n for _k, _l, n in over_time],
                "urls": [_items_url(**keep, period=k) for k, _l, _n in over_time],
            },
            "overdue_units": {
                "labels": [r.label for r in ranking],
                "values": [r.counts.open_overdue for r in ranking],
                "urls": [_items_url(**no_unit, unit=r.key, bucket=stats.OPEN_OVERDUE) for r in ranking],
            },
        }
    )

