"""Saved views of the lists (save the current filters under a name, open them from a menu, delete)."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from app.dashboard import bp
from app.dashboard.view_forms import DeleteViewForm, SavedViewForm
from app.exporters.csv_stream import csv_file
from app.exporters.media import CSV_MIME, XLSX_MIME
from app.exporters.xlsx_stream import xlsx_file
from app.page_size import PAGE_SIZES, PRINT_PAGE_SIZE, page_size
from app.permissions import can_decide_extension
from app.services.work import deadline_extensions, saved_views
from app.views import flash_form_errors, local_today, run


def view_url(view) -> str:
    """The address a saved view opens (a list that no longer exists opens the manage page)."""
    try:
        base = url_for(view.endpoint)
    except BuildError:
        return url_for("dashboard.saved_views_page")
    return f"{base}?{view.query}" if view.query else base


@bp.app_context_processor
def _list_tools():
    """Templates of the lists ask for the user's views lazily: pages without the menu run no query."""
    def my_views(endpoint=None):
        if not current_user.is_authenticated:
            return []
        return saved_views.views_for(current_user, endpoint)

    return {"my_saved_views": my_views, "saved_view_url": view_url, "saved_view_form": SavedViewForm,
            "page_sizes": PAGE_SIZES, "print_page_size": PRINT_PAGE_SIZE}


def _back(endpoint: str | None, query: str | None):
    if endpoint in saved_views.LIST_ENDPOINTS:
        base = url_for(endpoint)
        return redirect(f"{base}?{query}" if query else base)
    return redirect(url_for("dashboard.saved_views_page"))


@bp.route("/views")
@login_required
def saved_views_page():
    """The user's saved views, with a delete button each."""
    return render_template("dashboard/saved_views.html", views=saved_views.views_for(current_user),
                           labels=saved_views.LIST_ENDPOINTS, delete_form=DeleteViewForm())


@bp.route("/views", methods=["POST"])
@login_required
def save_view():
    form = SavedViewForm()
    query = saved_views.clean_query(form.query.data or "")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(form.endpoint.data, query)
    run(lambda: saved_views.save_view(current_user, name=form.name.data, endpoint=form.endpoint.data,
                                      query=query),
        lambda view: f"Đã lưu bộ lọc \u201c{view.name}\u201d.")
    return _back(form.endpoint.data, query)


@bp.route("/views/<int:view_id>/delete", methods=["POST"])
@login_required
def delete_view(view_id):
    form = DeleteViewForm()
    if form.validate_on_submit():
        run(lambda: saved_views.delete_view(current_user, view_id),
            lambda name: f"Đã xoá bộ lọc \u201c{name}\u201d.")
    else:
        flash_form_errors(form)
    back = request.referrer if _same_site(request.referrer) else None
    return redirect(back or url_for("dashboard.saved_views_page"))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


@bp.route("/extensions/decided")
@login_required
def decided_extensions():
    """Decided extension requests (approved or refused, by whom, when, with the note), by plan."""
    if not can_decide_extension(current_user):
        abort(403)
    pagination, people = deadline_extensions.decided_requests_page(
        page=max(request.args.get("page", 1, type=int), 1),
        per_page=page_size(request.args, current_app.config["ITEMS_PER_PAGE"]))
    return render_template("dashboard/extensions_decided.html", pagination=pagination, people=people,
                           statuses=deadline_extensions.EXTENSION_STATUSES)


@bp.route("/extensions/decided.xlsx")
@login_required
def decided_extensions_export():
    """Every decided request (not one page) as .xlsx."""
    if not can_decide_extension(current_user):
        abort(403)
    return send_file(xlsx_file("Gia hạn đã quyết định", deadline_extensions.DECIDED_HEADERS,
                               deadline_extensions.decided_requests_rows(),
                               widths=deadline_extensions.DECIDED_WIDTHS),
                     as_attachment=True, download_name=f"gia-han-da-quyet-dinh-{local_today():%Y%m%d}.xlsx",
                     mimetype=XLSX_MIME)


@bp.route("/extensions/decided.csv")
@login_required
def decided_extensions_export_csv():
    if not can_decide_extension(current_user):
        abort(403)
    rows = deadline_extensions.decided_requests_rows()
    return send_file(csv_file(deadline_extensions.DECIDED_HEADERS, rows), as_attachment=True,
                     download_name=f"gia-han-da-quyet-dinh-{local_today():%Y%m%d}.csv", mimetype=CSV_MIME)
