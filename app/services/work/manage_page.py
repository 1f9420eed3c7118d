"""The office's manage page of one task: one page of its assignment rows, read as columns (a CSGD task
has ~1.600 units, each row with its own forms), and the counts by role and status in one GROUP BY."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil

from sqlalchemy import func, select

from app.extensions import db
from app.models.assignments import ASSIGNMENT_ROLES, STATUSES, Assignment
from app.models.units import Unit
from app.pagination import Page
from app.parsing.text import fold
from app.services.directory.units import unit_matches


@dataclass(frozen=True)
class ManageRow:
    """What one row shows and posts: no ORM object, so no lazy load per row."""

    id: int
    role: str
    status: str
    progress: int
    due_date: date | None
    original_due_date: date | None
    version: int
    unit_name: str

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass
class ManagePage:
    rows: Page
    role_counts: dict[str, int]
    status_counts: dict[str, int]
    role: str | None
    status: str | None
    q: str = ""  # the unit search, as applied ("" when none)


def _counts(task_id: int) -> list[tuple[str, str, int]]:
    return [(role, status, count) for role, status, count in db.session.execute(
        select(Assignment.role, Assignment.status, func.count()).where(Assignment.task_id == task_id)
        .group_by(Assignment.role, Assignment.status))]


def manage_page(task_id: int, *, page: int, per_page: int, role: str | None = None,
                status: str | None = None, q: str | None = None) -> ManagePage:
    """A page of the task's rows (optionally of one role and/or status, and of the units matching q,
    without diacritics); a page past the end shows the last. Two statements whatever the task's size
    (the counts, then the rows), three with q (its rows are counted apart)."""
    counts = _counts(task_id)
    role = role if role in ASSIGNMENT_ROLES else None
    status = status if status in STATUSES else None
    q = (q or "").strip()[:100]
    unit_name = func.coalesce(func.nullif(Unit.short_name, ""), Unit.name)  # Unit.display_name in SQL
    rows = select(Assignment.id, Assignment.role, Assignment.status, Assignment.progress, Assignment.due_date,
                  Assignment.original_due_date, Assignment.version, unit_name) \
        .join(Unit, Unit.id == Assignment.unit_id).where(Assignment.task_id == task_id)
    if role:
        rows = rows.where(Assignment.role == role)
    if status:
        rows = rows.where(Assignment.status == status)
    if fold(q):
        rows = rows.where(unit_matches(q))
        total = db.session.scalar(rows.with_only_columns(func.count(Assignment.id))) or 0
    else:
        q = ""
        total = sum(n for r, s, n in counts
                    if (role is None or r == role) and (status is None or s == status))
    page = min(max(page, 1), max(1, ceil(total / per_page)))
    items = [ManageRow(*row) for row in db.session.execute(
        rows.order_by(Assignment.role.desc(), Assignment.id).offset((page - 1) * per_page).limit(per_page))]
    role_counts: dict[str, int] = {}
    status_counts: dict[str, int] = {}
    for r, s, n in counts:
        role_counts[r] = role_counts.get(r, 0) + n
        status_counts[s] = status_counts.get(s, 0) + n
    return ManagePage(rows=Page(items, page, per_page, total), role_counts=role_counts,
                      status_counts=status_counts, role=role, status=status, q=q)
