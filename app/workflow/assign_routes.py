"""Bulk "assign to the selected units" from a plan's task list: choose, confirm the count, apply."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.formatting import vn_number
from app.models.assignments import ASSIGNMENT_ROLES
from app.models.plans import Plan
from app.models.units import UnitGroup
from app.permissions import MANAGE_PLANS, permission_required
from app.services.work import bulk_assign
from app.views import flash_form_errors, run
from app.workflow import bp
from app.workflow.forms import PlanAssignForm


def assign_panel(plan: Plan) -> dict:
    """What the plan page needs to offer the bulk assignment: the form and the (few) unit groups."""
    groups = db.session.scalars(select(UnitGroup).order_by(UnitGroup.name)).all()
    return {"form": PlanAssignForm(formdata=None), "groups": groups}


def _choice(form: PlanAssignForm) -> bulk_assign.AssignChoice:
    return bulk_assign.AssignChoice(task_ids=request.form.getlist("task_ids"),
                                    unit_ids=request.form.getlist("unit_ids"),
                                    group_ids=request.form.getlist("group_ids"), role=form.role.data)


def _back(plan: Plan):
    return redirect(url_for("plans.detail", plan_id=plan.id))


@bp.route("/manage/plans/<int:plan_id>/assign", methods=["POST"])
@permission_required(MANAGE_PLANS)
def plan_assign_preview(plan_id):
    """The confirmation page: how many assignments will be created, and what is skipped."""
    plan = db.get_or_404(Plan, plan_id)
    form = PlanAssignForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(plan)
    choice = _choice(form)
    result = []
    if not run(lambda: result.append(bulk_assign.plan_assignments(current_user, plan, choice))):
        return _back(plan)
    proposal = result[0]
    form.expected.data = str(proposal.count)
    return render_template("workflow/assign_confirm.html", plan=plan, proposal=proposal, form=form,
                           choice=choice, role_label=ASSIGNMENT_ROLES[choice.role])


@bp.route("/manage/plans/<int:plan_id>/assign/confirm", methods=["POST"])
@permission_required(MANAGE_PLANS)
def plan_assign_apply(plan_id):
    """All or nothing: every new assignment through the single add-unit service, one transaction."""
    plan = db.get_or_404(Plan, plan_id)
    form = PlanAssignForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(plan)
    expected = int(form.expected.data) if (form.expected.data or "").isdigit() else -1
    run(lambda: bulk_assign.apply_assignments(current_user, plan, _choice(form), expected=expected),
        lambda count: f"Đã tạo {vn_number(count)} lượt giao cho các đơn vị đã chọn.")
    return _back(plan)

