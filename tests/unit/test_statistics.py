"""The 2 × 2 statistics: on time / late, done / not done, ongoing apart, check-ins counted."""
from datetime import UTC, date, datetime
from types import SimpleNamespace

from sqlalchemy import select

from app.models import Assignment, CheckIn
from app.services.statistics import classify, two_by_two
from tests.factories import AssignmentFactory, TaskFactory

TODAY = date(2025, 12, 22)


def row(id, due, status="in_progress", completed=None, original=None):
    return SimpleNamespace(id=id, due_date=due, original_due_date=original, status=status, completed_at=completed)


def test_classify_whole_local_day():
    due = date(2025, 12, 1)
    # 23:30 in Hà Nội on the due day is 16:30 UTC: on time
    assert classify(due, "done", datetime(2025, 12, 1, 16, 30, tzinfo=UTC), TODAY) == "done_on_time"
    # 00:30 the next local day is 17:30 UTC on the due day: late
    assert classify(due, "done", datetime(2025, 12, 1, 17, 30, tzinfo=UTC), TODAY) == "done_late"
    assert classify(due, "done", datetime(2025, 12, 1, 17, 30), TODAY) == "done_late"  # naive = UTC (SQLite)
    assert classify(due, "in_progress", None, date(2025, 12, 1)) == "open_on_time"
    assert classify(due, "submitted", None, date(2025, 12, 2)) == "open_overdue"
    assert classify(due, "not_done", None, TODAY) == "not_done"
    assert classify(None, "in_progress", None, TODAY) is None


def test_two_by_two_rows_without_database(db):
    rows = [
        row(1, date(2025, 12, 10), "done", datetime(2025, 12, 9, 3, tzinfo=UTC)),
        row(2, date(2025, 12, 10), "done", datetime(2025, 12, 15, 3, tzinfo=UTC)),
        row(3, date(2025, 12, 31)),
        row(4, date(2025, 12, 1), "not_started"),
        row(5, date(2025, 12, 1), "paused"),
        row(6, None),  # ongoing: apart
        row(7, date(2025, 12, 1), "not_done"),
        # extension: late against the original deadline, on time against the one in force
        row(8, date(2025, 12, 20), "done", datetime(2025, 12, 18, 3, tzinfo=UTC), original=date(2025, 12, 15)),
    ]
    stats = two_by_two(rows, TODAY)
    assert (stats["done_on_time"], stats["done_late"], stats["open_on_time"], stats["open_overdue"]) == (2, 1, 1, 2)
    assert stats["total"] == 6 and stats["done"] == 3 and stats["not_done"] == 1 and stats["ongoing"] == 1
    assert stats["completion_rate"] == 50.0
    original = two_by_two(rows, TODAY, against="original")
    assert original["done_on_time"] == 1 and original["done_late"] == 2


def test_two_by_two_query_counts_checkins_of_ongoing_tasks(db):
    ongoing = TaskFactory(recurrence="ongoing")
    dated = TaskFactory(plan=ongoing.plan, due_date=date(2025, 12, 1))
    a1 = AssignmentFactory(task=ongoing, due_date=None)
    a2 = AssignmentFactory(task=dated, due_date=date(2025, 12, 1))
    a3 = AssignmentFactory(task=dated, due_date=date(2025, 12, 1), status="done",
                           completed_at=datetime(2025, 11, 30, 2, tzinfo=UTC))
    db.session.add_all([
        CheckIn(assignment_id=a1.id, period_key="2025-11", period_start=date(2025, 11, 1),
                due_date=date(2025, 11, 30), status="done", completed_at=datetime(2025, 12, 3, 2, tzinfo=UTC)),
        CheckIn(assignment_id=a1.id, period_key="2025-12", period_start=date(2025, 12, 1),
                due_date=date(2025, 12, 31)),
    ])
    db.session.commit()
    stmt = select(Assignment).where(Assignment.task_id.in_([ongoing.id, dated.id]))
    stats = two_by_two(stmt, TODAY)
    assert stats["ongoing"] == 1
    assert stats["assignments"]["open_overdue"] == 1 and stats["assignments"]["done_on_time"] == 1
    assert stats["checkins"]["done_late"] == 1 and stats["checkins"]["open_on_time"] == 1
    assert stats["total"] == 4
    # the same rows as objects give the same answer
    same = two_by_two(db.session.scalars(stmt).all(), TODAY)
    assert {k: same[k] for k in ("done_on_time", "done_late", "open_on_time", "open_overdue", "ongoing")} == \
        {k: stats[k] for k in ("done_on_time", "done_late", "open_on_time", "open_overdue", "ongoing")}
    assert a2.id and a3.id
