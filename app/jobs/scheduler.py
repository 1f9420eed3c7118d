"""The scheduler process: leader election, then APScheduler's BlockingScheduler running the JOBS.

Only `flask scheduler run` calls run_scheduler(); the app factory never does (gunicorn workers
would each send every alert). Every job is idempotent, so a restart, a takeover or a manual
`run-job` next to the running scheduler cannot alert anybody twice.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from app.extensions import db
from app.jobs.leader import make_leader_lock
from app.jobs.registry import JOBS, get_job

log = logging.getLogger("tdnv.scheduler")
HEARTBEAT_JOB_ID = "_leader_heartbeat"


def execute(app, job_id: str, now: datetime | None = None, *, jobs=JOBS, raise_errors: bool = False) -> dict:
    """Run one job once in its own app context and session; commit on success, roll back on error.

    The scheduler logs a failing job and carries on (raise_errors=False); the CLI reports it.
    """
    spec = get_job(job_id, jobs)
    with app.app_context():
        tz = ZoneInfo(app.config["TIMEZONE"])
        now = now or datetime.now(tz)
        started = time.monotonic()
        try:
            summary = spec.func(now, app.config)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception(
                "job %s failed (now=%s); the next run will finish the work", job_id, now.isoformat()
            )
            if raise_errors:
                raise
            return {"error": True}
        finally:
            db.session.remove()
    # a minute-by-minute job that found nothing to do stays out of the log
    busy = any(isinstance(v, int) and not isinstance(v, bool) and v for v in summary.values())
    log.log(logging.INFO if busy else logging.DEBUG, "job %s done in %.1fs: %s", job_id,
            time.monotonic() - started, summary)
    return summary


def first_run_time(spec, trigger, now: datetime) -> datetime | None:
    """For a daily job whose fire time today has already passed, run once now (catch-up)."""
    if not spec.catch_up:
        return None
    start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today_fire = trigger.get_next_fire_time(None, start_of_day)
    return now if today_fire is not None and today_fire <= now else None


def build_scheduler(app, lock, *, jobs=JOBS, heartbeat_seconds: float | None = None) -> BlockingScheduler:
    config = app.config
    tz = ZoneInfo(config["TIMEZONE"])
    grace = int(config.get("SCHEDULER_MISFIRE_GRACE_SECONDS", 3600))
    # Daily jobs share one worker so they run one after the other, in registry order (check-ins are
    # opened before the reminders that mention them); mail and the heartbeat never wait behind them.
    executors = {
        "default": ThreadPoolExecutor(1),
        "mail": ThreadPoolExecutor(1),
        "leader": ThreadPoolExecutor(1),
    }
    scheduler = BlockingScheduler(
        timezone=tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
        executors=executors,
    )
    scheduler.tdnv_executors = list(executors.values())  # waited for before the lock is released
    now = datetime.now(tz)

    def run(job_id: str) -> None:
        if not lock.held:
            log.warning("job %s skipped: this process is no longer the leader", job_id)
            return
        execute(app, job_id, jobs=jobs)

    for position, spec in enumerate(jobs):
        trigger = spec.make_trigger(tz)
        options = {}
        if (first := first_run_time(spec, trigger, now)) is not None:
            options["next_run_time"] = first + timedelta(seconds=position)  # keep the registry order
        elif spec.trigger == "interval":
            options["next_run_time"] = now + timedelta(seconds=len(jobs))  # start polling right away
        scheduler.add_job(run, trigger, args=[spec.id], id=spec.id, name=spec.description,
                          executor="mail" if spec.trigger == "interval" else "default",
                          replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=grace,
                          **options)

    def heartbeat() -> None:
        if not lock.refresh():
            log.error("leader lock lost (database unreachable or taken over): stopping the jobs")
            scheduler.shutdown(wait=False)

    every = heartbeat_seconds or float(config.get("SCHEDULER_HEARTBEAT_SECONDS", 20))
    scheduler.add_job(heartbeat, "interval", seconds=every, id=HEARTBEAT_JOB_ID, misfire_grace_time=None,
                      executor="leader", next_run_time=now + timedelta(seconds=every))
    return scheduler


def run_scheduler(app, *, stop: threading.Event | None = None, lock=None, jobs=JOBS,
                  heartbeat_seconds: float | None = None) -> None:
    """Wait for the leader lock (standby), run the jobs while holding it, go back to standby if it
    is lost; return on SIGTERM/SIGINT or when `stop` is set."""
    stop = stop or threading.Event()
    with app.app_context():
        lock = lock or make_leader_lock(db.engine, app.config)
    every = heartbeat_seconds or float(app.config.get("SCHEDULER_HEARTBEAT_SECONDS", 20))
    current: dict = {}

    def on_signal(signum, frame):
        log.info("signal %s: stopping the scheduler", signum)
        stop.set()
        if (scheduler := current.get("scheduler")) is not None and scheduler.running:
            scheduler.shutdown(wait=False)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    exited = threading.Event()

    def watch_stop():  # a `stop` set by another thread (tests, embedding) ends the blocking loop
        stop.wait()
        while not exited.is_set():
            if (scheduler := current.get("scheduler")) is not None and scheduler.running:
                scheduler.shutdown(wait=False)
            exited.wait(0.1)

    threading.Thread(target=watch_stop, daemon=True, name="scheduler-stop").start()
    announced_standby = False
    try:
        while not stop.is_set():
            if not lock.acquire():
                if not announced_standby:
                    log.info("standby (%s): another scheduler holds the leader lock; waiting", lock.holder)
                    announced_standby = True
                stop.wait(every)
                continue
            announced_standby = False
            log.info("leader: %s runs the jobs %s", lock.holder, ", ".join(s.id for s in jobs))
            scheduler = build_scheduler(app, lock, jobs=jobs, heartbeat_seconds=every)
            current["scheduler"] = scheduler
            if stop.is_set():
                break
            scheduler.start()  # blocks until shutdown (signal, stop, or lock lost)
            for executor in scheduler.tdnv_executors:  # let a running job finish before letting go
                executor.shutdown(wait=True)
            current.pop("scheduler", None)
    finally:
        exited.set()
        lock.release()
        stop.set()
        log.info("scheduler stopped")
