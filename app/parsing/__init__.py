"""Pure Vietnamese parsers for plan cells: time expressions, targets, unit names and text repair."""

from app.parsing.targets import parse_targets, suggest_targets
from app.parsing.text import convert_legacy, detect_legacy_encoding, fix_legacy_text, fold, normalize_text
from app.parsing.times import (
    SchoolCalendar,
    TimeParse,
    content_deadline_warnings,
    find_content_deadlines,
    parse_time,
)
from app.parsing.units import COMMON_UNIT_NAMES, UnitResolution, resolve_unit_names, split_unit_names

__all__ = [
    "COMMON_UNIT_NAMES",
    "SchoolCalendar",
    "TimeParse",
    "UnitResolution",
    "content_deadline_warnings",
    "convert_legacy",
    "detect_legacy_encoding",
    "find_content_deadlines",
    "fix_legacy_text",
    "fold",
    "normalize_text",
    "parse_targets",
    "parse_time",
    "resolve_unit_names",
    "split_unit_names",
    "suggest_targets",
]
