"""Idempotent alerts: the unique notification key, recipients of a unit, and deadline reminders.

A reminder is data: one Notification row per (user, assignment or check-in, deadline, offset). The
daily job computes which rows should exist by today and inserts the missing ones, so a re-run, a
restart or a second scheduler never alerts twice, and a missed day is caught up on the next run.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.formatting import vn_date, vn_number, vn_percent, vn_period
from app.links import assignment_path
from app.models.assignments import (
    CLOSED_STATUSES,
    STATUS_PAUSED,
    STATUS_SUBMITTED,
    Assignment,
)
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.users import User
from app.services.holidays import is_working_day, previous_working_day
from app.services.notify.notifications import (  # noqa: F401 - the scheduler's alerts use the one writer
    Alert,
    chunks,
    create_notifications,
    unit_heads_by_unit,
)

# Nothing left for the unit to do before the deadline: no reminder (closed, on hold, or submitted).
NO_REMINDER_STATUSES = CLOSED_STATUSES | {STATUS_PAUSED, STATUS_SUBMITTED}
KIND_REMINDER = "deadline_reminder"
KIND_CHECKIN_REMINDER = "checkin_reminder"
# Longest run of days off (Tết with its weekends) that can move a send day before the offset window.
SHIFT_SLACK_DAYS = 16




def users_by_id(user_ids: Iterable[int | None]) -> dict[int, User]:
    ids = sorted({i for i in user_ids if i})
    found: dict[int, User] = {}
    for chunk in chunks(ids):
        for user in db.session.scalars(select(User).where(User.id.in_(chunk))):
            found[user.id] = user
    return found


def assignment_recipients(assignment: Assignment, heads: dict[int, list[User]],
                          focal: dict[int, User]) -> list[User]:
    """The unit's head(s) and the assignment's focal person, each once."""
    people = list(heads.get(assignment.unit_id, []))
    person = focal.get(assignment.focal_user_id) if assignment.focal_user_id else None
    if person is not None and person.is_active_account and person not in people:
        people.append(person)
    return people


def reminder_offset(due: date, today: date, offsets: list[int], holidays) -> int | None:
    """The reminder that should exist by today: the smallest offset whose send day has come.

    The send day is `due - offset`, moved to the working day before when it falls on a weekend or a
    public holiday. None once the deadline has passed (the overdue follow-up takes over) or before
    the first send day. Offsets landing on the same day collapse into the smallest one.
    """
    if due < today:
        return None
    chosen = None
    for offset in sorted(offsets, reverse=True):
        if previous_working_day(due - timedelta(days=offset), holidays) <= today:
            chosen = offset
    return chosen


def task_label(task: Task, limit: int = 140) -> str:
    text = " ".join((task.content or "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"Nhiệm vụ {task.ref or task.position}: {text}" if (task.ref or task.position) else text


def days_left_text(due: date, today: date) -> str:
    days = (due - today).days
    if days <= 0:
        return "hôm nay là hạn chót"
    if days == 1:
        return "còn 1 ngày (hạn ngày mai)"
    return f"còn {vn_number(days)} ngày"


def _open_assignments_due(today: date, horizon: date):
    return (
        select(Assignment)
        .join(Assignment.task)
        .join(Task.plan)
        .where(
            Assignment.due_date >= today, Assignment.due_date <= horizon,
            Assignment.status.not_in(NO_REMINDER_STATUSES),
            Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE,
        )
        .options(contains_eager(Assignment.task).contains_eager(Task.plan), joinedload(Assignment.unit))
        .order_by(Assignment.due_date, Assignment.id)
    )


def _open_checkins_due(today: date, horizon: date):
    return (
        select(CheckIn)
        .join(CheckIn.assignment)
        .join(Assignment.task)
        .join(Task.plan)
        .where(
            CheckIn.due_date >= today, CheckIn.due_date <= horizon,
            CheckIn.status.not_in(NO_REMINDER_STATUSES),
            Assignment.status.not_in(CLOSED_STATUSES),
            Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE,
        )
        .options(
            contains_eager(CheckIn.assignment).contains_eager(Assignment.task).contains_eager(Task.plan),
            contains_eager(CheckIn.assignment).joinedload(Assignment.unit),
        )
        .order_by(CheckIn.due_date, CheckIn.id)
    )


def deadline_reminder_alerts(today: date, offsets: list[int], holidays) -> list[Alert]:
    """Every reminder that should exist by today, for assignments and for periodic check-ins."""
    if not offsets:
        return []
    horizon = today + timedelta(days=max(offsets) + SHIFT_SLACK_DAYS)
    assignments = [
        (a, off) for a in db.session.scalars(_open_assignments_due(today, horizon)).unique()
        if (off := reminder_offset(a.due_date, today, offsets, holidays)) is not None
    ]
    checkins = [
        (c, off) for c in db.session.scalars(_open_checkins_due(today, horizon)).unique()
        if (off := reminder_offset(c.due_date, today, offsets, holidays)) is not None
    ]
    every = [a for a, _ in assignments] + [c.assignment for c, _ in checkins]
    heads = unit_heads_by_unit(a.unit_id for a in every)
    focal = users_by_id(a.focal_user_id for a in every)
    alerts = []
    for assignment, offset in assignments:
        task = assignment.task
        title = f"Nhắc hạn ({days_left_text(assignment.due_date, today)}): {task_label(task, 120)}"
        body = (
            f"{task_label(task, 600)}\nKế hoạch: {task.plan.label}\n"
            f"Đơn vị: {assignment.unit.name} ({assignment.role_label})\n"
            f"Hạn: {vn_date(assignment.due_date)} – {days_left_text(assignment.due_date, today)}\n"
            f"Trạng thái: {assignment.status_label}, tiến độ {vn_percent(assignment.progress)}"
        )
        alerts += _alerts(
            assignment_recipients(assignment, heads, focal),
            assignment,
            f"a{assignment.id}:{assignment.due_date.isoformat()}:d{offset}",
            KIND_REMINDER,
            title,
            body,
        )
    for checkin, offset in checkins:
        assignment = checkin.assignment
        task = assignment.task
        title = (f"Báo cáo định kỳ {vn_period(checkin.period_key)} "
                 f"({days_left_text(checkin.due_date, today)}): {task_label(task, 100)}")
        body = (
            f"{task_label(task, 600)}\nKế hoạch: {task.plan.label}\nĐơn vị: {assignment.unit.name}\n"
            f"Kỳ báo cáo: {vn_period(checkin.period_key)} ({vn_date(checkin.period_start)} – "
            f"{vn_date(checkin.due_date)})\n"
            f"Hạn báo cáo: {vn_date(checkin.due_date)} – {days_left_text(checkin.due_date, today)}"
        )
        alerts += _alerts(
            assignment_recipients(assignment, heads, focal),
            assignment,
            f"c{checkin.id}:{checkin.due_date.isoformat()}:d{offset}",
            KIND_CHECKIN_REMINDER,
            title,
            body,
        )
    return alerts


def _alerts(people, assignment, occurrence: str, kind: str, title: str, body: str) -> list[Alert]:
    """One reminder per person; the key names the person, the assignment or check-in, the deadline
    and the offset, so each reminder exists once."""
    return [Alert(user_id=user.id, key=f"reminder:u{user.id}:{occurrence}", kind=kind, title=title, body=body,
                  link=assignment_path(assignment.id), assignment_id=assignment.id) for user in people]


def send_deadline_reminders(today: date, offsets: list[int], holidays) -> dict:
    """Create today's reminders (only on working days; the send days are working days anyway)."""
    if not is_working_day(today, holidays):
        return {"today": today.isoformat(), "working_day": False, "due": 0, "created": 0}
    alerts = deadline_reminder_alerts(today, offsets, holidays)
    created = create_notifications(alerts)
    return {"today": today.isoformat(), "working_day": True, "due": len(alerts), "created": created}
