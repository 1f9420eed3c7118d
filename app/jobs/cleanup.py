"""Job `sweep_stale`: pending import files nobody confirmed, expired log-in sessions, old log-in attempts,
and fresh planner statistics on SQLite (it keeps none by itself)."""
from datetime import datetime, timedelta

from sqlalchemy import delete

from app.extensions import rows_changed
from app.models.base import as_utc
from app.models.users import LoginAttempt
from app.services.accounts.sessions import sweep_expired
from app.services.maintenance import refresh_planner_statistics
from app.services.plans.uploads import sweep_pending


def sweep_login_attempts(*, keep: timedelta, window: timedelta, now: datetime) -> int:
    """Delete log-in attempts older than `keep` (never inside the throttle's window, which counts
    them): without it every try, good or bad, stays in the table for ever. Returns how many went."""
    cutoff = as_utc(now) - max(keep, window)
    stmt = delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff)
    return rows_changed(stmt.execution_options(synchronize_session=False))


def sweep_stale(now: datetime, config) -> dict:
    # stored times are UTC (SQLite compares them as text): the job's local `now` is converted first
    utc_now = as_utc(now)
    files = sweep_pending(config["UPLOAD_FOLDER"], now=now.timestamp(),
                          max_age_seconds=int(config.get("IMPORT_PENDING_MAX_HOURS", 24)) * 3600)
    sessions = sweep_expired(idle=config["PERMANENT_SESSION_LIFETIME"],
                             max_age=timedelta(hours=int(config.get("SESSION_MAX_HOURS", 12))), now=utc_now)
    attempts = sweep_login_attempts(keep=timedelta(days=int(config["LOGIN_ATTEMPTS_KEEP_DAYS"])),
                                    window=timedelta(minutes=int(config["LOGIN_WINDOW_MINUTES"])),
                                    now=utc_now)
    statistics = refresh_planner_statistics() == "sqlite"
    return {"pending_files": files, "sessions": sessions, "login_attempts": attempts,
            "statistics_refreshed": statistics}
