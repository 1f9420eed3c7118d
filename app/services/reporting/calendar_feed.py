"""Deadlines by day: the month grid of the calendar page and the personal iCal feed (RFC 5545).

Office and directors see every deadline (one entry per task and date, with how many units owe it);
unit users see their own unit's assignments. The feed's secret is User.calendar_token.
"""
from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, case, func, select

from app.extensions import db
from app.models.assignments import CLOSED_STATUSES, Assignment
from app.models.checkins import CheckIn
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.users import User
from app.permissions import VIEW_ALL

MONTHS = ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6", "Tháng 7", "Tháng 8",
          "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12"]
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


@dataclass
class Deadline:
    day: date
    task_id: int
    plan: str
    ref: str | None
    content: str
    units: int  # how many assignments (or check-ins) fall due that day
    open: int
    checkin: bool = False
    assignment_id: int | None = None  # the unit's own assignment (unit users see one per task)


def _visible_unit(user) -> int | None:
    """None = every unit (office, directors); otherwise the user's unit (-1 when they have none)."""
    if user.has_permission(VIEW_ALL):
        return None
    return user.unit_id if user.unit_id is not None else -1


def deadlines(user, first: date, last: date, *, open_only: bool = False) -> list[Deadline]:
    """Deadlines between two days the user may see: two GROUP BY queries (assignments, check-ins);
    `open_only` keeps the days on which something is still not done."""
    unit_id = _visible_unit(user)
    out: list[Deadline] = []
    # (due column, status column, the FROM for the selected columns, check-in?); annotated because
    # mypy otherwise joins the two lambdas' Select types into one whose rows it cannot unpack
    sources: tuple[tuple[Any, Any, Callable[[tuple], Select], bool], ...] = (
        (Assignment.due_date, Assignment.status, lambda cols: select(*cols).select_from(Assignment), False),
        (CheckIn.due_date, CheckIn.status, lambda cols: select(*cols).select_from(CheckIn)
         .join(Assignment, CheckIn.assignment_id == Assignment.id), True),
    )
    for due, status, base, is_checkin in sources:
        open_count = func.sum(case((status.not_in(CLOSED_STATUSES), 1), else_=0))
        stmt = (
            base((due, Task.id, Plan.number, Plan.title, Task.ref, Task.content, func.count(), open_count,
                  func.min(Assignment.id)))
            .join(Task, Assignment.task_id == Task.id)
            .join(Plan, Task.plan_id == Plan.id)
            .where(Plan.status == PLAN_ACTIVE, Task.status == TASK_ACTIVE, due >= first, due <= last)
            .group_by(due, Task.id, Plan.number, Plan.title, Task.ref, Task.content)
        )
        if unit_id is not None:
            stmt = stmt.where(Assignment.unit_id == unit_id)
        if open_only:
            stmt = stmt.having(open_count > 0)
        for day, task_id, number, title, ref, content, units, opened, first_id in db.session.execute(stmt):
            day = date.fromisoformat(day) if isinstance(day, str) else day
            out.append(Deadline(day, task_id, number or title, ref, content, units, opened or 0, is_checkin,
                                first_id if unit_id is not None else None))
    out.sort(key=lambda d: (d.day, d.plan, d.ref or "", d.content))
    return out


def month_grid(user, year: int, month: int) -> list[list[tuple[date, bool, list[Deadline]]]]:
    """Weeks (Monday first) of (day, in this month, deadlines) covering the month."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    by_day: dict[date, list[Deadline]] = {}
    for item in deadlines(user, weeks[0][0], weeks[-1][-1]):
        by_day.setdefault(item.day, []).append(item)
    return [[(day, day.month == month, by_day.get(day, [])) for day in week] for week in weeks]


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


# --- the iCal feed -------------------------------------------------------------------------------

def regenerate_token(user: User) -> str:
    """A new unguessable secret, returned once (the column holds its hash; the old URL stops working)."""
    from app.services.accounts.tokens import new_calendar_token

    return new_calendar_token(user)


def user_for_token(token: str) -> User | None:
    """The feed's owner, looked up by the secret's hash (app.services.accounts.tokens)."""
    from app.services.accounts.tokens import user_for_calendar_token

    return user_for_calendar_token(token)


def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and newlines."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (UTF-8), never inside a character; CRLF + space continues."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


FEED_PAST_DAYS, FEED_FUTURE_DAYS, FEED_MAX_EVENTS = 183, 548, 5000


def feed_deadlines(user, today: date) -> list[Deadline]:
    """The feed's window (6 months back, 18 ahead) plus every older deadline still open: an overdue
    item stays in the calendar until it is done."""
    start = today - timedelta(days=FEED_PAST_DAYS)
    older = deadlines(user, date(1900, 1, 1), start - timedelta(days=1), open_only=True)
    return (older + deadlines(user, start, today + timedelta(days=FEED_FUTURE_DAYS)))[:FEED_MAX_EVENTS]


def _event_url(base_url: str, item: Deadline) -> str:
    from app.links import assignment_path, task_path

    path = assignment_path(item.assignment_id) if item.assignment_id else task_path(item.task_id)
    return base_url.rstrip("/") + path


def _event(user, item: Deadline, *, today: date, host: str, base_url: str, stamp: str) -> list[str]:
    overdue = item.open > 0 and item.day < today
    kind = "Kỳ báo cáo" if item.checkin else "Hạn"
    summary = f"{'Quá hạn – ' if overdue else ''}{kind}: {item.content}"
    description = f"Kế hoạch {item.plan}" + (f", nhiệm vụ {item.ref}" if item.ref else "")
    if user.has_permission(VIEW_ALL):
        description += f"\n{item.units} đơn vị, còn {item.open} chưa hoàn thành"
    url = _event_url(base_url, item)
    description += "\n" + url
    lines = [
        "BEGIN:VEVENT",
        # stable across requests and proxies: built from BASE_URL's host, never the request's Host
        f"UID:tdnv-{'c' if item.checkin else 't'}{item.task_id}-{item.day:%Y%m%d}-u{user.id}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{item.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{item.day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL;VALUE=URI:{url}",
        "TRANSP:TRANSPARENT",
    ]
    if item.open > 0:  # a reminder the day before, only while something is still to do
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P1D",
                  f"DESCRIPTION:{escape_text('Ngày mai đến hạn: ' + item.content[:200])}", "END:VALARM"]
    return lines + ["END:VEVENT"]


def ical(user, *, today: date, base_url: str, name: str = "TDNV") -> str:
    """The VCALENDAR of the deadlines the user may see; every event links to its page under BASE_URL."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    host = (urlsplit(base_url).hostname or "tdnv.local").lower()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//TDNV//Theo doi nhiem vu//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}", "X-WR-TIMEZONE:Asia/Ho_Chi_Minh"]
    for item in feed_deadlines(user, today):
        lines += _event(user, item, today=today, host=host, base_url=base_url, stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
