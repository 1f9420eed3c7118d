"""Overdue follow-up: the daily digest per unit, escalation to the office and directors, and the
directors' weekly digest with the 2 × 2 statistics. Every alert is an idempotent notification."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import null, select

from app.extensions import db
from app.formatting import vn_date, vn_number, vn_percent, vn_period
from app.links import assignment_path, dashboard_path, task_path, work_path
from app.models.assignments import (
    CLOSED_STATUSES,
    STATUS_PAUSED,
    STATUS_SUBMITTED,
    STATUSES,
    Assignment,
)
from app.models.checkins import CheckIn
from app.models.notifications import Notification
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.units import UNIT_KINDS, Unit
from app.models.users import ROLE_DIRECTOR, ROLE_OFFICE, User
from app.services.holidays import is_working_day
from app.services.notify.reminders import Alert, create_notifications, recipients, task_label, tasks_by_id
from app.services.reporting import dashboard

KIND_OVERDUE = "overdue_digest"
KIND_ESCALATION = "overdue_escalation"
KIND_WEEKLY = "weekly_digest"
LIST_LIMIT = 30
# The unit cannot act on these until someone else does: left out of its own digest, not of escalation.
WAITING_STATUSES = {STATUS_SUBMITTED, STATUS_PAUSED}


@dataclass(frozen=True, slots=True)
class UnitInfo:
    name: str
    kind: str


@dataclass(slots=True)
class OverdueItem:
    """An overdue assignment, or an overdue check-in of one (period set): columns and shared
    references to its task and unit, never an ORM assignment (the province has ~30.000)."""

    assignment_id: int
    unit_id: int
    unit: UnitInfo
    task: Task
    focal_user_id: int | None
    due: date
    status: str
    period: str | None = None

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days

    def line(self, today: date) -> str:
        what = task_label(self.task, 110)
        if self.period:
            what = f"Báo cáo {vn_period(self.period)} – {what}"
        return f"- {what} (hạn {vn_date(self.due)}, quá {vn_number(self.days_overdue(today))} ngày)"


def _active(stmt):
    return stmt.where(Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE)


def overdue_items(today: date) -> list[OverdueItem]:
    """Every open assignment and check-in whose deadline (a whole local day) has passed: two column
    queries, then the tasks they name (one query per 1.000)."""
    columns = (Assignment.unit_id, Unit.name, Unit.kind, Assignment.task_id, Assignment.focal_user_id)
    rows = list(db.session.execute(_active(
        select(Assignment.id, *columns, Assignment.due_date, Assignment.status, null())
        .join(Assignment.task).join(Task.plan).join(Assignment.unit)
        .where(Assignment.due_date < today, Assignment.status.not_in(CLOSED_STATUSES))
        .order_by(Assignment.due_date, Assignment.id))))
    rows += db.session.execute(_active(
        select(Assignment.id, *columns, CheckIn.due_date, CheckIn.status, CheckIn.period_key)
        .join(CheckIn.assignment).join(Assignment.task).join(Task.plan).join(Assignment.unit)
        .where(CheckIn.due_date < today, CheckIn.status.not_in(CLOSED_STATUSES),
               Assignment.status.not_in(CLOSED_STATUSES))
        .order_by(CheckIn.due_date, CheckIn.id)))
    tasks = tasks_by_id(row[4] for row in rows)
    units: dict[int, UnitInfo] = {}
    return [
        OverdueItem(assignment_id, unit_id, units.setdefault(unit_id, UnitInfo(name, kind)), tasks[task_id],
                    focal_user_id, due, status, period)
        for assignment_id, unit_id, name, kind, task_id, focal_user_id, due, status, period in rows
    ]


def _listing(items: list, line) -> str:
    """The first LIST_LIMIT lines (only those are built) and how many more there are."""
    shown = [line(item) for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        shown.append(f"… và {len(items) - LIST_LIMIT} việc khác.")
    return "\n".join(shown)


def unit_digest_alerts(items: list[OverdueItem], today: date) -> list[Alert]:
    """One digest a day per unit, to its head(s) and the focal persons of the overdue items."""
    by_unit: dict[int, list[OverdueItem]] = defaultdict(list)
    for item in items:
        if item.status not in WAITING_STATUSES:
            by_unit[item.unit_id].append(item)
    people = recipients(by_unit, (i.focal_user_id for i in items))
    alerts = []
    for unit_id, unit_items in by_unit.items():
        name = unit_items[0].unit.name
        user_ids: dict[int, None] = {}
        for item in unit_items:
            user_ids.update(dict.fromkeys(people.of(unit_id, item.focal_user_id)))
        title = f"{name}: {vn_number(len(unit_items))} việc quá hạn"
        body = (f"Ngày {vn_date(today)}, {name} có {vn_number(len(unit_items))} việc quá hạn:\n"
                + _listing(unit_items, lambda i: i.line(today)))
        for user_id in user_ids:
            alerts.append(Alert(user_id=user_id, key=f"overdue:u{user_id}:unit{unit_id}:{today.isoformat()}",
                                kind=KIND_OVERDUE, title=title, body=body, link=work_path()))
    return alerts


def _office_and_directors() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role.in_((ROLE_OFFICE, ROLE_DIRECTOR)), User.is_active_account.is_(True))
        .order_by(User.id)
    ))


def escalation_alerts(items: list[OverdueItem], today: date, escalation_days: int,
                      people: list[User]) -> list[Alert]:
    """Items overdue for `escalation_days` or more go to the office and directors, grouped by task
    and deadline (one alert per task, not one per school), once per deadline."""
    groups: dict[tuple, list[OverdueItem]] = defaultdict(list)
    for item in items:
        if item.days_overdue(today) >= escalation_days:
            marker = f"p{item.period}" if item.period else item.due.isoformat()
            groups[(item.task.id, marker)].append(item)
    alerts = []
    for (task_id, marker), group in groups.items():
        task = group[0].task
        what = f"báo cáo {vn_period(group[0].period)}" if group[0].period else f"hạn {vn_date(group[0].due)}"
        title = (f"Quá hạn từ {escalation_days} ngày ({what}): {task_label(task, 100)} – "
                 f"{vn_number(len(group))} đơn vị")
        body = (f"{task_label(task, 600)}\nKế hoạch: {task.plan.label}\n"
                f"Các đơn vị chưa hoàn thành ({vn_number(len(group))}):\n"
                + _listing(group, lambda i: f"- {i.unit.name} (quá {vn_number(i.days_overdue(today))} ngày, "
                                            f"{STATUSES.get(i.status, i.status).lower()})"))
        link = assignment_path(group[0].assignment_id) if len(group) == 1 else task_path(task.id)
        for user in people:
            alerts.append(Alert(user_id=user.id, key=f"escalation:u{user.id}:t{task_id}:{marker}",
                                kind=KIND_ESCALATION, title=title, body=body, link=link,
                                assignment_id=group[0].assignment_id if len(group) == 1 else None))
    return alerts


def weekly_digest_text(items: list[OverdueItem], today: date, timezone: str) -> tuple[str, str]:
    """Title and body of the directors' weekly digest: the 2 × 2 and the overdue by unit and group."""
    # the same figures as the directors' dashboard (one 2 × 2 implementation, in SQL)
    stats = dashboard.totals(dashboard.Scope(), today=today, timezone=timezone)
    checkins = dashboard.checkin_counts(dashboard.Scope(), today=today, timezone=timezone)
    rate = vn_percent(stats.completion_rate or 0)
    lines = [f"Tình hình thực hiện nhiệm vụ đến ngày {vn_date(today)} (các kế hoạch đang thực hiện):", ""]
    for key in dashboard.TWO_BY_TWO:
        lines.append(f"- {dashboard.BUCKETS[key]}: {vn_number(getattr(stats, key))}")
    lines += [
        f"- Tỷ lệ hoàn thành: {rate} trên {vn_number(stats.total)} lượt giao có hạn và báo cáo định kỳ",
        f"- {dashboard.BUCKETS[dashboard.ONGOING]}: {vn_number(stats.ongoing)} lượt giao; báo cáo định kỳ: "
        f"{vn_number(checkins.total)} ({vn_number(checkins.open_overdue)} quá hạn)",
        "",
    ]
    by_unit = Counter(i.unit.name for i in items)
    by_kind = Counter(UNIT_KINDS.get(i.unit.kind, i.unit.kind) for i in items)
    by_group = Counter(i.task.group_name or "(không có nhóm)" for i in items)
    lines.append(f"Việc quá hạn: {vn_number(len(items))}")
    for title, counter in (("Theo đơn vị", by_unit), ("Theo nhóm đơn vị", by_kind),
                           ("Theo nhóm nhiệm vụ", by_group)):
        lines.append(f"{title}:")
        lines += [f"- {name}: {vn_number(count)}" for name, count in counter.most_common(15)] or [
            "- (không có)"
        ]
        if len(counter) > 15:
            lines.append(f"- … và {vn_number(len(counter) - 15)} mục khác")
    week = today.isocalendar()
    title = (
        f"Tổng hợp tuần {week.week}/{week.year}: {vn_number(stats.open_overdue)} việc chưa hoàn thành "
        "quá hạn, "
        f"hoàn thành {rate}"
    )
    return title, "\n".join(lines)


def _weekly_key(user_id: int, today: date) -> str:
    week = today.isocalendar()
    return f"weekly:u{user_id}:{week.year}-W{week.week:02d}"


def weekly_alerts(items: list[OverdueItem], today: date, timezone: str, directors: list[User]) -> list[Alert]:
    if not directors:
        return []
    title, body = weekly_digest_text(items, today, timezone)
    return [Alert(user_id=u.id, key=_weekly_key(u.id, today), kind=KIND_WEEKLY,
                  title=title, body=body, link=dashboard_path()) for u in directors]


def overdue_followup(today: date, *, holidays, escalation_days: int = 3, weekly_weekday: int = 0,
                     timezone: str = "Asia/Ho_Chi_Minh") -> dict:
    """The daily follow-up (working days only); the weekly digest goes out on the first run of the
    week on or after `weekly_weekday`, so a holiday Monday moves it to Tuesday."""
    if not is_working_day(today, holidays):
        return {"today": today.isoformat(), "working_day": False, "created": 0}
    items = overdue_items(today)
    people = _office_and_directors()
    alerts = unit_digest_alerts(items, today)
    alerts += escalation_alerts(items, today, escalation_days, people)
    weekly = 0
    if today.weekday() >= weekly_weekday:
        directors = [u for u in people if u.role == ROLE_DIRECTOR]
        keys = {_weekly_key(u.id, today) for u in directors}
        known = set(db.session.scalars(select(Notification.key).where(Notification.key.in_(keys))))
        # the statistics are computed only while some director still lacks this week's digest
        weekly_list = weekly_alerts(items, today, timezone,
                                    [u for u in directors if _weekly_key(u.id, today) not in known])
        weekly = len(weekly_list)
        alerts += weekly_list
    created = create_notifications(alerts)
    return {"today": today.isoformat(), "working_day": True, "overdue": len(items),
            "units": len({i.unit_id for i in items}), "alerts": len(alerts),
            "weekly": weekly, "created": created}

