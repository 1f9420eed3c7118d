"""The lists behind the dashboard's numbers: a bucket's assignments and check-ins, the overdue list,
and the series the charts draw. Each list is one paginated query plus one query per page."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager, load_only

from app.extensions import db
from app.formatting import vn_day_month, vn_month
from app.models.assignments import (
    ASSIGNMENT_ROLES,
    CLOSED_STATUSES,
    EXTENSION_PENDING,
    ROLE_LEAD,
    STATUS_DONE,
    STATUSES,
    Assignment,
    ExtensionRequest,
)
from app.models.checkins import CheckIn
from app.models.plans import Plan, Task
from app.models.units import UNIT_KINDS, Unit
from app.pagination import Page
from app.services.reporting.dashboard import (
    TARGETS_MET,
    TARGETS_NOT_MET,
    Scope,
    apply_scope,
    joined,
    statistics,
    target_assignment_ids,
)
from app.services.work.rules import (
    BASIS_IN_FORCE,
    assignment_bucket_sql,
    checkin_bucket_sql,
    local_day_sql,
    ongoing_sql,
)


def _with_task_plan_unit(stmt):
    return stmt.options(contains_eager(Assignment.task).contains_eager(Task.plan),
                        contains_eager(Assignment.unit))


def _order(stmt):
    return stmt.order_by(Plan.id, Task.position, Unit.kind, Unit.name, Assignment.id)


def _bucket_statement(scope: Scope, bucket: str, *, today: date, timezone: str, basis: str):
    """The filters of a bucket's list (no columns chosen, no order): the screen and the export share them."""
    stmt = apply_scope(joined(Assignment, Task, Plan, Unit), scope)
    if scope.due_on is not None:
        stmt = stmt.where(Assignment.due_date == scope.due_on)
    if bucket and bucket not in (TARGETS_MET, TARGETS_NOT_MET):
        stmt = stmt.where(assignment_bucket_sql(today, timezone, basis) == bucket)
    return stmt


def bucket_assignments(scope: Scope, bucket: str, *, today: date, timezone: str,
                       basis: str = BASIS_IN_FORCE, page: int = 1, per_page: int = 25):
    """The assignments behind one number of the dashboard."""
    stmt = _bucket_statement(scope, bucket, today=today, timezone=timezone, basis=basis)
    if bucket in (TARGETS_MET, TARGETS_NOT_MET):
        ids = target_assignment_ids(scope, "met" if bucket == TARGETS_MET else "not_met")
        page_ids = ids[(page - 1) * per_page: page * per_page]
        items = db.session.scalars(_order(_with_task_plan_unit(stmt.where(Assignment.id.in_(page_ids)))))
        return Page(list(items.unique()), page, per_page, len(ids))
    return db.paginate(_order(_with_task_plan_unit(stmt)), page=page, per_page=per_page, error_out=False)


def bucket_checkins(scope: Scope, bucket: str, *, today: date, timezone: str, page: int = 1,
                    per_page: int = 25):
    """The check-ins of ongoing tasks behind one number of the 2 × 2."""
    stmt = apply_scope(joined(CheckIn).join(CheckIn, CheckIn.assignment_id == Assignment.id)
                       .where(ongoing_sql()), scope)
    if scope.due_on is not None:
        stmt = stmt.where(CheckIn.due_date == scope.due_on)
    if bucket:
        stmt = stmt.where(checkin_bucket_sql(today, timezone) == bucket)
    stmt = stmt.options(contains_eager(CheckIn.assignment).contains_eager(Assignment.task)
                        .contains_eager(Task.plan),
                        contains_eager(CheckIn.assignment).contains_eager(Assignment.unit))
    stmt = stmt.order_by(CheckIn.due_date, Unit.name, CheckIn.id)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


# A pager never counts past this: "hơn 10.000" is all a person needs, and the count stays cheap.
COUNT_CAP = 10_000


def capped_count(stmt, cap: int | None = None) -> tuple[int, bool]:
    """Rows of a statement, counting at most cap + 1 of them: (count, True) when there are more than cap."""
    cap = COUNT_CAP if cap is None else cap
    total = db.session.scalar(select(func.count()).select_from(stmt.limit(cap + 1).subquery())) or 0
    return (cap, True) if total > cap else (total, False)


def _open_overdue(today: date):
    # due_date < today first: the (due_date, status) index serves it
    return and_(Assignment.due_date < today, Assignment.status.not_in(CLOSED_STATUSES))


def _pending_extensions(assignment_ids) -> dict[int, date]:
    """The pending extension request (latest date asked) of each listed assignment: one query per page."""
    ids, pending = sorted(set(assignment_ids)), dict[int, date]()
    for start in range(0, len(ids), 5000):  # exports list up to 20.000 rows: keep IN lists bounded
        pending.update(db.session.execute(
            select(ExtensionRequest.assignment_id, func.max(ExtensionRequest.requested_due_date))
            .where(ExtensionRequest.assignment_id.in_(ids[start:start + 5000]),
                   ExtensionRequest.status == EXTENSION_PENDING)
            .group_by(ExtensionRequest.assignment_id)).all())
    return pending


@dataclass
class OverdueItem:
    assignment: Assignment
    days_overdue: int
    last_update: object
    requested_due_date: date | None
    lead_units: list[str]


def _overdue_statement(scope: Scope, today: date, sort: str, descending: bool):
    """The page's rows only: the latest update is a column of the row (Assignment.last_update_at)."""
    stmt = apply_scope(joined(Assignment, Task, Plan, Unit).where(_open_overdue(today)), scope)
    if sort in ("days", "", None) and scope.unit_id is None:
        # SQLite's planner starts from plans and tasks, then sorts all 30.000 overdue rows; read in
        # due-date order from the index, it stops after a page (78 ms -> 1 ms). PostgreSQL ignores it.
        stmt = stmt.with_hint(Assignment, "INDEXED BY ix_assignments_due_date_status", "sqlite")
    column = {"days": Assignment.due_date, "unit": Unit.name, "plan": Plan.number, "task": Task.position,
              "update": Assignment.last_update_at}.get(sort, Assignment.due_date)
    # "days" ascending by due date = most overdue first; flip so the arrow means "more days".
    if sort in ("days", "", None):
        descending = not descending
    key = column.desc() if descending else column.asc()
    return _with_task_plan_unit(stmt).order_by(key, Unit.name, Task.position, Assignment.id)


def _lead_units(task_ids) -> dict[int, list[str]]:
    leads: dict[int, list[str]] = {}
    if not task_ids:
        return leads
    rows = db.session.execute(
        select(Assignment.task_id, func.coalesce(Unit.short_name, Unit.name))
        .join(Unit, Assignment.unit_id == Unit.id)
        .where(Assignment.task_id.in_(set(task_ids)), Assignment.role == ROLE_LEAD)
        .order_by(Assignment.task_id, Unit.name)
    )
    for task_id, name in rows:
        leads.setdefault(task_id, []).append(name)
    return leads


def _overdue_items(rows, today: date) -> list[OverdueItem]:
    assignments = [row[0] for row in rows]
    leads = _lead_units([a.task_id for a in assignments])
    pending = _pending_extensions([a.id for a in assignments])
    return [
        OverdueItem(
            a, (today - a.due_date).days, a.last_update_at, pending.get(a.id), leads.get(a.task_id, [])
        )
        for a in assignments
    ]


def overdue_page(scope: Scope, *, today: date, sort: str = "days", descending: bool = True,
                 page: int = 1, per_page: int = 25) -> Page:
    """Every open assignment past its deadline in force, with lead units, last update, extension.

    Four statements whatever the size of the Sở: a capped count, the page, its lead units, its
    pending extensions."""
    stmt = _overdue_statement(scope, today, sort, descending)
    counted = (select(Assignment.id).select_from(Assignment).join(Task, Assignment.task_id == Task.id)
               .join(Plan, Task.plan_id == Plan.id))
    if scope.unit_kind:  # the only filter that needs the unit
        counted = counted.join(Unit, Assignment.unit_id == Unit.id)
    counted = apply_scope(counted.where(_open_overdue(today)), scope)
    if scope.unit_id is None:
        counted = counted.with_hint(Assignment, "INDEXED BY ix_assignments_due_date_status", "sqlite")
    total, capped = capped_count(counted)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(_overdue_items(rows, today), page, per_page, total, capped=capped)


def iter_overdue(scope: Scope, *, today: date, sort: str = "days", descending: bool = True,
                 batch: int = 1000) -> Iterator[OverdueItem]:
    """Every overdue item, read in batches (server-side on PostgreSQL): two more statements per
    batch (its lead units and pending extensions), never the whole list in memory."""
    stmt = _overdue_statement(scope, today, sort, descending).execution_options(yield_per=batch)
    for rows in db.session.execute(stmt).partitions():
        yield from _overdue_items(rows, today)


def overdue_all(scope: Scope, *, today: date, sort: str = "days", descending: bool = True,
                limit: int = 20000) -> list[OverdueItem]:
    """The overdue list for the Word documents, capped so a runaway document cannot exhaust memory
    (the Excel and CSV exports stream every row: iter_overdue_rows)."""
    return list(islice(iter_overdue(scope, today=today, sort=sort, descending=descending), limit))


OVERDUE_HEADERS = ["Kế hoạch", "STT", "Nhiệm vụ", "Nhóm nhiệm vụ", "Đơn vị thực hiện", "Loại đơn vị",
                   "Vai trò", "Đơn vị chủ trì", "Thời hạn", "Hạn ban đầu", "Số ngày quá hạn", "Trạng thái",
                   "Tiến độ (%)", "Cập nhật gần nhất", "Đề nghị gia hạn đến"]
OVERDUE_WIDTHS = [18, 6, 60, 24, 32, 14, 10, 28, 12, 12, 10, 16, 10, 16, 14]


def iter_overdue_rows(scope: Scope, *, today: date, sort: str = "days", descending: bool = True,
                      batch: int = 1000) -> Iterator[list]:
    """The export rows (OVERDUE_HEADERS) of every overdue item, in the list's order: the list's
    statement re-aimed at columns (no ORM object per row), read in batches; per batch its pending
    extensions, and the lead units and task texts of tasks not met before (a few statements per
    1.000 rows, memory flat)."""
    stmt = _overdue_statement(scope, today, sort, descending).with_only_columns(
        Assignment.id, Assignment.task_id, Unit.name, Unit.kind, Assignment.role, Assignment.due_date,
        Assignment.original_due_date, Assignment.status, Assignment.progress, Assignment.last_update_at,
        maintain_column_froms=False)
    tasks: dict[int, list] = {}
    leads: dict[int, str] = {}
    for rows in db.session.execute(stmt.execution_options(yield_per=batch)).partitions():
        if new_tasks := {row[1] for row in rows} - tasks.keys():
            tasks.update((task_id, rest) for task_id, *rest in db.session.execute(
                select(Task.id, func.coalesce(Plan.number, Plan.title), Task.ref, Task.content,
                       Task.group_name).join(Plan, Task.plan_id == Plan.id).where(Task.id.in_(new_tasks))))
            leads.update((task_id, ", ".join(names)) for task_id, names in _lead_units(new_tasks).items())
        pending = _pending_extensions([row[0] for row in rows])
        for assignment_id, task_id, unit, kind, role, due, original, status, progress, last_update in rows:
            plan, ref, content, group = tasks[task_id]
            yield [plan, ref, content, group, unit, UNIT_KINDS.get(kind, kind),
                   ASSIGNMENT_ROLES.get(role, role), leads.get(task_id, ""), due, original,
                   (today - due).days, STATUSES.get(status, status), progress, last_update,
                   pending.get(assignment_id)]


def completions_over_time(scope: Scope, *, today: date, timezone: str, period: str = "month",
                          months: int = 12) -> list[tuple[str, str, int]]:
    """Completions per week or month from completed_at: (key, label, count), oldest first."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    start = date(index // 12, index % 12 + 1, 1)
    day = local_day_sql(Assignment.completed_at, timezone).label("day")
    # a day's margin for the time zone: the local days before start are dropped below
    since = datetime.combine(start - timedelta(days=1), time())
    stmt = apply_scope(joined(day, func.count(Assignment.id))
                       .where(Assignment.completed_at >= since, Assignment.status == STATUS_DONE), scope)
    counts: dict[str, int] = {}
    for value, count in db.session.execute(stmt.group_by(day)):
        value = date.fromisoformat(value) if isinstance(value, str) else value
        if value is None or value < start:
            continue
        counts[_period_key(value, period)] = counts.get(_period_key(value, period), 0) + count
    series, cursor = [], start if period == "month" else start - timedelta(days=start.weekday())
    while cursor <= today:
        key = _period_key(cursor, period)
        label = vn_month(cursor) if period == "month" else f"Tuần {vn_day_month(cursor)}"
        series.append((key, label, counts.get(key, 0)))
        cursor = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1) if period == "month" \
            else cursor + timedelta(days=7)
    return series


def _period_key(value: date, period: str) -> str:
    if period == "month":
        return f"{value.year}-{value.month:02d}"
    monday = value - timedelta(days=value.weekday())
    return monday.isoformat()


def period_bounds(key: str) -> tuple[date, date]:
    """First and last day of a chart period key ("2025-11" or a Monday "2025-11-03")."""
    if len(key) == 7:
        first = date.fromisoformat(key + "-01")
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    monday = date.fromisoformat(key)
    return monday, monday + timedelta(days=6)


def _completed_statement(scope: Scope, first: date, last: date, *, timezone: str):
    day = local_day_sql(Assignment.completed_at, timezone)
    return apply_scope(joined(Assignment, Task, Plan, Unit), scope).where(
        Assignment.status == STATUS_DONE, and_(day >= first, day <= last))


def completed_between(scope: Scope, first: date, last: date, *, timezone: str, page: int = 1,
                      per_page: int = 25):
    """Assignments completed in a period (the bars of the "over time" chart)."""
    stmt = _completed_statement(scope, first, last, timezone=timezone)
    return db.paginate(_order(_with_task_plan_unit(stmt)), page=page, per_page=per_page, error_out=False)


DRILLDOWN_HEADERS = ["Kế hoạch", "STT", "Nhiệm vụ", "Nhóm nhiệm vụ", "Đơn vị", "Vai trò", "Thời hạn",
                     "Hạn ban đầu", "Trạng thái", "Tiến độ (%)", "Hoàn thành"]
DRILLDOWN_WIDTHS = [18, 6, 60, 24, 32, 10, 12, 12, 16, 10, 16]


def iter_drilldown_rows(scope: Scope, bucket: str = "", *, today: date, timezone: str,
                        basis: str = BASIS_IN_FORCE, period: tuple[date, date] | None = None,
                        batch: int = 1000) -> Iterator[list]:
    """The export rows (DRILLDOWN_HEADERS) of a drill-down list, every row in the screen's order: its
    statement re-aimed at columns, read in batches, and per batch the texts of the tasks not met before
    (one ordered query plus at most one statement per 1.000 rows, memory flat). A period is the
    "over time" chart's list, else a bucket's (the targets buckets keep the ids of their verdict)."""
    if period:
        stmt = _completed_statement(scope, *period, timezone=timezone)
    else:
        stmt = _bucket_statement(scope, bucket, today=today, timezone=timezone, basis=basis)
    wanted = None
    if not period and bucket in (TARGETS_MET, TARGETS_NOT_MET):
        wanted = set(target_assignment_ids(scope, "met" if bucket == TARGETS_MET else "not_met"))
    stmt = _order(stmt.with_only_columns(
        Assignment.id, Assignment.task_id, Unit.name, Assignment.role, Assignment.due_date,
        Assignment.original_due_date, Assignment.status, Assignment.progress, Assignment.completed_at,
        maintain_column_froms=False))
    tasks: dict[int, tuple] = {}
    for rows in db.session.execute(stmt.execution_options(yield_per=batch)).partitions():
        if new_tasks := {row[1] for row in rows} - tasks.keys():
            tasks.update((task_id, (number or title, ref, content, group)) for task_id, number, title, ref,
                         content, group in db.session.execute(
                             select(Task.id, Plan.number, Plan.title, Task.ref, Task.content, Task.group_name)
                             .join(Plan, Task.plan_id == Plan.id).where(Task.id.in_(new_tasks))))
        for assignment_id, task_id, unit, role, due, original, status, progress, completed in rows:
            if wanted is None or assignment_id in wanted:
                yield [*tasks[task_id], unit, ASSIGNMENT_ROLES.get(role, role), due, original,
                       STATUSES.get(status, status), progress, completed]


def overdue_ranking(scope: Scope, *, today: date, timezone: str, limit: int = 15):
    """Units with the most overdue items (assignments and check-ins), most first."""
    rows = statistics(scope, today=today, timezone=timezone, dimension="unit")
    ranked = sorted(
        (r for r in rows if r.counts.open_overdue), key=lambda r: (-r.counts.open_overdue, r.label)
    )
    return ranked[:limit]


def matrix_page(plan_id: int, *, unit_kind: str | None = None, page: int = 1, per_page: int = 50):
    """Tasks × units of a plan, one page of units at a time: (tasks, units page, {(task, unit): a})."""
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan_id, Task.status == "active")
                               .order_by(Task.position)).all()
    # a unit of the plan: one (task_id, unit_id) unique-index look-up per task, never the plan's 30.000 rows
    plan_tasks = select(Task.id).where(Task.plan_id == plan_id)
    assigned = (select(Assignment.id).join(Task, Assignment.task_id == Task.id)
                .where(Assignment.unit_id == Unit.id, Task.plan_id == plan_id).exists())
    units = select(Unit).where(assigned).order_by(Unit.kind, Unit.name)
    if unit_kind:
        units = units.where(Unit.kind == unit_kind)
    pagination = db.paginate(units, page=page, per_page=per_page, error_out=False)
    cells = {}
    unit_ids = [unit.id for unit in pagination.items]
    if unit_ids:
        # 1.500 cells a page: load only what a cell shows
        rows = db.session.scalars(
            select(Assignment).where(Assignment.task_id.in_(plan_tasks), Assignment.unit_id.in_(unit_ids))
            .options(load_only(Assignment.id, Assignment.task_id, Assignment.unit_id, Assignment.role,
                               Assignment.status, Assignment.due_date)))
        cells = {(a.task_id, a.unit_id): a for a in rows}
    return tasks, pagination, cells
