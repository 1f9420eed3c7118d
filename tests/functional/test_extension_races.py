"""Extension requests under concurrency: one decision wins, the other is a conflict; the database
holds at most one pending request per assignment."""
import threading
from datetime import date

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db as _db
from app.models import Assignment, AuditLog, ExtensionRequest
from app.models.users import User
from app.services.errors import ConflictError
from app.services.work import deadline_extensions as extensions
from tests.workflow_helpers import build_world


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.fixture()
def pending(db):
    world = build_world()
    request = extensions.request_extension(
        world.users["coop_head"],
        world.coop,
        requested_due_date=date(2099, 1, 1),
        reason="Chờ thiết bị",
        today=date(2026, 1, 5),
    )
    db.session.commit()
    return world, request


def test_a_decision_on_a_stale_copy_is_a_conflict(pending):
    world, request = pending
    # another officer decided in the meantime (another process: the ORM copy here still says pending)
    with _db.engine.begin() as conn:
        conn.execute(update(ExtensionRequest).where(ExtensionRequest.id == request.id)
                     .values(status="refused", decision_note="Không có căn cứ"))
    assert request.status == "pending"
    with pytest.raises(ConflictError, match="vừa được người khác quyết định"):
        extensions.decide_extension(world.users["office"], request, approve=True)
    _db.session.expire_all()
    assert _db.session.get(ExtensionRequest, request.id).status == "refused"
    assert _db.session.get(Assignment, world.coop.id).due_date != date(2099, 1, 1)


def test_the_database_allows_one_pending_request_per_assignment(pending):
    world, request = pending
    _db.session.add(ExtensionRequest(assignment_id=world.coop.id, requested_due_date=date(2099, 2, 1),
                                     reason="Lần hai", status="pending"))
    with pytest.raises(IntegrityError):
        _db.session.flush()
    _db.session.rollback()
    # decided requests do not count: a new one may follow
    extensions.decide_extension(world.users["office"], _db.session.get(ExtensionRequest, request.id),
                                approve=False, note="Chưa đủ căn cứ")
    _db.session.commit()
    _db.session.add(ExtensionRequest(assignment_id=world.coop.id, requested_due_date=date(2099, 2, 1),
                                     reason="Lần hai", status="pending"))
    _db.session.commit()


def test_a_racing_second_request_is_a_conflict_not_a_500(pending, monkeypatch):
    world, _request = pending
    monkeypatch.setattr(extensions, "pending_for", lambda assignment_id: None)  # both passed the check
    with pytest.raises(ConflictError, match="đang chờ quyết định"):
        extensions.request_extension(
            world.users["coop_staff"],
            world.coop,
            requested_due_date=date(2099, 3, 1),
            reason="Lần hai",
            today=date(2026, 1, 5),
        )
    _db.session.rollback()
    assert _db.session.scalar(select(func.count(ExtensionRequest.id))) == 1


@pytest.mark.postgres
def test_two_officers_deciding_at_once_give_one_decision(app, pending):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL=postgresql://…)")
    world, request = pending
    # the office approves while a director refuses: before, both "won" (the refusal touches no
    # versioned row), leaving two decisions and whichever committed last
    deciders = [world.users["office"].id, world.users["director"].id]
    approves = {deciders[0]: True, deciders[1]: False}
    request_id, assignment_id = request.id, world.coop.id
    barrier = threading.Barrier(len(deciders))
    outcomes: dict[int, str] = {}

    def decide(user_id: int):
        with app.app_context():
            try:
                actor = _db.session.get(User, user_id)
                row = _db.session.get(ExtensionRequest, request_id)
                row.assignment  # noqa: B018 - load it before the race, as a page would have
                barrier.wait(timeout=10)
                extensions.decide_extension(
                    actor, row, approve=approves[user_id], note=f"Ý kiến của {user_id}"
                )
                _db.session.commit()
                outcomes[user_id] = "decided"
            except ConflictError:
                _db.session.rollback()
                outcomes[user_id] = "conflict"
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=decide, args=(user_id,)) for user_id in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["conflict", "decided"]
    _db.session.expire_all()
    winner = next(user_id for user_id, outcome in outcomes.items() if outcome == "decided")
    decided = _db.session.get(ExtensionRequest, request_id)
    assert decided.decided_by_id == winner and decided.decision_note == f"Ý kiến của {winner}"
    assert decided.status == ("approved" if approves[winner] else "refused")
    moved = _db.session.get(Assignment, assignment_id).due_date == date(2099, 1, 1)
    assert moved == approves[winner]
    assert _db.session.scalar(select(func.count(AuditLog.id)).where(
        AuditLog.action.in_(("extension_approved", "extension_refused")))) == 1
