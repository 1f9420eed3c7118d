"""The registry, the APScheduler wiring, a failing job, and the SQLite leader row."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.jobs.leader import RowLock
from app.jobs.registry import JOB_IDS, JOBS, JobSpec, get_job
from app.jobs.scheduler import HEARTBEAT_JOB_ID, build_scheduler, execute, first_run_time
from app.models import Notification, SchedulerLock
from tests.factories import UserFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class FakeLock:
    held = True
    holder = "test"

    def refresh(self):
        return True


def test_registry_ids_and_triggers():
    assert set(JOB_IDS) == {"deadline_reminders", "overdue_followup", "periodic_checkins", "build_matrices",
                            "sweep_stale", "send_mail"}
    morning = datetime(2025, 12, 24, 0, 5, tzinfo=TZ)
    assert get_job("deadline_reminders").make_trigger(TZ).get_next_fire_time(None, morning).hour == 7
    assert get_job("build_matrices").make_trigger(TZ).get_next_fire_time(None, morning).hour == 1
    assert get_job("send_mail").make_trigger(TZ).interval == timedelta(minutes=1)
    with pytest.raises(KeyError):
        get_job("nope")


def test_scheduler_jobs_are_coalesced_single_instance_in_vietnam_time(app):
    scheduler = build_scheduler(app, FakeLock())
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(JOB_IDS) | {HEARTBEAT_JOB_ID}
    for job_id in JOB_IDS:
        job = jobs[job_id]
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time >= 60
    assert str(scheduler.timezone) == "Asia/Ho_Chi_Minh"


def test_daily_jobs_catch_up_when_started_after_their_hour():
    spec = get_job("deadline_reminders")
    trigger = spec.make_trigger(TZ)
    late = datetime(2025, 12, 24, 9, 0, tzinfo=TZ)
    assert first_run_time(spec, trigger, late) == late
    assert first_run_time(spec, trigger, datetime(2025, 12, 24, 6, 0, tzinfo=TZ)) is None
    assert first_run_time(get_job("send_mail"), get_job("send_mail").make_trigger(TZ), late) is None


def test_failing_job_is_logged_rolled_back_and_survived(app, db, caplog, monkeypatch):
    from app.jobs import scheduler

    monkeypatch.setattr(scheduler.log, "disabled", False)  # alembic's fileConfig disables old loggers
    user = UserFactory()
    db.session.commit()  # the job runs in its own app context and session

    def broken(now, config):
        db.session.add(Notification(user_id=user.id, key="half-done", kind="x", title="x"))
        db.session.flush()
        raise RuntimeError("boom")

    jobs = (JobSpec("broken", broken, "test", "interval", {"minutes": 1}),)
    assert execute(app, "broken", jobs=jobs) == {"error": True}
    assert "job broken failed" in caplog.text
    assert db.session.scalar(select(Notification)) is None
    with pytest.raises(RuntimeError):
        execute(app, "broken", jobs=jobs, raise_errors=True)


def test_row_lock_takeover_after_expiry(db):
    clock = {"now": datetime(2025, 12, 24, 0, 0, tzinfo=UTC)}
    first = RowLock(db.engine, holder="first", expiry_seconds=90, clock=lambda: clock["now"])
    second = RowLock(db.engine, holder="second", expiry_seconds=90, clock=lambda: clock["now"])
    assert first.acquire() is True
    assert second.acquire() is False  # standby
    clock["now"] += timedelta(seconds=60)
    assert first.refresh() is True  # heartbeat keeps it
    clock["now"] += timedelta(seconds=60)
    assert second.acquire() is False  # 60 s since the heartbeat: still alive
    clock["now"] += timedelta(seconds=31)  # the first process died: no heartbeat for 91 s
    assert second.acquire() is True
    assert first.refresh() is False  # it learns it lost the lock and stops its jobs
    assert first.acquire() is False
    row = db.session.scalar(select(SchedulerLock))
    assert row.holder == "second"
    second.release()
    assert first.acquire() is True
    first.release()
    assert db.session.scalar(select(SchedulerLock)) is None


def test_jobs_are_plain_functions():
    for spec in JOBS:
        assert callable(spec.func)
        assert spec.func.__code__.co_varnames[:2] == ("now", "config")
