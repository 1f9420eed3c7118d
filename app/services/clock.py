"""Today in the Sở's time zone: a deadline is a whole local day."""
from datetime import UTC, date, datetime

from app.formatting import local_date


def today_local(timezone: str, now: datetime | None = None) -> date:
    """The day it is in `timezone` at `now` (default: the current moment; naive = UTC)."""
    return local_date(now or datetime.now(UTC), timezone)
