"""Find the task table(s) among a document's tables and turn their rows into task cells and groups."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.importers.columns import ColumnMap, detect_header, is_numbering_row
from app.importers.raw import RawTable
from app.parsing.text import normalize_text

_ROMAN = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_LETTER = re.compile(r"^[A-Z]$")
_NUMBER = re.compile(r"^\d{1,3}$")
_LEADING_NUMBER = re.compile(r"^([IVXLC]+|[A-Z]|\d+(?:\.\d+)*)(\s*[.):]\s*|\s*[-–]\s+|\s+)(.+)$", re.S)
_TRAILING_COUNT = re.compile(r"\s*\(\s*(?:gồm\s+|có\s+)?\d+(?:\s+[^()\d]{1,40})?\)\s*[:.]?\s*$", re.I)
_DETAIL_FIELDS = ("product", "time", "lead", "cooperating")
LETTER_LEVEL, ROMAN_LEVEL, NUMBER_LEVEL = 0, 1, 2


@dataclass
class TaskCells:
    """The raw cells of one task row (continuation rows already joined)."""

    location: str
    ref: str
    group: str | None
    cells: dict[str, str]
    extra: dict[str, str]
    missing: frozenset[str] = frozenset()  # "time"/"lead" when the table has no such column


@dataclass
class TableScan:
    """What the task tables of a document hold."""

    tasks: list[TaskCells] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    task_tables: list[int] = field(default_factory=list)  # indexes into the table list
    preamble: list[str] = field(default_factory=list)  # rows above a header (spreadsheet titles)


def clean_ref(text: str) -> str:
    """The row number as written, without spaces or a trailing dot ("1." -> "1")."""
    return normalize_text(text).rstrip(".").strip()


def clean_group_title(text: str, strict: bool = False) -> tuple[str | None, str]:
    """Split "I. Về phát triển dữ liệu số (03)" into its numbering ("I") and title.

    strict (for a Nhóm cell, written as a name) only strips numbering ended by "." or ")".
    """
    text = normalize_text(text)
    token = None
    match = _LEADING_NUMBER.match(text)
    if match:
        candidate, separator, rest = match.groups()
        if strict and separator.strip() not in (".", ")"):
            pass
        elif separator.strip() or rest[:1].isupper():
            token, text = candidate, rest
    text = _TRAILING_COUNT.sub("", text).rstrip(" :;.-–").strip()
    return token, text


class _Groups:
    """The open group titles, outermost first (letter > Roman numeral > number)."""

    def __init__(self):
        self.titles: list[str | None] = [None, None, None]
        self.last_letter: str | None = None
        self.number_ref: str | None = None  # ref of the open numbered group ("1" heads "1.1", "1.2")

    def close_number_group(self, ref: str) -> None:
        """A numbered task outside "n.x" ends the numbered group n."""
        if self.titles[NUMBER_LEVEL] and ref and not ref.startswith(f"{self.number_ref}."):
            self.titles[NUMBER_LEVEL] = None

    def open(self, level: int, title: str) -> None:
        self.titles[level] = title or None
        for deeper in range(level + 1, len(self.titles)):
            self.titles[deeper] = None

    @property
    def current(self) -> str | None:
        return next((t for t in reversed(self.titles) if t), None)

    def level_of(self, token: str | None) -> int:
        """Level of a numbering token; I, V and X are letters only right after H, U and W."""
        if token is None:
            return ROMAN_LEVEL
        if token.isdigit() or "." in token:
            return NUMBER_LEVEL
        is_roman = bool(_ROMAN.match(token))
        is_letter = bool(_LETTER.match(token))
        if is_roman and is_letter:
            previous = self.last_letter
            if previous and ord(token) == ord(previous) + 1:
                return LETTER_LEVEL
            return ROMAN_LEVEL
        return ROMAN_LEVEL if is_roman else LETTER_LEVEL


class _TableReader:
    """Walks the rows of the task tables, carrying groups and the open task across tables."""

    def __init__(self, scan: TableScan):
        self.scan = scan
        self.groups = _Groups()
        self.current: TaskCells | None = None
        self.previous_row: dict[str, str] = {}

    def restart(self) -> None:
        self.groups = _Groups()
        self.current = None
        self.previous_row = {}

    def read(self, table: RawTable, number: int, cmap: ColumnMap, start: int) -> None:
        rows = table.rows
        for index in range(start, len(rows)):
            row = rows[index]
            if not any(row) or cmap.is_header_repeat(row) or is_numbering_row(row):
                continue
            where = _location(table, number, index)
            values, extra = cmap.values(row)
            ref = clean_ref(values.get("ref", ""))
            group = self._group_row(row, values, ref, rows, index, cmap)
            if group is not None:
                level, title = group
                self.groups.open(level, title)
                self.current, self.previous_row = None, {}
                continue
            if self._is_continuation(values, ref, cmap):
                self._join(values, extra)
                continue
            if not normalize_text(values.get("content", "")):
                self.scan.warnings.append(_skipped_message(where, ref))
                self.current, self.previous_row = None, {}
                continue
            self.groups.close_number_group(ref)
            named_group = normalize_text(values.get("group", ""))
            if named_group:
                named_group = clean_group_title(named_group, strict=True)[1] or named_group
            missing = frozenset(f for f in ("time", "lead") if f not in cmap.columns)
            self.current = TaskCells(
                where, ref, named_group or self.groups.current, dict(values), dict(extra), missing
            )
            self.previous_row = dict(values) | {"extra:" + k: v for k, v in extra.items()}
            self.scan.tasks.append(self.current)

    def _group_row(self, row, values, ref, rows, index, cmap) -> tuple[int, str] | None:
        content = values.get("content", "")
        filled = [cell for cell in row if cell]
        details_empty = all(not values.get(f) or values.get(f) == content for f in _DETAIL_FIELDS)
        if "ref" not in cmap.columns or not ref or ref == normalize_text(content):
            # A title merged across the whole row (or across every column it fills).
            if len(set(filled)) == 1 and len(filled) >= 2 and details_empty:
                token, title = clean_group_title(filled[0])
                return self._opened(token, title)
            return None
        if not details_empty:
            return None
        title_source = content or next((c for c in row if c and clean_ref(c) != ref), "")
        if _ROMAN.match(ref) or _LETTER.match(ref):
            return self._opened(ref, clean_group_title(title_source)[1])
        if _NUMBER.match(ref) and self._has_children(ref, rows, index, cmap):
            self.groups.number_ref = ref
            return NUMBER_LEVEL, clean_group_title(title_source)[1]
        return None

    def _opened(self, token: str | None, title: str) -> tuple[int, str]:
        level = self.groups.level_of(token)
        if level == LETTER_LEVEL and token:
            self.groups.last_letter = token
        return level, title

    @staticmethod
    def _has_children(ref: str, rows, index: int, cmap: ColumnMap) -> bool:
        """True when the next numbered row is "ref.1"-style, so this row heads a group."""
        for row in rows[index + 1 : index + 6]:
            if not any(row) or cmap.is_header_repeat(row) or is_numbering_row(row):
                continue
            child = clean_ref(cmap.values(row)[0].get("ref", ""))
            if child:
                return child.startswith(ref + ".")
        return False

    def _is_continuation(self, values: dict[str, str], ref: str, cmap: ColumnMap) -> bool:
        """A row without a number under a task: the rest of that task, split across a page."""
        if self.current is None or ref or "ref" not in cmap.columns:
            return False

        def fresh(name: str) -> bool:
            value = values.get(name, "")
            return bool(value) and value != self.previous_row.get(name)

        has_details = any(name in cmap.columns for name in ("time", "lead"))
        own_details = all(fresh(name) for name in ("time", "lead") if name in cmap.columns)
        return not (fresh("content") and has_details and own_details)

    def _join(self, values: dict[str, str], extra: dict[str, str]) -> None:
        task = self.current
        for name, value in values.items():
            if value and value != self.previous_row.get(name) and name != "ref":
                task.cells[name] = f"{task.cells[name]} {value}".strip() if task.cells.get(name) else value
        for name, value in extra.items():
            if value and value != self.previous_row.get("extra:" + name):
                task.extra[name] = f"{task.extra[name]} {value}".strip() if task.extra.get(name) else value
        self.previous_row = dict(values) | {"extra:" + k: v for k, v in extra.items()}


def _location(table: RawTable, number: int, index: int) -> str:
    if table.name:
        return f"dòng {index + 1} của trang tính “{table.name}”"
    return f"dòng {index + 1} của bảng {number}"


def _skipped_message(where: str, ref: str) -> str:
    label = f"{where} (STT {ref})" if ref else where
    return f"Bỏ qua {label}: dòng không có nội dung nhiệm vụ."


def _looks_like_tasks(table: RawTable, cmap: ColumnMap) -> bool:
    """A table without a header continues the previous task table when its rows read as tasks."""
    for row in table.rows[:10]:
        values = cmap.values(row)[0]
        if values.get("content") and any(values.get(f) for f in ("time", "lead")):
            return True
    return False


def scan_tables(tables: list[RawTable]) -> TableScan:
    """Read the task rows of every task table; consecutive tables with one layout are one appendix."""
    scan = TableScan()
    reader = _TableReader(scan)
    previous: ColumnMap | None = None  # layout of the table just before, when it held tasks
    for index, table in enumerate(tables):
        found = detect_header(table.rows)
        if found is not None:
            cmap, start = found
            if previous is None or not previous.same_layout(cmap):
                reader.restart()
            scan.preamble.extend(_row_line(row) for row in table.rows[: cmap.first_row] if any(row))
        elif previous is not None and table.width == previous.width and _looks_like_tasks(table, previous):
            cmap, start = previous, 0
        else:
            previous = None
            continue
        scan.task_tables.append(index)
        reader.read(table, index + 1, cmap, start)
        previous = cmap
    return scan


def _row_line(row: list[str]) -> str:
    return " ".join(dict.fromkeys(normalize_text(cell) for cell in row if cell))

