"""A request never hangs on a sick database connection (app/db_options.py).

A network cut can leave the server's end of a connection "idle in transaction" with its row locks:
a later write to that row then waited for ever (the load test saw requests without an answer after
the outage). Now the write gives up after the lock timeout with a 503 and changes nothing, and the
server itself is told to end such a backend after the idle-in-transaction timeout."""
import threading
import time
from datetime import date

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.db_options import engine_options, server_options
from app.models import AssignmentUpdate
from tests.factories import AssignmentFactory, TaskFactory, UnitFactory, UserFactory
from tests.functional.test_api_read import bearer

SETTINGS = {"DB_CONNECT_TIMEOUT_SECONDS": 5, "DB_POOL_TIMEOUT_SECONDS": 10, "DB_LOCK_TIMEOUT_SECONDS": 10,
            "DB_STATEMENT_TIMEOUT_SECONDS": 0, "DB_IDLE_IN_TRANSACTION_SECONDS": 60,
            "DB_KEEPALIVE_IDLE_SECONDS": 30}


def test_postgresql_connections_get_timeouts_and_keepalives():
    options = engine_options("postgresql+psycopg://u@h/d", SETTINGS, {"pool_pre_ping": True})
    assert options["pool_pre_ping"] is True and options["pool_timeout"] == 10
    args = options["connect_args"]
    assert args["connect_timeout"] == 5 and args["keepalives"] == 1 and args["keepalives_idle"] == 30
    assert "-c lock_timeout=10000" in args["options"]
    assert "-c idle_in_transaction_session_timeout=60000" in args["options"]
    assert "statement_timeout" not in args["options"]  # 0 keeps the server's own


def test_sqlite_and_explicit_connect_args_are_left_alone():
    assert engine_options("sqlite:///x.db", SETTINGS, {"pool_pre_ping": True}) == {"pool_pre_ping": True}
    mine = {"connect_args": {"sslmode": "require"}}
    assert engine_options("postgresql://u@h/d", SETTINGS, mine)["connect_args"] == {"sslmode": "require"}
    assert server_options({**SETTINGS, "DB_LOCK_TIMEOUT_SECONDS": 0, "DB_IDLE_IN_TRANSACTION_SECONDS": 0,
                           "DB_KEEPALIVE_IDLE_SECONDS": 0}) == ""


def _needs_postgres(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL=postgresql://…)")


@pytest.mark.postgres
def test_the_app_connections_carry_the_timeouts(app, db):
    _needs_postgres(app)
    shown = {name: db.session.execute(text(f"SHOW {name}")).scalar() for name in (
        "lock_timeout", "idle_in_transaction_session_timeout", "tcp_keepalives_idle")}
    assert shown["lock_timeout"] == f"{app.config['DB_LOCK_TIMEOUT_SECONDS']}s"
    assert shown["idle_in_transaction_session_timeout"] == "1min"
    assert shown["tcp_keepalives_idle"] in ("30", "30s")


def _raw_url(app) -> str:
    """The test database's address for psycopg itself (no SQLAlchemy driver name)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@pytest.mark.postgres
def test_a_row_a_lost_connection_holds_gives_a_503_not_a_hang(app, client, db):
    _needs_postgres(app)
    unit = UnitFactory(name="Trường THPT Ngô Quyền")
    mine = AssignmentFactory(task=TaskFactory(content="Báo cáo số liệu"), unit=unit, role="cooperating",
                             due_date=date(2999, 12, 31))
    staff = UserFactory(role="unit_staff", unit=unit)
    db.session.commit()
    headers = bearer(staff)
    body = {"status": "in_progress", "progress": 40, "note": "Đang tổng hợp",
            "expected_version": mine.version}
    # a client that locked the row and went silent (its server end left idle in transaction)
    with psycopg.connect(_raw_url(app)) as lost:
        lost.execute("SELECT id FROM assignments WHERE id = %s FOR UPDATE", (mine.id,))
        watchdog = threading.Timer(30, lost.rollback)  # without the guard the post waits for ever
        watchdog.start()
        started = time.monotonic()
        held = client.post(f"/api/v1/assignments/{mine.id}/updates", json=body, headers=headers)
        waited = time.monotonic() - started
        watchdog.cancel()
        assert held.status_code == 503, held.get_json()
        assert held.headers["Retry-After"]
        assert waited < app.config["DB_LOCK_TIMEOUT_SECONDS"] + 5
        db.session.rollback()
        assert db.session.scalar(select(func.count(AssignmentUpdate.id))) == 0  # nothing half-written
        lost.rollback()
    done = client.post(f"/api/v1/assignments/{mine.id}/updates", json=body, headers=headers)
    assert done.status_code == 201, done.get_json()
