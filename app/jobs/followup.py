"""Job `overdue_followup`: the units' daily overdue digest, escalation, the directors' weekly digest."""
from datetime import datetime

from app.services.clock import today_local
from app.services.holidays import holidays_from_config
from app.services.notify.digests import overdue_followup as run_followup


def overdue_followup(now: datetime, config) -> dict:
    today = today_local(config["TIMEZONE"], now)
    return run_followup(
        today, holidays=holidays_from_config(config),
        escalation_days=int(config.get("ESCALATION_DAYS", 3)),
        weekly_weekday=int(config.get("SCHEDULER_WEEKLY_DIGEST_WEEKDAY", 0)),
        timezone=config["TIMEZONE"],
    )
