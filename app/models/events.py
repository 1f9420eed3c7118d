"""Derived columns kept in the transaction of the change they derive from, whoever makes it.

Assignment.last_update_at mirrors the newest AssignmentUpdate.created_at, so the lists sort and
show "cập nhật gần nhất" without aggregating the whole journal. It is written with a plain UPDATE
on the table (not through the ORM), so adding a journal entry never bumps the assignment's
optimistic-lock version by itself.
"""
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session, attributes

from app.models.assignments import Assignment, AssignmentUpdate
from app.models.base import as_utc


@event.listens_for(Session, "after_flush")
def _refresh_last_update(session, flush_context):
    touched = {obj.assignment_id for obj in list(session.new) + list(session.deleted)
               if isinstance(obj, AssignmentUpdate) and obj.assignment_id is not None}
    if not touched:
        return
    latest = (select(func.max(AssignmentUpdate.created_at))
              .where(AssignmentUpdate.assignment_id == Assignment.__table__.c.id)
              .scalar_subquery())
    table = Assignment.__table__
    session.execute(update(table).where(table.c.id.in_(touched)).values(last_update_at=latest))
    # keep the loaded assignments in step without marking them dirty (no version bump)
    for obj in session.new:
        if isinstance(obj, AssignmentUpdate) and obj.created_at is not None:
            assignment = session.identity_map.get(session.identity_key(Assignment, obj.assignment_id))
            if assignment is None:
                continue
            current = assignment.__dict__.get("last_update_at")
            if current is None or as_utc(current) < as_utc(obj.created_at):
                attributes.set_committed_value(assignment, "last_update_at", obj.created_at)
