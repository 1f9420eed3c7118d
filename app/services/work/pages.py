"""Read-models of the task and assignment pages: what each shows to this viewer and which actions the
viewer can take right now (a permission and the assignment's state), so the views only render."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from math import ceil

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import (
    ROLE_LEAD,
    STATUS_DONE,
    STATUS_SUBMITTED,
    STATUSES,
    Assignment,
    AssignmentUpdate,
    EvidenceFile,
    ExtensionRequest,
)
from app.models.plans import Task
from app.models.units import Unit
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

TASK_JOURNAL_LIMIT = 50  # the latest; each part's page holds its whole journal
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
    units_page: Page
    status_counts: dict[str, int]  # every unit's part by status (the filter shows them)
    status: str | None  # the status filter, None: every unit
    visible_ids: set[int]  # of the page's rows only
    journal: list
    files: list
    extensions: list
    comments: list
    can_comment: bool
    can_manage: bool
    state: str
    progress: int


def _task_rollup(task: Task) -> tuple[dict[str, int], str, int]:
    """Counts by status, the task's state and the leads' progress from one GROUP BY of its parts (a CSGD
    task has 1.700: never load them to count)."""
    rows = db.session.execute(
        select(Assignment.role, Assignment.status, func.count(Assignment.id),
               func.sum(func.coalesce(Assignment.progress, 0)))
        .where(Assignment.task_id == task.id).group_by(Assignment.role, Assignment.status)).all()
    counts: dict[str, int] = {}
    for _role, status, number, _progress in rows:
        counts[status] = counts.get(status, 0) + number
    leads = [r for r in rows if r[0] == ROLE_LEAD] or rows
    parts = sum(r[2] for r in leads)
    progress = round(sum(r[3] or 0 for r in leads) / parts) if parts else 0
    return counts, workflow.state_of_statuses({r[1] for r in leads}), progress


def _task_journal(visible) -> list:
    """The latest updates of the visible parts as plain rows (unit_name, author_name, kind, progress,
    note, created_at): the journal shows a few columns, ORM objects for 3 tables cost more than the SQL.
    The 50 newest updates belong to at most 50 parts, the 50 with the newest Assignment.last_update_at
    (kept on the row with the journal): only their updates are read, never the 3.000 of a CSGD task."""
    recent = (visible.where(Assignment.last_update_at.is_not(None))
              .order_by(Assignment.last_update_at.desc(), Assignment.id.desc()).limit(TASK_JOURNAL_LIMIT))
    latest = (select(AssignmentUpdate.id, AssignmentUpdate.assignment_id, AssignmentUpdate.author_id,
                     AssignmentUpdate.kind, AssignmentUpdate.progress, AssignmentUpdate.note,
                     AssignmentUpdate.created_at)
              .where(AssignmentUpdate.assignment_id.in_(recent))
              .order_by(AssignmentUpdate.created_at.desc(), AssignmentUpdate.id.desc())
              .limit(TASK_JOURNAL_LIMIT).subquery())
    return list(db.session.execute(
        select(func.coalesce(Unit.short_name, Unit.name).label("unit_name"),
               User.full_name.label("author_name"), latest.c.kind, latest.c.progress, latest.c.note,
               latest.c.created_at)
        .join(Assignment, latest.c.assignment_id == Assignment.id).join(Unit, Assignment.unit_id == Unit.id)
        .outerjoin(User, latest.c.author_id == User.id)
        .order_by(latest.c.created_at.desc(), latest.c.id.desc())))


def task_units_statement(task: Task, status: str | None = None):
    """The task's units' parts as the task page lists them (optionally of one status): lead first.
    Everyone who may read the task sees every part's state, so no visibility filter here. The task is
    joined: the export's on-time rule (rules.assignment_bucket_sql) reads it."""
    rows = select(Assignment).join(Task, Assignment.task_id == Task.id).where(Assignment.task_id == task.id)
    if status in STATUSES:
        rows = rows.where(Assignment.status == status)
    return rows.order_by(Assignment.role.desc(), Assignment.id)


def task_page(viewer, task: Task, *, page: int, status: str | None = None) -> TaskPage:
    """The task with one page of its units' parts (optionally of one status), and the journal, evidence
    and extension requests of the parts this viewer may open: a fixed number of statements."""
    counts, state, progress = _task_rollup(task)
    status = status if status in counts else None
    total = counts[status] if status else sum(counts.values())
    pages = max(1, ceil(total / UNITS_PER_PAGE))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(
        task_units_statement(task, status).options(joinedload(Assignment.unit))
        .offset((page - 1) * UNITS_PER_PAGE).limit(UNITS_PER_PAGE)))
    # the SQL form of the visibility rule, as a subquery: never a list of 1.700 ids
    visible = select(Assignment.id).where(Assignment.task_id == task.id, visible_assignments_clause(viewer))
    visible_ids = set(db.session.scalars(visible.where(Assignment.id.in_([a.id for a in items])))) if items \
        else set()
    journal = _task_journal(visible)
    # evidence follows the assignment's visibility (permissions.can_view_evidence)
    files = list(db.session.scalars(select(EvidenceFile).where(EvidenceFile.assignment_id.in_(visible))
                                    .order_by(EvidenceFile.created_at.desc())))
    extensions = list(db.session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.assignment_id.in_(visible))
        .options(joinedload(ExtensionRequest.assignment).joinedload(Assignment.unit))
        .order_by(ExtensionRequest.created_at.desc())))
    return TaskPage(
        task=task, units_page=Page(items, page, UNITS_PER_PAGE, total), status_counts=counts, status=status,
        visible_ids=visible_ids, journal=journal, files=files, extensions=extensions,
        comments=comments.comments_for(task, visible_assignment_ids=visible),
        can_comment=can_comment(viewer, task), can_manage=can_manage_plan(viewer), state=state,
        progress=progress)
