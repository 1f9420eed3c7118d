"""Workflow views: the unit's list and export, task and assignment pages, updates and sign-off."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.exporters.csv_stream import csv_file
from app.exporters.media import CSV_MIME, XLSX_MIME
from app.exporters.xlsx_stream import xlsx_file
from app.extensions import db
from app.models.assignments import (
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    STATUSES,
    Assignment,
    EvidenceFile,
    ExtensionRequest,
)
from app.models.users import User
from app.permissions import (
    VIEW_ALL,
    can_decide_extension,
    can_manage_plan,
    can_update_assignment,
)
from app.services.errors import ConflictError, DomainError, PermissionDenied
from app.services.work import assignment_admin, checkin_reports, comments, evidence, pages, rules, workflow
from app.services.work import assignments as assignment_service
from app.services.work import deadline_extensions as extension_service
from app.views import flash_form_errors, local_today, per_page, run, run_in_form
from app.workflow import bp
from app.workflow.exporting import HEADERS, WIDTHS, export_rows
from app.workflow.forms import (
    CheckInReportForm,
    CommentForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    FilterForm,
    FocalForm,
    ReturnForm,
    SignOffForm,
    SubmitForm,
    UpdateForm,
    choices,
)
from app.workflow.helpers import evidence_uploads, load_assignment, load_task
from app.workflow.manage import bulk_choice_form, follow_up


def _filters(form: FilterForm) -> assignment_service.AssignmentFilters:
    data = form.data if form.validate() else {k: None for k in form.data}
    return assignment_service.AssignmentFilters(
        unit_id=data.get("unit") or None, plan_id=data.get("plan") or None, group=data.get("group") or None,
        status=data.get("status") or None, role=data.get("role") or None, due_from=data.get("due_from"),
        due_to=data.get("due_to"), overdue=bool(data.get("overdue")), q=data.get("q") or None,
        sort=data.get("sort") or "due")


def _filter_form() -> FilterForm:
    form = FilterForm(request.args)
    options = assignment_service.filter_choices(current_user)
    form.plan.choices = choices([(0, "Tất cả kế hoạch")]
                                + [(p.id, p.number or p.title[:60]) for p in options["plans"]])
    form.group.choices = choices([("", "Tất cả nhóm")] + [(g, g) for g in options["groups"]])
    return form


@bp.route("/work")
@login_required
def work():
    """"Việc của đơn vị": the unit's items (every unit's for the office and directors)."""
    form = _filter_form()
    filters = _filters(form)
    day = local_today()
    pagination = assignment_service.assignments_page(
        current_user, filters, today=day, page=request.args.get("page", 1, type=int),
        per_page=per_page())
    led = assignment_service.led_cooperation(current_user, today=day, limit=50)
    waiting = assignment_service.awaiting_sign_off(current_user, limit=50)
    pending = (
        db.session.scalar(
            select(func.count()).select_from(extension_service.pending_requests_query().subquery())
        )
        if can_decide_extension(current_user)
        else None
    )
    unit_name = (assignment_service.unit_name(filters.unit_id)
                 if filters.unit_id and current_user.has_permission(VIEW_ALL) else None)
    return render_template("workflow/work.html", form=form, pagination=pagination, today=day,
                           unit_name=unit_name,
                           led=led, waiting=waiting, pending_extensions=pending,
                           can_manage=can_manage_plan(current_user), export_args=request.args.to_dict(),
                           bulk_form=bulk_choice_form(current_user))


def _export_rows():
    """Every row the filters select, as columns read in batches of 1.000 (app/workflow/exporting)."""
    form = _filter_form()
    stmt = assignment_service.filtered_assignments(current_user, _filters(form), today=local_today())
    return export_rows(stmt, today=local_today(), timezone=current_app.config["TIMEZONE"])


@bp.route("/work/export.xlsx")
@login_required
def work_export():
    """Streamed: the sheet's XML is written to a temporary file that send_file streams (memory flat)."""
    return send_file(
        xlsx_file("Việc của đơn vị", HEADERS, _export_rows(), widths=WIDTHS),
        as_attachment=True,
        download_name=f"viec-cua-don-vi-{local_today():%Y%m%d}.xlsx",
        mimetype=XLSX_MIME,
    )


@bp.route("/work/export.csv")
@login_required
def work_export_csv():
    return send_file(csv_file(HEADERS, _export_rows()), as_attachment=True,
                     download_name=f"viec-cua-don-vi-{local_today():%Y%m%d}.csv", mimetype=CSV_MIME)


@bp.route("/tasks/<int:task_id>")
@login_required
def task(task_id):
    view = pages.task_page(current_user, load_task(task_id), page=request.args.get("page", 1, type=int),
                           status=request.args.get("status"))
    return render_template(
        "workflow/task.html",
        task=view.task,
        units_page=view.units_page,
        status_counts=view.status_counts,
        status_filter=view.status,
        visible_ids=view.visible_ids,
        journal=view.journal,
        journal_limit=pages.TASK_JOURNAL_LIMIT,
        files=view.files,
        extensions=view.extensions,
        today=local_today(),
        comments=view.comments,
        comment_form=CommentForm(),
        can_comment=view.can_comment,
        can_manage=view.can_manage,
        state=view.state,
        progress=view.progress,
        labels=rules.BUCKET_LABELS,
        timeliness=rules.assignment_bucket,
        kind_labels=workflow.KIND_LABELS,
        target_rows=workflow.target_rows,
        statuses=STATUSES,
    )


def _render_assignment(assignment, *, update_form=None, extension_form=None, status=200):
    """The assignment page: the update form first (phones), then targets, journal, evidence."""
    day = local_today()
    view = pages.assignment_page(current_user, assignment, today=day, timezone=current_app.config["TIMEZONE"])
    if update_form is None:
        update_form = UpdateForm(formdata=None, obj=None)
        update_form.status.data = (assignment.status if assignment.status in workflow.UPDATE_STATUSES
                                   and assignment.status != STATUS_NOT_STARTED else STATUS_IN_PROGRESS)
        update_form.progress.data = assignment.progress
        update_form.version.data = str(assignment.version)
    focal_form = None
    if view.actions.choose_focal:
        focal_form = FocalForm(formdata=None)
        focal_form.user_id.choices = choices([(0, "— Chưa chọn —")] + view.focal_choices)
        focal_form.user_id.data = assignment.focal_user_id or 0
        focal_form.version.data = str(assignment.version)
    versioned = {"version": str(assignment.version)}
    actions = view.actions
    return render_template(
        "workflow/assignment.html",
        a=assignment,
        task=assignment.task,
        today=day,
        journal=view.journal,
        files=view.files,
        extensions=view.extensions,
        update_form=update_form,
        submit_form=SubmitForm(formdata=None, data=versioned),
        signoff_form=SignOffForm(formdata=None, data=versioned),
        return_form=ReturnForm(formdata=None, data=versioned),
        extension_form=extension_form or ExtensionRequestForm(formdata=None),
        decision_form=ExtensionDecisionForm(formdata=None),
        focal_form=focal_form,
        comment_form=CommentForm(formdata=None),
        comments=view.comments,
        checkins=view.checkins,
        checkin_form=CheckInReportForm(formdata=None),
        checkin_label=checkin_reports.status_label,
        targets=view.targets,
        target_rows=workflow.target_rows,
        statuses=STATUSES,
        can_update=actions.update,
        can_submit=actions.submit,
        can_sign_off=actions.sign_off,
        can_request_extension=actions.request_extension,
        can_decide=actions.decide_extension,
        can_manage=actions.manage,
        timeliness=view.bucket,
        labels=rules.BUCKET_LABELS,
        late_buckets=rules.LATE_BUCKETS,
        kind_labels=workflow.KIND_LABELS,
        extension_labels=extension_service.EXTENSION_STATUSES,
        accepted=evidence.ACCEPTED_TEXT,
        max_mb=current_app.config["EVIDENCE_MAX_BYTES"] // (1024 * 1024),
        **follow_up(assignment, view.journal, versioned),
    ), status


@bp.route("/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id):
    return _render_assignment(load_assignment(assignment_id))


def _back(assignment):
    return redirect(url_for("workflow.assignment", assignment_id=assignment.id))


@bp.route("/assignments/<int:assignment_id>/update", methods=["POST"])
@login_required
def update(assignment_id):
    assignment = load_assignment(assignment_id)
    if not can_update_assignment(current_user, assignment):
        abort(403)
    form = UpdateForm()
    if not form.validate_on_submit():
        return _render_assignment(assignment, update_form=form, status=400)
    actuals = [request.form.get(f"actual-{i}", "") for i in range(len(assignment.task.targets or []))]
    uploads, storage = evidence_uploads(form.files.name)
    try:
        workflow.record_update(
            current_user, assignment, expected_version=form.version.data, status=form.status.data,
            progress=form.progress.data, note=form.note.data, target_actuals=actuals, files=uploads,
            **storage)
        db.session.commit()
    except PermissionDenied:
        db.session.rollback()
        abort(403)
    except ConflictError as error:
        db.session.rollback()
        db.session.refresh(assignment)
        form.version.data = str(assignment.version)
        form.form_errors.append(str(error))
        return _render_assignment(assignment, update_form=form, status=409)
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render_assignment(assignment, update_form=form, status=400)


    flash("Đã lưu cập nhật" + (f" và {len(uploads)} tệp minh chứng." if uploads else "."), "success")
    return _back(assignment)


def _versioned_action(form_class, assignment_id, call, success):
    assignment = load_assignment(assignment_id)
    form = form_class()
    if form.validate_on_submit():
        run(lambda: call(assignment, form), success)
    else:
        flash_form_errors(form)
    return _back(assignment)


@bp.route("/assignments/<int:assignment_id>/submit", methods=["POST"])
@login_required
def submit(assignment_id):
    return _versioned_action(SubmitForm, assignment_id, lambda a, f: workflow.submit(
        current_user, a, expected_version=f.version.data, note=f.note.data), "Đã trình xác nhận hoàn thành.")


@bp.route("/assignments/<int:assignment_id>/sign-off", methods=["POST"])
@login_required
def sign_off(assignment_id):
    return _versioned_action(SignOffForm, assignment_id, lambda a, f: workflow.sign_off(
        current_user, a, expected_version=f.version.data, note=f.note.data), "Đã xác nhận hoàn thành.")


@bp.route("/assignments/<int:assignment_id>/return", methods=["POST"])
@login_required
def return_work(assignment_id):
    return _versioned_action(
        ReturnForm,
        assignment_id,
        lambda a, f: workflow.return_work(
            current_user, a, expected_version=f.version.data, reason=f.reason.data
        ),
        "Đã trả lại báo cáo cho đơn vị.",
    )


@bp.route("/assignments/<int:assignment_id>/focal", methods=["POST"])
@login_required
def focal(assignment_id):
    assignment = load_assignment(assignment_id)
    form = FocalForm()
    form.user_id.validate_choice = False  # the service checks the person belongs to the unit
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data) if form.user_id.data else None
        run(lambda: assignment_admin.set_focal(current_user, assignment, user,
                                               expected_version=form.version.data),
            "Đã lưu cán bộ đầu mối.")
    else:
        flash_form_errors(form)
    return _back(assignment)


@bp.route("/assignments/<int:assignment_id>/extensions", methods=["POST"])
@login_required
def request_extension(assignment_id):
    """A refused request comes back on the same page with what was typed (date and reason)."""
    assignment = load_assignment(assignment_id)
    form = ExtensionRequestForm()
    if not form.validate_on_submit():
        return _render_assignment(assignment, extension_form=form, status=400)
    if not run_in_form(lambda: extension_service.request_extension(
            current_user, assignment, reason=form.reason.data, today=local_today(),
            requested_due_date=form.requested_due_date.data), form):
        return _render_assignment(assignment, extension_form=form, status=400)
    flash("Đã gửi đề nghị gia hạn.", "success")
    return _back(assignment)


@bp.route("/extensions/<int:request_id>/decide", methods=["POST"])
@login_required
def decide_extension(request_id):
    extension = db.get_or_404(ExtensionRequest, request_id)
    if not can_decide_extension(current_user):
        abort(403)
    form = ExtensionDecisionForm()
    if form.validate_on_submit():
        approve = bool(form.approve.data)
        run(lambda: extension_service.decide_extension(current_user, extension, approve=approve,
                                                       note=form.note.data),
            "Đã đồng ý gia hạn." if approve else "Đã từ chối đề nghị gia hạn.")
    else:
        flash_form_errors(form)
    if request.form.get("next") == "list":
        return redirect(url_for("workflow.extensions"))
    return _back(extension.assignment)


@bp.route("/extensions")
@login_required
def extensions():
    if not can_decide_extension(current_user):
        abort(403)
    pending = db.session.scalars(extension_service.pending_requests_query().options(
        joinedload(ExtensionRequest.assignment).joinedload(Assignment.task),
        joinedload(ExtensionRequest.assignment).joinedload(Assignment.unit))).all()
    return render_template("workflow/extensions.html", pending=pending, form=ExtensionDecisionForm())


@bp.route("/evidence/<int:evidence_id>")
@login_required
def download_evidence(evidence_id):
    row = db.get_or_404(EvidenceFile, evidence_id)
    try:
        path = evidence.open_for_download(
            current_user, row, upload_folder=current_app.config["UPLOAD_FOLDER"]
        )
    except PermissionDenied:
        abort(403)
    except DomainError:
        abort(404)
    return send_file(path, mimetype=row.mime_type, as_attachment=True,
                     download_name=evidence.download_name(row.original_name, row.mime_type))


def _posted(comment) -> str:
    """The author sees who was told of the mentions."""
    told = comment.notified_units
    return "Đã gửi ý kiến." + (f" Đã báo cho: {'; '.join(told)}." if told else "")


@bp.route("/comments/mentions")
@login_required
def mention_suggestions():
    """The @-autocomplete of the comment box: units matching q with the token to insert."""
    return jsonify(comments.mention_suggestions(request.args.get("q", "")[:100]))


@bp.route("/tasks/<int:task_id>/comments", methods=["POST"])
@login_required
def comment_task(task_id):
    task = load_task(task_id)
    form = CommentForm()
    if form.validate_on_submit():
        run(lambda: comments.add_comment(current_user, task, form.body.data), _posted)
    else:
        flash_form_errors(form)
    return redirect(url_for("workflow.task", task_id=task.id) + "#y-kien")


@bp.route("/assignments/<int:assignment_id>/comments", methods=["POST"])
@login_required
def comment_assignment(assignment_id):
    assignment = load_assignment(assignment_id)
    form = CommentForm()
    if form.validate_on_submit():
        run(
            lambda: comments.add_comment(
                current_user, assignment.task, form.body.data, assignment=assignment
            ),
            _posted,
        )
    else:
        flash_form_errors(form)
    return redirect(url_for("workflow.assignment", assignment_id=assignment.id) + "#y-kien")
