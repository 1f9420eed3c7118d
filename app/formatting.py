"""Vietnamese formatting for people, in one place: 20/10/2025, 20/10/2025 08:30 (Vietnam time),
1.700 and 98,5, 98,5%.

Templates, documents, mail, the CLI and exporters all call these functions, so a date or a number
reads the same everywhere. Pure and stdlib-only: the time zone is an argument (a name or a tzinfo),
Asia/Ho_Chi_Minh by default. A naive timestamp means UTC (SQLite hands stored timestamps back
without an offset), the same rule as `app.models.base.as_utc`.
"""
from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, tzinfo
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache
from typing import overload
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
DATETIME_FORMAT = f"{DATE_FORMAT} {TIME_FORMAT}"
# What people may type for a date: dd/mm/yyyy (zero padding optional) or ISO yyyy-mm-dd.
DATE_INPUT_FORMATS = (DATE_FORMAT, "%Y-%m-%d")
# Digits kept after the comma when no precision is asked for: enough for any real figure, few
# enough that float noise disappears (0.1 + 0.2 prints 0,3, not 0,30000000000000004).
MAX_DECIMALS = 10
# The one precision of every percentage shown: at most one decimal, ",0" dropped (98,5%, 100%).
PERCENT_DECIMALS = 1
# A missing deadline in messages ("Thời hạn: không có").
NO_DATE = "không có"
_SWAP_SEPARATORS = str.maketrans(",.", ".,")


# --- time zones ------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _zone_named(name: str) -> tzinfo:
    return ZoneInfo(name)


def zone(tz: str | tzinfo | None = None) -> tzinfo:
    """A tzinfo from a name ("Asia/Ho_Chi_Minh"), a tzinfo, or None for the default."""
    if tz is None:
        return _zone_named(DEFAULT_TIMEZONE)
    return _zone_named(tz) if isinstance(tz, str) else tz


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC (mirrors app.models.base.as_utc)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# A timestamp in gives a timestamp out, None gives None: callers with a value need no None check.
@overload
def to_local(moment: datetime, tz: str | tzinfo | None = None) -> datetime: ...
@overload
def to_local(moment: None, tz: str | tzinfo | None = None) -> None: ...
@overload
def to_local(moment: datetime | None, tz: str | tzinfo | None = None) -> datetime | None: ...
def to_local(moment: datetime | None, tz: str | tzinfo | None = None) -> datetime | None:
    """A stored timestamp in the Sở's time zone (naive = UTC); None stays None."""
    if moment is None:
        return None
    return as_utc(moment).astimezone(zone(tz))


@overload
def local_date(moment: datetime | date, tz: str | tzinfo | None = None) -> date: ...
@overload
def local_date(moment: None, tz: str | tzinfo | None = None) -> None: ...
@overload
def local_date(moment: datetime | date | None, tz: str | tzinfo | None = None) -> date | None: ...
def local_date(moment: datetime | date | None, tz: str | tzinfo | None = None) -> date | None:
    """The calendar day in the Sở's time zone of a timestamp; a plain date is returned as is."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return to_local(moment, tz).date()
    return moment


# --- dates -----------------------------------------------------------------------------------


def vn_date(value, tz: str | tzinfo | None = None, *, empty: str = "") -> str:
    """20/10/2025. A datetime is a timestamp shown as its local day; an ISO string (as the importer
    keeps dates) is read first; None or "" gives `empty`; any other text is shown unchanged."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = local_date(value, tz)
    return value.strftime(DATE_FORMAT)


def vn_time(value: time | datetime) -> str:
    """08:30, a wall-clock time of day (not converted: use vn_datetime for timestamps)."""
    return value.strftime(TIME_FORMAT)


def vn_datetime(value, tz: str | tzinfo | None = None) -> str:
    """20/10/2025 08:30 in the Sở's time zone (naive = UTC); a plain date gives only the day."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return vn_date(value, tz)
    return to_local(value, tz).strftime(DATETIME_FORMAT)


def vn_day_month(value: date) -> str:
    """20/10, for chart labels where the year is plain from the context."""
    return f"{value.day:02d}/{value.month:02d}"


def vn_month(value: date) -> str:
    """10/2025, a month as in "tháng 10/2025"."""
    return f"{value.month:02d}/{value.year}"


_ROMAN_QUARTERS = ("I", "II", "III", "IV")


def vn_period(key: str | None) -> str:
    """A check-in period key as people say it: "2025-12" → "tháng 12/2025", "2025-Q4" → "quý IV/2025",
    "2025" → "năm 2025"; anything else is shown as it is."""
    text = (key or "").strip()
    year, _, part = text.partition("-")
    if not (len(year) == 4 and year.isdigit()):
        return text
    if not part:
        return f"năm {year}"
    if part.isdigit() and 1 <= int(part) <= 12:
        return f"tháng {int(part)}/{year}"
    if part[:1] in ("Q", "q") and part[1:].isdigit() and 1 <= int(part[1:]) <= 4:
        return f"quý {_ROMAN_QUARTERS[int(part[1:]) - 1]}/{year}"
    return text


def parse_vn_date(text: str) -> date:
    """The date people type: dd/mm/yyyy (zero padding optional) or ISO; ValueError otherwise."""
    text = (text or "").strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a dd/mm/yyyy date: {text!r}")


# --- numbers ---------------------------------------------------------------------------------


def _decimal(value) -> Decimal:
    """A number as an exact Decimal: floats by their shortest repr, strings as machine numbers."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number to format")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"not a number: {value!r}")
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _rounded(value, decimals: int | None) -> Decimal:
    """Rounded half up to at most `decimals` places (MAX_DECIMALS when None), trailing zeros off."""
    number = _decimal(value)
    places = MAX_DECIMALS if decimals is None else decimals
    # enough precision for every digit of big numbers (1e20 has more than the default 28)
    context = Context(prec=max(28, number.adjusted() + places + 2))
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=context)
    if number == 0:
        return Decimal(0)  # no "-0" for -0.04 shown with one decimal
    number = number.normalize(context)
    # normalize() writes 1700 as 1.7E+3: put the integer digits back (a finite number's exponent
    # is an int; only NaN and infinity have a letter there)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return number.quantize(Decimal(1), context=context)
    return number


def vn_number(value, decimals: int | None = None) -> str:
    """1700 -> "1.700", 98.5 -> "98,5", -1234.5 -> "-1.234,5", 0.1 + 0.2 -> "0,3".

    Dot for thousands, comma for decimals; `decimals` is the most digits kept after the comma
    (rounded half up, trailing zeros dropped: 75.0 -> "75"). Accepts int, float, Decimal and
    machine-format strings ("1700", "98.5"); None or "" gives "".
    """
    if value is None or value == "":
        return ""
    return f"{_rounded(value, decimals):,f}".translate(_SWAP_SEPARATORS)


def vn_percent(value, decimals: int | None = PERCENT_DECIMALS) -> str:
    """A percentage already in percent: 98.5 -> "98,5%", 100.0 -> "100%", 33.333 -> "33,3%".

    The one rule for rates shown to people is PERCENT_DECIMALS; pass decimals=None only to keep a
    figure as written (a percentage typed in a cell). None or "" gives "".
    """
    if value is None or value == "":
        return ""
    return vn_number(value, decimals) + "%"


def vn_share(part: int, whole: int) -> str:
    """`part` out of `whole` as a percentage: vn_share(9, 12) -> "75%"; "0%" when whole is 0."""
    if not whole:
        return vn_percent(0)
    return vn_percent(Decimal(part) * 100 / Decimal(whole))


def plain_number(value) -> str:
    """A number as machine text, for a spreadsheet cell read as text (codes, phones, amounts):
    no grouping, "." for decimals, float noise dropped: 912345678.0 -> "912345678", 98.5 -> "98.5"."""
    return f"{_rounded(value, None):f}"


# --- targets ---------------------------------------------------------------------------------

_TARGET_OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def format_target(target: dict) -> str:
    """A parsed target as people write it: "≥98,5%", "3-5 trường", "≤5%".

    The value is shown as stated (vn_number), never rounded to the percentage rule: a target of
    99,82% stays 99,82%.
    """
    unit = target.get("unit") or ""
    sep = "" if unit == "%" else " "
    if target.get("op") == "between":
        return f"{vn_number(target['value'])}-{vn_number(target.get('max'))}{sep}{unit}".strip()
    return f"{_TARGET_OPS.get(target.get('op') or '', '')}{vn_number(target['value'])}{sep}{unit}".strip()
