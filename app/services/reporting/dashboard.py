"""Directors' statistics: the 2 × 2 (on time / late × done / not done) by plan, unit and group.

Every figure comes from GROUP BY queries over assignments, check-ins and targets, with the bucket
(and the targets verdict) of each row decided in SQL by the rules module's SQL forms, the ones the
click-through lists filter on and the Python forms mirror, so a number, the list behind it and the
badge on an assignment page always agree. The rules themselves: app/services/work/rules.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, String, and_, case, cast, func, literal_column, not_, or_, select

from app.extensions import db
from app.models.assignments import STATUS_DONE, STATUS_NOT_DONE, Assignment
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.units import Unit
from app.services.work.rules import (
    BUCKET_LABELS,
    VERDICT_LABELS,
    VERDICT_MET,
    VERDICT_NOT_MET,
    VERDICT_UNREPORTED,
    bucket_sql,
    checkin_bucket_sql,
    deadline_sql,
    ongoing_sql,
    targets_verdict,
    targets_verdict_sql,
)

# The rules' names the dashboard's views, digests and lists read through this module.
from app.services.work.rules import BASIS_IN_FORCE as BASIS_IN_FORCE  # isort: skip
from app.services.work.rules import BASIS_ORIGINAL as BASIS_ORIGINAL  # isort: skip
from app.services.work.rules import DONE_LATE as DONE_LATE  # isort: skip
from app.services.work.rules import DONE_ON_TIME as DONE_ON_TIME  # isort: skip
from app.services.work.rules import NOT_DONE as NOT_DONE  # isort: skip
from app.services.work.rules import ONGOING as ONGOING  # isort: skip
from app.services.work.rules import OPEN_IN_TIME as OPEN_IN_TIME  # isort: skip
from app.services.work.rules import OPEN_OVERDUE as OPEN_OVERDUE  # isort: skip
from app.services.work.rules import TWO_BY_TWO as TWO_BY_TWO  # isort: skip

# the figures' value types, read by callers through this module
from app.services.reporting.dashboard_types import Counts as Counts  # isort: skip
from app.services.reporting.dashboard_types import Row as Row  # isort: skip
from app.services.reporting.dashboard_types import Scope as Scope  # isort: skip

# the lists behind the targets figures, beside the 2 × 2 buckets
TARGETS_MET = "targets_met"
TARGETS_NOT_MET = "targets_not_met"
JUDGED = (VERDICT_MET, VERDICT_NOT_MET)  # the verdicts counted as they are kept on the row
BUCKETS = {**BUCKET_LABELS, TARGETS_MET: VERDICT_LABELS[VERDICT_MET],
           TARGETS_NOT_MET: VERDICT_LABELS[VERDICT_NOT_MET]}


def apply_scope(stmt, scope: Scope):
    """Filter a statement that already joins Assignment, Task, Plan and Unit."""
    stmt = stmt.where(Plan.status == PLAN_ACTIVE, Task.status == TASK_ACTIVE)
    if scope.plan_id is not None:
        stmt = stmt.where(Task.plan_id == scope.plan_id)
    if scope.unit_id is not None:
        stmt = stmt.where(Assignment.unit_id == scope.unit_id)
    if scope.unit_kind:
        stmt = stmt.where(Unit.kind == scope.unit_kind)
    if scope.group is not None:
        stmt = stmt.where(Task.group_name.is_(None) if scope.group == "" else Task.group_name == scope.group)
    if scope.has_area:  # an assignment is in the area through its unit or its task's group
        parts = []
        if scope.area_unit_ids:
            parts.append(Assignment.unit_id.in_(scope.area_unit_ids))
        if scope.area_groups:
            parts.append(Task.group_name.in_(scope.area_groups))
        stmt = stmt.where(or_(*parts))
    return stmt


def joined(*columns):
    return (select(*columns).select_from(Assignment)
            .join(Task, Assignment.task_id == Task.id)
            .join(Plan, Task.plan_id == Plan.id)
            .join(Unit, Assignment.unit_id == Unit.id))


DIMENSIONS = {
    None: (),
    "plan": (Plan.id, Plan.number, Plan.title),
    "unit": (Unit.id, Unit.name, Unit.short_name, Unit.kind),
    "group": (Task.group_name,),
    "task": (Task.id,),
}


def _label(dimension, values) -> tuple[object, str, dict]:
    if dimension == "plan":
        plan_id, number, title = values
        return plan_id, number or title, {"title": title}
    if dimension == "unit":
        unit_id, name, short_name, kind = values
        return unit_id, short_name or name, {"name": name, "kind": kind}
    if dimension == "group":
        return values[0] or "", values[0] or "Chưa phân nhóm", {}
    if dimension == "task":
        return values[0], str(values[0]), {}
    return None, "Toàn bộ", {}


@dataclass(frozen=True)
class _TaskInScope:
    """What the figures need of one task: where it counts and how its rows are judged."""

    plan: tuple  # (id, number, title)
    group: str | None
    ongoing: bool  # a recurrence: its assignments without a due date are ongoing
    targeted: bool  # quantitative targets: a verdict per assignment ("unreported" without actuals)


def _tasks_in_scope(scope: Scope) -> dict[int, _TaskInScope]:
    """The active tasks the scope covers (a few hundred): the figures filter assignments by task id
    instead of joining tasks and plans to every one of 150.000 rows."""
    stmt = (select(Task.id, Plan.id, Plan.number, Plan.title, Task.group_name, Task.recurrence, Task.targets)
            .join(Plan, Task.plan_id == Plan.id)
            .where(Plan.status == PLAN_ACTIVE, Task.status == TASK_ACTIVE))
    if scope.plan_id is not None:
        stmt = stmt.where(Task.plan_id == scope.plan_id)
    if scope.group is not None:
        stmt = stmt.where(Task.group_name.is_(None) if scope.group == "" else Task.group_name == scope.group)
    return {task_id: _TaskInScope((plan_id, number, title), group, recurrence is not None,
                                  targets_verdict(targets, []) == VERDICT_UNREPORTED)
            for task_id, plan_id, number, title, group, recurrence, targets in db.session.execute(stmt)}


def _assignment_filter(scope: Scope, tasks: dict[int, _TaskInScope]):
    """apply_scope over assignments alone, given the tasks in scope."""
    parts: list[ColumnElement[bool]] = [Assignment.task_id.in_(list(tasks))]
    if scope.unit_id is not None:
        parts.append(Assignment.unit_id == scope.unit_id)
    if scope.unit_kind:
        parts.append(Assignment.unit_id.in_(select(Unit.id).where(Unit.kind == scope.unit_kind)))
    if scope.has_area:
        area = [t for t, info in tasks.items() if info.group in scope.area_groups]
        parts.append(or_(Assignment.unit_id.in_(scope.area_unit_ids), Assignment.task_id.in_(area)))
    return and_(*parts)


def _ongoing(tasks: dict[int, _TaskInScope]):
    """ongoing_sql without the join: the task is one of the recurring ones in scope."""
    # the cheap test first: most rows have a due date, and SQLite stops there
    return and_(Assignment.due_date.is_(None),
                Assignment.task_id.in_([t for t, info in tasks.items() if info.ongoing]))


def _count_by(key, scope: Scope, tasks: dict[int, _TaskInScope], *, today: date, timezone: str,
              basis: str) -> dict[int, Counts]:
    """Counts per value of key (Assignment.task_id or .unit_id) from two GROUP BY queries (assignments,
    check-ins)."""
    if not tasks:
        return {}
    where = _assignment_filter(scope, tasks)
    counts = _assignment_counts(key, where, tasks, today=today, timezone=timezone, basis=basis)
    for value, checkins in _checkin_counts(key, where, tasks, today=today, timezone=timezone).items():
        counts.setdefault(value, Counts()).add(checkins)
    return counts


def _assignment_counts(key, where, tasks: dict[int, _TaskInScope], *, today: date, timezone: str,
                       basis: str) -> dict[int, Counts]:
    """The assignments' part of _count_by. The targets verdict is the one kept on the row
    (rules.actuals_verdict): met or not met as it says, and every other assignment of a task with
    targets "unreported"."""
    counts: dict[int, Counts] = {}
    bucket = bucket_sql(Assignment.status, Assignment.completed_at, deadline_sql(basis), today=today,
                        timezone=timezone, ongoing=_ongoing(tasks)).label("bucket")
    per_unit = key is Assignment.unit_id
    # per task, Python knows which tasks have targets; per unit, the row says
    has_targets = (Assignment.task_id.in_([t for t, info in tasks.items() if info.targeted]) if per_unit
                   else literal_column("0")).label("targeted")
    verdict = Assignment.targets_verdict
    # grouped by the labels: repeated in the GROUP BY, the CASE would be evaluated twice per row
    stmt = (select(key, bucket, has_targets, verdict, func.count()).where(where)
            .group_by(key, literal_column("bucket"), literal_column("targeted"), verdict))
    for value, name, with_targets, judged, count in db.session.execute(stmt):
        row = counts.setdefault(value, Counts())
        setattr(row, name, getattr(row, name) + count)
        if with_targets if per_unit else tasks[value].targeted:
            _add_verdict(row, judged if judged in JUDGED else VERDICT_UNREPORTED, count)
    return counts


def _checkin_counts(key, where, tasks: dict[int, _TaskInScope], *, today: date,
                    timezone: str) -> dict[int, Counts]:
    """The check-ins of the ongoing assignments in scope, per value of key: they enter the 2 × 2."""
    counts: dict[int, Counts] = {}
    cbucket = checkin_bucket_sql(today, timezone).label("bucket")
    cstmt = (select(key, cbucket, func.count(CheckIn.id))
             .join(CheckIn, CheckIn.assignment_id == Assignment.id).where(where, _ongoing(tasks)))
    for value, name, count in db.session.execute(cstmt.group_by(key, literal_column("bucket"))):
        row = counts.setdefault(value, Counts())
        setattr(row, name, getattr(row, name) + count)
        if name in TWO_BY_TWO:
            row.checkins += count
    return counts


def _add_verdict(counts: Counts, name: str, count: int) -> None:
    setattr(counts, f"targets_{name}", getattr(counts, f"targets_{name}") + count)


def _task_key(dimension: str | None, task_id: int, info: _TaskInScope) -> tuple:
    if dimension == "plan":
        return info.plan
    if dimension == "group":
        return (info.group,)
    if dimension == "task":
        return (task_id,)
    return ()


def _rows(dimension: str | None, keyed: list[tuple[tuple, Counts]]) -> list[Row]:
    rows: dict[object, Row] = {}
    for values, counts in keyed:
        key, label, extra = _label(dimension, values)
        if key not in rows:
            rows[key] = Row(key, label, extra=extra)
        rows[key].counts.add(counts)
    return sorted(rows.values(), key=lambda r: (r.label or "").lower())


def _unit_columns(ids) -> dict[int, tuple]:
    """(id, name, short_name, kind) of the units: a few by id, many by reading the table (the province's
    1.700 units are read faster in one plain pass than through 1.700 bound parameters)."""
    wanted = set(ids)
    stmt = select(Unit.id, Unit.name, Unit.short_name, Unit.kind)
    if len(wanted) <= 200:
        stmt = stmt.where(Unit.id.in_(sorted(wanted)))
    return {u[0]: u for u in db.session.execute(stmt) if u[0] in wanted}


def _unit_rows(by_unit: dict[int, Counts]) -> list[Row]:
    units = _unit_columns(by_unit)
    return _rows("unit", [(units[unit_id], counts) for unit_id, counts in by_unit.items()])


def _unit_sort_keys(where, tasks: dict[int, _TaskInScope], *, today: date,
                    basis: str) -> dict[int, list[int]]:
    """Per unit [open and overdue, 2 × 2 total] of its assignments, in one pass with no date arithmetic:
    bucket_sql's OPEN_OVERDUE (not ongoing, neither done nor not done, deadline before today) and its
    2 × 2 (everything but ongoing and not done). Through ix_assignments_unit_sort the rows come in unit
    order and no sort is needed; test_dashboard_unit_page checks the figures against bucket_sql's."""
    ongoing = _ongoing(tasks)
    overdue = and_(deadline_sql(basis) < today, Assignment.status.not_in((STATUS_DONE, STATUS_NOT_DONE)),
                   not_(ongoing))
    outside = or_(Assignment.status == STATUS_NOT_DONE, ongoing)
    stmt = (select(Assignment.unit_id, func.count(case((overdue, 1))), func.count(),
                   func.count(case((outside, 1))))
            .where(where).group_by(Assignment.unit_id))
    return {unit_id: [open_overdue, count - not_counted]
            for unit_id, open_overdue, count, not_counted in db.session.execute(stmt)}


@dataclass
class Overview:
    """The directors' screen in one go: totals, by plan and by group from one set of per-task counts,
    and one page of units, most overdue first."""

    totals: Counts
    by_plan: list[Row]
    by_group: list[Row]
    by_unit: list[Row]  # the page's units only, in the order of unit_order_key
    unit_count: int = 0  # every unit with assignments in scope (for the pager)


def unit_order_key(row: Row) -> tuple:
    """The dashboard's order of units: most open-and-overdue first, then the most assignments, by name."""
    return -row.counts.open_overdue, -row.counts.total, row.label, row.key


def overview(scope: Scope, *, today: date, timezone: str, basis: str = BASIS_IN_FORCE, unit_page: int = 1,
             units_per_page: int = 20) -> Overview:
    """statistics() for the plan, group and overall dimensions, and for one page of units.

    The per-task counts are read once and added up by plan, group and overall in Python. The units
    are ordered by unit_order_key, which needs only two numbers per unit (read in one plain pass, see
    _unit_sort_keys, plus the check-ins); the full 2 × 2 and targets are then counted for the units of
    the page alone: the province's 1.700 units are never all judged to show 20."""
    tasks = _tasks_in_scope(scope)
    by_task = _count_by(Assignment.task_id, scope, tasks, today=today, timezone=timezone, basis=basis)
    per_task = [(task_id, tasks[task_id], counts) for task_id, counts in by_task.items()]
    totals = Counts()
    for _task_id, _info, counts in per_task:
        totals.add(counts)
    by_unit, unit_count = _unit_page(scope, tasks, today=today, timezone=timezone, basis=basis,
                                     page=unit_page, per_page=units_per_page)
    return Overview(
        totals=totals,
        by_plan=_rows("plan", [(_task_key("plan", t, i), c) for t, i, c in per_task]),
        by_group=_rows("group", [(_task_key("group", t, i), c) for t, i, c in per_task]),
        by_unit=by_unit,
        unit_count=unit_count,
    )


def _unit_page(scope: Scope, tasks: dict[int, _TaskInScope], *, today: date, timezone: str, basis: str,
               page: int, per_page: int) -> tuple[list[Row], int]:
    """(the page's rows of statistics(scope, dimension="unit") in unit_order_key order, how many units)."""
    if not tasks:
        return [], 0
    where = _assignment_filter(scope, tasks)
    keys = _unit_sort_keys(where, tasks, today=today, basis=basis)
    checkins = _checkin_counts(Assignment.unit_id, where, tasks, today=today, timezone=timezone)
    for unit_id, of_checkins in checkins.items():
        sort_key = keys.setdefault(unit_id, [0, 0])
        sort_key[0] += of_checkins.open_overdue
        sort_key[1] += of_checkins.total
    units = _unit_columns(keys)
    labels = {unit_id: _label("unit", units[unit_id]) for unit_id in keys}
    # unit_order_key, from the two numbers alone
    order = sorted(keys, key=lambda u: (-keys[u][0], -keys[u][1], labels[u][1], u))
    chosen = order[(page - 1) * per_page: page * per_page]
    of_page = (_assignment_counts(Assignment.unit_id, and_(where, Assignment.unit_id.in_(chosen)), tasks,
                                  today=today, timezone=timezone, basis=basis) if chosen else {})
    rows = []
    for unit_id in chosen:
        key, label, extra = labels[unit_id]
        row = Row(key, label, extra=extra)
        row.counts.add(of_page.get(unit_id, Counts()))
        row.counts.add(checkins.get(unit_id, Counts()))
        rows.append(row)
    return rows, len(order)


def statistics(scope: Scope, *, today: date, timezone: str, dimension: str | None = None,
               basis: str = BASIS_IN_FORCE) -> list[Row]:
    """The 2 × 2 and targets per plan, unit, group, task or overall (one row "Toàn bộ")."""
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    tasks = _tasks_in_scope(scope)
    key = Assignment.unit_id if dimension == "unit" else Assignment.task_id
    counts = _count_by(key, scope, tasks, today=today, timezone=timezone, basis=basis)
    if dimension == "unit":
        return _unit_rows(counts)
    return _rows(dimension, [(_task_key(dimension, t, tasks[t]), c) for t, c in counts.items()])


def checkin_counts(scope: Scope, *, today: date, timezone: str) -> Counts:
    """The 2 × 2 of the check-ins of ongoing tasks alone (the "báo cáo định kỳ" figures)."""
    bucket = checkin_bucket_sql(today, timezone).label("bucket")
    stmt = apply_scope(joined(bucket, func.count(CheckIn.id))
                       .join(CheckIn, CheckIn.assignment_id == Assignment.id).where(ongoing_sql()), scope)
    counts = Counts()
    for name, count in db.session.execute(stmt.group_by(bucket)):
        setattr(counts, name, getattr(counts, name) + count)
    return counts


def totals(scope: Scope, *, today: date, timezone: str, basis: str = BASIS_IN_FORCE) -> Counts:
    rows = statistics(scope, today=today, timezone=timezone, basis=basis)
    return rows[0].counts if rows else Counts()


def _has_targets():
    # cheap pre-filter; the verdict itself is NULL for a task without quantitative targets
    return cast(Task.targets, String) != "[]"


def target_assignment_ids(scope: Scope, verdict: str) -> list[int]:
    """Ids of the assignments with that targets verdict ("met", "not_met", "unreported")."""
    stmt = apply_scope(joined(Assignment.id).where(
        _has_targets(), targets_verdict_sql(Task.targets, Assignment.target_actuals) == verdict), scope)
    return list(db.session.scalars(stmt.order_by(Assignment.id)))
