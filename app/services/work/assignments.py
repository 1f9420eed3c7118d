"""Reading assignments: the home page, the filtered "Việc của đơn vị" list, sign-off queues."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import (
    CLOSED_STATUSES,
    ROLE_COOPERATING,
    ROLE_LEAD,
    STATUS_DONE,
    STATUS_SUBMITTED,
    Assignment,
)
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.users import ROLE_UNIT_HEAD
from app.parsing.text import fold
from app.permissions import SIGN_OFF_ANY, VIEW_ALL, visible_assignments_clause, visible_tasks_clause


def _open_overdue(today: date):
    return and_(Assignment.due_date < today, Assignment.status.not_in(CLOSED_STATUSES))


def _unit_assignments(unit_id: int | None):
    return (
        select(Assignment)
        .join(Assignment.task)
        .join(Task.plan)
        .where(Assignment.unit_id == unit_id, Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE)
    )


def unit_assignments_page(unit_id: int | None, *, page: int, per_page: int, today: date):
    """Open items first, overdue ones on top, then by deadline (no deadline last)."""
    closed_last = case((Assignment.status.in_(CLOSED_STATUSES), 1), else_=0)
    overdue_first = case((_open_overdue(today), 0), else_=1)
    stmt = (
        _unit_assignments(unit_id)
        .options(joinedload(Assignment.task).joinedload(Task.plan))
        .order_by(closed_last, overdue_first, Assignment.due_date.is_(None), Assignment.due_date,
                  Assignment.id)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def unit_assignment_counts(unit_id: int | None, *, today: date) -> dict:
    """Totals for the home page cards, in one query."""
    stmt = _unit_assignments(unit_id).with_only_columns(
        func.count(Assignment.id),
        func.sum(case((Assignment.status.not_in(CLOSED_STATUSES), 1), else_=0)),
        func.sum(case((_open_overdue(today), 1), else_=0)),
        func.sum(case((Assignment.status == STATUS_DONE, 1), else_=0)),
    )
    total, open_, overdue, done = db.session.execute(stmt).one()
    return {"total": total or 0, "open": open_ or 0, "overdue": overdue or 0, "done": done or 0}


# --- "Việc của đơn vị": the filtered, searchable, sortable list ----------------------------


@dataclass
class AssignmentFilters:
    """What the list screen (and its Excel export) filter on; every field optional."""

    unit_id: int | None = None  # the office and directors may pick any unit (None: every unit)
    plan_id: int | None = None
    group: str | None = None
    status: str | None = None
    role: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False
    q: str | None = None
    sort: str = "due"


SORTS = {
    "due": "Thời hạn (quá hạn lên đầu)",
    "due_desc": "Thời hạn xa nhất trước",
    "task": "Thứ tự trong kế hoạch",
    "progress": "Tiến độ tăng dần",
    "updated": "Cập nhật gần nhất",
}


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter_conditions(filters: AssignmentFilters, today: date) -> list:
    """The list's filters as where-clauses (none for an empty filter)."""
    pairs = [
        (filters.plan_id, lambda: Task.plan_id == filters.plan_id),
        (filters.group, lambda: Task.group_name == filters.group),
        (filters.status, lambda: Assignment.status == filters.status),
        (filters.role, lambda: Assignment.role == filters.role),
        (filters.due_from, lambda: Assignment.due_date >= filters.due_from),
        (filters.due_to, lambda: Assignment.due_date <= filters.due_to),
        (filters.overdue, lambda: _open_overdue(today)),
    ]
    conditions = [build() for given, build in pairs if given]
    # Task.search_text is folded on write; SQLite's lower() is ASCII-only, so fold the query too
    folded = fold(filters.q or "")
    conditions += [Task.search_text.like(f"%{_like_escape(word)}%", escape="\\") for word in folded.split(" ")
                   if word]
    return conditions


def _list_order(filters: AssignmentFilters, today: date) -> tuple:
    closed_last = case((Assignment.status.in_(CLOSED_STATUSES), 1), else_=0)
    overdue_first = case((_open_overdue(today), 0), else_=1)
    orders = {
        "due": (closed_last, overdue_first, Assignment.due_date.is_(None), Assignment.due_date),
        "due_desc": (Assignment.due_date.is_(None), Assignment.due_date.desc()),
        "task": (Plan.id.desc(), Task.position),
        "progress": (Assignment.progress, Assignment.due_date.is_(None), Assignment.due_date),
        "updated": (Assignment.updated_at.desc(),),
    }
    if filters.overdue:  # every row is open and overdue: the two CASEs are constant, and sorting on
        orders["due"] = (Assignment.due_date,)  # the bare column lets the (due_date, status) index serve
    return orders.get(filters.sort, orders["due"])


def filtered_assignments(viewer, filters: AssignmentFilters, *, today: date):
    """The select() behind the list: what the viewer may see (permissions), and for a unit user the
    own unit's work only, whatever the filters say."""
    stmt = (
        select(Assignment)
        .join(Assignment.task)
        .join(Task.plan)
        .where(Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE, visible_assignments_clause(viewer))
    )
    if viewer.has_permission(VIEW_ALL):
        if filters.unit_id:
            stmt = stmt.where(Assignment.unit_id == filters.unit_id)
    else:
        stmt = stmt.where(Assignment.unit_id == viewer.unit_id)
    stmt = stmt.where(*_filter_conditions(filters, today))
    if (filters.overdue and filters.sort in ("due", None, "") and not filters.unit_id
            and viewer.has_permission(VIEW_ALL)):
        # SQLite would start from tasks and sort every overdue row (see dashboard_lists)
        stmt = stmt.with_hint(Assignment, "INDEXED BY ix_assignments_due_date_status", "sqlite")
    stmt = stmt.order_by(*_list_order(filters, today), Assignment.id)
    return stmt.options(joinedload(Assignment.task).joinedload(Task.plan), joinedload(Assignment.unit))


def assignments_page(viewer, filters: AssignmentFilters, *, today: date, page: int, per_page: int):
    return db.paginate(filtered_assignments(viewer, filters, today=today), page=page, per_page=per_page,
                       error_out=False)


def filter_choices(viewer) -> dict:
    """Plans and task groups the viewer can filter on (of active plans only)."""
    base = (select(Task.plan_id, Task.group_name).join(Task.plan)
            .where(Plan.status == PLAN_ACTIVE, Task.status == TASK_ACTIVE, visible_tasks_clause(viewer)))
    rows = db.session.execute(base.distinct()).all()
    plan_ids = {r[0] for r in rows}
    plans = list(db.session.scalars(select(Plan).where(Plan.id.in_(plan_ids)).order_by(Plan.id.desc())))
    groups = sorted({r[1] for r in rows if r[1]})
    return {"plans": plans, "groups": groups}


def led_cooperation(viewer, *, today: date, limit: int = 200) -> list[Assignment]:
    """For a unit leading tasks: the cooperating units' assignments on those tasks, open ones first."""
    if viewer.unit_id is None:
        return []
    led = select(Assignment.task_id).where(Assignment.unit_id == viewer.unit_id, Assignment.role == ROLE_LEAD)
    stmt = (select(Assignment).join(Assignment.task).join(Task.plan)
            .where(Assignment.task_id.in_(led), Assignment.role == ROLE_COOPERATING,
                   Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE, visible_assignments_clause(viewer))
            .options(joinedload(Assignment.task), joinedload(Assignment.unit))
            .order_by(case((Assignment.status == STATUS_SUBMITTED, 0), else_=1),
                      case((Assignment.status.in_(CLOSED_STATUSES), 1), else_=0),
                      case((_open_overdue(today), 0), else_=1), Task.id, Assignment.id)
            .limit(limit))
    return list(db.session.scalars(stmt))


def _awaiting_sign_off(viewer):
    """Submissions this viewer may sign off (None: none at all): lead-unit heads get their cooperating
    units' ones, the office and directors every submission."""
    stmt = (select(Assignment).join(Assignment.task).join(Task.plan)
            .where(Assignment.status == STATUS_SUBMITTED, Task.status == TASK_ACTIVE,
                   Plan.status == PLAN_ACTIVE))
    if viewer.has_permission(SIGN_OFF_ANY):
        return stmt
    if viewer.role != ROLE_UNIT_HEAD or viewer.unit_id is None:
        return None
    led = select(Assignment.task_id).where(Assignment.unit_id == viewer.unit_id, Assignment.role == ROLE_LEAD)
    return stmt.where(Assignment.task_id.in_(led), Assignment.role == ROLE_COOPERATING,
                      Assignment.unit_id != viewer.unit_id)


def awaiting_sign_off(viewer, *, limit: int = 200) -> list[Assignment]:
    """The submissions waiting longest first."""
    stmt = _awaiting_sign_off(viewer)
    if stmt is None:
        return []
    return list(db.session.scalars(stmt.options(joinedload(Assignment.task), joinedload(Assignment.unit))
                                   .order_by(Assignment.updated_at, Assignment.id).limit(limit)))


def awaiting_sign_off_count(viewer) -> int:
    stmt = _awaiting_sign_off(viewer)
    return 0 if stmt is None else db.session.scalar(stmt.with_only_columns(func.count(Assignment.id))) or 0
