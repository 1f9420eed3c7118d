"""Two `flask scheduler run` at once: only the leader runs jobs; the standby takes over.

On PostgreSQL each scheduler holds its own connection and competes for the advisory lock; on
SQLite they compete for the SchedulerLock row.
"""
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.jobs.leader import AdvisoryLock, RowLock, make_leader_lock
from app.jobs.mail import send_mail
from app.jobs.registry import JobSpec
from app.jobs.scheduler import run_scheduler
from app.models import OutboxMessage
from app.services.notify.notifications import Alert, create_notifications
from tests import smtp_helpers
from tests.factories import UserFactory

smtp_server = smtp_helpers.smtp_server  # the fixtures, shared
mail_config = smtp_helpers.mail_config


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


class Runner:
    """One scheduler process, in a thread, with a fast send_mail job that records who ran it."""

    def __init__(self, app, name: str, runs: list):
        self.name, self.stop = name, threading.Event()
        with app.app_context():
            self.lock = make_leader_lock(_db.engine, app.config, holder=name)

        def job(now, config):
            runs.append(name)
            return send_mail(now, config)

        jobs = (JobSpec("send_mail", job, "test", "interval", {"seconds": 0.2}),)
        self.thread = threading.Thread(target=run_scheduler, args=(app,), daemon=True,
                                       kwargs={"stop": self.stop, "lock": self.lock, "jobs": jobs,
                                               "heartbeat_seconds": 0.2})

    def start(self):
        self.thread.start()
        return self

    def shutdown(self):
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive()


def queue_alerts(users, tag):
    create_notifications(Alert(user_id=u.id, key=f"{tag}:{u.id}", kind="deadline_reminder",
                               title=f"Nhắc hạn {tag}") for u in users)
    _db.session.commit()


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_two_schedulers_only_the_leader_sends_and_the_standby_takes_over(app, db, mail_config, smtp_server):
    users = [UserFactory() for _ in range(3)]
    queue_alerts(users, "first")
    runs: list[str] = []
    first = Runner(app, "first", runs).start()
    assert wait_until(lambda: first.lock.held)
    second = Runner(app, "second", runs).start()
    try:
        assert wait_until(lambda: len(smtp_server.received) >= 3)
        time.sleep(1.0)  # both keep polling: nothing more may go out
        assert len(smtp_server.received) == 3
        assert sorted(smtp_server.recipients()) == sorted(u.email for u in users)
        assert set(runs) == {"first"} and not second.lock.held

        first.shutdown()  # the leader stops: the standby takes over and finishes new work
        queue_alerts(users, "second")
        assert wait_until(lambda: len(smtp_server.received) >= 6)
        assert "second" in runs and second.lock.held
    finally:
        first.shutdown()
        second.shutdown()
    time.sleep(0.3)
    assert len(smtp_server.received) == 6
    db.session.expire_all()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 6


def test_lock_kind_follows_the_database(app, db):
    lock = make_leader_lock(db.engine, app.config)
    assert isinstance(lock, AdvisoryLock if is_postgres(app) else RowLock)
    if isinstance(lock, AdvisoryLock):
        lock.release()


@pytest.mark.postgres
def test_postgres_advisory_lock_is_exclusive_and_dies_with_its_connection(app, db):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL=postgresql://…)")
    first = AdvisoryLock(db.engine.url, holder="first")
    second = AdvisoryLock(db.engine.url, holder="second")
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.refresh() is True and second.refresh() is False
        # the leader's process dies: the server drops its session and its lock with it
        first.conn.invalidate()
        first.conn = None
        assert wait_until(lambda: second.acquire(), timeout=5)
        assert first.refresh() is False
        assert first.acquire() is False
    finally:
        first.release()
        second.release()


def test_sqlite_row_lock_takes_over_a_dead_leader(app, db):
    """A holder that stops heart-beating (killed) is replaced after the expiry, not before."""
    clock = {"now": datetime(2025, 12, 24, tzinfo=UTC)}
    dead = RowLock(db.engine, holder="dead", expiry_seconds=30, clock=lambda: clock["now"])
    standby = RowLock(db.engine, holder="standby", expiry_seconds=30, clock=lambda: clock["now"])
    assert dead.acquire() and not standby.acquire()
    clock["now"] = clock["now"].replace(second=29)
    assert not standby.acquire()
    clock["now"] = clock["now"].replace(second=31)
    assert standby.acquire()
    standby.release()



def _two_processes_leader_killed(app, smtp_server, tmp_path):
    """Start two real `flask scheduler run`; only the leader sends; kill -9 it; the standby takes
    over and sends the rest, once."""
    import os
    import signal
    import subprocess
    import sys

    users = [UserFactory() for _ in range(3)]
    queue_alerts(users, "before")
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "TDNV_CONFIG": "development",
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_server.port), "SCHEDULER_HEARTBEAT_SECONDS": "1",
           "SCHEDULER_LOCK_EXPIRY_SECONDS": "3", "UPLOAD_FOLDER": str(tmp_path / "uploads"),
           "BASE_URL": "https://tdnv.example.vn"}
    env.pop("FLASK_ENV", None)
    processes, logs = {}, {}

    def start(name):
        logs[name] = tmp_path / f"{name}.log"
        processes[name] = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], env=env,
            stdout=subprocess.DEVNULL, stderr=logs[name].open("w"), cwd=os.getcwd())

    def log(name):
        return logs[name].read_text()

    try:
        start("first")
        assert wait_until(lambda: "leader:" in log("first"), timeout=20), log("first")
        start("second")
        assert wait_until(lambda: "standby" in log("second"), timeout=20), log("second")
        assert wait_until(lambda: len(smtp_server.received) >= 3, timeout=20), log("first")
        processes["first"].send_signal(signal.SIGKILL)  # no clean-up at all
        processes["first"].wait(10)
        queue_alerts(users, "after")
        assert wait_until(lambda: "leader:" in log("second"), timeout=20), log("second")
        assert wait_until(lambda: len(smtp_server.received) >= 6, timeout=30), log("second")
        time.sleep(1.5)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
                process.wait(30)
    assert sorted(smtp_server.recipients()) == sorted([u.email for u in users] * 2)


@pytest.mark.postgres
def test_two_scheduler_processes_postgres_leader_killed(app, db, smtp_server, tmp_path):
    """The server drops a killed leader's session and its advisory lock: the standby wins at once."""
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL=postgresql://…)")
    _two_processes_leader_killed(app, smtp_server, tmp_path)


@pytest.mark.sqlite
def test_two_scheduler_processes_sqlite_leader_killed(app, db, smtp_server, tmp_path):
    """The killed leader's row stops beating; the standby takes it over after the expiry."""
    if is_postgres(app):
        pytest.skip("the PostgreSQL variant covers this database")
    _two_processes_leader_killed(app, smtp_server, tmp_path)
