"""Every scheduler job sends the same statements for 5 schools as for 60 (no query per row), a second
run adds nothing, and the writers grow only by one statement per batch of 1.000 rows."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.jobs.scheduler import execute
from app.models import CheckIn, Notification, OutboxMessage
from app.services.notify import notifications
from app.services.notify.notifications import Alert, create_notifications
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    SchoolFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from tests.query_counter import count_queries

NOW = datetime(2026, 12, 2, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # a Wednesday
TODAY = NOW.date()
JOBS = ("sweep_stale", "periodic_checkins", "deadline_reminders", "overdue_followup", "send_mail")


def _schools(db, count: int) -> None:
    """`count` schools, each with a head and a focal person, an overdue assignment, one due in three
    days and one of a monthly task; the tasks are shared, as a CSGD task is."""
    plan = PlanFactory()
    overdue = TaskFactory(plan=plan, due_date=TODAY - timedelta(days=10), group_name="Chuyển đổi số")
    soon = TaskFactory(plan=plan, due_date=TODAY + timedelta(days=3))
    monthly = TaskFactory(plan=plan, recurrence="monthly", due_date=date(2027, 5, 31))
    for _ in range(count):
        school = SchoolFactory()
        UserFactory(role="unit_head", unit=school)
        focal = UserFactory(role="unit_staff", unit=school)
        AssignmentFactory(task=overdue, unit=school, role="cooperating", due_date=overdue.due_date,
                          focal_user=focal)
        AssignmentFactory(task=soon, unit=school, role="cooperating", due_date=soon.due_date)
        AssignmentFactory(task=monthly, unit=school, role="cooperating", due_date=monthly.due_date)
    db.session.commit()


def _run_all(app) -> dict[str, tuple[int, dict]]:
    counts = {}
    for job in JOBS:
        with count_queries() as statements:
            summary = execute(app, job, NOW, raise_errors=True)
        counts[job] = (len(statements), summary)
    return counts


@pytest.fixture()
def office(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER_WEEKLY_DIGEST_WEEKDAY", 6)  # the weekly digest: its own test
    unit = UnitFactory(kind="office")
    UserFactory(role="office", unit=unit)
    UserFactory(role="director", unit=unit)
    db.session.commit()


def test_every_job_sends_a_constant_number_of_statements(app, db, office):
    _schools(db, 5)
    small = _run_all(app)
    small_again = _run_all(app)
    _schools(db, 60)  # 60 more schools with their own work: the next run has 12 × as much to do
    large = _run_all(app)
    large_again = _run_all(app)
    assert {job: n for job, (n, _) in large.items()} == {job: n for job, (n, _) in small.items()}
    assert {job: n for job, (n, _) in large_again.items()} == {job: n for job, (n, _) in small_again.items()}
    # the larger run did the larger work…
    assert small["periodic_checkins"][1]["created"] == 5 and large["periodic_checkins"][1]["created"] == 60
    assert small["deadline_reminders"][1]["created"] == 5 and large["deadline_reminders"][1]["created"] == 60
    # a digest per school (to its head and the focal person) and one escalation per task for 2 people
    assert small["overdue_followup"][1]["created"] == 5 * 2 + 2
    assert large["overdue_followup"][1]["created"] == 60 * 2 + 2
    assert large["send_mail"][1]["digests"] == 60 * 2 + 2
    # …and a second run added nothing
    for again in (small_again, large_again):
        assert all(again[job][1].get("created", 0) == 0 for job in JOBS)
        assert again["send_mail"][1]["digests"] == 0
    assert db.session.scalar(select(func.count(CheckIn.id))) == 65
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == (5 * 2 + 2) + (60 * 2 + 2)


def test_the_writers_grow_by_one_statement_per_batch(app, db, monkeypatch):
    """One SELECT of the known keys and one multi-row INSERT per batch (1.000 rows; 10 here)."""
    monkeypatch.setattr(notifications, "WRITE_BATCH", 10)
    user = UserFactory()
    db.session.commit()
    alerts = [Alert(user_id=user.id, key=f"batch:{i}", kind="deadline_reminder", title=f"Nhắc {i}")
              for i in range(35)]
    with count_queries() as statements:
        assert create_notifications(alerts[:25]) == 25
    assert len(statements) == 3 * 2
    with count_queries() as statements:
        assert create_notifications(alerts) == 10  # 25 known, 10 new
    assert len(statements) == 4 + 2  # four batches checked, two with new keys inserted
    assert db.session.scalar(select(func.count(Notification.id))) == 35
