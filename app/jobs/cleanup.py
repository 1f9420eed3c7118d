"""Job `sweep_stale`: pending import files nobody confirmed, and expired log-in sessions."""
from datetime import datetime, timedelta

from app.services.accounts.sessions import sweep_expired
from app.services.plans.uploads import sweep_pending


def sweep_stale(now: datetime, config) -> dict:
    files = sweep_pending(config["UPLOAD_FOLDER"], now=now.timestamp(),
                          max_age_seconds=int(config.get("IMPORT_PENDING_MAX_HOURS", 24)) * 3600)
    sessions = sweep_expired(idle=config["PERMANENT_SESSION_LIFETIME"],
                             max_age=timedelta(hours=int(config.get("SESSION_MAX_HOURS", 12))), now=now)
    return {"pending_files": files, "sessions": sessions}
