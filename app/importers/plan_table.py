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
ROW_KINDS = ("task", "group")
FORCED_REASON = "do Văn phòng chọn"


@dataclass
class TaskCells:
    """The raw cells of one task row (continuation rows already joined)."""

    location: str
    ref: str
    group: str | None
    cells: dict[str, str]
    extra: dict[str, str]
    missing: frozenset[str] = frozenset()  # "time"/"lead" when the table has no such column
    group_path: list[str] = field(default_factory=list)  # outermost first, at most three levels


@dataclass
class TableScan:
    """What the task tables of a document hold."""

    tasks: list[TaskCells] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    task_tables: list[int] = field(default_factory=list)  # indexes into the table list
    preamble: list[str] = field(default_factory=list)  # rows above a header (spreadsheet titles)
    group_rows: list[dict] = field(default_factory=list)  # rows read as groups, and why
    layouts: list[dict] = field(default_factory=list)  # per task table: columns and why


def clean_ref(text: str) -> str:
    """The row number as written, without spaces or a trailing dot ("1." -> "1")."""
    return normalize_text(text).strip("().").strip()


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


_DASH = re.compile(r"^[-+•*\u2013\u2014]$")
_CONTENT_TOKEN = re.compile(
    r"^(\d{1,2}(?:\.\d{1,2}){1,3}\.?|\d{1,2}[.)](?=\s)|[IVX]{1,4}\.(?=\s)|[A-Z]\.(?=\s)|[a-zđ]\)"
    r"|[a-zđ]\.(?=\s)|[-+•\u2013])\s+(?=\S)"
)
MAX_GROUP_LEVELS = 3
MAX_SUB_GROUP_TITLE = 160


def numbering_style(token: str, last_upper: str | None = None) -> str | None:
    """The numbering style of a row's token: roman, upper, arabic, dotted<n>, lower, dash."""
    if not token:
        return None
    if _DASH.match(token):
        return "dash"
    if token.isdigit():
        return "arabic"
    if re.fullmatch(r"\d+(?:\.\d+)+", token):
        return f"dotted{token.count('.') + 1}"
    if _ROMAN.match(token) and not (
        _LETTER.match(token) and last_upper and ord(token) == ord(last_upper) + 1
    ):
        return "roman"
    if _LETTER.match(token):
        return "upper"
    if re.fullmatch(r"[a-zđ]", token):
        return "lower"
    if re.fullmatch(r"[ivx]+", token):
        return "lower_roman"
    return None


@dataclass
class _Row:
    """One data row, classified before the structure pass."""

    where: str
    row: list[str]
    values: dict[str, str]
    extra: dict[str, str]
    ref: str
    style: str | None
    content: str
    details_empty: bool
    title_row: bool  # one text merged across the row
    bold_title: bool = False  # the task cell's first line is bold (a group title over a description)


@dataclass
class _Open:
    style: str
    title: str
    cells: dict[str, str]


class _TableReader:
    """Walks the rows of the task tables, carrying groups and the open task across tables."""

    def __init__(self, scan: TableScan, row_kinds: dict[str, str] | None = None):
        self.scan = scan
        self.row_kinds = row_kinds or {}
        self.restart()

    def restart(self) -> None:
        self.stack: list[_Open] = []
        self.current: TaskCells | None = None
        self.previous_row: dict[str, str] = {}
        self.last_upper: str | None = None

    def read(self, table: RawTable, number: int, cmap: ColumnMap, start: int) -> None:
        classified = [self._classify(table, number, index, cmap) for index in range(start, len(table.rows))]
        rows = [r for r in classified if r is not None]
        if rows and all(r.bold_title for r in rows if r.content):
            for r in rows:  # every task cell bold: the table's type, not a sign of groups
                r.bold_title = False
        for position, row in enumerate(rows):
            following = rows[position + 1] if position + 1 < len(rows) else None
            self._place(row, following, cmap)

    def _classify(self, table: RawTable, number: int, index: int, cmap: ColumnMap) -> _Row | None:
        row = table.rows[index]
        if not any(row) or cmap.is_header_repeat(row) or is_numbering_row(row):
            return None
        values, extra = cmap.values(row)
        ref = clean_ref(values.get("ref", ""))
        content = normalize_text(values.get("content", ""))
        if not ref and (m := _CONTENT_TOKEN.match(content)):
            token = m.group(1).rstrip(".)")
            ref = "" if _DASH.match(token) else token
            style = numbering_style(token)
            values["content"] = content = content[m.end():]
        else:
            style = numbering_style(ref, self.last_upper)
        if style == "upper":
            self.last_upper = ref
        filled = [cell for cell in row if cell]
        title_row = len(set(filled)) == 1 and len(filled) >= 2
        details_empty = all(not values.get(f) or normalize_text(values.get(f, "")) == content
                            for f in _DETAIL_FIELDS)
        if title_row:
            token, _title = clean_group_title(filled[0])
            style = numbering_style(token or "", self.last_upper) or "title"
        content_cols = cmap.columns.get("content", [])
        bold = bool(content_cols) and (index, content_cols[0]) in table.bold_first_line
        return _Row(_location(table, number, index), row, values, extra, ref, style, content,
                    details_empty, title_row, bold)

    def _nests(self, style: str | None, following: _Row | None) -> bool:
        """True when the next row's numbering goes one level deeper than this row's."""
        if following is None or following.style is None or following.style == style or following.title_row:
            return False
        if following.style == "dash" and following.details_empty:
            return False  # bullets of this row's own content
        open_styles = [entry.style for entry in self.stack]
        if style in open_styles:
            open_styles = open_styles[: open_styles.index(style)]
        return following.style not in open_styles

    def _place(self, row: _Row, following: _Row | None, cmap: ColumnMap) -> None:
        forced = self.row_kinds.get(row.where)
        if forced == "group":
            self._open_group(row, _forced_style(row), _group_title(row), FORCED_REASON)
            return
        if forced == "task" and row.content:
            self._add_task(row, cmap)
            return
        if row.title_row:
            self._open_group(row, row.style or "title", _group_title(row), "tiêu đề trải cả dòng")
            return
        if row.style is not None and row.style != "dash" and self._nests(row.style, following):
            self._open_group(row, row.style, _first_line(row), "có mục con đánh số sâu hơn")
            return
        if row.style in ("roman", "upper") and row.details_empty and row.content or self._heads_unnumbered(
                row, following):
            assert row.style is not None  # both tests require a numbered row
            self._open_group(row, row.style, _first_line(row), "số La Mã/chữ hoa, không có chi tiết")
            return
        if self._heads_in_bold(row, following):
            self._open_group(row, row.style or "bold", _first_line(row), "dòng đầu in đậm, trên các nhiệm vụ")
            return
        if self._is_sub_group(row, following):
            self._open_group(
                row, "plain", _first_line(row), "dòng không số, không chi tiết, trên các nhiệm vụ"
            )
            return
        if self._is_continuation(row, cmap):
            values = row.values
            if row.style == "dash" and values.get("content"):  # a bullet of the task: keep it a list item
                values = {**values, "content": f"- {values['content']}"}
            self._join(values, row.extra)
            return
        if not row.content:
            self.scan.warnings.append(_skipped_message(row.where, row.ref))
            self.current, self.previous_row = None, {}
            return
        self._add_task(row, cmap)

    @staticmethod
    def _heads_unnumbered(row: _Row, following: _Row | None) -> bool:
        """A numbered row without details over unnumbered rows that have theirs."""
        return (row.style not in (None, "dash") and row.details_empty and bool(row.content)
                and following is not None and following.style is None and not following.details_empty
                and not following.title_row and not _continues(following.content))

    @staticmethod
    def _heads_in_bold(row: _Row, following: _Row | None) -> bool:
        """A task cell opening with a bold line over rows that are not: a group title (with its
        description below it), whether or not the row is numbered or has its own time and lead.
        A numbered row over a sibling of the same numbering, or over bullets of its own text, is a
        task with an emphasised title."""
        if not row.bold_title or not row.content or following is None:
            return False
        if following.bold_title or following.title_row or not following.content:
            return False
        if following.style == "dash" and following.details_empty:
            return False
        if len(_first_line(row)) > MAX_SUB_GROUP_TITLE:
            return False
        return row.style is None or following.style != row.style

    def _is_sub_group(self, row: _Row, following: _Row | None) -> bool:
        if row.style is not None or not row.details_empty or not row.content:
            return False
        if len(row.content) > MAX_SUB_GROUP_TITLE or not row.content[:1].isupper():
            return False
        return following is not None and following.style not in (None, "dash") and not following.title_row

    def _open_group(self, row: _Row, style: str, title: str, reason: str) -> None:
        self._pop_to(style)
        inherited = {f: normalize_text(row.values.get(f, "")) for f in ("time", "lead")
                     if not row.details_empty and row.values.get(f)}
        self.stack.append(_Open(style, title, inherited))
        self.current, self.previous_row = None, {}
        self.scan.group_rows.append({
            "location": row.where, "ref": row.ref, "title": title, "level": len(self.stack),
            "reason": reason, "time_text": inherited.get("time", ""),
        })

    def _pop_to(self, style: str | None) -> None:
        styles = [entry.style for entry in self.stack]
        if style in styles:
            del self.stack[styles.index(style):]

    def _add_task(self, row: _Row, cmap: ColumnMap) -> None:
        self._pop_to(row.style)
        values = dict(row.values)
        for entry in self.stack:  # a parent's own deadline and lead hold for children without one
            for name, value in entry.cells.items():
                if not normalize_text(values.get(name, "")):
                    values[name] = value
        path = [entry.title for entry in self.stack if entry.title][:MAX_GROUP_LEVELS]
        named_group = normalize_text(values.get("group", ""))
        if named_group:
            named_group = clean_group_title(named_group, strict=True)[1] or named_group
            if named_group not in path:
                path = [named_group, *path][:MAX_GROUP_LEVELS]
        present = set(cmap.columns) | ({"time"} if {"start", "duration"} & set(cmap.columns) else set())
        missing = frozenset(f for f in ("time", "lead") if f not in present)
        group = named_group or (path[-1] if path else None)
        self.current = TaskCells(row.where, row.ref, group, values, dict(row.extra), missing, path)
        self.previous_row = dict(row.values) | {"extra:" + k: v for k, v in row.extra.items()}
        self.scan.tasks.append(self.current)

    def _is_continuation(self, row: _Row, cmap: ColumnMap) -> bool:
        """A row without a number under a task: the rest of that task, split across a page.

        A row whose text starts a sentence and that carries a detail of its own (time, lead)
        is a task of its own, even without a number."""
        if self.current is None or row.ref:
            return False
        if row.style == "dash" or row.details_empty or _continues(row.content) or not row.content:
            return True
        has_details = any(name in cmap.columns for name in ("time", "lead"))
        if not has_details:
            return False
        return not any(row.values.get(name) for name in ("time", "lead"))

    def _join(self, values: dict[str, str], extra: dict[str, str]) -> None:
        task = self.current
        assert task is not None  # _is_continuation joins only onto an open task
        for name, value in values.items():
            if value and value != self.previous_row.get(name) and name != "ref":
                task.cells[name] = f"{task.cells[name]} {value}".strip() if task.cells.get(name) else value
        for name, value in extra.items():
            if value and value != self.previous_row.get("extra:" + name):
                task.extra[name] = f"{task.extra[name]} {value}".strip() if task.extra.get(name) else value
        self.previous_row = dict(values) | {"extra:" + k: v for k, v in extra.items()}


def _first_line(row: _Row) -> str:
    """A group's title: the first line of its content cell (the bold title over a description)."""
    source = row.values.get("content", "") or next((c for c in row.row if c and clean_ref(c) != row.ref), "")
    if token := _CONTENT_TOKEN.match(normalize_text(source)):
        source = normalize_text(source)[token.end():]
    first = next((line for line in source.split("\n") if line.strip()), source)
    return clean_group_title(first)[1]


def _group_title(row: _Row) -> str:
    """A group's title: the merged text of a title row, else the first line of its content."""
    if row.title_row:
        return clean_group_title(next(c for c in row.row if c))[1]
    return _first_line(row)


def _forced_style(row: _Row) -> str:
    """The level of a row the office made a group: its own numbering, "plain" without one."""
    return row.style if row.style not in (None, "dash") else "plain"


def _continues(content: str) -> bool:
    """Text that carries on a sentence (lower case or punctuation first), not a new row."""
    return bool(content) and not content[:1].isupper() and not content[:1].isdigit()


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


def scan_tables(tables: list[RawTable], chosen: dict[str, str] | None = None,
                row_kinds: dict[str, str] | None = None) -> TableScan:
    """Read the task rows of every task table; consecutive tables with one layout are one appendix.

    chosen: header -> field, the office's reading of the columns from the preview; row_kinds:
    row location -> "task" or "group", its decisions on rows read the wrong way (others ignored)."""
    scan = TableScan()
    reader = _TableReader(scan, {k: v for k, v in (row_kinds or {}).items() if v in ROW_KINDS})
    previous: ColumnMap | None = None  # layout of the table just before, when it held tasks
    for index, table in enumerate(tables):
        found = detect_header(table.rows, chosen)
        if found is not None:
            cmap, start = found
            if previous is None or not previous.same_layout(cmap):
                reader.restart()
            scan.preamble.extend(_row_line(row) for row in table.rows[: cmap.first_row] if any(row))
            scan.layouts.append({"table": index + 1, "sheet": table.name, "header_row": cmap.first_row + 1,
                                 "header_rows": cmap.header_height, "columns": cmap.explain,
                                 "unrecognised": list(cmap.unrecognised)})
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

