"""Working days in Việt Nam: weekends and public holidays (Tết included) move reminders earlier."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from app.formatting import parse_vn_date

# Days off for public servants (Bộ luật Lao động 2019, art. 112, and the yearly decisions of the
# Prime Minister / Bộ Nội vụ). Weekends are not listed: they are off anyway. 2027 Tết is an estimate
# until the official schedule is published: override with PUBLIC_HOLIDAYS.
DEFAULT_PUBLIC_HOLIDAYS = (
    # 2025
    "01/01/2025",
    "27/01/2025", "28/01/2025", "29/01/2025", "30/01/2025", "31/01/2025",  # Tết Ất Tỵ
    "07/04/2025",  # Giỗ Tổ Hùng Vương (10/3 âm lịch)
    "30/04/2025", "01/05/2025", "02/05/2025",  # 30/4, 1/5 (2/5 swapped with Saturday 26/4)
    "01/09/2025", "02/09/2025",  # Quốc khánh
    # 2026
    "01/01/2026",
    "16/02/2026", "17/02/2026", "18/02/2026", "19/02/2026", "20/02/2026",  # Tết Bính Ngọ
    "27/04/2026",  # Giỗ Tổ (Sunday 26/4) taken on Monday
    "30/04/2026", "01/05/2026",
    "01/09/2026", "02/09/2026",
    # 2027
    "01/01/2027",
    "04/02/2027", "05/02/2027", "08/02/2027", "09/02/2027", "10/02/2027",  # Tết Đinh Mùi (estimate)
    "16/04/2027",  # Giỗ Tổ
    "30/04/2027", "03/05/2027",  # 1/5 is a Saturday: Monday off
    "02/09/2027", "03/09/2027",
)


def parse_holidays(value: str | Iterable | None) -> frozenset[date]:
    """The PUBLIC_HOLIDAYS setting: a comma/space separated string or a list of dates or strings.

    Empty means the built-in defaults; a value replaces them (so a Sở can follow the official list).
    """
    if not value:
        items: Iterable = DEFAULT_PUBLIC_HOLIDAYS
    elif isinstance(value, str):
        items = [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part.strip()]
    else:
        items = value
    return frozenset(item if isinstance(item, date) else parse_vn_date(str(item)) for item in items)


def holidays_from_config(config) -> frozenset[date]:
    return parse_holidays(config.get("PUBLIC_HOLIDAYS"))


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def previous_working_day(day: date, holidays: frozenset[date]) -> date:
    """The day itself when it is a working day, else the nearest working day before it."""
    while not is_working_day(day, holidays):
        day -= timedelta(days=1)
    return day


def parse_offsets(value) -> list[int]:
    """SCHEDULER_REMINDER_OFFSETS ("7,3,1,0" or a list) as distinct days, largest first."""
    if isinstance(value, str):
        value = [part for part in value.replace(" ", "").split(",") if part]
    return sorted({int(v) for v in value or ()}, reverse=True)
