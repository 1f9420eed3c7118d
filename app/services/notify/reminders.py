"""Idempotent alerts: the unique notification key, recipients of a unit, and deadline reminders.

A reminder is data: one Notification row per (user, assignment or check-in, deadline, offset). The
daily job computes which rows should exist by today and inserts the missing ones, so a re-run, a
restart or a second scheduler never alerts twice, and a missed day is caught up on the next run.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.formatting import vn_date, vn_number, vn_percent, vn_period
from app.links import assignment_path
from app.models.assignments import (
    ASSIGNMENT_ROLES,
    CLOSED_STATUSES,
    STATUS_PAUSED,
    STATUS_SUBMITTED,
    STATUSES,
    Assignment,
)
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.units import Unit
from app.models.users import ROLE_UNIT_HEAD, User
from app.services.holidays import is_working_day, previous_working_day
from app.services.notify.notifications import (  # noqa: F401 - the scheduler's alerts use the one writer
    WRITE_BATCH,
    Alert,
    chunks,
    create_notifications,
)

# Nothing left for the unit to do before the deadline: no reminder (closed, on hold, or submitted).
NO_REMINDER_STATUSES = CLOSED_STATUSES | {STATUS_PAUSED, STATUS_SUBMITTED}
KIND_REMINDER = "deadline_reminder"
KIND_CHECKIN_REMINDER = "checkin_reminder"
# Longest run of days off (Tết with its weekends) that can move a send day before the offset window.
SHIFT_SLACK_DAYS = 16


@dataclass(frozen=True)
class Recipients:
    """Who hears about a unit's work, as ids (the jobs build no User objects): the active heads of
    each unit (by id) and the active ones among the assignments' focal persons."""

    heads: dict[int, list[int]]
    active_focal: set[int]

    def of(self, unit_id: int, focal_user_id: int | None) -> list[int]:
        """The unit's head(s) and the assignment's focal person, each once."""
        people = list(self.heads.get(unit_id, ()))
        if focal_user_id in self.active_focal and focal_user_id not in people:
            people.append(focal_user_id)
        return people


def recipients(unit_ids: Iterable[int], focal_ids: Iterable[int | None]) -> Recipients:
    """One query per 1.000 units and per 1.000 focal persons."""
    heads: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks(sorted(set(unit_ids)), WRITE_BATCH):
        for user_id, unit_id in db.session.execute(
            select(User.id, User.unit_id).where(User.unit_id.in_(chunk), User.role == ROLE_UNIT_HEAD,
                                                User.is_active_account.is_(True)).order_by(User.id)):
            assert unit_id is not None  # the query selects by unit_id
            heads[unit_id].append(user_id)
    active: set[int] = set()
    for chunk in chunks(sorted({i for i in focal_ids if i}), WRITE_BATCH):
        active.update(db.session.scalars(
            select(User.id).where(User.id.in_(chunk), User.is_active_account.is_(True))))
    return Recipients(dict(heads), active)


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


def tasks_by_id(task_ids: Iterable[int]) -> dict[int, Task]:
    """The few tasks (with their plan) that many assignment rows refer to: one query per 1.000."""
    found: dict[int, Task] = {}
    for chunk in chunks(sorted(set(task_ids)), WRITE_BATCH):
        for task in db.session.scalars(select(Task).where(Task.id.in_(chunk)).options(joinedload(Task.plan))):
            found[task.id] = task
    return found


def _open_assignments_due(today: date, horizon: date):
    return (
        select(Assignment.id, Assignment.task_id, Assignment.unit_id, Assignment.focal_user_id,
               Assignment.due_date, Assignment.status, Assignment.progress, Assignment.role, Unit.name)
        .join(Assignment.task)
        .join(Task.plan)
        .join(Assignment.unit)
        .where(
            Assignment.due_date >= today, Assignment.due_date <= horizon,
            Assignment.status.not_in(NO_REMINDER_STATUSES),
            Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE,
        )
        .order_by(Assignment.due_date, Assignment.id)
    )


def _open_checkins_due(today: date, horizon: date):
    return (
        select(CheckIn.id, CheckIn.due_date, CheckIn.period_key, CheckIn.period_start, Assignment.id,
               Assignment.task_id, Assignment.unit_id, Assignment.focal_user_id, Unit.name)
        .join(CheckIn.assignment)
        .join(Assignment.task)
        .join(Task.plan)
        .join(Assignment.unit)
        .where(
            CheckIn.due_date >= today, CheckIn.due_date <= horizon,
            CheckIn.status.not_in(NO_REMINDER_STATUSES),
            Assignment.status.not_in(CLOSED_STATUSES),
            Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE,
        )
        .order_by(CheckIn.due_date, CheckIn.id)
    )


def deadline_reminder_alerts(today: date, offsets: list[int], holidays) -> list[Alert]:
    """Every reminder that should exist by today, for assignments and for periodic check-ins (rows
    as columns: the province has thousands due in the window)."""
    if not offsets:
        return []
    horizon = today + timedelta(days=max(offsets) + SHIFT_SLACK_DAYS)
    assignments = [(row, off) for row in db.session.execute(_open_assignments_due(today, horizon))
                   if (off := reminder_offset(row.due_date, today, offsets, holidays)) is not None]
    checkins = [(row, off) for row in db.session.execute(_open_checkins_due(today, horizon))
                if (off := reminder_offset(row.due_date, today, offsets, holidays)) is not None]
    every = [row for row, _ in assignments] + [row for row, _ in checkins]
    people = recipients((r.unit_id for r in every), (r.focal_user_id for r in every))
    tasks = tasks_by_id(r.task_id for r in every)
    alerts = []
    for row, offset in assignments:
        task = tasks[row.task_id]
        left = days_left_text(row.due_date, today)
        title = f"Nhắc hạn ({left}): {task_label(task, 120)}"
        body = (
            f"{task_label(task, 600)}\nKế hoạch: {task.plan.label}\n"
            f"Đơn vị: {row.name} ({ASSIGNMENT_ROLES.get(row.role, row.role)})\n"
            f"Hạn: {vn_date(row.due_date)} – {left}\n"
            f"Trạng thái: {STATUSES.get(row.status, row.status)}, tiến độ {vn_percent(row.progress)}"
        )
        alerts += _alerts(people.of(row.unit_id, row.focal_user_id), row.id,
                          f"a{row.id}:{row.due_date.isoformat()}:d{offset}", KIND_REMINDER, title, body)
    for row, offset in checkins:
        checkin_id, due, period_key, period_start, assignment_id = row[:5]
        task = tasks[row.task_id]
        left = days_left_text(due, today)
        title = f"Báo cáo định kỳ {vn_period(period_key)} ({left}): {task_label(task, 100)}"
        body = (
            f"{task_label(task, 600)}\nKế hoạch: {task.plan.label}\nĐơn vị: {row.name}\n"
            f"Kỳ báo cáo: {vn_period(period_key)} ({vn_date(period_start)} – {vn_date(due)})\n"
            f"Hạn báo cáo: {vn_date(due)} – {left}"
        )
        alerts += _alerts(people.of(row.unit_id, row.focal_user_id), assignment_id,
                          f"c{checkin_id}:{due.isoformat()}:d{offset}", KIND_CHECKIN_REMINDER, title, body)
    return alerts


def _alerts(user_ids: list[int], assignment_id: int, occurrence: str, kind: str, title: str,
            body: str) -> list[Alert]:
    """One reminder per person; the key names the person, the assignment or check-in, the deadline
    and the offset, so each reminder exists once."""
    return [Alert(user_id=user_id, key=f"reminder:u{user_id}:{occurrence}", kind=kind, title=title, body=body,
                  link=assignment_path(assignment_id), assignment_id=assignment_id) for user_id in user_ids]


def send_deadline_reminders(today: date, offsets: list[int], holidays) -> dict:
    """Create today's reminders (only on working days; the send days are working days anyway)."""
    if not is_working_day(today, holidays):
        return {"today": today.isoformat(), "working_day": False, "due": 0, "created": 0}
    alerts = deadline_reminder_alerts(today, offsets, holidays)
    created = create_notifications(alerts)
    return {"today": today.isoformat(), "working_day": True, "due": len(alerts), "created": created}
