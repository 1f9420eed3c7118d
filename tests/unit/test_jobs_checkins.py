"""Periods of the check-ins: monthly ("Thường xuyên" by default), quarterly, yearly."""
from datetime import date

import pytest
from sqlalchemy import select

from app.models import CheckIn
from app.services.work.checkins import open_periodic_checkins, period_containing, period_kind
from tests.factories import AssignmentFactory, TaskFactory


@pytest.mark.parametrize(("kind", "day", "key", "start", "end"), [
    ("monthly", date(2026, 2, 10), "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("monthly", date(2028, 2, 29), "2028-02", date(2028, 2, 1), date(2028, 2, 29)),
    ("quarterly", date(2025, 11, 5), "2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
    ("quarterly", date(2026, 5, 31), "2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
    ("yearly", date(2026, 7, 1), "2026", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_period_containing(kind, day, key, start, end):
    period = period_containing(day, kind)
    assert (period.key, period.start, period.end) == (key, start, end)


def test_period_kind():
    assert period_kind("ongoing") == "monthly"
    assert period_kind("ongoing", "quarterly") == "quarterly"
    assert period_kind("yearly") == "yearly"
    assert period_kind(None) is None


def test_open_checkins_respects_recurrence_start_end_and_status(db):
    today = date(2025, 11, 20)
    monthly = AssignmentFactory(task=TaskFactory(recurrence="ongoing"))
    quarterly = AssignmentFactory(task=TaskFactory(recurrence="quarterly"))
    AssignmentFactory(task=TaskFactory(recurrence="ongoing", start_date=date(2026, 1, 1)))  # not yet
    AssignmentFactory(task=TaskFactory(recurrence="monthly", due_date=date(2025, 10, 31)))  # ended
    AssignmentFactory(task=TaskFactory(recurrence="ongoing"), status="done")  # closed
    AssignmentFactory(task=TaskFactory(due_date=date(2025, 12, 31)))  # one-off: no check-ins
    assert open_periodic_checkins(today)["created"] == 2
    db.session.commit()
    assert open_periodic_checkins(today)["created"] == 0
    rows = {c.assignment_id: c for c in db.session.scalars(select(CheckIn))}
    assert rows[monthly.id].period_key == "2025-11" and rows[monthly.id].due_date == date(2025, 11, 30)
    assert rows[quarterly.id].period_key == "2025-Q4" and rows[quarterly.id].due_date == date(2025, 12, 31)
