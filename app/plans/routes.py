"""Plan views: list, upload, preview with unit resolution, confirm, plan page."""
import re
from datetime import date

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.exporters.media import XLSX_MIME
from app.exporters.xlsx_stream import xlsx_file
from app.extensions import db
from app.importers.errors import ImportFileError
from app.models.assignments import Assignment
from app.models.plans import PLAN_ACTIVE, Plan, Task
from app.models.units import Unit, UnitGroup
from app.permissions import IMPORT_PLANS, MANAGE_PLANS, VIEW_ALL, can_manage_plan, permission_required
from app.plans import bp
from app.plans.forms import (
    COLUMN_FIELD_LABELS,
    COLUMN_FIELDS,
    ChoiceUnitsForm,
    ConfirmImportForm,
    DeletePlanForm,
    EditPlanForm,
    UploadPlanForm,
    WithdrawPlanForm,
)
from app.services.errors import DomainError
from app.services.filenames import clean_filename
from app.services.plans import column_mappings, plan_admin, plan_import, task_choices, uploads
from app.views import flash_form_errors, local_today, per_page, run
from app.workflow.assign_routes import assign_panel


@bp.route("/")
@permission_required(VIEW_ALL)
def index():
    page = request.args.get("page", 1, type=int)
    stmt = select(Plan).order_by(Plan.created_at.desc(), Plan.id.desc())
    pagination = db.paginate(stmt, page=page, per_page=per_page(), error_out=False)
    ids = [plan.id for plan in pagination.items]
    task_counts = dict(db.session.execute(
        select(Task.plan_id, func.count(Task.id)).where(Task.plan_id.in_(ids)).group_by(Task.plan_id)
    ).all())
    return render_template("plans/index.html", pagination=pagination, task_counts=task_counts,
                           form=UploadPlanForm())


@bp.route("/export.xlsx")
@permission_required(VIEW_ALL)
def export():
    """Every plan as an Excel sheet (the list page shows them a page at a time)."""
    from io import BytesIO

    from app.exporters.xlsx_table import table_to_xlsx

    counts = dict(db.session.execute(select(Task.plan_id, func.count(Task.id)).group_by(Task.plan_id)).all())
    plans = db.session.scalars(select(Plan).order_by(Plan.created_at.desc(), Plan.id.desc())).all()
    rows = [(p.number, p.title, p.school_year, p.issued_on, p.issuer, counts.get(p.id, 0),
             p.status_label, p.created_at) for p in plans]
    data = table_to_xlsx(
        "Kế hoạch",
        [
            "Số hiệu",
            "Tên kế hoạch",
            "Năm học",
            "Ngày ban hành",
            "Cơ quan ban hành",
            "Số nhiệm vụ",
            "Trạng thái",
            "Ngày nhập",
        ],
        rows,
    )
    return send_file(BytesIO(data), download_name="ke-hoach.xlsx", as_attachment=True,
                     mimetype=XLSX_MIME)


@bp.route("/import", methods=["POST"])
@permission_required(IMPORT_PLANS)
def upload():
    form = UploadPlanForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(error, "danger")
        return redirect(url_for("plans.index"))
    storage = form.file.data
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        flash(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.", "danger")
        return redirect(url_for("plans.index"))
    filename = clean_filename(storage.filename, default="phu-luc")
    try:
        plan_import.build_preview(data, filename)
    except (ImportFileError, DomainError) as error:
        flash(str(error), "danger")
        return redirect(url_for("plans.index"))
    digest = uploads.save_pending(current_app.config["UPLOAD_FOLDER"], data)
    return redirect(url_for("plans.preview", digest=digest, name=filename))


_CHOICE = re.compile(r"^(unit|group):\d+$")


def _choices_from(form_data) -> dict[str, str]:
    """Unknown names resolved on the preview page: unknown-N with choice-N (a group, or the unit picked
    before) and choiceunit-N (the unit the type-ahead filled in). A group chosen in the list wins; else
    the typed unit; anything forged or empty is ignored."""
    choices = {}
    for key, name in form_data.items():
        if key.startswith("unknown-"):
            number = key.removeprefix("unknown-")
            choice = form_data.get("choice-" + number, "")
            typed = form_data.get("choiceunit-" + number, "")
            if not choice.startswith("group:") and typed.isdigit() and len(typed) <= 9:
                choice = f"unit:{typed}"
            if _CHOICE.match(choice):
                choices[name] = choice
    return choices


def _edits_from(form_data) -> dict[str, plan_import.SuggestionEdit]:
    """The office's decisions on suggestions: for each ref listed in suggestion-N, keep-N (a checkbox:
    absent means dropped), content-N and due-N (an ISO date; anything else keeps the suggested one)."""
    edits = {}
    for key, ref in form_data.items():
        if not key.startswith("suggestion-"):
            continue
        n = key.removeprefix("suggestion-")
        try:
            due = date.fromisoformat(form_data.get("due-" + n, "")) if form_data.get("due-" + n) else None
        except ValueError:
            due = None
        edits[str(ref)] = plan_import.SuggestionEdit(
            keep=bool(form_data.get("keep-" + n)), content=str(form_data.get("content-" + n, ""))[:4000],
            due_date=due)
    return edits


def _columns_from(form_data) -> dict[str, str]:
    """The office's reading of the columns: pairs of fields colhead-N (the header) / colfield-N."""
    columns = {}
    for key, header in form_data.items():
        if key.startswith("colhead-"):
            chosen = form_data.get("colfield-" + key.removeprefix("colhead-"))
            if chosen in COLUMN_FIELD_LABELS:  # anything else (missing or forged) is ignored
                columns[header] = chosen
    return columns


MAX_ROW_KINDS = 2000
_ROW_KIND_FIELDS = (
    ("kindloc-", "kind-", None), ("grouprow-", "astask-", "task"), ("taskrow-", "asgroup-", "group"),
)


def _row_kinds_from(form_data) -> dict[str, str]:
    """The office's task/group decisions, by row location: the ones kept from earlier rounds
    (kindloc-N / kind-N), then the boxes ticked now ("Nhập là nhiệm vụ" astask-N on a row read as a
    group, "Là nhóm" asgroup-N on a task row). Unknown kinds are dropped; unknown locations are
    ignored by the parser."""
    kinds: dict[str, str] = {}
    for prefix, box, kind in _ROW_KIND_FIELDS:
        for key, location in form_data.items():
            if not key.startswith(prefix) or len(location) > 200 or len(kinds) >= MAX_ROW_KINDS:
                continue
            value = form_data.get(box + key.removeprefix(prefix))
            if kind is None and value in ("task", "group"):
                kinds[location] = value
            elif kind is not None and value:
                kinds[location] = kind
    return kinds


_PICK = re.compile(r"^pick-(\d{1,5})-(\d{1,2})$")


def _picks_from(form_data) -> dict[int, dict[int, list[int]]]:
    """Units picked for a task's choice in the preview: repeated fields pick-<row>-<choice> holding
    unit ids (the type-ahead slots and the ticked units); anything not a number is ignored."""
    picks: dict[int, dict[int, list[int]]] = {}
    for key in form_data:
        if match := _PICK.match(key):
            ids = [int(v) for v in form_data.getlist(key) if v.isdigit() and len(v) < 10]
            if ids:
                picks.setdefault(int(match[1]), {})[int(match[2])] = ids
    return picks


def _resolution_options(choices: dict[str, str]):
    """The groups (a handful) for the unknown names' lists, and the names of the units already picked
    (the others are found by the type-ahead: no 1.700-option list)."""
    groups = db.session.scalars(select(UnitGroup).order_by(UnitGroup.name)).all()
    ids = {int(value.removeprefix("unit:")) for value in choices.values() if value.startswith("unit:")}
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all()) if ids else {}
    return groups, names


@bp.route("/import/<digest>", methods=["GET", "POST"])
@permission_required(IMPORT_PLANS)
def preview(digest):
    folder = current_app.config["UPLOAD_FOLDER"]
    form = ConfirmImportForm()
    filename = clean_filename(request.args.get("name") or form.filename.data, default="phu-luc.docx")
    choices = _choices_from(request.form) if request.method == "POST" else {}
    forget = request.method == "POST" and bool(form.forget_mapping.data)
    columns = _columns_from(request.form) if request.method == "POST" and not forget else {}
    edits = _edits_from(request.form) if request.method == "POST" else {}
    picks = _picks_from(request.form) if request.method == "POST" else {}
    row_kinds = _row_kinds_from(request.form) if request.method == "POST" else {}
    try:
        data = uploads.load_pending(folder, digest)
        result = plan_import.build_preview(data, filename, choices=choices, columns=columns or None,
                                           picks=picks, use_saved_mapping=not forget, row_kinds=row_kinds)
    except (ImportFileError, DomainError) as error:
        flash(str(error), "danger")
        return redirect(url_for("plans.index"))
    if forget:  # CSRFProtect has checked the form
        run(lambda: column_mappings.forget(current_user, result.signature),
            "Đã bỏ cách ghép cột đã lưu: bảng được đọc lại theo điểm của từng cột.")
    if request.method == "GET":
        meta = result.parsed.meta
        form.filename.data = filename
        form.number.data = meta.get("number")
        form.title.data = meta.get("title")
        form.issued_on.data = date.fromisoformat(meta["date"]) if meta.get("date") else None
        form.school_year.data = meta.get("school_year")
        form.issuer.data = meta.get("issuer")
    elif form.confirm.data and form.validate_on_submit():
        try:
            plan = plan_import.import_plan(
                current_user, data, filename, choices=choices, columns=columns or None, edits=edits or None,
                picks=picks, row_kinds=row_kinds,
                meta={"number": form.number.data, "title": form.title.data, "date": form.issued_on.data,
                      "school_year": form.school_year.data, "issuer": form.issuer.data},
            )
            db.session.commit()
        except (ImportFileError, DomainError) as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            uploads.discard_pending(folder, digest)
            flash(f"Đã nhập kế hoạch với {len(plan.tasks)} nhiệm vụ.", "success")
            return redirect(url_for("plans.detail", plan_id=plan.id))
    groups, unit_names = _resolution_options(choices)
    return render_template("plans/preview.html", form=form, preview=result, digest=digest,
                           edits=edits, picks=picks, row_kinds=row_kinds,
                           choices=choices, groups=groups, unit_names=unit_names, column_fields=COLUMN_FIELDS,
                           field_labels=COLUMN_FIELD_LABELS)


@bp.route("/<int:plan_id>")
@permission_required(VIEW_ALL)
def detail(plan_id):
    plan = db.get_or_404(Plan, plan_id)
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position)).all()
    # the number of units per task, counted in SQL (a plan of 30.000 assignments is not loaded)
    unit_counts = dict(db.session.execute(
        select(Assignment.task_id, func.count(Assignment.id)).join(Task, Assignment.task_id == Task.id)
        .where(Task.plan_id == plan.id).group_by(Assignment.task_id)).all())
    manage = can_manage_plan(current_user)
    return render_template("plans/detail.html", plan=plan, tasks=tasks, can_manage=manage,
                           unit_counts=unit_counts,
                           withdraw_form=WithdrawPlanForm(formdata=None) if manage else None,
                           assign=assign_panel(plan) if manage and plan.status == PLAN_ACTIVE else None,
                           delete_form=DeletePlanForm(formdata=None)
                           if manage and not plan_admin.has_reports(plan) else None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE_PLANS)
def edit(plan_id):
    plan = db.get_or_404(Plan, plan_id)
    form = EditPlanForm(obj=plan)
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data for name in plan_admin.PLAN_FIELDS}
        if run(lambda: plan_admin.edit_plan(current_user, plan, **fields), "Đã lưu thông tin kế hoạch."):
            return redirect(url_for("plans.detail", plan_id=plan.id))
    elif request.method == "POST":
        flash_form_errors(form)
    return render_template("plans/edit.html", plan=plan, form=form)


@bp.route("/<int:plan_id>/withdraw", methods=["POST"])
@permission_required(MANAGE_PLANS)
def withdraw(plan_id):
    plan = db.get_or_404(Plan, plan_id)
    form = WithdrawPlanForm()
    if form.validate_on_submit():
        run(lambda: plan_admin.withdraw_plan(current_user, plan, reason=form.reason.data),
            lambda told: f"Đã thu hồi kế hoạch và thông báo cho {told} đơn vị.")
    else:
        flash_form_errors(form)
    return redirect(url_for("plans.detail", plan_id=plan.id))


@bp.route("/<int:plan_id>/delete", methods=["POST"])
@permission_required(MANAGE_PLANS)
def delete(plan_id):
    plan = db.get_or_404(Plan, plan_id)
    if DeletePlanForm().validate_on_submit() and run(lambda: plan_admin.delete_plan(current_user, plan),
                                                    "Đã xoá kế hoạch nhập nhầm."):
        return redirect(url_for("plans.index"))
    return redirect(url_for("plans.detail", plan_id=plan.id))


@bp.route("/<int:plan_id>/activity")
@permission_required(VIEW_ALL)
def activity(plan_id):
    """Who imported, assigned, changed deadlines, withdrew: the plan's audit trail, newest first."""
    plan = db.get_or_404(Plan, plan_id)
    pagination = db.paginate(plan_admin.activity_query(plan), page=request.args.get("page", 1, type=int),
                             per_page=per_page(), error_out=False)
    return render_template("plans/activity.html", plan=plan, pagination=pagination,
                           label=plan_admin.activity_label)


@bp.route("/<int:plan_id>/activity.xlsx")
@permission_required(VIEW_ALL)
def activity_export(plan_id):
    """The whole audit trail of the plan (not one page) as .xlsx, newest first."""
    plan = db.get_or_404(Plan, plan_id)
    data = xlsx_file("Nhật ký kế hoạch", plan_admin.ACTIVITY_HEADERS, plan_admin.activity_rows(plan),
                     widths=plan_admin.ACTIVITY_WIDTHS)
    return send_file(data, as_attachment=True, mimetype=XLSX_MIME,
                     download_name=f"nhat-ky-ke-hoach-{plan.id}-{local_today():%Y%m%d}.xlsx")


@bp.route("/tasks/<int:task_id>/choice-units", methods=["POST"])
@permission_required(MANAGE_PLANS)
def assign_choice_units(task_id):
    """The units of a task's "Cơ sở thí điểm", picked on the task page after the import."""
    task = db.get_or_404(Task, task_id)
    form = ChoiceUnitsForm()
    if form.validate_on_submit():
        unit_ids = [int(v) for v in request.form.getlist("unit") if v.isdigit() and len(v) < 10]
        run(lambda: task_choices.assign_choice_units(current_user, task, int(form.choice.data), unit_ids),
            lambda created: f"Đã giao nhiệm vụ cho {len(created)} đơn vị.")
    else:
        flash_form_errors(form)
    return redirect(url_for("workflow.task", task_id=task.id))
