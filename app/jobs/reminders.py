"""Job `deadline_reminders`: reminders before each deadline (assignments and periodic check-ins)."""
from datetime import datetime

from app.services.clock import today_local
from app.services.holidays import holidays_from_config, parse_offsets
from app.services.notify.reminders import send_deadline_reminders


def deadline_reminders(now: datetime, config) -> dict:
    """Create the reminders due by today at SCHEDULER_REMINDER_OFFSETS days before each deadline."""
    today = today_local(config["TIMEZONE"], now)
    return send_deadline_reminders(today, parse_offsets(config.get("SCHEDULER_REMINDER_OFFSETS", "7,3,1,0")),
                                   holidays_from_config(config))
