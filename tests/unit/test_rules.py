"""The rules module: every case judged by the Python form and the SQL form, which must agree.

Each case is inserted with the factories and judged twice: in Python on the object, and by the
database through the SQL form (the one the dashboard counts and lists with), then both are compared
with the answer written in the table.
"""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Assignment, CheckIn, Task
from app.services.work import rules
from tests.factories import AssignmentFactory, TaskFactory

TZ = "Asia/Ho_Chi_Minh"
DUE = date(2025, 11, 10)
TODAY = date(2025, 11, 20)
IN_FORCE, ORIGINAL = rules.BASIS_IN_FORCE, rules.BASIS_ORIGINAL


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# id: status, completed_at (UTC), due date in force, original due date, recurrence, today, basis, expected
ASSIGNMENT_CASES = {
    "done 23:30 local on the due day": (
        "done",
        utc(2025, 11, 10, 16, 30),
        DUE,
        DUE,
        None,
        TODAY,
        IN_FORCE,
        rules.DONE_ON_TIME,
    ),
    "done 23:59:59 local on the due day": (
        "done",
        utc(2025, 11, 10, 16, 59, 59),
        DUE,
        DUE,
        None,
        TODAY,
        IN_FORCE,
        rules.DONE_ON_TIME,
    ),
    "done 00:00 local the next day": (
        "done",
        utc(2025, 11, 10, 17, 0),
        DUE,
        DUE,
        None,
        TODAY,
        IN_FORCE,
        rules.DONE_LATE,
    ),
    "done 00:30 local on the due day (the day before in UTC)": (
        "done",
        utc(2025, 11, 9, 17, 30),
        DUE,
        DUE,
        None,
        TODAY,
        IN_FORCE,
        rules.DONE_ON_TIME,
    ),
    "done a week late": ("done", utc(2025, 11, 17, 3, 0), DUE, DUE, None, TODAY, IN_FORCE, rules.DONE_LATE),
    "done, completion time unknown": ("done", None, DUE, DUE, None, TODAY, IN_FORCE, rules.DONE_ON_TIME),
    "open on the due day": ("in_progress", None, DUE, DUE, None, DUE, IN_FORCE, rules.OPEN_IN_TIME),
    "open the day after": (
        "in_progress",
        None,
        DUE,
        DUE,
        None,
        date(2025, 11, 11),
        IN_FORCE,
        rules.OPEN_OVERDUE,
    ),
    "not started, before the deadline": (
        "not_started",
        None,
        DUE,
        DUE,
        None,
        date(2025, 11, 1),
        IN_FORCE,
        rules.OPEN_IN_TIME,
    ),
    "paused and overdue": ("paused", None, DUE, DUE, None, TODAY, IN_FORCE, rules.OPEN_OVERDUE),
    "submitted but not signed off, overdue": (
        "submitted",
        None,
        DUE,
        DUE,
        None,
        TODAY,
        IN_FORCE,
        rules.OPEN_OVERDUE,
    ),
    "not done, past its deadline": ("not_done", None, DUE, DUE, None, TODAY, IN_FORCE, rules.NOT_DONE),
    "not done, no deadline": ("not_done", None, None, None, None, TODAY, IN_FORCE, rules.NOT_DONE),
    "ongoing, open": ("in_progress", None, None, None, "ongoing", TODAY, IN_FORCE, rules.ONGOING),
    "ongoing, done": ("done", utc(2025, 11, 1), None, None, "ongoing", TODAY, IN_FORCE, rules.ONGOING),
    "ongoing, not done": ("not_done", None, None, None, "ongoing", TODAY, IN_FORCE, rules.ONGOING),
    "ongoing, original basis": ("in_progress", None, None, None, "monthly", TODAY, ORIGINAL, rules.ONGOING),
    "recurring with a deadline of its own": (
        "in_progress",
        None,
        DUE,
        DUE,
        "yearly",
        TODAY,
        IN_FORCE,
        rules.OPEN_OVERDUE,
    ),
    "no deadline, open": ("in_progress", None, None, None, None, TODAY, IN_FORCE, rules.OPEN_IN_TIME),
    "no deadline, done": ("done", utc(2025, 11, 1), None, None, None, TODAY, IN_FORCE, rules.DONE_ON_TIME),
    "extended, done before the new deadline": (
        "done",
        utc(2025, 11, 12, 3),
        date(2025, 11, 15),
        DUE,
        None,
        TODAY,
        IN_FORCE,
        rules.DONE_ON_TIME,
    ),
    "extended, done: against the original": (
        "done",
        utc(2025, 11, 12, 3),
        date(2025, 11, 15),
        DUE,
        None,
        TODAY,
        ORIGINAL,
        rules.DONE_LATE,
    ),
    "extended, open": (
        "in_progress",
        None,
        date(2025, 11, 30),
        DUE,
        None,
        TODAY,
        IN_FORCE,
        rules.OPEN_IN_TIME,
    ),
    "extended, open: against the original": (
        "in_progress",
        None,
        date(2025, 11, 30),
        DUE,
        None,
        TODAY,
        ORIGINAL,
        rules.OPEN_OVERDUE,
    ),
    "no original deadline: the one in force": (
        "in_progress",
        None,
        DUE,
        None,
        None,
        TODAY,
        ORIGINAL,
        rules.OPEN_OVERDUE,
    ),
    "no original deadline, done on time": (
        "done",
        utc(2025, 11, 10, 9),
        DUE,
        None,
        None,
        TODAY,
        ORIGINAL,
        rules.DONE_ON_TIME,
    ),
}


@pytest.mark.parametrize("case", ASSIGNMENT_CASES.values(), ids=ASSIGNMENT_CASES.keys())
def test_assignment_bucket_python_and_sql_agree(db, case):
    status, completed_at, due, original, recurrence, today, basis, expected = case
    task = TaskFactory(recurrence=recurrence, due_date=due)
    a = AssignmentFactory(task=task, status=status, completed_at=completed_at, due_date=due,
                          original_due_date=original)
    _db.session.commit()
    in_sql = _db.session.scalar(
        select(rules.assignment_bucket_sql(today, TZ, basis)).select_from(Assignment)
        .join(Task, Assignment.task_id == Task.id).where(Assignment.id == a.id))
    assert rules.assignment_bucket(a, today=today, timezone=TZ, basis=basis) == expected
    assert in_sql == expected


# id: status, completed_at (UTC), due date (the period's last day), today, expected
CHECKIN_CASES = {
    "reported 23:30 local on the period's last day": ("done", utc(2025, 10, 31, 16, 30), date(2025, 10, 31),
                                                      TODAY, rules.DONE_ON_TIME),
    "reported 00:30 local after the period": ("done", utc(2025, 10, 31, 17, 30), date(2025, 10, 31), TODAY,
                                              rules.DONE_LATE),
    "not reported, period over": ("in_progress", None, date(2025, 10, 31), TODAY, rules.OPEN_OVERDUE),
    "not reported, period running": ("not_started", None, date(2025, 11, 30), TODAY, rules.OPEN_IN_TIME),
    "not done": ("not_done", None, date(2025, 10, 31), TODAY, rules.NOT_DONE),
}


@pytest.mark.parametrize("case", CHECKIN_CASES.values(), ids=CHECKIN_CASES.keys())
def test_checkin_bucket_python_and_sql_agree(db, case):
    status, completed_at, due, today, expected = case
    a = AssignmentFactory(task=TaskFactory(recurrence="ongoing"), status="in_progress")
    checkin = CheckIn(assignment=a, period_key=f"{due:%Y-%m}", period_start=due.replace(day=1), due_date=due,
                      status=status, completed_at=completed_at)
    _db.session.add(checkin)
    _db.session.commit()
    in_sql = _db.session.scalar(select(rules.checkin_bucket_sql(today, TZ)).where(CheckIn.id == checkin.id))
    assert rules.checkin_bucket(checkin, today=today, timezone=TZ) == expected
    assert in_sql == expected


def test_local_day_python_and_sql_agree(db):
    moments = [utc(2025, 11, 10, 16, 59, 59), utc(2025, 11, 10, 17, 0), utc(2025, 12, 31, 17, 0)]
    expected = [date(2025, 11, 10), date(2025, 11, 11), date(2026, 1, 1)]
    rows = [AssignmentFactory(completed_at=m) for m in moments]
    _db.session.commit()
    in_sql = [_db.session.scalar(select(rules.local_day_sql(Assignment.completed_at, TZ))
                                 .where(Assignment.id == a.id)) for a in rows]
    assert [rules.local_day(m, TZ) for m in moments] == expected
    assert [date.fromisoformat(d) if isinstance(d, str) else d for d in in_sql] == expected
    assert rules.local_day(datetime(2025, 11, 10, 17, 0), TZ) == date(2025, 11, 11)  # naive = UTC


GE = {"op": ">=", "value": 98.5, "max": None, "unit": "%"}
MET, NOT_MET, UNREPORTED = rules.VERDICT_MET, rules.VERDICT_NOT_MET, rules.VERDICT_UNREPORTED

# id: targets, actuals, expected verdict (None: no quantitative target)
TARGET_CASES = {
    ">= met on the value": ([GE], [98.5], MET),
    ">= missed": ([GE], [98.4], NOT_MET),
    ">= typed with a decimal comma": ([GE], ["98,5"], MET),
    "96,2 against >= 98,5": ([GE], ["96,2"], NOT_MET),
    "typed with spaces and %": ([GE], [" 98,5 % "], MET),
    "typed with a decimal point": ([GE], ["99.1"], MET),
    "{value: …}": ([GE], [{"value": 99}], MET),
    "{actual: …} (older rows)": ([GE], [{"actual": 90}], NOT_MET),
    "{value: '96,2'}": ([GE], [{"value": "96,2"}], NOT_MET),
    "{value: null} is not reported": ([GE], [{"value": None, "actual": 99}], UNREPORTED),
    "missing value": ([GE], [None], UNREPORTED),
    "no actuals at all": ([GE], [], UNREPORTED),
    "actuals null": ([GE], None, UNREPORTED),
    "empty string": ([GE], [""], UNREPORTED),
    "unreadable string": ([GE], ["khoảng 90"], UNREPORTED),
    "true is not a number": ([GE], [True], UNREPORTED),
    "thousands with dots": ([{"op": ">=", "value": 1000}], ["1.700"], MET),
    "thousands and decimals": ([{"op": "<", "value": 1700}], ["1.699,5"], MET),
    "> on the value": ([{"op": ">", "value": 50}], [50], NOT_MET),
    "> above": ([{"op": ">", "value": 50}], [50.1], MET),
    "<= on the value": ([{"op": "<=", "value": 2}], [2], MET),
    "<= above": ([{"op": "<=", "value": 2}], [3], NOT_MET),
    "< on the value": ([{"op": "<", "value": 2}], [2], NOT_MET),
    "< below": ([{"op": "<", "value": 2}], [1], MET),
    "< below zero": ([{"op": "<", "value": 0}], ["-5"], MET),
    "= equal": ([{"op": "=", "value": 100}], [100], MET),
    "= equal, typed": ([{"op": "=", "value": 100}], ["100"], MET),
    "= not equal": ([{"op": "=", "value": 100}], [99.9], NOT_MET),
    "between, low end": ([{"op": "between", "value": 3, "max": 5}], [3], MET),
    "between, high end": ([{"op": "between", "value": 3, "max": 5}], [5], MET),
    "between, above": ([{"op": "between", "value": 3, "max": 5}], [6], NOT_MET),
    "between, below": ([{"op": "between", "value": 3, "max": 5}], [2], NOT_MET),
    "between without max": ([{"op": "between", "value": 3, "max": None}], [4], NOT_MET),
    "no op means >=": ([{"value": 10}], [9], NOT_MET),
    "unknown op means >=": ([{"op": "≈", "value": 10}], [10], MET),
    "target without a value": ([{"op": ">="}], [5], UNREPORTED),
    "two targets, both met": ([GE, {"op": ">=", "value": 2}], [99, 2], MET),
    "two targets, one missing": ([GE, {"op": ">=", "value": 2}], [99, None], UNREPORTED),
    "two targets, one short": ([GE, {"op": ">=", "value": 2}], [99], UNREPORTED),
    "two targets, one missed and one missing": ([GE, {"op": ">=", "value": 2}], [90], NOT_MET),
    "two targets, typed": ([GE, {"op": ">=", "value": 2}], ["99,0", {"value": "3"}], MET),
    "no quantitative target": ([], [5], None),
}


@pytest.mark.parametrize("case", TARGET_CASES.values(), ids=TARGET_CASES.keys())
def test_targets_verdict_python_and_sql_agree(db, case):
    targets, actuals, expected = case
    a = AssignmentFactory(task=TaskFactory(targets=targets), target_actuals=actuals)
    _db.session.commit()
    in_sql = _db.session.scalar(
        select(rules.targets_verdict_sql(Task.targets, Assignment.target_actuals)).select_from(Assignment)
        .join(Task, Assignment.task_id == Task.id).where(Assignment.id == a.id))
    assert rules.targets_verdict(targets, actuals) == expected
    assert in_sql == expected
    if len(targets) == 1:  # one target: its verdict is target_met on the reported value
        met = rules.target_met(targets[0], rules.actual_at(actuals, 0))
        assert {True: MET, False: NOT_MET, None: UNREPORTED}[met] == expected


@pytest.mark.parametrize("text,value", [("96,2", 96.2), ("1.700", 1700), ("98.5", 98.5), ("100", 100),
                                        ("", None), (" 45,75 % ", 45.75), ("1.234,5", 1234.5)])
def test_parse_vn_number(text, value):
    assert rules.parse_vn_number(text) == value


def test_bucket_labels_cover_every_bucket():
    assert set(rules.TWO_BY_TWO) | {rules.ONGOING, rules.NOT_DONE} == set(rules.BUCKET_LABELS)
    assert set(rules.LATE_BUCKETS) < set(rules.TWO_BY_TWO)
