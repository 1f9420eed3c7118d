"""Job `periodic_checkins`: open the current period's check-in of every ongoing or recurring assignment."""
from datetime import datetime

from app.services.clock import today_local
from app.services.work.checkins import open_periodic_checkins


def periodic_checkins(now: datetime, config) -> dict:
    today = today_local(config["TIMEZONE"], now)
    return open_periodic_checkins(today, config.get("SCHEDULER_ONGOING_PERIOD", "monthly"))
