"""Reading assignments: the home page, the filtered "Việc của đơn vị" list, sign-off queues."""
from dataclasses import dataclass
from datetime import date
from math import ceil

from sqlalchemy import Boolean, FunctionElement, and_, case, func, literal, or_, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import (
    CLOSED_STATUSES,
    ROLE_COOPERATING,
    ROLE_LEAD,
    STATUS_DONE,
    STATUS_SUBMITTED,
    STATUSES,
    Assignment,
)
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.units import Unit
from app.models.users import ROLE_UNIT_HEAD
from app.pagination import Page
from app.parsing.text import fold
from app.permissions import SIGN_OFF_ANY, VIEW_ALL, visible_assignments_clause, visible_tasks_clause
from app.services.reporting import dashboard_lists
from app.services.reporting.dashboard_lists import capped_count


def _open_overdue(today: date):
    return and_(Assignment.due_date < today, Assignment.status.not_in(CLOSED_STATUSES))


def _active_task_ids():
    """Ids of the active tasks of active plans, as a subquery: `task_id IN (…)` lets the (task_id, status)
    index answer a count per task instead of joining every matching assignment to its task and plan."""
    return select(Task.id).join(Task.plan).where(Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE)


class in_few_tasks(FunctionElement):  # noqa: N801 (a SQL operator)
    """`column IN (task ids)` for a short list of tasks (a search, a unit's led tasks). PostgreSQL reads
    it as `column = ANY(ARRAY(…))`: the ids are fetched first and each is sought in an index, where
    `IN (SELECT …)` lets the planner walk a whole index in the page's order and test every row against
    the few tasks (a merge or nested-loop semi join over 150.000 rows). SQLite keeps the IN."""

    type = Boolean()
    _is_implicitly_boolean = True  # a comparison: never written `… = 1` where booleans are integers
    inherit_cache = True
    name = "in_few_tasks"

    def __init__(self, column, ids):
        super().__init__(column, ids.scalar_subquery())


@compiles(in_few_tasks)
def _in_few_tasks(element, compiler, **kw):
    column, ids = element.clauses.clauses
    return f"{compiler.process(column, **kw)} IN {compiler.process(ids, **kw)}"


@compiles(in_few_tasks, "postgresql")
def _in_few_tasks_postgresql(element, compiler, **kw):
    column, ids = element.clauses.clauses
    return f"{compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(ids, **kw)})"


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


# up to SORTED_ROWS rows a page sorts the whole scope; beyond, it walks the index whose order the sort
# follows (SORT_INDEXES: named for SQLite's planner, which keeps no statistics, from DENSE_ROWS rows)
SORTED_ROWS = 20_000
DENSE_ROWS = 2000
SORT_INDEXES = {"due": "ix_assignments_due_date", "due_desc": "ix_assignments_due_date",
                "updated": "ix_assignments_updated_at"}


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _task_conditions(filters: AssignmentFilters) -> list:
    """The filters on the task (plan, group, words): where-clauses over Task."""
    conditions = [Task.plan_id == filters.plan_id] if filters.plan_id else []
    if filters.group:
        conditions.append(Task.group_name == filters.group)
    # Task.search_text is folded on write; SQLite's lower() is ASCII-only, so fold the query too
    folded = fold(filters.q or "")
    conditions += [Task.search_text.like(f"%{_like_escape(word)}%", escape="\\") for word in folded.split(" ")
                   if word]
    return conditions


def _assignment_conditions(filters: AssignmentFilters, today: date) -> list:
    """The filters on the assignment itself: where-clauses over Assignment (none for an empty filter)."""
    pairs = [
        (filters.status, lambda: Assignment.status == filters.status),
        (filters.role, lambda: Assignment.role == filters.role),
        (filters.due_from, lambda: Assignment.due_date >= filters.due_from),
        (filters.due_to, lambda: Assignment.due_date <= filters.due_to),
        (filters.overdue, lambda: _open_overdue(today)),
    ]
    return [build() for given, build in pairs if given]


def _filter_conditions(filters: AssignmentFilters, today: date) -> list:
    """The list's filters as where-clauses over Assignment joined to Task."""
    return _assignment_conditions(filters, today) + _task_conditions(filters)


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


def _page_scope(viewer, filters: AssignmentFilters, today: date):
    """The rows of the list as a select over assignments alone: the task filters become one
    `task_id IN (…)`, so SQLite and PostgreSQL can walk an assignments index in the page's order (or, for
    the few tasks a search, plan or group picks, seek each task's rows: in_few_tasks)."""
    task_conditions = _task_conditions(filters)
    tasks = _active_task_ids().where(*task_conditions)
    # a plan, group or words pick a few tasks: seek them; every active task: a semi join
    in_tasks = in_few_tasks(Assignment.task_id, tasks) if task_conditions else Assignment.task_id.in_(tasks)
    unit_id = filters.unit_id if viewer.has_permission(VIEW_ALL) else viewer.unit_id
    stmt = select(Assignment).where(in_tasks, visible_assignments_clause(viewer),
                                    *_assignment_conditions(filters, today))
    if unit_id or not viewer.has_permission(VIEW_ALL):
        return stmt.where(Assignment.unit_id == unit_id)
    return stmt


def _segments(filters: AssignmentFilters) -> list[tuple]:
    """The page's order as consecutive parts, each sorted on bare columns an index can serve: the
    CASEs of _list_order (closed last, overdue first, no deadline last) become the parts' sequence.
    For open rows "overdue first, then by deadline" is just the deadline order."""
    dated, undated = Assignment.due_date.is_not(None), Assignment.due_date.is_(None)
    by_due = (Assignment.due_date, Assignment.id)
    open_ = Assignment.status.not_in(CLOSED_STATUSES)
    if filters.sort == "due_desc":
        return [(dated, (Assignment.due_date.desc(), Assignment.id)), (undated, (Assignment.id,))]
    if filters.sort == "task":
        return [(true(), (Task.plan_id.desc(), Task.position, Assignment.id))]
    if filters.sort == "progress":
        return [(true(), (Assignment.progress, Assignment.due_date.is_(None), *by_due))]
    if filters.sort == "updated":
        return [(true(), (Assignment.updated_at.desc(), Assignment.id))]
    if filters.overdue:  # open and dated only
        return [(true(), by_due)]
    return [(and_(open_, dated), by_due), (and_(open_, undated), (Assignment.id,)),
            (and_(~open_, dated), by_due), (and_(~open_, undated), (Assignment.id,))]


def _rows_in_order(scope, parts: list[tuple], *, skip: int, limit: int, join_task: bool = False,
                   index: str | None = None) -> list:
    """Rows `skip` to `skip + limit` of the parts in sequence, in ONE statement: each part takes its first
    skip + limit ids walking its own index-friendly order, a UNION ALL tags them with the part's number,
    and the outer query sorts those few rows (by part, then the first part's order, which every part
    follows) and loads what the lists show. `index` tells SQLite (it keeps no statistics) which index the
    parts walk."""
    pieces = []
    for number, (condition, order) in enumerate(parts):
        piece = scope.where(condition)
        if join_task:
            piece = piece.join(Assignment.task)
        if index:
            piece = piece.with_hint(Assignment, f"INDEXED BY {index}", "sqlite")
        first = piece.with_only_columns(Assignment.id, literal(number).label("part"))
        first = first.order_by(*order).limit(skip + limit).subquery()
        pieces.append(select(first.c.id, first.c.part))  # a subquery each: SQLite has no ORDER BY per member
    chosen = union_all(*pieces).subquery()
    stmt = select(Assignment).join(chosen, chosen.c.id == Assignment.id)
    if join_task:
        stmt = stmt.join(Assignment.task)
    stmt = (stmt.order_by(chosen.c.part, *parts[0][1]).offset(skip).limit(limit)
            .options(joinedload(Assignment.task).joinedload(Task.plan), joinedload(Assignment.unit)))
    return list(db.session.scalars(stmt).unique())


def _whole_order(filters: AssignmentFilters) -> tuple:
    """The page's order as ONE part (the sequence of _segments in a single sort key): for a scope small
    enough to fetch whole and sort, where walking an index part by part would test rows of other tasks."""
    closed_last = case((Assignment.status.in_(CLOSED_STATUSES), 1), else_=0)
    undated_last = Assignment.due_date.is_(None)
    if filters.sort == "due_desc":
        return (undated_last, Assignment.due_date.desc(), Assignment.id)
    if filters.sort in ("task", "progress", "updated") or filters.overdue:
        return _segments(filters)[0][1]  # one part already
    return (closed_last, undated_last, Assignment.due_date, Assignment.id)


def _page_items(scope, filters: AssignmentFilters, *, rows: int, skip: int, limit: int) -> list:
    """The page's rows. Up to SORTED_ROWS rows the scope is fetched and sorted at once (the database
    reaches a search's or a unit's rows by the task or unit index); beyond, each part of _segments walks
    the sort's index and stops at the page."""
    sort = filters.sort if filters.sort in SORTS else "due"
    if rows <= SORTED_ROWS:
        parts, index = [(true(), _whole_order(filters))], None
    else:
        parts = _segments(filters)
        index = SORT_INDEXES.get(sort) if rows > DENSE_ROWS else None
    return _rows_in_order(scope, parts, skip=skip, limit=limit, join_task=filters.sort == "task", index=index)


def _count(scope, filters: AssignmentFilters) -> tuple[int, int, bool]:
    """(the rows as far as counted, to choose how to fetch the page; the count shown, capped at COUNT_CAP;
    whether it is capped). A few tasks (a search, a plan, a group) are counted up to SORTED_ROWS + 1:
    through the task index that is cheap, and the page is then sorted whole."""
    shown_cap = dashboard_lists.COUNT_CAP
    cap = max(SORTED_ROWS, shown_cap) if _task_conditions(filters) else shown_cap
    rows, over = capped_count(scope.with_only_columns(Assignment.id), cap=cap)
    if over:
        rows = max(rows, SORTED_ROWS) + 1  # more than counted: too many to sort whole
    return (rows, shown_cap, True) if rows > shown_cap else (rows, rows, False)


def assignments_page(viewer, filters: AssignmentFilters, *, today: date, page: int, per_page: int) -> Page:
    """One page of the list, in the order of filtered_assignments, with a capped count: a few statements
    whatever the number of rows."""
    scope = _page_scope(viewer, filters, today)
    rows, total, capped = _count(scope, filters)
    page = min(max(page, 1), max(1, ceil(total / per_page)))
    items = _page_items(scope, filters, rows=rows, skip=(page - 1) * per_page, limit=per_page)
    return Page(items, page, per_page, total, capped)


def assignments_at_page(viewer, filters: AssignmentFilters, *, today: date, page: int, per_page: int) -> Page:
    """assignments_page for a client naming its page (the JSON API): a page past the end is empty
    rather than the last one, and pages past a capped count still hold their rows."""
    scope = _page_scope(viewer, filters, today)
    rows, total, capped = _count(scope, filters)
    skip = (page - 1) * per_page
    if skip >= total and not capped:
        return Page([], page, per_page, total, capped)
    items = _page_items(scope, filters, rows=rows, skip=skip, limit=per_page)
    return Page(items, page, per_page, total, capped)


def filter_choices(viewer) -> dict:
    """Plans and task groups the viewer can filter on (of active plans only)."""
    base = (select(Task.plan_id, Task.group_name).join(Task.plan)
            .where(Plan.status == PLAN_ACTIVE, Task.status == TASK_ACTIVE, visible_tasks_clause(viewer)))
    rows = db.session.execute(base.distinct()).all()
    plan_ids = {r[0] for r in rows}
    plans = list(db.session.scalars(select(Plan).where(Plan.id.in_(plan_ids)).order_by(Plan.id.desc())))
    groups = sorted({r[1] for r in rows if r[1]})
    return {"plans": plans, "groups": groups}


def unit_name(unit_id: int) -> str | None:
    """The chosen unit's name for the list's type-ahead (the filter carries only its id)."""
    return db.session.scalar(select(Unit.name).where(Unit.id == unit_id))


def led_cooperation(viewer, *, today: date, limit: int = 200) -> list[Assignment]:
    """For a unit leading tasks: the cooperating units' assignments on those tasks, submitted ones first,
    then open ones, overdue ones on top of each, closed ones last; by task within each part."""
    if viewer.unit_id is None:
        return []
    led = select(Assignment.task_id).where(Assignment.unit_id == viewer.unit_id, Assignment.role == ROLE_LEAD)
    scope = (select(Assignment)
             .where(in_few_tasks(Assignment.task_id, _active_task_ids().where(Task.id.in_(led))),
                    Assignment.role == ROLE_COOPERATING, visible_assignments_clause(viewer)))
    submitted, overdue = Assignment.status == STATUS_SUBMITTED, Assignment.due_date < today
    on_time = or_(Assignment.due_date.is_(None), Assignment.due_date >= today)
    # the statuses spelled out (not NOT IN): the (task_id, status) index then seeks each one
    waiting = Assignment.status.in_(sorted(set(STATUSES) - CLOSED_STATUSES - {STATUS_SUBMITTED}))
    by_task = (Assignment.task_id, Assignment.id)
    parts = [(and_(submitted, overdue), by_task), (and_(submitted, on_time), by_task),
             (and_(waiting, overdue), by_task), (and_(waiting, on_time), by_task),
             (Assignment.status.in_(CLOSED_STATUSES), by_task)]
    # SQLite without statistics would walk the role index (most rows are cooperating)
    return _rows_in_order(scope, parts, skip=0, limit=limit, index="ix_assignments_task_id_status")


def _awaiting_sign_off(viewer):
    """Submissions this viewer may sign off (None: none at all): lead-unit heads get their cooperating
    units' ones, the office and directors every submission."""
    stmt = select(Assignment).where(Assignment.status == STATUS_SUBMITTED,
                                    Assignment.task_id.in_(_active_task_ids()))
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
    # SQLite has no statistics: every submission in waiting order, or a lead unit's few tasks
    index = "ix_assignments_status_updated_at" if viewer.has_permission(SIGN_OFF_ANY) \
        else "ix_assignments_task_id_status"
    return list(db.session.scalars(stmt.options(joinedload(Assignment.task), joinedload(Assignment.unit))
                                   .with_hint(Assignment, f"INDEXED BY {index}", "sqlite")
                                   .order_by(Assignment.updated_at, Assignment.id).limit(limit)))


def awaiting_sign_off_count(viewer) -> int:
    """The menu's and home page's count: per active task through the (task_id, status) index."""
    stmt = _awaiting_sign_off(viewer)
    if stmt is None:
        return 0
    stmt = stmt.with_hint(Assignment, "INDEXED BY ix_assignments_task_id_status", "sqlite")
    return db.session.scalar(stmt.with_only_columns(func.count(Assignment.id))) or 0
