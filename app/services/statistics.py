"""The 2 × 2 statistics of DOMAIN.md, shared by the directors' digest and the dashboard.

hoàn thành đúng hạn / hoàn thành quá hạn; chưa hoàn thành trong hạn / chưa hoàn thành quá hạn, judged
against the deadline in force (or the original one). A deadline is a whole local day. Assignments
without a deadline (ongoing tasks) are counted apart; their periodic check-ins enter the 2 × 2.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select

from app.extensions import db
from app.models.assignments import STATUS_DONE, STATUS_NOT_DONE
from app.models.checkins import CheckIn

DONE_ON_TIME = "done_on_time"
DONE_LATE = "done_late"
OPEN_ON_TIME = "open_on_time"
OPEN_OVERDUE = "open_overdue"
CELLS = (DONE_ON_TIME, DONE_LATE, OPEN_ON_TIME, OPEN_OVERDUE)
LABELS = {
    DONE_ON_TIME: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành quá hạn",
    OPEN_ON_TIME: "Chưa hoàn thành, trong hạn",
    OPEN_OVERDUE: "Chưa hoàn thành, quá hạn",
    "not_done": "Không thực hiện",
    "ongoing": "Thường xuyên / không có hạn",
}


def local_day(moment: datetime | None, timezone: str) -> date | None:
    """The local date of a stored timestamp (SQLite returns naive UTC values)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


def classify(due: date | None, status: str, completed_at: datetime | None, today: date,
             timezone: str = "Asia/Ho_Chi_Minh") -> str | None:
    """Which cell one item falls in; None without a deadline, "not_done" for không thực hiện."""
    if due is None:
        return None
    if status == STATUS_DONE:
        finished = local_day(completed_at, timezone)
        return DONE_LATE if finished is not None and finished > due else DONE_ON_TIME
    if status == STATUS_NOT_DONE:
        return "not_done"
    return OPEN_OVERDUE if today > due else OPEN_ON_TIME


def _empty() -> dict:
    return dict.fromkeys((*CELLS, "not_done"), 0)


def _finish(counts: dict) -> dict:
    total = sum(counts[c] for c in CELLS)
    done = counts[DONE_ON_TIME] + counts[DONE_LATE]
    counts.update(
        total=total, done=done, open=total - done,
        overdue=counts[DONE_LATE] + counts[OPEN_OVERDUE],
        completion_rate=round(100 * done / total, 1) if total else None,
        on_time_rate=round(100 * counts[DONE_ON_TIME] / done, 1) if done else None,
    )
    return counts


def _assignment_rows(source) -> tuple[list, object]:
    """(rows, check-in filter) for a Select of Assignment or an iterable of assignment-like rows."""
    if isinstance(source, Select):
        sub = source.subquery()
        rows = db.session.execute(
            select(sub.c.id, sub.c.due_date, sub.c.original_due_date, sub.c.status, sub.c.completed_at)
        ).all()
        return rows, ("subquery", select(sub.c.id))
    rows = list(source)
    return rows, ("ids", [r.id for r in rows])


def _checkin_rows(selector) -> list:
    columns = (CheckIn.due_date, CheckIn.status, CheckIn.completed_at)
    kind, value = selector
    if kind == "subquery":
        return db.session.execute(select(*columns).where(CheckIn.assignment_id.in_(value))).all()
    rows = []
    for start in range(0, len(value), 500):
        rows += db.session.execute(
            select(*columns).where(CheckIn.assignment_id.in_(value[start:start + 500]))
        ).all()
    return rows


def two_by_two(assignments: Select | Iterable, today: date, *, against: str = "in_force",
               include_checkins: bool = True, timezone: str = "Asia/Ho_Chi_Minh") -> dict:
    """Count assignments (a `select(Assignment)…` or rows with id, due_date, original_due_date,
    status, completed_at) and their check-ins into the 2 × 2.

    Returns the four cells (DONE_ON_TIME…) for assignments and check-ins together, plus `not_done`,
    `total`, `done`, `open`, `overdue`, `completion_rate` and `on_time_rate` (percent or None),
    `ongoing` (assignments without a deadline, counted apart), and the split `assignments` /
    `checkins` dicts with the same cells. `against="original"` judges by the first deadline.
    """
    if against not in ("in_force", "original"):
        raise ValueError("against must be 'in_force' or 'original'")
    rows, selector = _assignment_rows(assignments)
    by_assignment, by_checkin = _empty(), _empty()
    ongoing = 0
    for row in rows:
        due = row.due_date
        if against == "original" and row.original_due_date is not None:
            due = row.original_due_date
        cell = classify(due, row.status, row.completed_at, today, timezone)
        if cell is None:
            ongoing += 1
        else:
            by_assignment[cell] += 1
    if include_checkins and rows:
        for row in _checkin_rows(selector):
            by_checkin[classify(row.due_date, row.status, row.completed_at, today, timezone)] += 1
    overall = {key: by_assignment[key] + by_checkin[key] for key in by_assignment}
    result = _finish(overall)
    result["ongoing"] = ongoing
    result["assignments"] = _finish(by_assignment)
    result["checkins"] = _finish(by_checkin)
    return result
