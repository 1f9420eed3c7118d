"""Directors' statistics: the 2 × 2 (on time / late × done / not done) by plan, unit and group.

Every figure comes from one GROUP BY query over assignments (and one over check-ins), with the
bucket of each row decided in SQL by the same CASE expression the click-through lists filter on,
so a number and the list behind it always agree.

Rules (DOMAIN.md): a deadline is the whole local day (Asia/Ho_Chi_Minh), so work completed on the
due day is on time; the deadline in force (moved by approved extensions) is the default basis, the
original deadline can be chosen instead; ongoing tasks (a recurrence and no due date) are counted
apart and their check-ins enter the 2 × 2; "không thực hiện" is counted apart too.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Date, String, and_, case, cast, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.extensions import db
from app.models.assignments import STATUS_DONE, STATUS_NOT_DONE, Assignment
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.units import Unit

BASIS_IN_FORCE = "in_force"
BASIS_ORIGINAL = "original"

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN_IN_TIME = "open_in_time"
OPEN_OVERDUE = "open_overdue"
ONGOING = "ongoing"
NOT_DONE = "not_done"
TARGETS_MET = "targets_met"
TARGETS_NOT_MET = "targets_not_met"

BUCKETS = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    OPEN_IN_TIME: "Chưa hoàn thành, trong hạn",
    OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
    ONGOING: "Nhiệm vụ thường xuyên (tính riêng)",
    NOT_DONE: "Không thực hiện",
    TARGETS_MET: "Đạt chỉ tiêu",
    TARGETS_NOT_MET: "Chưa đạt chỉ tiêu",
}
TWO_BY_TWO = (DONE_ON_TIME, DONE_LATE, OPEN_IN_TIME, OPEN_OVERDUE)


class local_day(FunctionElement):  # noqa: N801 (a SQL function name)
    """The calendar day of a UTC timestamp in the Sở's time zone, computed by the database."""

    type = Date()
    inherit_cache = False
    name = "local_day"

    def __init__(self, expr, timezone: str):
        self.timezone = timezone
        super().__init__(expr)


@compiles(local_day)
def _local_day_sqlite(element, compiler, **kw):
    # SQLite stores the UTC wall time; Vietnam has no daylight saving, so a fixed offset is exact.
    offset = ZoneInfo(element.timezone).utcoffset(datetime(2000, 1, 1))
    minutes = int(offset.total_seconds() // 60)
    return f"date({compiler.process(element.clauses, **kw)}, '{minutes:+d} minutes')"


@compiles(local_day, "postgresql")
def _local_day_postgresql(element, compiler, **kw):
    zone = element.timezone.replace("'", "")
    return f"CAST(timezone('{zone}', {compiler.process(element.clauses, **kw)}) AS DATE)"


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


def _deadline(basis: str):
    if basis == BASIS_ORIGINAL:
        return func.coalesce(Assignment.original_due_date, Assignment.due_date)
    return Assignment.due_date


def _ongoing():
    return and_(Task.recurrence.is_not(None), Assignment.due_date.is_(None))


def _judged(status, completed_at, deadline, today: date, timezone: str):
    done_on_time = or_(deadline.is_(None), completed_at.is_(None),
                       local_day(completed_at, timezone) <= deadline)
    return (
        (status == STATUS_NOT_DONE, NOT_DONE),
        (status == STATUS_DONE, case((done_on_time, DONE_ON_TIME), else_=DONE_LATE)),
        (and_(deadline.is_not(None), deadline < today), OPEN_OVERDUE),
    )


def assignment_bucket(today: date, timezone: str, basis: str = BASIS_IN_FORCE):
    """SQL CASE giving each assignment its bucket (needs Task joined)."""
    deadline = _deadline(basis)
    return case((_ongoing(), ONGOING),
                *_judged(Assignment.status, Assignment.completed_at, deadline, today, timezone),
                else_=OPEN_IN_TIME)


def checkin_bucket(today: date, timezone: str):
    """SQL CASE giving each check-in its bucket; a check-in is due at its period's last day."""
    return case(*_judged(CheckIn.status, CheckIn.completed_at, CheckIn.due_date, today, timezone),
                else_=OPEN_IN_TIME)


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

    bucket = assignment_bucket(today, timezone, basis).label("bucket")
    stmt = apply_scope(joined(*keys, bucket, func.count(Assignment.id)), scope)
    for *values, name, count in db.session.execute(stmt.group_by(*keys, bucket)):
        counts = row_for(values).counts
        setattr(counts, name, getattr(counts, name) + count)

    cbucket = checkin_bucket(today, timezone).label("bucket")
    cstmt = apply_scope(joined(*keys, cbucket, func.count(CheckIn.id))
                        .join(CheckIn, CheckIn.assignment_id == Assignment.id).where(_ongoing()), scope)
    for *values, name, count in db.session.execute(cstmt.group_by(*keys, cbucket)):
        counts = row_for(values).counts
        setattr(counts, name, getattr(counts, name) + count)
        if name in TWO_BY_TWO:
            counts.checkins += count

    tstmt = apply_scope(joined(*keys, Task.targets, Assignment.target_actuals)
                        .where(cast(Task.targets, String) != "[]"), scope)
    for *values, targets, actuals in db.session.execute(tstmt):
        verdict = targets_verdict(targets, actuals)
        if verdict is None:
            continue
        counts = row_for(values).counts
        if verdict == "met":
            counts.targets_met += 1
        elif verdict == "not_met":
            counts.targets_not_met += 1
        else:
            counts.targets_unreported += 1
    return sorted(rows.values(), key=lambda r: (r.label or "").lower())


def checkin_counts(scope: Scope, *, today: date, timezone: str) -> Counts:
    """The 2 × 2 of the check-ins of ongoing tasks alone (the "báo cáo định kỳ" figures)."""
    bucket = checkin_bucket(today, timezone).label("bucket")
    stmt = apply_scope(joined(bucket, func.count(CheckIn.id))
                       .join(CheckIn, CheckIn.assignment_id == Assignment.id).where(_ongoing()), scope)
    counts = Counts()
    for name, count in db.session.execute(stmt.group_by(bucket)):
        setattr(counts, name, getattr(counts, name) + count)
    return counts


def totals(scope: Scope, *, today: date, timezone: str, basis: str = BASIS_IN_FORCE) -> Counts:
    rows = statistics(scope, today=today, timezone=timezone, basis=basis)
    return rows[0].counts if rows else Counts()


# Targets: Task.targets [{"op", "value", "max", "unit"}] against the unit's actuals, reported as a
# list in the same order (plain numbers or {"value": …}); a missing value is "not reported".

def _actual_value(actual):
    if isinstance(actual, dict):
        actual = actual.get("value", actual.get("actual"))
    if isinstance(actual, str):
        from app.services.errors import DomainError
        from app.services.work.workflow import parse_vn_number

        try:
            actual = parse_vn_number(actual)
        except DomainError:
            return None
    try:
        return None if actual is None else float(actual)
    except (TypeError, ValueError):
        return None


def target_met(target: dict, value: float) -> bool:
    goal, op = float(target.get("value") or 0), target.get("op") or ">="
    if op == "between":
        high = target.get("max")
        return goal <= value <= (float(high) if high is not None else goal)
    return {">=": value >= goal, ">": value > goal, "<=": value <= goal, "<": value < goal,
            "=": value == goal}.get(op, value >= goal)


def targets_verdict(targets, actuals) -> str | None:
    """"met" when every target is reached, "not_met" when one reported value misses, else "unreported"."""
    if not targets:
        return None
    actuals = actuals or []
    values = [_actual_value(actuals[i]) if i < len(actuals) else None for i in range(len(targets))]
    if any(v is not None and not target_met(t, v) for t, v in zip(targets, values, strict=True)):
        return "not_met"
    return "met" if all(v is not None for v in values) else "unreported"


def target_assignment_ids(scope: Scope, verdict: str) -> list[int]:
    """Ids of the assignments with that targets verdict (the JSON is judged in Python, one query)."""
    stmt = apply_scope(joined(Assignment.id, Task.targets, Assignment.target_actuals)
                       .where(cast(Task.targets, String) != "[]"), scope).order_by(Assignment.id)
    return [aid for aid, targets, actuals in db.session.execute(stmt)
            if targets_verdict(targets, actuals) == verdict]
