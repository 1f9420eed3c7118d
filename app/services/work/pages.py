"""Read-models of the task and assignment pages: what each shows to this viewer and which actions the
viewer can take right now (a permission and the assignment's state), so the views only render."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import (
    STATUS_DONE,
    STATUS_SUBMITTED,
    Assignment,
    AssignmentUpdate,
    EvidenceFile,
    ExtensionRequest,
)
from app.models.plans import Task
from app.models.users import User
from app.pagination import Page
from app.permissions import (
    can_choose_focal,
    can_comment,
    can_decide_extension,
    can_manage_plan,
    can_request_extension,
    can_sign_off,
    can_submit,
    can_update_assignment,
    can_view_evidence,
    visible_assignments_clause,
)
from app.services.work import checkin_reports, comments, rules, workflow
from app.services.work import deadline_extensions as extension_service

TASK_JOURNAL_LIMIT = 200
UNITS_PER_PAGE = 50


@dataclass
class AssignmentActions:
    """What the viewer may do on the assignment now; each is refused again by its service."""

    update: bool = False
    submit: bool = False
    sign_off: bool = False
    request_extension: bool = False
    decide_extension: bool = False
    choose_focal: bool = False
    manage: bool = False


def assignment_actions(viewer, assignment: Assignment) -> AssignmentActions:
    open_for_extension = (not workflow.is_closed(assignment) and assignment.due_date is not None
                          and can_request_extension(viewer, assignment))
    return AssignmentActions(
        update=can_update_assignment(viewer, assignment)
        and assignment.status not in (STATUS_SUBMITTED, STATUS_DONE),
        submit=can_submit(viewer, assignment) and assignment.status in workflow.SUBMITTABLE,
        sign_off=can_sign_off(viewer, assignment) and assignment.status == STATUS_SUBMITTED,
        request_extension=open_for_extension and extension_service.pending_for(assignment.id) is None,
        decide_extension=can_decide_extension(viewer),
        choose_focal=can_choose_focal(viewer, assignment),
        manage=can_manage_plan(viewer),
    )


@dataclass
class AssignmentPage:
    assignment: Assignment
    actions: AssignmentActions
    journal: list = field(default_factory=list)
    files: list = field(default_factory=list)
    extensions: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    checkins: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    focal_choices: list[tuple[int, str]] = field(default_factory=list)
    bucket: str | None = None


def assignment_page(viewer, assignment: Assignment, *, today: date, timezone: str) -> AssignmentPage:
    """Everything the assignment page shows, in a fixed number of queries."""
    actions = assignment_actions(viewer, assignment)
    page = AssignmentPage(assignment, actions)
    page.journal = list(db.session.scalars(
        select(AssignmentUpdate).where(AssignmentUpdate.assignment_id == assignment.id)
        .options(joinedload(AssignmentUpdate.author))
        .order_by(AssignmentUpdate.created_at.desc(), AssignmentUpdate.id.desc())))
    if can_view_evidence(viewer, assignment):
        page.files = list(
            db.session.scalars(
                select(EvidenceFile)
                .where(EvidenceFile.assignment_id == assignment.id)
                .order_by(EvidenceFile.created_at.desc())
            )
        )
    page.extensions = list(db.session.scalars(select(ExtensionRequest).where(
        ExtensionRequest.assignment_id == assignment.id).order_by(ExtensionRequest.created_at.desc())))
    page.comments = comments.comments_for(assignment.task, assignment=assignment)
    page.checkins = checkin_reports.checkins_for(assignment)
    page.targets = workflow.target_rows(assignment.task, assignment.target_actuals)
    if actions.choose_focal:
        people = db.session.scalars(select(User).where(User.unit_id == assignment.unit_id,
                                                       User.is_active_account.is_(True)).order_by(User.full_name))
        page.focal_choices = [(u.id, u.full_name) for u in people]
    page.bucket = rules.assignment_bucket(assignment, today=today, timezone=timezone)
    return page


@dataclass
class TaskPage:
    task: Task
    assignments: list
    units_page: Page
    visible_ids: set[int]
    journal: list
    files: list
    extensions: list
    comments: list
    can_comment: bool
    can_manage: bool
    state: str
    progress: int


def task_page(viewer, task: Task, *, page: int) -> TaskPage:
    """The task with every unit's part (paged; a CSGD task has 1.700), and the journal, evidence and
    extension requests of the parts this viewer may open."""
    assignments = list(db.session.scalars(
        select(Assignment).where(Assignment.task_id == task.id)
        .options(joinedload(Assignment.unit), joinedload(Assignment.focal_user))
        .order_by(Assignment.role.desc(), Assignment.id)))
    # the SQL form of the visibility rule: one query instead of a check per unit (1.700 for CSGD)
    visible_ids = list(db.session.scalars(select(Assignment.id).where(
        Assignment.task_id == task.id, visible_assignments_clause(viewer))))
    journal = list(db.session.scalars(
        select(AssignmentUpdate).where(AssignmentUpdate.assignment_id.in_(visible_ids))
        .options(joinedload(AssignmentUpdate.author), joinedload(AssignmentUpdate.assignment))
        .order_by(AssignmentUpdate.created_at.desc(), AssignmentUpdate.id.desc()).limit(TASK_JOURNAL_LIMIT)))
    # evidence follows the assignment's visibility (permissions.can_view_evidence)
    files = list(db.session.scalars(select(EvidenceFile).where(EvidenceFile.assignment_id.in_(visible_ids))
                                    .order_by(EvidenceFile.created_at.desc())))
    extensions = list(db.session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.assignment_id.in_(visible_ids))
        .options(joinedload(ExtensionRequest.assignment)).order_by(ExtensionRequest.created_at.desc())))
    return TaskPage(
        task=task, assignments=assignments, units_page=Page.of_list(assignments, page, UNITS_PER_PAGE),
        visible_ids=set(visible_ids), journal=journal, files=files, extensions=extensions,
        comments=comments.comments_for(task, visible_assignment_ids=visible_ids),
        can_comment=can_comment(viewer, task), can_manage=can_manage_plan(viewer),
        state=workflow.task_state(task), progress=workflow.task_progress(task))
