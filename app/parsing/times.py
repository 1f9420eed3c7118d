"""Parse the "Thời gian" cell of a plan (quarters, months, dates, school calendar, recurrence)."""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.formatting import vn_date
from app.parsing.relative import note_warning, relative_due, split_notes
from app.parsing.text import fold_aligned, normalize_text

RECURRENCES = (None, "ongoing", "monthly", "quarterly", "yearly")


@dataclass(frozen=True)
class SchoolCalendar:
    """School-year milestones as (month, day); the Ministry's defaults, configurable per plan."""

    year_start: tuple[int, int] = (9, 5)
    semester1_end: tuple[int, int] = (1, 18)
    year_end: tuple[int, int] = (5, 31)
    # The school year a plan covers (2025 for 2025-2026): a month named without its year belongs
    # to the first calendar year from the opening month on, to the second before it.
    first_year: int | None = None

    def year_of_month(self, month: int) -> int | None:
        if self.first_year is None:
            return None
        return self.first_year if month >= self.year_start[0] else self.first_year + 1


DEFAULT_CALENDAR = SchoolCalendar()


@dataclass
class TimeParse:
    """Result of parsing a time cell: never a guess, a warning whenever dates are missing."""

    start: date | None = None
    due: date | None = None
    recurrence: str | None = None
    warnings: list[str] = field(default_factory=list)
    yearly_day: tuple[int, int] | None = None  # (month, day) of "10/10 hằng năm"


class _Unparsable(Exception):
    """Raised with a user-facing message when a cell cannot be turned into dates safely."""


_Y = r"((?:19|20)\d{2})"
_Q = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_M = r"\d{1,2}"
_LIST_SEP = r"\s*(?:,|-|va|den|toi)\s*"
_ITEM_PATTERNS = [
    ("semester", rf"(?:hoc\s*k[yi]|hk)\s*(ii|i|2|1)(?![a-z0-9])\s*,?\s*(?:cua\s+)?(?:nam\s*hoc|nh)?"
                 rf"\s*{_Y}\s*-\s*(\d{{4}}|\d{{2}})(?![\d/])"),
    ("school_year", rf"(?:nam\s*hoc|nh)\s*{_Y}\s*-\s*(\d{{4}}|\d{{2}})(?![\d/])"),
    ("semester_bare", r"(?:hoc\s*k[yi]|hk)\s*(?:ii|i|2|1)(?![a-z0-9])"),
    ("date_words", rf"ngay\s*(\d{{1,2}})\s*thang\s*(\d{{1,2}})\s*,?\s*nam\s*{_Y}"),
    ("date", rf"(?<![\d/.])(\d{{1,2}})\s*(?P<sep>[/.-])\s*(\d{{1,2}})\s*(?P=sep)\s*{_Y}(?![\d/]|-[a-z])"),
    ("half", rf"(?:6|06|sau)\s*thang\s*(dau|cuoi)\s*(?:nam\s*)?{_Y}(?![\d/])"),
    ("quarter", rf"(?:quy|q(?=\d))\s*({_Q}(?:{_LIST_SEP}(?:quy\s*)?{_Q})*)"
                rf"\s*(?:/|-|\s+nam\s+|\s)\s*{_Y}(?![\d/])"),
    ("quarter_bare", rf"(?:quy|q(?=\d))\s*({_Q}(?:{_LIST_SEP}(?:quy\s*)?{_Q})*)"),
    ("month", rf"thang\s*({_M}(?:{_LIST_SEP}(?:thang\s*)?{_M})*)\s*(?:/|-|\s*nam\s*)\s*{_Y}(?![\d/])"),
    ("month", rf"(?<![\d/.,])({_M}(?:\s*(?:,|-)\s*{_M})*)\s*/\s*{_Y}(?![\d/]|-[a-z])"),
    ("daymonth_words", r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})(?!\s*,?\s*nam\s*\d)"),
    ("month_bare", rf"thang\s*({_M}(?:{_LIST_SEP}(?:thang\s*)?{_M})*)(?![\d/])"),
    ("daymonth", r"(?<![\d/.])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/.])"),
    ("year", rf"(?<![\d/.,]){_Y}(?![\d/]|[.,]\d)"),
    ("recur", r"thuong\s*xuyen|lien\s*tuc|(?:hang|moi)\s*(?:nam|quy|thang|tuan)(?![a-z])"),
]
_ITEMS = re.compile("|".join(f"(?P<{k}{i}>(?<![a-z]){p})" for i, (k, p) in enumerate(_ITEM_PATTERNS)))
_INNER_GROUPS = {f"{k}{i}": re.compile(p).groups for i, (k, p) in enumerate(_ITEM_PATTERNS)}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RECUR = {"thuong xuyen": "ongoing", "lien tuc": "ongoing", "nam": "yearly", "quy": "quarterly",
          "thang": "monthly", "tuan": "weekly"}
_RECUR_RANK = {"ongoing": 0, "weekly": 1, "yearly": 2, "quarterly": 3, "monthly": 4}

# Words allowed between recognised items; anything else means the cell is not understood.
_FROM = ("bat dau tu", "ke tu", "tu")
_UNTIL = ("cham nhat la", "cham nhat", "muon nhat", "han chot", "den het", "het", "cuoi", "han",
          "khong qua", "khong muon hon", "truoc")
_RANGE = ("-", "den", "toi")
_LIST = (",", ";", "va", "hoac", "&", "+")
_FILLER = ("giai doan", "trong", "vao", "nam", "ngay", "thang", "la", "thuc hien", "trien khai",
           "hoan thanh", "du kien", "tiep tuc", "tro di", "tro ve sau", "dinh ky", "suot", "(", ")",
           ".", ":", "ca")
_GAP_WORDS = sorted({*_FROM, *_UNTIL, *_RANGE, *_LIST, *_FILLER}, key=len, reverse=True)
_GAP_TOKEN = re.compile("|".join(re.escape(w) + (r"(?![a-z0-9])" if w[-1].isalnum() else "")
                                 for w in _GAP_WORDS))
_CONDITIONAL = re.compile(r"(?:khi|theo|tuy|sau khi|dung thoi gian|dung han|dung thoi han|"
                          r"can cu|neu)(?![a-z])")


@dataclass
class _Item:
    kind: str
    start: date | None
    end: date | None
    span: tuple[int, int]
    point: bool = False
    recurrence: str | None = None
    yearly_day: tuple[int, int] | None = None
    mode: str = ""  # "", "from" (start only) or "until" (due only)


def _last_day(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int, piece: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Unparsable(f"Ngày «{piece}» không tồn tại: chưa đặt hạn.") from None


def _month(n: int, piece: str) -> int:
    if not 1 <= n <= 12:
        raise _Unparsable(f"Tháng trong «{piece}» không hợp lệ: chưa đặt hạn.")
    return n


def _second_year(first: int, second: str, piece: str) -> int:
    year = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if year != first + 1:
        raise _Unparsable(f"Năm học trong «{piece}» không hợp lệ: chưa đặt hạn.")
    return year


def _need_year(default_year: int | None, raw: str) -> int:
    if default_year is None:
        raise _Unparsable(f"Thời gian «{raw}» thiếu năm: chưa đặt hạn.")
    return default_year


def _numbers(listing: str) -> list[str]:
    return re.findall(r"iv|iii|ii|i|\d+", listing)


def _semester(kind, g, raw, span, cal, default_year):
    y1 = int(g[1])
    y2 = _second_year(y1, g[2], raw)
    if g[0] in ("i", "1"):
        return _Item(kind, date(y1, *cal.year_start), date(y2, *cal.semester1_end), span)
    return _Item(kind, date(y2, *cal.semester1_end) + timedelta(days=1), date(y2, *cal.year_end), span)


def _school_year(kind, g, raw, span, cal, default_year):
    y1 = int(g[0])
    return _Item(kind, date(y1, *cal.year_start), date(_second_year(y1, g[1], raw), *cal.year_end), span)


def _semester_bare(kind, g, raw, span, cal, default_year):
    raise _Unparsable(f"Thời gian «{raw}» thiếu năm học: chưa đặt hạn.")


def _date_words(kind, g, raw, span, cal, default_year):
    d = _day(int(g[2]), _month(int(g[1]), raw), int(g[0]), raw)
    return _Item(kind, d, d, span, point=True)


def _date(kind, g, raw, span, cal, default_year):
    d = _day(int(g[3]), _month(int(g[2]), raw), int(g[0]), raw)
    return _Item(kind, d, d, span, point=True)


def _half(kind, g, raw, span, cal, default_year):
    y = int(g[1])
    if g[0] == "dau":
        return _Item(kind, date(y, 1, 1), date(y, 6, 30), span)
    return _Item(kind, date(y, 7, 1), date(y, 12, 31), span)


def _quarter(kind, g, raw, span, cal, default_year):
    qs = [_ROMAN.get(q) or int(q) for q in _numbers(g[0])]
    first_month = 3 * min(qs) - 2
    y = int(g[1]) if kind == "quarter" else _need_year(cal.year_of_month(first_month) or default_year, raw)
    return _Item(kind, date(y, 3 * min(qs) - 2, 1), _last_day(y, 3 * max(qs)), span)


def _months(kind, g, raw, span, cal, default_year):
    months = [_month(int(n), raw) for n in _numbers(g[0])]
    y = int(g[1]) if kind == "month" else _need_year(cal.year_of_month(min(months)) or default_year, raw)
    return _Item(kind, date(y, min(months), 1), _last_day(y, max(months)), span)


def _daymonth(kind, g, raw, span, cal, default_year):
    month, day = _month(int(g[1]), raw), int(g[0])
    _day(2000, month, day, raw)  # 2000 is a leap year: 29/02 stays valid
    return _Item(kind, None, None, span, point=True, yearly_day=(month, day))


def _year(kind, g, raw, span, cal, default_year):
    y = int(g[0])
    return _Item(kind, date(y, 1, 1), date(y, 12, 31), span)


# One builder per kind of recognised expression; anything else is a recurrence word.
_BUILDERS = {
    "semester": _semester, "school_year": _school_year, "semester_bare": _semester_bare,
    "date_words": _date_words, "date": _date, "half": _half, "quarter": _quarter, "quarter_bare": _quarter,
    "month": _months, "month_bare": _months, "daymonth": _daymonth, "daymonth_words": _daymonth,
    "year": _year,
}


def _build_item(kind: str, m: re.Match, cell: str, cal: SchoolCalendar, default_year: int | None):
    """Dates of one recognised expression; raw is the expression as written, for messages."""
    raw = cell[m.start():m.end()]
    group = m.lastgroup
    assert group is not None  # every alternative of _ITEMS is a named group
    first = m.re.groupindex[group] + 1
    g = m.groups()[first - 1:first - 1 + _INNER_GROUPS[group]]
    builder = _BUILDERS.get(kind)
    if builder is not None:
        return builder(kind, g, raw, m.span(), cal, default_year)
    word = re.sub(r"\s+", " ", m.group(0))
    key = word if word in _RECUR else word.split(" ")[-1]
    return _Item("recur", None, None, m.span(), recurrence=_RECUR[key])


def _gap_tokens(gap: str) -> list[str] | None:
    """Split the text between items into known words; None when an unknown word is present."""
    tokens, pos = [], 0
    while pos < len(gap):
        if gap[pos].isspace():
            pos += 1
            continue
        m = _GAP_TOKEN.match(gap, pos)
        if not m:
            return None
        tokens.append(m.group(0))
        pos = m.end()
    return tokens


def _scan(folded: str, raw: str, cal: SchoolCalendar, default_year: int | None):
    """Find the items of a cell and the known words between them."""
    items, gaps, pos = [], [], 0
    for m in _ITEMS.finditer(folded):
        assert m.lastgroup is not None  # every alternative of _ITEMS is a named group
        kind = re.sub(r"\d+$", "", m.lastgroup)
        tokens = _gap_tokens(folded[pos:m.start()])
        if tokens is None:
            return None, None
        items.append(_build_item(kind, m, raw, cal, default_year))
        gaps.append(tokens)
        pos = m.end()
    tail = _gap_tokens(folded[pos:])
    if tail is None or (not items):
        return None, None
    gaps.append(tail)
    return items, gaps


def _apply_modifiers(items: list[_Item], gaps: list[list[str]], raw: str) -> None:
    """Mark each dated item as start-only or due-only from the words before it."""
    dated = [i for i, it in enumerate(items) if it.kind not in ("recur", "daymonth", "daymonth_words")]
    for n, i in enumerate(dated):
        words = gaps[i]
        item = items[i]
        if any(w in _FROM for w in words):
            item.mode = "from"
        if any(w in _UNTIL for w in words):
            if "truoc" in words and not item.point:
                raise _Unparsable(f"Không hiểu thời gian «{raw}»: chưa đặt hạn.")
            item.mode = "until"
        elif n > 0 and any(w in _RANGE for w in words) and not any(w in _LIST for w in words):
            prev = items[dated[n - 1]]
            if prev.mode != "until":
                prev.mode = prev.mode or "from"
                item.mode = item.mode or "until"
        elif n == 0 and any(w in ("den", "toi") for w in words):
            item.mode = "until"


def _combine(items: list[_Item], raw: str) -> TimeParse:
    starts: list[date] = []
    dues: list[date] = []
    recurrences: list[str] = []
    yearly_day: tuple[int, int] | None = None
    for it in items:
        if it.kind == "recur":
            assert it.recurrence is not None  # a recurrence word always names one
            recurrences.append(it.recurrence)
            continue
        if it.yearly_day:
            yearly_day = it.yearly_day
            continue
        assert it.start is not None and it.end is not None  # every dated builder sets both
        if it.mode != "until" and (not it.point or it.mode == "from"):
            starts.append(it.start)
        if it.mode != "from":
            dues.append(it.end)
    recurrence = max(recurrences, key=lambda r: _RECUR_RANK[r]) if recurrences else None
    if yearly_day and recurrence != "yearly":
        raise _Unparsable(f"Không hiểu thời gian «{raw}»: chưa đặt hạn.")
    result = TimeParse(min(starts) if starts else None, max(dues) if dues else None, recurrence,
                       yearly_day=yearly_day)
    if result.start and result.due and result.start > result.due:
        raise _Unparsable(f"Thời gian «{raw}» có ngày bắt đầu sau ngày kết thúc: chưa đặt hạn.")
    if result.recurrence == "weekly":
        result.recurrence = "ongoing"
        result.warnings.append(f"Thời gian «{raw}» lặp hằng tuần: theo dõi như nhiệm vụ thường xuyên.")
    if result.due is None and result.start is not None and result.recurrence is None:
        result.recurrence = "ongoing"
    return result


def parse_time(text: str, calendar: SchoolCalendar = DEFAULT_CALENDAR,
               default_year: int | None = None, issue_date: date | None = None) -> TimeParse:
    """Turn a "Thời gian" cell into start/due dates and a recurrence, or warn and leave them empty.

    issue_date (the plan's date) anchors "60 ngày kể từ ngày ký" and "Kể từ khi … có hiệu lực";
    a bracketed note after the time ("(bước 1)") is set aside and kept as a warning."""
    raw = normalize_text(text or "")
    if not raw.strip(" .;,-"):
        return TimeParse(warnings=["Chưa có thời gian thực hiện: chưa đặt hạn."])
    relative = relative_due(raw, issue_date)
    if relative is not None:
        start, due, recurrence, warnings = relative
        return TimeParse(start, due, recurrence, warnings)
    bare, notes = split_notes(raw, _keeps_bracket)
    result = _parse_bare(bare, raw, calendar, default_year)
    if notes and (result.due or result.start):
        result.warnings.append(note_warning(raw, notes, result.due))
    return result


def _keeps_bracket(note: str) -> bool:
    """A bracket holding a time or only known words ("(dự kiến)") is part of the time, not a note."""
    folded = fold_aligned(note).strip()
    return bool(_ITEMS.search(folded)) or _gap_tokens(folded) is not None


def _parse_bare(bare: str, raw: str, calendar: SchoolCalendar, default_year: int | None) -> TimeParse:
    folded = fold_aligned(bare).strip(" .;")
    try:
        items, gaps = _scan(folded, raw, calendar, default_year)
        if items is None:
            if _CONDITIONAL.match(folded):
                return TimeParse(warnings=[f"Thời gian «{raw}» phụ thuộc điều kiện, không có hạn cụ thể: "
                                           "chưa đặt hạn."])
            raise _Unparsable(f"Không hiểu thời gian «{raw}»: chưa đặt hạn.")
        _apply_modifiers(items, gaps, raw)
        return _combine(items, raw)
    except _Unparsable as exc:
        return TimeParse(warnings=[str(exc)])


# --- Deadlines stated inside the task content -----------------------------------------------------
_OPT_TAIL = r"(?:\s+la)?(?:\s+vao)?(?:\s+ngay)?"
_DEADLINE = re.compile(
    r"(?<![a-z0-9])(?:hoan\s+thanh\s+(?:trong|truoc|vao)\s+ngay|xong\s+truoc(?:\s+ngay)?|"
    r"truoc\s+ngay|truoc|"
    rf"cham\s+nhat{_OPT_TAIL}|muon\s+nhat{_OPT_TAIL}|han\s+chot{_OPT_TAIL}|han\s+cuoi{_OPT_TAIL}|"
    rf"thoi\s+han{_OPT_TAIL}|khong\s+muon\s+hon{_OPT_TAIL})\s*:?\s*"
    r"(?:(?P<d>\d{1,2})\s*(?P<s>[/.-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<y>(?:19|20)\d{2})(?![\d/]|-[a-z])"
    r"|(?:ngay\s*)?(?P<wd>\d{1,2})\s*thang\s*(?P<wm>\d{1,2})\s*,?\s*nam\s*(?P<wy>(?:19|20)\d{2}))"
)


def find_content_deadlines(content: str) -> list[tuple[date, str]]:
    """Dates the task text itself names as deadlines ("trước ngày …"), with the phrase as written.

    Only a date introduced by a deadline phrase counts: the issue date of a cited document
    ("Nghị quyết số 57-NQ/TW ngày 22/12/2024") is not a deadline.
    """
    text = normalize_text(content or "")
    found: list[tuple[date, str]] = []
    for m in _DEADLINE.finditer(fold_aligned(text)):
        day, month, year = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (
            m.group("wd"), m.group("wm"), m.group("wy"))
        try:
            when = date(int(year), int(month), int(day))
        except ValueError:
            continue
        item = (when, text[m.start():m.end()])
        if item not in found:
            found.append(item)
    return found


def content_deadline_warnings(content: str, parsed: TimeParse) -> list[str]:
    """Warn about each deadline in the task text that the "Thời gian" cell contradicts."""
    warnings = []
    for when, phrase in find_content_deadlines(content):
        if parsed.due is None:
            if parsed.recurrence is None:
                warnings.append(f"Nội dung nêu hạn «{phrase}» nhưng cột Thời gian chưa có hạn.")
            continue
        if parsed.start is not None:
            if not parsed.start <= when <= parsed.due:
                warnings.append(f"Nội dung nêu hạn «{phrase}» khác với cột Thời gian "
                                f"({vn_date(parsed.start)} - {vn_date(parsed.due)}).")
        elif when != parsed.due:
            warnings.append(f"Nội dung nêu hạn «{phrase}» khác với cột Thời gian ({vn_date(parsed.due)}).")
    return warnings
