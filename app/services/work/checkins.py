"""Periodic check-ins of ongoing and recurring assignments: one per period and unit, due at its end."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models.assignments import CLOSED_STATUSES, Assignment
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task

PERIODIC_RECURRENCES = ("ongoing", "monthly", "quarterly", "yearly")
PERIOD_KINDS = ("monthly", "quarterly", "yearly")


@dataclass(frozen=True)
class Period:
    key: str  # "2025-11", "2025-Q4", "2025": the CheckIn.period_key
    start: date
    end: date  # the check-in's due date


def period_kind(recurrence: str | None, ongoing_period: str = "monthly") -> str | None:
    """Ongoing tasks ("Thường xuyên") are followed monthly unless configured otherwise."""
    if recurrence == "ongoing":
        return ongoing_period if ongoing_period in PERIOD_KINDS else "monthly"
    return recurrence if recurrence in PERIOD_KINDS else None


def period_containing(day: date, kind: str) -> Period:
    if kind == "monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(f"{day.year}-{day.month:02d}", day.replace(day=1), day.replace(day=last))
    if kind == "quarterly":
        quarter = (day.month - 1) // 3 + 1
        first_month, last_month = 3 * quarter - 2, 3 * quarter
        last = calendar.monthrange(day.year, last_month)[1]
        return Period(
            f"{day.year}-Q{quarter}", date(day.year, first_month, 1), date(day.year, last_month, last)
        )
    if kind == "yearly":
        return Period(str(day.year), date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValueError(f"unknown period kind {kind!r}")


def _periodic_assignments():
    return (
        select(Assignment)
        .join(Assignment.task)
        .join(Task.plan)
        .where(
            Task.recurrence.in_(PERIODIC_RECURRENCES), Task.status == TASK_ACTIVE,
            Plan.status == PLAN_ACTIVE, Assignment.status.not_in(CLOSED_STATUSES),
        )
        .options(contains_eager(Assignment.task))
        .order_by(Assignment.id)
    )


def open_periodic_checkins(today: date, ongoing_period: str = "monthly") -> dict:
    """Make sure every open periodic assignment has its check-in for the period containing today.

    Idempotent through the unique (assignment, period) constraint: existing rows are skipped and a
    row inserted meanwhile by another process only undoes its own savepoint.
    """
    wanted: list[tuple[Assignment, Period]] = []
    for assignment in db.session.scalars(_periodic_assignments()).unique():
        task = assignment.task
        kind = period_kind(task.recurrence, ongoing_period)
        if kind is None:
            continue
        period = period_containing(today, kind)
        if task.start_date and task.start_date > period.end:
            continue  # not started yet
        if task.due_date and task.due_date < period.start:
            continue  # the recurring task has ended
        wanted.append((assignment, period))
    existing: set[tuple[int, str]] = set()
    ids = [a.id for a, _ in wanted]
    for start in range(0, len(ids), 500):
        existing.update(
            (row[0], row[1])
            for row in db.session.execute(
                select(CheckIn.assignment_id, CheckIn.period_key).where(
                    CheckIn.assignment_id.in_(ids[start : start + 500])
                )
            )
        )
    missing = [(a, p) for a, p in wanted if (a.id, p.key) not in existing]
    created = _insert(missing)
    return {"today": today.isoformat(), "periodic": len(wanted), "created": created}


def _checkin(assignment: Assignment, period: Period) -> CheckIn:
    return CheckIn(assignment_id=assignment.id, period_key=period.key, period_start=period.start,
                   due_date=period.end)


def _insert(missing: list[tuple[Assignment, Period]]) -> int:
    if not missing:
        return 0
    try:
        with db.session.begin_nested():
            db.session.add_all(_checkin(a, p) for a, p in missing)
        return len(missing)
    except IntegrityError:
        pass
    created = 0
    for assignment, period in missing:
        try:
            with db.session.begin_nested():
                db.session.add(_checkin(assignment, period))
            created += 1
        except IntegrityError:
            continue
    return created
