"""Assignment.targets_verdict, the verdict kept on the row for the dashboard: written in the flush
that changes the actuals or the task's targets, and by the province generator's bulk inserts."""
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Assignment, Task
from app.services.clock import today_local
from app.services.demo.generate import generate
from app.services.work.rules import VERDICT_MET, VERDICT_NOT_MET, VERDICT_UNREPORTED, actuals_verdict
from tests.factories import AssignmentFactory, TaskFactory

AT_LEAST_90 = [{"op": ">=", "value": 90, "max": None, "unit": "%"}]
TWO_TARGETS = [*AT_LEAST_90, {"op": "<=", "value": 5, "max": None, "unit": "%"}]


def _stored(assignment) -> str | None:
    _db.session.expire_all()  # what the table holds, not the object's copy
    return _db.session.scalar(select(Assignment.targets_verdict).where(Assignment.id == assignment.id))


def test_the_flush_that_writes_actuals_judges_them(db):
    assignment = AssignmentFactory(task=TaskFactory(targets=TWO_TARGETS))
    db.session.flush()
    assert _stored(assignment) is None  # nothing reported: counted "unreported" by the dashboard

    cases = [([95, 3], VERDICT_MET), (["96,5", {"value": 7}], VERDICT_NOT_MET), ([95], VERDICT_UNREPORTED),
             (["không rõ", 2], VERDICT_UNREPORTED), ([], None)]
    for actuals, verdict in cases:
        assignment = db.session.get(Assignment, assignment.id)
        assignment.target_actuals = actuals
        db.session.flush()
        assert _stored(assignment) == verdict == actuals_verdict(TWO_TARGETS, actuals), actuals


def test_a_change_of_the_task_targets_judges_its_assignments_again(db):
    task = TaskFactory(targets=AT_LEAST_90)
    reported = [AssignmentFactory(task=task, target_actuals=[value]) for value in (95, 80)]
    silent = AssignmentFactory(task=task, target_actuals=[])
    other = AssignmentFactory(task=TaskFactory(targets=AT_LEAST_90), target_actuals=[80])
    db.session.flush()
    assert [_stored(a) for a in reported] == [VERDICT_MET, VERDICT_NOT_MET]
    version = db.session.get(Assignment, reported[0].id).version

    db.session.get(Task, task.id).targets = [{"op": ">=", "value": 70, "max": None, "unit": "%"}]
    db.session.flush()
    assert [_stored(a) for a in reported] == [VERDICT_MET, VERDICT_MET]
    assert _stored(silent) is None
    assert _stored(other) == VERDICT_NOT_MET  # another task's row is left alone
    assert db.session.get(Assignment, reported[0].id).version == version  # no optimistic-lock bump

    db.session.get(Task, task.id).targets = []  # no quantitative target any more: no verdict
    db.session.flush()
    assert [_stored(a) for a in reported] == [None, None]


def test_the_generator_fills_the_verdict_of_every_row(app, db):
    generate(units=30, plans=1, assignments=600, seed=3, today=today_local(app.config["TIMEZONE"]),
             password=app.config["DEMO_PASSWORD"])
    db.session.commit()
    rows = db.session.execute(select(Task.targets, Assignment.target_actuals, Assignment.targets_verdict)
                              .join(Task, Assignment.task_id == Task.id)).all()
    assert len(rows) == 600
    assert all(verdict == actuals_verdict(targets, actuals) for targets, actuals, verdict in rows)
    judged = db.session.scalar(select(func.count()).where(Assignment.targets_verdict.is_not(None)))
    assert judged and judged < 600  # some units reported figures, most did not
