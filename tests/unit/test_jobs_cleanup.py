"""The nightly clean-up: old log-in attempts go, those the throttle still counts stay."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.jobs.cleanup import sweep_login_attempts
from app.jobs.scheduler import execute
from app.models.users import LoginAttempt
from app.services.accounts import auth
from app.services.accounts.auth import LoginThrottled

NOW = datetime(2026, 12, 2, 2, 15, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _attempt(name: str, age: timedelta, ok: bool = False) -> None:
    from app.extensions import db

    db.session.add(LoginAttempt(username=name, ip_address="10.0.0.1", succeeded=ok,
                                attempted_at=NOW.astimezone(UTC) - age))


def test_the_cleanup_job_sweeps_old_login_attempts(app, db):
    _attempt("cu", timedelta(days=31))
    _attempt("cu-thanh-cong", timedelta(days=45), ok=True)
    _attempt("gan-day", timedelta(days=29))
    _attempt("vua-xong", timedelta(minutes=5))
    db.session.commit()
    summary = execute(app, "sweep_stale", NOW)
    assert summary["login_attempts"] == 2
    left = set(db.session.scalars(select(LoginAttempt.username)))
    assert left == {"gan-day", "vua-xong"}
    assert execute(app, "sweep_stale", NOW)["login_attempts"] == 0  # a second run finds nothing


def test_the_sweep_never_cuts_into_the_throttle_window(app, db):
    """Even with a retention shorter than the window, the failures the throttle counts stay, and
    the name is still held back after the sweep."""
    for tenth in range(10):  # ten failures, the last 10 seconds ago: a 64-second delay runs
        _attempt("doan-mat-khau", timedelta(seconds=100 - 10 * tenth))
    _attempt("doan-mat-khau", timedelta(hours=2))
    db.session.commit()
    assert sweep_login_attempts(keep=timedelta(0), window=timedelta(minutes=15), now=NOW) == 1
    db.session.commit()
    assert len(db.session.scalars(select(LoginAttempt.id)).all()) == 10
    try:
        auth.authenticate("doan-mat-khau", "sai", ip_address="10.0.0.1", max_failures=5, ip_max_failures=100,
                          window_minutes=15, now=NOW.astimezone(UTC))
    except LoginThrottled:
        pass
    else:
        raise AssertionError("the failures inside the window no longer throttle")


def test_the_cleanup_job_refreshes_the_planner_statistics_on_sqlite(app, db):
    """SQLite keeps no statistics by itself: after the nightly job its planner has them."""
    from sqlalchemy import text

    summary = execute(app, "sweep_stale", NOW)
    sqlite = db.engine.dialect.name == "sqlite"
    assert summary["statistics_refreshed"] is sqlite
    if sqlite:
        # ANALYZE creates the statistics table (empty tables get no row of their own)
        assert db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) == 1
