"""Reading a unit's assignments (the home page); the workflow issue adds the write side."""
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.assignments import CLOSED_STATUSES, Assignment
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task


def _open_overdue(today: date):
    return and_(Assignment.due_date < today, Assignment.status.not_in(CLOSED_STATUSES))


def _unit_assignments(unit_id: int | None):
    return (
        select(Assignment)
        .join(Assignment.task)
        .join(Task.plan)
        .where(Assignment.unit_id == unit_id, Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE)
    )


def unit_assignments_page(unit_id: int | None, *, page: int, per_page: int, today: date):
    """Open items first, overdue ones on top, then by deadline (no deadline last)."""
    closed_last = case((Assignment.status.in_(CLOSED_STATUSES), 1), else_=0)
    overdue_first = case((_open_overdue(today), 0), else_=1)
    stmt = (
        _unit_assignments(unit_id)
        .options(joinedload(Assignment.task).joinedload(Task.plan))
        .order_by(closed_last, overdue_first, Assignment.due_date.is_(None), Assignment.due_date,
                  Assignment.id)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def unit_assignment_counts(unit_id: int | None, *, today: date) -> dict:
    """Totals for the home page cards, in one query."""
    stmt = _unit_assignments(unit_id).with_only_columns(
        func.count(Assignment.id),
        func.sum(case((Assignment.status.not_in(CLOSED_STATUSES), 1), else_=0)),
        func.sum(case((_open_overdue(today), 1), else_=0)),
        func.sum(case((Assignment.status == "done", 1), else_=0)),
    )
    total, open_, overdue, done = db.session.execute(stmt).one()
    return {"total": total or 0, "open": open_ or 0, "overdue": overdue or 0, "done": done or 0}
