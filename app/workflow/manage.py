"""Office management: units on a task, roles, deadlines, bulk assignment, tasks of a plan, archives."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import Assignment
from app.models.plans import PLAN_ARCHIVED, Plan, Task
from app.models.units import Unit, UnitGroup
from app.permissions import MANAGE_PLANS, permission_required
from app.services.directory.units import active_units
from app.services.work import assignment_admin
from app.views import flash_form_errors, run
from app.workflow import bp
from app.workflow.forms import (
    ActionForm,
    AddUnitForm,
    ArchiveForm,
    BulkAssignForm,
    CancelTaskForm,
    DeadlineForm,
    RoleForm,
    TaskForm,
    choices,
)


def _manage_url(task_id: int) -> str:
    return url_for("workflow.manage_task", task_id=task_id)


@bp.route("/manage/tasks/<int:task_id>")
@permission_required(MANAGE_PLANS)
def manage_task(task_id):
    task = db.get_or_404(Task, task_id)
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.task_id == task.id).options(joinedload(Assignment.unit))
        .order_by(Assignment.role.desc(), Assignment.id)).all()
    add_form = AddUnitForm(formdata=None)
    taken = {a.unit_id for a in assignments}
    units = active_units()
    add_form.unit_id.choices = choices((u.id, u.name) for u in units if u.id not in taken)
    bulk_form = BulkAssignForm(formdata=None)
    groups = db.session.scalars(select(UnitGroup).order_by(UnitGroup.name))
    bulk_form.group_id.choices = choices((g.id, g.name) for g in groups)
    task_form = TaskForm(formdata=None, obj=task)
    return render_template(
        "workflow/manage_task.html",
        task=task,
        assignments=assignments,
        add_form=add_form,
        bulk_form=bulk_form,
        task_form=task_form,
        cancel_form=CancelTaskForm(formdata=None),
        action_form=ActionForm(formdata=None),
        role_form_class=RoleForm,
        deadline_form_class=DeadlineForm,
    )


@bp.route("/manage/tasks/<int:task_id>/units", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_add_unit(task_id):
    task = db.get_or_404(Task, task_id)
    form = AddUnitForm()
    if form.validate_on_submit():
        unit = db.get_or_404(Unit, form.unit_id.data)
        run(lambda: assignment_admin.add_unit(current_user, task, unit, role=form.role.data,
                                              due_date=form.due_date.data), f"Đã giao cho {unit.name}.")
    else:
        flash_form_errors(form)
    return redirect(_manage_url(task.id))


@bp.route("/manage/tasks/<int:task_id>/bulk", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_bulk_assign(task_id):
    task = db.get_or_404(Task, task_id)
    form = BulkAssignForm()
    if form.validate_on_submit():
        group = db.get_or_404(UnitGroup, form.group_id.data)
        created = []
        if run(lambda: created.extend(assignment_admin.bulk_assign(current_user, task, group,
                                                                   role=form.role.data))):
            flash(f"Đã giao thêm cho {len(created)} đơn vị của nhóm {group.name}.", "success")
    else:
        flash_form_errors(form)
    return redirect(_manage_url(task.id))


@bp.route("/manage/assignments/<int:assignment_id>/remove", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_remove(assignment_id):
    assignment = db.get_or_404(Assignment, assignment_id)
    task_id, name = assignment.task_id, assignment.unit.name
    if ActionForm().validate_on_submit():
        run(lambda: assignment_admin.remove_assignment(current_user, assignment), f"Đã bỏ giao cho {name}.")
    return redirect(_manage_url(task_id))


@bp.route("/manage/assignments/<int:assignment_id>/role", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_role(assignment_id):
    assignment = db.get_or_404(Assignment, assignment_id)
    form = RoleForm()
    if form.validate_on_submit():
        run(lambda: assignment_admin.change_role(current_user, assignment, form.role.data,
                                                 expected_version=form.version.data), "Đã đổi vai trò.")
    else:
        flash_form_errors(form)
    return redirect(_manage_url(assignment.task_id))


@bp.route("/manage/assignments/<int:assignment_id>/deadline", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_deadline(assignment_id):
    assignment = db.get_or_404(Assignment, assignment_id)
    form = DeadlineForm()
    if form.validate_on_submit():
        run(
            lambda: assignment_admin.change_deadline(
                current_user,
                assignment,
                form.due_date.data,
                expected_version=form.version.data,
                reason=form.reason.data,
            ),
            "Đã đổi thời hạn.",
        )
    else:
        flash_form_errors(form)
    return redirect(_manage_url(assignment.task_id))


def _task_changes(form: TaskForm) -> dict:
    return {name: getattr(form, name).data for name in assignment_admin.TASK_FIELDS}


@bp.route("/manage/tasks/<int:task_id>/edit", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_edit_task(task_id):
    task = db.get_or_404(Task, task_id)
    form = TaskForm()
    if form.validate_on_submit():
        run(lambda: assignment_admin.edit_task(current_user, task, **_task_changes(form)), "Đã lưu nhiệm vụ.")
    else:
        flash_form_errors(form)
    return redirect(_manage_url(task.id))


@bp.route("/manage/tasks/<int:task_id>/cancel", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_cancel_task(task_id):
    task = db.get_or_404(Task, task_id)
    form = CancelTaskForm()
    if form.validate_on_submit():
        run(
            lambda: assignment_admin.cancel_task(current_user, task, reason=form.reason.data),
            "Đã huỷ nhiệm vụ.",
        )
    else:
        flash_form_errors(form)
    return redirect(_manage_url(task.id))


@bp.route("/manage/tasks/<int:task_id>/restore", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_restore_task(task_id):
    task = db.get_or_404(Task, task_id)
    if ActionForm().validate_on_submit():
        run(lambda: assignment_admin.restore_task(current_user, task), "Đã khôi phục nhiệm vụ.")
    return redirect(_manage_url(task.id))


@bp.route("/manage/plans/<int:plan_id>/tasks/new", methods=["GET", "POST"])
@permission_required(MANAGE_PLANS)
def manage_new_task(plan_id):
    plan = db.get_or_404(Plan, plan_id)
    form = TaskForm()
    if form.validate_on_submit():
        created = []
        if run(lambda: created.append(assignment_admin.add_task(current_user, plan, **_task_changes(form))),
               "Đã thêm nhiệm vụ; hãy giao cho các đơn vị."):
            return redirect(_manage_url(created[0].id))
    status = 400 if request.method == "POST" else 200
    return render_template("workflow/task_new.html", plan=plan, form=form), status


@bp.route("/manage/archive", methods=["GET", "POST"])
@permission_required(MANAGE_PLANS)
def manage_archive():
    years = assignment_admin.school_years()
    form = ArchiveForm()
    form.school_year.choices = choices([(y, f"{y} ({n} kế hoạch)") for y, n in years])
    if form.validate_on_submit():
        count = []
        if run(
            lambda: count.append(assignment_admin.archive_school_year(current_user, form.school_year.data))
        ):
            flash(f"Đã lưu trữ {count[0]} kế hoạch của năm học {form.school_year.data}.", "success")
            return redirect(url_for("workflow.manage_archive"))
    archived = db.session.scalars(select(Plan).where(Plan.status == PLAN_ARCHIVED)
                                  .order_by(Plan.archived_at.desc()).limit(100)).all()
    return render_template("workflow/archive.html", form=form, years=years, archived=archived)
