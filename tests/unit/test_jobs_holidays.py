"""Working days: weekends and public holidays (Tết) move reminders to the working day before."""
from datetime import date

import pytest

from app.services.holidays import (
    DEFAULT_PUBLIC_HOLIDAYS,
    is_working_day,
    parse_holidays,
    parse_offsets,
    previous_working_day,
)
from app.services.notify.reminders import reminder_offset

HOLIDAYS = parse_holidays("")
OFFSETS = [7, 3, 1, 0]


def test_defaults_cover_tet_and_national_days():
    assert len(HOLIDAYS) == len(DEFAULT_PUBLIC_HOLIDAYS)
    for day in (date(2025, 1, 29), date(2026, 2, 17), date(2026, 4, 30), date(2026, 9, 2), date(2027, 1, 1)):
        assert day in HOLIDAYS


def test_configured_list_replaces_defaults():
    custom = parse_holidays("01/01/2026, 2026-02-17;3/9/2026")
    assert custom == {date(2026, 1, 1), date(2026, 2, 17), date(2026, 9, 3)}
    assert parse_holidays([date(2026, 5, 1), "02/05/2026"]) == {date(2026, 5, 1), date(2026, 5, 2)}
    with pytest.raises(ValueError):
        parse_holidays("32/01/2026")


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 12, 24), date(2025, 12, 24)),  # Wednesday
    (date(2025, 12, 28), date(2025, 12, 26)),  # Sunday -> Friday
    (date(2026, 2, 17), date(2026, 2, 13)),  # Tết Bính Ngọ -> Friday before the break
    (date(2026, 2, 22), date(2026, 2, 13)),
    (date(2026, 5, 1), date(2026, 4, 29)),  # 30/4 and 1/5
    (date(2026, 1, 1), date(2025, 12, 31)),
])
def test_previous_working_day(day, expected):
    assert previous_working_day(day, HOLIDAYS) == expected
    assert is_working_day(expected, HOLIDAYS)


def test_offsets_setting():
    assert parse_offsets("7,3,1,0") == [7, 3, 1, 0]
    assert parse_offsets("0, 14,7,7") == [14, 7, 0]
    assert parse_offsets([1, 3]) == [3, 1]


@pytest.mark.parametrize(("today", "expected"), [
    (date(2025, 12, 23), None),  # before the first send day (31/12 - 7 = 24/12)
    (date(2025, 12, 24), 7),
    (date(2025, 12, 25), 7),  # a missed day catches up: still the 7-day reminder
    (date(2025, 12, 26), 3),  # 28/12 is a Sunday: the 3-day reminder goes out on Friday 26/12
    (date(2025, 12, 29), 3),
    (date(2025, 12, 30), 1),
    (date(2025, 12, 31), 0),
    (date(2026, 1, 1), None),  # past the deadline: the overdue follow-up takes over
])
def test_reminder_offset_weekday_deadline(today, expected):
    due = date(2025, 12, 31)
    assert reminder_offset(due, today, OFFSETS, HOLIDAYS) == expected


def test_sunday_deadline_goes_out_on_friday():
    due = date(2025, 12, 28)  # Sunday
    assert reminder_offset(due, date(2025, 12, 25), OFFSETS, HOLIDAYS) == 3
    # the 1-day (Saturday) and the on-the-day (Sunday) reminders both land on Friday: one, the latest
    assert reminder_offset(due, date(2025, 12, 26), OFFSETS, HOLIDAYS) == 0


def test_tet_deadline_goes_out_before_the_break():
    due = date(2026, 2, 17)  # mùng 1 Tết
    assert reminder_offset(due, date(2026, 2, 10), OFFSETS, HOLIDAYS) == 7
    assert reminder_offset(due, date(2026, 2, 12), OFFSETS, HOLIDAYS) == 7
    assert reminder_offset(due, date(2026, 2, 13), OFFSETS, HOLIDAYS) == 0
    assert reminder_offset(due, date(2026, 2, 9), OFFSETS, HOLIDAYS) is None
