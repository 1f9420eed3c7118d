"""A task's list of units (the task page's table) as .xlsx and CSV: every row, in the page's order."""
from flask import current_app, request, send_file
from flask_login import login_required

from app.exporters.csv_stream import csv_file
from app.exporters.media import CSV_MIME, XLSX_MIME
from app.exporters.xlsx_stream import xlsx_file
from app.services.work import pages
from app.views import local_today
from app.workflow import bp
from app.workflow.exporting import HEADERS, WIDTHS, export_rows
from app.workflow.helpers import load_task


def _rows(task):
    stmt = pages.task_units_statement(task, request.args.get("status"))
    return export_rows(stmt, today=local_today(), timezone=current_app.config["TIMEZONE"])


def _filename(task, extension: str) -> str:
    return f"nhiem-vu-{task.id}-{local_today():%Y%m%d}.{extension}"


@bp.route("/tasks/<int:task_id>/export.xlsx")
@login_required
def task_export(task_id):
    task = load_task(task_id)
    title = f"Nhiệm vụ {task.ref}" if task.ref else "Nhiệm vụ"
    return send_file(xlsx_file(title, HEADERS, _rows(task), widths=WIDTHS), as_attachment=True,
                     download_name=_filename(task, "xlsx"), mimetype=XLSX_MIME)


@bp.route("/tasks/<int:task_id>/export.csv")
@login_required
def task_export_csv(task_id):
    task = load_task(task_id)
    return send_file(csv_file(HEADERS, _rows(task)), as_attachment=True,
                     download_name=_filename(task, "csv"), mimetype=CSV_MIME)
