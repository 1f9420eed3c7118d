"""The rules every screen, list, count and document judges by: the 2 × 2 and targets, in Python and SQL.

Each rule has a Python form (one object in hand: a page, an export row) and a SQL form (lists and
GROUP BY counts over the province), side by side, and tests/unit/test_rules.py runs both on the same
cases. No app context, request or session here: dates and values in, SQLAlchemy expressions over the
model columns out (the models are imported for their columns and status constants only).

The 2 × 2 (DOMAIN.md): a deadline is the whole local day in Asia/Ho_Chi_Minh, so work completed on
the due day is on time; the deadline in force (moved by approved extensions) is the default basis,
the original one can be chosen; ongoing tasks (a recurrence, no due date) and "không thực hiện" are
counted apart; work with no deadline at all can never be late; a done item whose completion time is
unknown is on time (nothing shows it late, and it must not turn late as the days pass).

Targets: a missing, empty or unreadable actual is "not reported" (None), never 0.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Float, String, and_, case, event, func, inspect, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstanceState, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.functions import FunctionElement

from app.formatting import local_date
from app.models.assignments import STATUS_DONE, STATUS_NOT_DONE, Assignment
from app.models.checkins import CheckIn
from app.models.plans import Task
from app.services.errors import DomainError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

BASIS_IN_FORCE = "in_force"
BASIS_ORIGINAL = "original"

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN_IN_TIME = "open_in_time"
OPEN_OVERDUE = "open_overdue"
ONGOING = "ongoing"
NOT_DONE = "not_done"

BUCKET_LABELS = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    OPEN_IN_TIME: "Chưa hoàn thành, trong hạn",
    OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
    ONGOING: "Nhiệm vụ thường xuyên (tính riêng)",
    NOT_DONE: "Không thực hiện",
}
TWO_BY_TWO = (DONE_ON_TIME, DONE_LATE, OPEN_IN_TIME, OPEN_OVERDUE)
LATE_BUCKETS = (DONE_LATE, OPEN_OVERDUE)

VERDICT_MET = "met"
VERDICT_NOT_MET = "not_met"
VERDICT_UNREPORTED = "unreported"
VERDICT_LABELS = {VERDICT_MET: "Đạt chỉ tiêu", VERDICT_NOT_MET: "Chưa đạt chỉ tiêu",
                  VERDICT_UNREPORTED: "Chưa báo cáo chỉ tiêu"}


# --- the local day ---------------------------------------------------------------------------


def local_day(moment: datetime | None, timezone: str = DEFAULT_TIMEZONE) -> date | None:
    """The calendar day of a timestamp in the Sở's time zone (a naive timestamp is UTC)."""
    return local_date(moment, timezone)


class local_day_sql(FunctionElement):  # noqa: N801 (a SQL function name)
    """SQL form of local_day: the calendar day of a UTC timestamp, computed by the database."""

    type = Date()
    inherit_cache = False
    name = "local_day"

    def __init__(self, expr, timezone: str = DEFAULT_TIMEZONE):
        self.timezone = timezone
        super().__init__(expr)


@compiles(local_day_sql)
def _local_day_sqlite(element, compiler, **kw):
    # SQLite stores the UTC wall time; Vietnam has no daylight saving, so a fixed offset is exact.
    offset = ZoneInfo(element.timezone).utcoffset(datetime(2000, 1, 1)) or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return f"date({compiler.process(element.clauses, **kw)}, '{minutes:+d} minutes')"


@compiles(local_day_sql, "postgresql")
def _local_day_postgresql(element, compiler, **kw):
    zone = element.timezone.replace("'", "")
    return f"CAST(timezone('{zone}', {compiler.process(element.clauses, **kw)}) AS DATE)"


# --- the 2 × 2 -------------------------------------------------------------------------------


def bucket_of(status: str, completed_at: datetime | None, deadline: date | None, *, today: date,
              timezone: str = DEFAULT_TIMEZONE, ongoing: bool = False) -> str:
    """The bucket of one item (an assignment or a check-in) from its status and dates."""
    if ongoing:
        return ONGOING
    if status == STATUS_NOT_DONE:
        return NOT_DONE
    if status == STATUS_DONE:
        if deadline is None or completed_at is None:
            return DONE_ON_TIME
        finished = local_day(completed_at, timezone)
        return DONE_ON_TIME if finished is not None and finished <= deadline else DONE_LATE
    return OPEN_OVERDUE if deadline is not None and deadline < today else OPEN_IN_TIME


def bucket_sql(status, completed_at, deadline, *, today: date, timezone: str = DEFAULT_TIMEZONE,
               ongoing=None):
    """SQL form of bucket_of over column expressions: a CASE giving the same key."""
    on_time = or_(
        deadline.is_(None), completed_at.is_(None), local_day_sql(completed_at, timezone) <= deadline
    )
    whens = [
        (status == STATUS_NOT_DONE, NOT_DONE),
        (status == STATUS_DONE, case((on_time, DONE_ON_TIME), else_=DONE_LATE)),
        (and_(deadline.is_not(None), deadline < today), OPEN_OVERDUE),
    ]
    if ongoing is not None:
        whens.insert(0, (ongoing, ONGOING))
    return case(*whens, else_=OPEN_IN_TIME)


def deadline_of(assignment, basis: str = BASIS_IN_FORCE) -> date | None:
    """The deadline judged against: in force, or the original one (falling back to the one in force)."""
    if basis == BASIS_ORIGINAL and assignment.original_due_date is not None:
        return assignment.original_due_date
    return assignment.due_date


def deadline_sql(basis: str = BASIS_IN_FORCE):
    if basis == BASIS_ORIGINAL:
        return func.coalesce(Assignment.original_due_date, Assignment.due_date)
    return Assignment.due_date


def is_ongoing(assignment) -> bool:
    """An ongoing task's assignment ("Thường xuyên"): a recurrence and no due date of its own."""
    return assignment.task.recurrence is not None and assignment.due_date is None


def ongoing_sql():
    """SQL form of is_ongoing (needs Task joined)."""
    return and_(Task.recurrence.is_not(None), Assignment.due_date.is_(None))


def assignment_bucket(assignment, *, today: date, timezone: str = DEFAULT_TIMEZONE,
                      basis: str = BASIS_IN_FORCE) -> str:
    return bucket_of(assignment.status, assignment.completed_at, deadline_of(assignment, basis), today=today,
                     timezone=timezone, ongoing=is_ongoing(assignment))


def assignment_bucket_sql(today: date, timezone: str = DEFAULT_TIMEZONE, basis: str = BASIS_IN_FORCE):
    """SQL form of assignment_bucket (needs Task joined)."""
    return bucket_sql(Assignment.status, Assignment.completed_at, deadline_sql(basis), today=today,
                      timezone=timezone, ongoing=ongoing_sql())


def checkin_bucket(checkin, *, today: date, timezone: str = DEFAULT_TIMEZONE) -> str:
    """A check-in of an ongoing task is due at its period's last day and enters the 2 × 2."""
    return bucket_of(checkin.status, checkin.completed_at, checkin.due_date, today=today, timezone=timezone)


def checkin_bucket_sql(today: date, timezone: str = DEFAULT_TIMEZONE):
    return bucket_sql(CheckIn.status, CheckIn.completed_at, CheckIn.due_date, today=today, timezone=timezone)


# --- numbers as units type them --------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$|^[+-]?[0-9]+\.[0-9]+$")
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+")


def parse_vn_number(text: str | None) -> float | None:
    """"96,2" -> 96.2, "1.700" -> 1700, "98.5" -> 98.5; "" -> None; anything else a DomainError."""
    raw = (text or "").strip().replace(" ", "").rstrip("%")
    if not raw:
        return None
    if not _NUMBER.match(raw):
        raise DomainError(f"Số không hợp lệ: “{text}”. Dùng dấu phẩy cho phần thập phân, ví dụ 96,2.")
    if "," in raw or _THOUSANDS.fullmatch(raw):
        raw = raw.replace(".", "").replace(",", ".")
    value = float(raw)
    return int(value) if value.is_integer() else value


def _number_or_none(text):
    try:
        value = parse_vn_number(text) if isinstance(text, str) else None
    except DomainError:
        return None
    return None if value is None else float(value)


class vn_number_sql(FunctionElement):  # noqa: N801 (a SQL function name)
    """SQL form of parse_vn_number over a text expression: the number, or NULL when unreadable."""

    type = Float()
    inherit_cache = True
    name = "tdnv_vn_number"


@event.listens_for(Engine, "connect")
def _sqlite_vn_number(dbapi_connection, _record):
    # SQLite has no regular expressions: it calls the Python parser itself, so the forms cannot drift.
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("tdnv_vn_number", 1, _number_or_none, deterministic=True)


_PG_NUMBER = ("CASE WHEN {x} ~ '^[+-]?([0-9]{{1,3}}(\\.[0-9]{{3}})+|[0-9]+)(,[0-9]+)?$' "
              "THEN CAST(replace(replace({x}, '.', ''), ',', '.') AS DOUBLE PRECISION) "
              "WHEN {x} ~ '^[+-]?[0-9]+\\.[0-9]+$' THEN CAST({x} AS DOUBLE PRECISION) END")


def _pg_number(text_sql: str) -> str:
    # chr(37) is "%": a literal percent sign would clash with the driver's %s placeholders
    cleaned = f"rtrim(replace(btrim({text_sql}, E' \\t\\n\\r'), ' ', ''), chr(37))"
    return _PG_NUMBER.format(x=cleaned)


@compiles(vn_number_sql, "postgresql")
def _vn_number_postgresql(element, compiler, **kw):
    return _pg_number(compiler.process(element.clauses, **kw))


# --- targets ---------------------------------------------------------------------------------
# Task.targets is [{"op", "value", "max", "unit"}]; the unit's actuals are a list in the same order,
# each a number, a typed string ("96,2") or {"value": …} ({"actual": …} in older rows).


def actual_value(actual) -> float | None:
    """The number a unit reported for one target; None when not reported or unreadable."""
    if isinstance(actual, dict):
        actual = actual.get("value", actual.get("actual"))
    if isinstance(actual, str):
        return _number_or_none(actual)
    if isinstance(actual, bool) or not isinstance(actual, int | float):
        return None
    return float(actual)


def _goal(target, key: str) -> float | None:
    value = target.get(key) if isinstance(target, dict) else None
    return None if isinstance(value, bool) or not isinstance(value, int | float) else float(value)


def target_met(target: dict, value) -> bool | None:
    """Whether a value meets a target such as {"op": ">=", "value": 98.5}; None when it cannot tell."""
    goal = _goal(target, "value")
    if value is None or goal is None:
        return None
    op = target.get("op") or ">="
    if op == ">":
        return value > goal
    if op == "<=":
        return value <= goal
    if op == "<":
        return value < goal
    if op == "=":
        return value == goal
    if op == "between":
        high = _goal(target, "max")
        return goal <= value <= (goal if high is None else high)
    return value >= goal


def actual_at(actuals, index: int) -> float | None:
    actuals = actuals if isinstance(actuals, list) else []
    return actual_value(actuals[index]) if index < len(actuals) else None


def targets_verdict(targets, actuals) -> str | None:
    """"met" when every target is met, "not_met" when a reported value misses one, else "unreported";
    None when the task has no quantitative target."""
    if not isinstance(targets, list) or not targets:
        return None
    verdicts = [target_met(t, actual_at(actuals, i)) for i, t in enumerate(targets)]
    if any(v is False for v in verdicts):
        return VERDICT_NOT_MET
    return VERDICT_MET if all(v is True for v in verdicts) else VERDICT_UNREPORTED


class targets_verdict_sql(FunctionElement):  # noqa: N801 (a SQL function name)
    """SQL form of targets_verdict(targets, actuals) over two JSON columns: a correlated subquery."""

    type = String()
    inherit_cache = True
    name = "targets_verdict"


def _met_case(op: str, v: str, g: str, high: str) -> str:
    return (f"CASE coalesce(nullif({op}, ''), '>=') WHEN '>' THEN {v} > {g} WHEN '<=' THEN {v} <= {g} "
            f"WHEN '<' THEN {v} < {g} WHEN '=' THEN {v} = {g} "
            f"WHEN 'between' THEN {v} >= {g} AND {v} <= coalesce({high}, {g}) ELSE {v} >= {g} END")


def _verdict_case(false_test: str, true_test: str) -> str:
    return (f"CASE WHEN count(*) = 0 THEN NULL "
            f"WHEN sum(CASE WHEN {false_test} THEN 1 ELSE 0 END) > 0 THEN '{VERDICT_NOT_MET}' "
            f"WHEN sum(CASE WHEN {true_test} THEN 1 ELSE 0 END) = count(*) THEN '{VERDICT_MET}' "
            f"ELSE '{VERDICT_UNREPORTED}' END")


@compiles(targets_verdict_sql)
def _targets_verdict_sqlite(element, compiler, **kw):
    targets, actuals = (compiler.process(c, **kw) for c in element.clauses)

    def number(path: str) -> str:
        return (f"CASE json_type({actuals}, {path}) WHEN 'integer' THEN json_extract({actuals}, {path}) "
                f"WHEN 'real' THEN json_extract({actuals}, {path}) "
                f"WHEN 'text' THEN tdnv_vn_number(json_extract({actuals}, {path})) END")

    item = "'$[' || t.key || ']'"
    inner = (f"CASE WHEN json_type({actuals}, {item} || '.value') IS NOT NULL "
             f"THEN {item} || '.value' ELSE {item} || '.actual' END")
    value = (
        f"CASE WHEN json_type({actuals}, {item}) = 'object' THEN ({number(inner)}) ELSE ({number(item)}) END"
    )

    def goal(key: str) -> str:
        return (f"CASE WHEN json_type(t.value, '$.{key}') IN ('integer', 'real') "
                f"THEN json_extract(t.value, '$.{key}') END")

    rows = (f"SELECT json_extract(t.value, '$.op') AS op, {goal('value')} AS g, {goal('max')} AS hi, "
            f"{value} AS v FROM json_each(CASE WHEN json_type({targets}) = 'array' THEN {targets} "
            f"ELSE '[]' END) AS t")
    met = f"SELECT {_met_case('op', 'v', 'g', 'hi')} AS m FROM ({rows})"
    return f"(SELECT {_verdict_case('m = 0', 'm = 1')} FROM ({met}))"


@compiles(targets_verdict_sql, "postgresql")
def _targets_verdict_postgresql(element, compiler, **kw):
    targets, actuals = (f"CAST({compiler.process(c, **kw)} AS JSON)" for c in element.clauses)

    def number(j: str) -> str:
        text = f"({j} #>> '{{}}')"
        return (f"CASE json_typeof({j}) WHEN 'number' THEN CAST({text} AS DOUBLE PRECISION) "
                f"WHEN 'string' THEN {_pg_number(text)} END")

    item = f"({actuals} -> CAST(t.idx - 1 AS INTEGER))"
    inner = f"CASE WHEN ({item} -> 'value') IS NOT NULL THEN {item} -> 'value' ELSE {item} -> 'actual' END"
    value = (
        f"CASE WHEN json_typeof({item}) = 'object' THEN ({number(f'({inner})')}) ELSE ({number(item)}) END"
    )

    def goal(key: str) -> str:
        return (f"CASE WHEN json_typeof(t.elem -> '{key}') = 'number' "
                f"THEN CAST(t.elem ->> '{key}' AS DOUBLE PRECISION) END")

    rows = (f"SELECT t.elem ->> 'op' AS op, {goal('value')} AS g, {goal('max')} AS hi, {value} AS v "
            f"FROM json_array_elements(CASE WHEN json_typeof({targets}) = 'array' THEN {targets} "
            f"ELSE CAST('[]' AS JSON) END) WITH ORDINALITY AS t(elem, idx)")
    met = f"SELECT {_met_case('op', 'v', 'g', 'hi')} AS m FROM ({rows}) AS judged_targets"
    return f"(SELECT {_verdict_case('m IS FALSE', 'm IS TRUE')} FROM ({met}) AS target_verdicts)"


# --- the targets verdict kept on the assignment ------------------------------------------------
# Assignment.targets_verdict holds actuals_verdict(task.targets, target_actuals), kept in the flush
# that writes the actuals or changes the task's targets, so the dashboard counts verdicts in its
# GROUP BY instead of reading and judging every row's JSON.


def actuals_verdict(targets, actuals) -> str | None:
    """The verdict of what a unit reported; None when it reported nothing (the dashboard counts such
    a row "unreported" when its task has targets, as targets_verdict(targets, []) says) or when the
    task has no quantitative target."""
    if actuals is None or actuals == []:
        return None
    return targets_verdict(targets, actuals)


@event.listens_for(Session, "before_flush")
def _judge_changed_actuals(session, _context, _instances):
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Assignment):
            continue
        state: InstanceState = inspect(obj)
        changed = state.pending or any(state.attrs[name].history.has_changes()
                                       for name in ("target_actuals", "task_id", "task"))
        if not changed:
            continue
        with session.no_autoflush:  # a pending row may name its task by id only
            task = obj.task
            if task is None and obj.task_id is not None:
                task = session.get(Task, obj.task_id)
        obj.targets_verdict = actuals_verdict(task.targets if task is not None else None, obj.target_actuals)


@event.listens_for(Session, "after_flush")
def _rejudge_retargeted_tasks(session, _context):
    """A task's targets changed: judge its assignments' actuals again (one read, an UPDATE per
    verdict; a plain UPDATE, so no assignment's optimistic-lock version moves)."""
    tasks = {obj.id: obj.targets for obj in session.dirty
             if isinstance(obj, Task) and inspect(obj).attrs.targets.history.has_changes()}
    if not tasks:
        return
    table = Assignment.__table__
    rows = session.execute(select(table.c.id, table.c.task_id, table.c.target_actuals)
                           .where(table.c.task_id.in_(list(tasks)))).all()
    by_verdict: dict[str | None, list[int]] = {}
    for assignment_id, task_id, actuals in rows:
        by_verdict.setdefault(actuals_verdict(tasks[task_id], actuals), []).append(assignment_id)
    for verdict, ids in by_verdict.items():
        session.execute(update(table).where(table.c.id.in_(ids)).values(targets_verdict=verdict))
        for assignment_id in ids:
            loaded = session.identity_map.get(session.identity_key(Assignment, assignment_id))
            if loaded is not None:
                set_committed_value(loaded, "targets_verdict", verdict)
