"""Time cells relative to the plan's issue date ("60 ngày kể từ ngày ký", "Kể từ khi Kế hoạch có
hiệu lực") and the notes written after a date ("30/6/2026 (có thể điều chỉnh theo tiến độ)")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.formatting import vn_date
from app.parsing.text import fold_aligned

MAX_DAYS = 3660
# "60 ngày kể từ ngày ký", "trong 30 ngày", "trong vòng 45 ngày làm việc kể từ ngày ban hành".
_DAYS = re.compile(
    r"^(?:(?:cham nhat|toi da|trong(?: vong| thoi han)?|khong qua|sau)\s+)?(\d{1,4})\s*ngay"
    r"(?:\s+(?:lam viec|ke tu|tinh tu|sau)\b.*)?$"
)
_WORKING = re.compile(r"\blam viec\b")
# "Kể từ khi Kế hoạch có hiệu lực", "Từ ngày ký ban hành", "Ngay sau khi Kế hoạch được ban hành".
_FROM_ISSUE = re.compile(
    r"^(?:(?:ngay\s+)?(?:ke\s+)?tu|ngay sau)\s+(?:khi|ngay)\s+.*(?:hieu luc|ky|ban hanh|phe duyet)"
)
# A note in brackets ("(bước 1)", "(có thể điều chỉnh theo tiến độ)").
_NOTE = re.compile(r"\(([^()]{2,120})\)")


def split_notes(raw: str, is_time) -> tuple[str, list[str]]:
    """The cell without its bracketed notes (those is_time finds no time in), and the notes."""
    notes: list[str] = []

    def drop(m: re.Match) -> str:
        if is_time(m.group(1)):
            return m.group(0)
        notes.append(m.group(1).strip())
        return " "

    bare = _NOTE.sub(drop, raw)
    return (bare.strip() if notes else raw), notes


def relative_due(raw: str, issue_date: date | None) -> tuple[date | None, date | None, str | None,
                                                             list[str]] | None:
    """(start, due, recurrence, warnings) for a cell counted from the issue date, else None."""
    folded = fold_aligned(raw).strip(" .;")
    folded = re.sub(r"\s+", " ", folded)
    m = _DAYS.match(folded)
    if m is not None and 0 < int(m.group(1)) <= MAX_DAYS:
        days = int(m.group(1))
        if issue_date is None:
            return None, None, None, [f"Thời gian «{raw}» tính từ ngày ban hành kế hoạch, nhưng chưa biết "
                                      "ngày ban hành: chưa đặt hạn."]
        warnings = []
        if _WORKING.search(folded):
            warnings.append(f"Thời gian «{raw}» tính theo ngày làm việc: hạn được tính theo ngày lịch, "
                            "cần kiểm tra lại.")
        return None, issue_date + timedelta(days=days), None, warnings
    if _FROM_ISSUE.match(folded):
        if issue_date is None:
            return None, None, "ongoing", [f"Thời gian «{raw}» tính từ ngày ban hành kế hoạch, nhưng chưa "
                                           "biết ngày ban hành."]
        return issue_date, None, "ongoing", []
    return None


def duration_due(days_text: str, issue_date: date | None) -> tuple[date | None, list[str]]:
    """Due date of a "Thời gian thực hiện (ngày)" cell: the issue date plus that many days."""
    text = days_text.strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_DAYS:
        return None, [f"Không hiểu số ngày thực hiện «{text}»: chưa đặt hạn."] if text else []
    if issue_date is None:
        return None, [f"Thời gian thực hiện {text} ngày tính từ ngày ban hành kế hoạch, nhưng chưa biết "
                      "ngày ban hành: chưa đặt hạn."]
    return issue_date + timedelta(days=int(text)), []


def note_warning(raw: str, notes: list[str], due: date | None) -> str:
    when = f" (hạn {vn_date(due)})" if due else ""
    return f"Thời gian «{raw}» kèm ghi chú: {'; '.join(notes)}{when}."
