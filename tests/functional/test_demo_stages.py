"""The demo shows the whole product: units at every stage, a returned submission, late work,
extension requests waiting and decided."""
from datetime import date

from sqlalchemy import func, select

from app.models import Assignment, AssignmentUpdate, ExtensionRequest


def test_demo_has_every_stage(runner, db):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    statuses = set(db.session.scalars(select(Assignment.status).distinct()))
    assert statuses == {"not_started", "in_progress", "submitted", "done"}
    kinds = set(db.session.scalars(select(AssignmentUpdate.kind).distinct()))
    assert kinds == {"update", "submit", "signoff", "return"}
    late_open = db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.status.not_in(("done", "not_done")), Assignment.due_date < date(2026, 6, 1)))
    assert late_open == 493  # the fixed dates of the seed decide it
    done_late = db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.status == "done", func.date(Assignment.completed_at) > Assignment.due_date))
    assert done_late == 35
    decisions = set(db.session.scalars(select(ExtensionRequest.status)))
    assert decisions == {"pending", "approved", "refused"}
