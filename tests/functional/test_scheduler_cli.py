"""`flask scheduler list` and `run-job` for operators; a failing job does not stop the loop."""
import threading
import time

from app.jobs.leader import AdvisoryLock, RowLock
from app.jobs.registry import JobSpec
from app.jobs.scheduler import run_scheduler


def test_list_shows_next_runs_in_vietnam_time(runner):
    result = runner.invoke(args=["scheduler", "list", "--now", "2025-12-24T06:45"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line}
    assert "24/12/2025 07:00" in lines["deadline_reminders"]
    assert "24/12/2025 07:30" in lines["overdue_followup"]
    assert "25/12/2025 06:30" in lines["periodic_checkins"]
    assert "25/12/2025 01:30" in lines["build_matrices"]
    assert "send_mail" in lines and "Hộp thư đi: pending 0" in result.output


def test_run_job_rejects_unknown_job_and_bad_clock(runner):
    assert runner.invoke(args=["scheduler", "run-job", "nope"]).exit_code != 0
    bad = runner.invoke(args=["scheduler", "run-job", "send_mail", "--now", "24/12/2025"])
    assert bad.exit_code != 0 and "ISO" in bad.output


def test_run_job_with_utc_clock_uses_the_local_day(runner):
    # 23:30 UTC on 23/12 is already 24/12 in Hà Nội
    result = runner.invoke(
        args=["scheduler", "run-job", "periodic_checkins", "--now", "2025-12-23T23:30+00:00"]
    )
    assert result.exit_code == 0, result.output
    assert "(24/12/2025 06:30)" in result.output and '"today": "2025-12-24"' in result.output


def test_scheduler_loop_survives_a_failing_job(app, db):
    calls = []

    def flaky(now, config):
        calls.append(now)
        if len(calls) == 1:
            raise ConnectionError("database briefly unreachable")
        return {"ok": True}

    stop = threading.Event()
    lock = RowLock(db.engine, holder="solo")
    jobs = (JobSpec("flaky", flaky, "test", "interval", {"seconds": 0.2}),)
    thread = threading.Thread(target=run_scheduler, args=(app,), daemon=True,
                              kwargs={"stop": stop, "lock": lock, "jobs": jobs, "heartbeat_seconds": 0.2})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while len(calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert len(calls) >= 3 and not thread.is_alive()


def test_locks_report_unreachable_database_as_not_acquired(tmp_path):
    from sqlalchemy import create_engine

    assert AdvisoryLock("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1").acquire() is False
    missing = create_engine(f"sqlite:///{tmp_path}/missing-dir/db.sqlite3")
    assert RowLock(missing).acquire() is False
