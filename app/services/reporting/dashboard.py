"""Directors' statistics: the 2 × 2 (on time / late × done / not done) by plan, unit and group.

Every figure comes from GROUP BY queries over assignments, check-ins and targets, with the bucket
(and the targets verdict) of each row decided in SQL by the rules module's SQL forms, the ones the
click-through lists filter on and the Python forms mirror, so a number, the list behind it and the
badge on an assignment page always agree. The rules themselves: app/services/work/rules.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date

from sqlalchemy import String, cast, func, or_, select

from app.extensions import db
from app.models.assignments import Assignment
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.units import Unit
from app.services.work.rules import (
    BUCKET_LABELS,
    VERDICT_LABELS,
    VERDICT_MET,
    VERDICT_NOT_MET,
    assignment_bucket_sql,
    checkin_bucket_sql,
    ongoing_sql,
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

# the lists behind the targets figures, beside the 2 × 2 buckets
TARGETS_MET = "targets_met"
TARGETS_NOT_MET = "targets_not_met"
TARGET_BUCKETS = {TARGETS_MET: VERDICT_MET, TARGETS_NOT_MET: VERDICT_NOT_MET}
BUCKETS = {**BUCKET_LABELS, TARGETS_MET: VERDICT_LABELS[VERDICT_MET],
           TARGETS_NOT_MET: VERDICT_LABELS[VERDICT_NOT_MET]}


@dataclass(frozen=True)
class Scope:
    """What a figure or a list covers; every field narrows it, None means "all"."""

    plan_id: int | None = None
    unit_id: int | None = None
    unit_kind: str | None = None
    group: str | None = None  # a task group (Nhóm nhiệm vụ); "" = tasks without a group
    area_unit_ids: tuple[int, ...] = ()
    area_groups: tuple[str, ...] = ()
    due_on: date | None = None

    def narrowed(self, **changes) -> Scope:
        return replace(self, **changes)

    @property
    def has_area(self) -> bool:
        return bool(self.area_unit_ids or self.area_groups)


@dataclass
class Counts:
    done_on_time: int = 0
    done_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0
    ongoing: int = 0
    not_done: int = 0
    checkins: int = 0  # how many of the 2 × 2 are check-ins of ongoing tasks
    targets_met: int = 0
    targets_not_met: int = 0
    targets_unreported: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def open(self) -> int:
        return self.open_in_time + self.open_overdue

    @property
    def total(self) -> int:
        return self.done + self.open

    @property
    def completion_rate(self) -> float | None:
        """Percentage of the 2 × 2 that is done, one decimal; None when there is nothing to count."""
        return round(100 * self.done / self.total, 1) if self.total else None

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(done=self.done, open=self.open, total=self.total, completion_rate=self.completion_rate)
        return data


@dataclass
class Row:
    key: object
    label: str
    counts: Counts = field(default_factory=Counts)
    extra: dict = field(default_factory=dict)


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


def statistics(scope: Scope, *, today: date, timezone: str, dimension: str | None = None,
               basis: str = BASIS_IN_FORCE) -> list[Row]:
    """The 2 × 2 and targets per plan, unit, group or overall: three GROUP BY queries in all."""
    keys = DIMENSIONS[dimension]
    rows: dict[object, Row] = {}

    def row_for(values) -> Row:
        key, label, extra = _label(dimension, values)
        if key not in rows:
            rows[key] = Row(key, label, extra=extra)
        return rows[key]

    bucket = assignment_bucket_sql(today, timezone, basis).label("bucket")
    stmt = apply_scope(joined(*keys, bucket, func.count(Assignment.id)), scope)
    for *values, name, count in db.session.execute(stmt.group_by(*keys, bucket)):
        counts = row_for(values).counts
        setattr(counts, name, getattr(counts, name) + count)

    cbucket = checkin_bucket_sql(today, timezone).label("bucket")
    cstmt = apply_scope(joined(*keys, cbucket, func.count(CheckIn.id))
                        .join(CheckIn, CheckIn.assignment_id == Assignment.id).where(ongoing_sql()), scope)
    for *values, name, count in db.session.execute(cstmt.group_by(*keys, cbucket)):
        counts = row_for(values).counts
        setattr(counts, name, getattr(counts, name) + count)
        if name in TWO_BY_TWO:
            counts.checkins += count

    verdict = targets_verdict_sql(Task.targets, Assignment.target_actuals).label("verdict")
    tstmt = apply_scope(joined(*keys, verdict, func.count(Assignment.id)).where(_has_targets()), scope)
    for *values, name, count in db.session.execute(tstmt.group_by(*keys, verdict)):
        if name is not None:
            counts = row_for(values).counts
            setattr(counts, f"targets_{name}", getattr(counts, f"targets_{name}") + count)
    return sorted(rows.values(), key=lambda r: (r.label or "").lower())


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
