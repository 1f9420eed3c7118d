"""Two people acting on the same item at once, on PostgreSQL: one wins, the other gets a conflict,
and the item holds exactly one outcome (sign-off vs return, bulk sign-off vs return, two period
reports). Each racer loads the item first, as a page would have, then both write at a barrier."""
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Assignment, AssignmentUpdate, CheckIn
from app.models.users import User
from app.services.errors import ConflictError, DomainError
from app.services.work import bulk, checkin_reports, workflow
from tests.workflow_helpers import build_world

pytestmark = pytest.mark.postgres


def _needs_postgres(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL=postgresql://…)")


def race(app, actions: dict[str, object]) -> dict[str, str]:
    """Run each action (name → callable(session objects loaded inside)) in its own thread and
    session, released together; the outcome of each: "won" or "conflict"."""
    barrier = threading.Barrier(len(actions))
    outcomes: dict[str, str] = {}

    def run(name, action):
        with app.app_context():
            try:
                prepared = action()  # loads what the page showed, returns the write to make
                barrier.wait(timeout=10)
                prepared()
                _db.session.commit()
                outcomes[name] = "won"
            except (ConflictError, DomainError):
                _db.session.rollback()
                outcomes[name] = "conflict"
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture()
def submitted(app, db):
    _needs_postgres(app)
    world = build_world()
    head = world.users["coop_head"]
    workflow.record_update(head, world.coop, expected_version=world.coop.version, status="in_progress",
                           progress=100, note="Xong")
    workflow.submit(head, world.coop, expected_version=world.coop.version)
    db.session.commit()
    return world


def _loaded(user_id: int, assignment_id: int):
    return _db.session.get(User, user_id), _db.session.get(Assignment, assignment_id)


def test_sign_off_and_return_at_once_give_one_outcome(app, submitted):
    world = submitted
    coop_id, version = world.coop.id, world.coop.version
    office_id, lead_head_id = world.users["office"].id, world.users["lead_head"].id

    def sign_off():
        actor, assignment = _loaded(lead_head_id, coop_id)
        return lambda: workflow.sign_off(actor, assignment, expected_version=version, note="Đạt")

    def send_back():
        actor, assignment = _loaded(office_id, coop_id)
        return lambda: workflow.return_work(actor, assignment, expected_version=version,
                                            reason="Thiếu minh chứng")

    outcomes = race(app, {"sign_off": sign_off, "return": send_back})
    assert sorted(outcomes.values()) == ["conflict", "won"]
    _db.session.expire_all()
    final = _db.session.get(Assignment, coop_id)
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    assert final.status == ("done" if winner == "sign_off" else "in_progress")
    decisions = _db.session.scalar(select(func.count(AssignmentUpdate.id)).where(
        AssignmentUpdate.assignment_id == coop_id, AssignmentUpdate.kind.in_(("signoff", "return"))))
    assert decisions == 1


def test_a_bulk_sign_off_racing_a_return_changes_all_or_nothing(app, submitted):
    world = submitted
    coop_id, version = world.coop.id, world.coop.version
    office_id, director_id = world.users["office"].id, world.users["director"].id

    def bulk_sign_off():
        actor = _db.session.get(User, director_id)
        return lambda: bulk.apply(actor, bulk.ACTION_SIGN_OFF, {coop_id: str(version)},
                                  bulk.BulkInput(note="Đạt"))

    def send_back():
        actor, assignment = _loaded(office_id, coop_id)
        return lambda: workflow.return_work(actor, assignment, expected_version=version, reason="Bổ sung")

    outcomes = race(app, {"bulk": bulk_sign_off, "return": send_back})
    assert sorted(outcomes.values()) == ["conflict", "won"]
    _db.session.expire_all()
    decisions = _db.session.scalars(select(AssignmentUpdate.kind).where(
        AssignmentUpdate.assignment_id == coop_id, AssignmentUpdate.kind.in_(("signoff", "return")))).all()
    assert len(decisions) == 1


def test_two_reports_of_one_period_at_once_keep_one(app, db):
    _needs_postgres(app)
    world = build_world()
    world.task.recurrence, world.coop.due_date = "ongoing", None
    checkin = CheckIn(assignment=world.coop, period_key="2025-11", period_start=date(2025, 11, 1),
                      due_date=date(2025, 11, 30))
    db.session.add(checkin)
    db.session.commit()
    checkin_id, version = checkin.id, checkin.version
    staff = {"head": world.users["coop_head"].id, "staff": world.users["coop_staff"].id}

    def report(name):
        def prepare():
            actor, row = _db.session.get(User, staff[name]), _db.session.get(CheckIn, checkin_id)
            return lambda: checkin_reports.report_checkin(
                actor, row, expected_version=version, status="in_progress",
                progress=40 if name == "head" else 60, note=f"Báo cáo của {name}")
        return prepare

    outcomes = race(app, {"head": report("head"), "staff": report("staff")})
    assert sorted(outcomes.values()) == ["conflict", "won"]
    _db.session.expire_all()
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    final = _db.session.get(CheckIn, checkin_id)
    assert final.note == f"Báo cáo của {winner}" and final.version == version + 1
