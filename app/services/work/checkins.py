"""Periodic check-ins of ongoing and recurring assignments: one per period and unit, due at its end."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models.assignments import CLOSED_STATUSES, Assignment
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.services.notify.notifications import WRITE_BATCH, chunks, insert_or_ignore

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
    """Columns, not objects: (assignment id, recurrence, task start, task due) of every open
    periodic assignment; the province has thousands."""
    return (
        select(Assignment.id, Task.recurrence, Task.start_date, Task.due_date)
        .join(Assignment.task)
        .join(Task.plan)
        .where(
            Task.recurrence.in_(PERIODIC_RECURRENCES), Task.status == TASK_ACTIVE,
            Plan.status == PLAN_ACTIVE, Assignment.status.not_in(CLOSED_STATUSES),
        )
        .order_by(Assignment.id)
    )


def open_periodic_checkins(today: date, ongoing_period: str = "monthly") -> dict:
    """Make sure every open periodic assignment has its check-in for the period containing today.

    Idempotent through the unique (assignment, period) constraint: existing rows are skipped (one
    SELECT per 1.000 assignments) and the rest go in one INSERT … ON CONFLICT DO NOTHING per 1.000,
    so a row inserted meanwhile by another process is skipped by the database.
    """
    wanted: list[tuple[int, Period]] = []
    for assignment_id, recurrence, start_date, due_date in db.session.execute(_periodic_assignments()):
        kind = period_kind(recurrence, ongoing_period)
        if kind is None:
            continue
        period = period_containing(today, kind)
        if start_date and start_date > period.end:
            continue  # not started yet
        if due_date and due_date < period.start:
            continue  # the recurring task has ended
        wanted.append((assignment_id, period))
    created = 0
    for batch in chunks(wanted, WRITE_BATCH):
        existing = {(a, key) for a, key in db.session.execute(
            select(CheckIn.assignment_id, CheckIn.period_key)
            .where(CheckIn.assignment_id.in_([a for a, _ in batch])))}
        rows = [{"assignment_id": a, "period_key": p.key, "period_start": p.start, "due_date": p.end}
                for a, p in batch if (a, p.key) not in existing]
        if rows:
            created += len(db.session.execute(insert_or_ignore(CheckIn).returning(CheckIn.id), rows).all())
    return {"today": today.isoformat(), "periodic": len(wanted), "created": created}
