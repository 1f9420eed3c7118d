"""Today in the Sở's time zone: a deadline is a whole local day."""
from datetime import date, datetime
from zoneinfo import ZoneInfo


def today_local(timezone: str, now: datetime | None = None) -> date:
    now = now or datetime.now(ZoneInfo("UTC"))
    return now.astimezone(ZoneInfo(timezone)).date()
