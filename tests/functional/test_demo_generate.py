"""`flask demo generate`: a small province, its counts, its overdue share, and the same rows for a seed."""
import hashlib

from sqlalchemy import func, select, text

from app import create_app
from app.models import Assignment, AssignmentUpdate, Plan, Task, Unit, User
from app.models.assignments import CLOSED_STATUSES
from app.services.clock import today_local
from tests.conftest import login

SMALL = ["demo", "generate", "--units", "60", "--plans", "2", "--assignments", "2000"]


def _empty(db):
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def _digest(db) -> str:
    """What the seed decides: units, tasks and every assignment with its journal."""
    parts = [
        db.session.execute(select(Unit.code, Unit.name, Unit.kind).order_by(Unit.code)).all(),
        db.session.execute(select(Task.content, Task.due_date, Task.group_name).order_by(Task.id)).all(),
        db.session.execute(
            select(
                Assignment.role,
                Assignment.status,
                Assignment.due_date,
                Assignment.progress,
                Assignment.completed_at,
                Assignment.last_update_at,
            ).order_by(Assignment.id)
        ).all(),
        db.session.execute(
            select(
                AssignmentUpdate.assignment_id, AssignmentUpdate.created_at, AssignmentUpdate.note
            ).order_by(AssignmentUpdate.id)
        ).all(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_generate_builds_a_small_province(runner, app, db, client):
    result = runner.invoke(args=[*SMALL, "--seed", "1"])
    assert result.exit_code == 0, result.output
    count = lambda model: db.session.scalar(select(func.count(model.id)))  # noqa: E731
    assert count(Unit) == 60 and count(Plan) == 2 and count(Assignment) == 2000
    if db.engine.dialect.name == "sqlite":  # planner statistics from the start (SQLite has none by itself)
        analysed = set(db.session.scalars(text("SELECT tbl FROM sqlite_stat1")))
        assert {"assignments", "assignment_updates", "units"} <= analysed
    assert count(AssignmentUpdate) == 2 * 2000 + 8 * 20  # 10 entries for every 100th assignment
    assert count(Task) == 87 and count(User) == 61  # what seed 1 decides (dates are offsets from today)
    today = today_local(app.config["TIMEZONE"])
    overdue = db.session.scalar(select(func.count(Assignment.id)).where(
        Assignment.due_date < today, Assignment.status.not_in(CLOSED_STATUSES)))
    assert overdue == 393  # 19,65%: the generator aims at a fifth
    assert f"{overdue:,}".replace(",", ".") in result.output
    # the derived column agrees with the journal
    latest = (
        select(func.max(AssignmentUpdate.created_at))
        .where(AssignmentUpdate.assignment_id == Assignment.id)
        .scalar_subquery()
    )
    assert (
        db.session.scalar(select(func.count(Assignment.id)).where(Assignment.last_update_at != latest)) == 0
    )
    # the demo log-in names and password work (one hash shared by every account)
    assert "Nguyễn Văn Hải" in login(client, "giamdoc", app.config["DEMO_PASSWORD"]).get_data(as_text=True)
    again = runner.invoke(args=SMALL)
    assert again.exit_code != 0 and "đã có đơn vị" in again.output


def test_generate_is_deterministic_for_a_seed(runner, db):
    assert runner.invoke(args=[*SMALL, "--seed", "7"]).exit_code == 0
    first = _digest(db)
    _empty(db)
    assert runner.invoke(args=[*SMALL, "--seed", "7"]).exit_code == 0
    assert _digest(db) == first
    _empty(db)
    assert runner.invoke(args=[*SMALL, "--seed", "8"]).exit_code == 0
    assert _digest(db) != first


def test_production_never_generates(tmp_path):
    app = create_app("production", SECRET_KEY="x" * 40,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=SMALL)
    assert result.exit_code != 0 and "production" in result.output
