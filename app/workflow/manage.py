"""Office management: units on a task, roles, deadlines, bulk assignment, tasks of a plan, archives;
and the follow-up actions on the lists: chase (đôn đốc) and bulk actions on the chosen rows."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.extensions import db
from app.models.assignments import ASSIGNMENT_ROLES, STATUSES, Assignment
from app.models.plans import PLAN_ARCHIVED, Plan, Task
from app.models.units import Unit, UnitGroup
from app.page_size import page_size
from app.permissions import MANAGE_PLANS, permission_required
from app.services.work import assignment_admin, bulk, chase, manage_page, workflow
from app.views import flash_form_errors, local_today, run, run_in_form
from app.workflow import bp
from app.workflow.forms import (
    PICK_A_UNIT,
    ActionForm,
    AddUnitForm,
    ArchiveForm,
    AskHeadForm,
    BulkAssignForm,
    BulkChoiceForm,
    BulkConfirmForm,
    CancelTaskForm,
    ChaseForm,
    DeadlineForm,
    RoleForm,
    TaskForm,
    choices,
)
from app.workflow.helpers import load_assignment

# the list's state kept across an action: its filters, page and page size (from the form's action URL)
LIST_ARGS = ("assigned_role", "status", "q", "page", "per_page")
MANAGE_PER_PAGE = 50


def _list_args() -> dict[str, str]:
    return {name: request.args[name] for name in LIST_ARGS if request.args.get(name)}


def _manage_url(task_id: int) -> str:
    """Back to the task's manage page, on the same page of its list with the same filters."""
    return url_for("workflow.manage_task", task_id=task_id, **_list_args())


def _render_manage(task: Task, *, add_form: AddUnitForm | None = None, status: int = 200):
    """The task's management page; after a refused add-unit, with what was typed (unit, role, date)."""
    view = manage_page.manage_page(
        task.id, page=request.args.get("page", 1, type=int),
        per_page=page_size(request.args, MANAGE_PER_PAGE),
        role=request.args.get("assigned_role"), status=request.args.get("status"), q=request.args.get("q"))
    bulk_form = BulkAssignForm(formdata=None)
    groups = db.session.scalars(select(UnitGroup).order_by(UnitGroup.name))
    bulk_form.group_id.choices = choices((g.id, g.name) for g in groups)
    task_form = TaskForm(formdata=None, obj=task)
    return render_template(
        "workflow/manage_task.html",
        task=task,
        view=view,
        pagination=view.rows,
        list_args=_list_args(),
        roles=ASSIGNMENT_ROLES,
        statuses=STATUSES,
        add_form=add_form or AddUnitForm(formdata=None),
        bulk_form=bulk_form,
        task_form=task_form,
        cancel_form=CancelTaskForm(formdata=None),
        action_form=ActionForm(formdata=None),
        role_form_class=RoleForm,
        deadline_form_class=DeadlineForm,
    ), status


@bp.route("/manage/tasks/<int:task_id>")
@permission_required(MANAGE_PLANS)
def manage_task(task_id):
    return _render_manage(db.get_or_404(Task, task_id))


@bp.route("/manage/tasks/<int:task_id>/units", methods=["POST"])
@permission_required(MANAGE_PLANS)
def manage_add_unit(task_id):
    """One unit at a time; a refusal shows the page again with the typed values, not an empty form."""
    task = db.get_or_404(Task, task_id)
    form = AddUnitForm()
    unit = db.session.get(Unit, int(form.unit_id.data)) if (form.unit_id.data or "").isdigit() else None
    if unit is not None and not form.unit_name.data:
        form.unit_name.data = unit.name
    if not form.validate_on_submit() or unit is None:
        if unit is None and not form.unit_id.errors:
            form.unit_id.errors = [PICK_A_UNIT]
        return _render_manage(task, add_form=form, status=400)
    if not run_in_form(lambda: assignment_admin.add_unit(current_user, task, unit, role=form.role.data,
                                                          due_date=form.due_date.data), form):
        return _render_manage(task, add_form=form, status=400)
    flash(f"Đã giao cho {unit.name}.", "success")
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


# --- chase (đôn đốc) and bulk actions on the list ------------------------------------------------


def _chase_input() -> dict:
    return {"today": local_today(), "timezone": current_app.config["TIMEZONE"],
            "base_url": current_app.config.get("BASE_URL", "")}


@bp.route("/assignments/<int:assignment_id>/chase", methods=["POST"])
@login_required
def chase_assignment(assignment_id):
    assignment = load_assignment(assignment_id)
    form = ChaseForm()
    if form.validate_on_submit():
        run(lambda: chase.chase(current_user, assignment, note=form.note.data, **_chase_input()),
            "Đã đôn đốc đơn vị (thông báo và thư điện tử).")
    else:
        flash_form_errors(form)
    return redirect(url_for("workflow.assignment", assignment_id=assignment.id))


def bulk_choice_form(user) -> BulkChoiceForm | None:
    """The list's bulk bar, or None when the user has no bulk action."""
    offered = bulk.available_actions(user)
    if not offered:
        return None
    form = BulkChoiceForm(formdata=None)
    form.action.choices = choices(offered)
    form.back.data = request.query_string.decode("utf-8", "replace")
    return form


def _list_url(back: str | None) -> str:
    """Back to the list with its filters (only a query string: the path is always the list's)."""
    query = (back or "").lstrip("?")
    if any(ch in query for ch in "\r\n#") or query.startswith("/"):
        query = ""
    return url_for("workflow.work") + (f"?{query}" if query else "")


def _bulk_data(form: BulkConfirmForm | None = None) -> bulk.BulkInput:
    data = bulk.BulkInput(**_chase_input())
    if form is not None:
        data.note, data.reason, data.due_date = form.note.data, form.reason.data, form.due_date.data
    return data


@bp.route("/work/bulk", methods=["POST"])
@login_required
def bulk_preview():
    """The confirmation page: how many rows will change, which are skipped and why."""
    form = BulkChoiceForm()
    form.action.choices = choices(bulk.available_actions(current_user))
    back = form.back.data
    ids = [i for i in request.form.getlist("ids") if i.isdigit()]
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_list_url(back))
    if not ids:
        flash("Chưa chọn dòng nào trong danh sách.", "warning")
        return redirect(_list_url(back))
    result = bulk.plan(current_user, form.action.data, bulk.load_rows(ids), _bulk_data())
    confirm = BulkConfirmForm(formdata=None, data={"action": result.action, "back": back})
    return render_template("workflow/bulk_confirm.html", plan=result, form=confirm,
                           back_url=_list_url(back), actions=bulk)


def _versions(values: list[str]) -> dict[int, str]:
    versions: dict[int, str] = {}
    for value in values:
        id_text, _, version = value.partition(":")
        if id_text.isdigit():
            versions[int(id_text)] = version
    return versions


@bp.route("/work/bulk/confirm", methods=["POST"])
@login_required
def bulk_apply():
    """All or nothing: every row through its own service in one transaction."""
    form = BulkConfirmForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_list_url(form.back.data))
    action = form.action.data
    label = bulk.ACTIONS.get(action, "")
    run(lambda: bulk.apply(current_user, action, _versions(request.form.getlist("rows")), _bulk_data(form)),
        lambda count: f"{label}: đã thực hiện cho {count} dòng.")
    return redirect(_list_url(form.back.data))


def follow_up(assignment, journal, versioned) -> dict:
    """Asking the head to submit (staff at 100%) and chasing (whoever signs off), for the page."""
    return {
        "can_ask_head": workflow.may_ask_head(current_user, assignment),
        "ask_form": AskHeadForm(formdata=None, data=versioned),
        "waiting_for_head": workflow.waiting_for_head(journal) if assignment.status in workflow.SUBMITTABLE
        else None,
        "can_chase": chase.can_chase(current_user, assignment) and not workflow.is_closed(assignment),
        "chase_form": ChaseForm(formdata=None),
    }


@bp.route("/assignments/<int:assignment_id>/ask-head", methods=["POST"])
@login_required
def ask_head(assignment_id):
    assignment = load_assignment(assignment_id)
    form = AskHeadForm()
    if form.validate_on_submit():
        run(lambda: workflow.ask_head_to_submit(current_user, assignment, expected_version=form.version.data,
                                                note=form.note.data),
            "Đã đề nghị thủ trưởng đơn vị trình xác nhận hoàn thành.")
    else:
        flash_form_errors(form)
    return redirect(url_for("workflow.assignment", assignment_id=assignment.id))
