"""Header detection: which column holds the number, content, product, time and units of a task."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.text import fold, normalize_text

HEADER_SCAN_ROWS = 30
MAX_HEADER_KEY = 90

# (field, pattern on the folded header key); the first rule that matches names the column.
_RULES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("ref", r"^(s ?tt|tt|so tt|so thu tu|thu tu)$"),
        ("lead", r"\bchu tri\b"),
        ("cooperating", r"\bphoi hop\b"),
        ("group", r"^(nhom|linh vuc)\b"),
        ("time", r"^(thoi gian|thoi han|tien do|han hoan thanh|thoi diem|moc thoi gian)\b"),
        ("product", r"^(san pham|chi tieu|ket qua du kien|ket qua dau ra|ket qua can dat|dau ra)\b"),
        (
            "content",
            r"^(noi dung|muc tieu|nhiem vu|ten nhiem vu|cong viec|hoat dong|ten hoat dong|giai phap"
            r"|cac nhiem vu|chuong trinh)\b",
        ),
        ("lead_fallback", r"^(don vi|co quan|bo phan)( thuc hien| phu trach| chiu trach nhiem)?$"),
    )
)
_NUMBERING_CELL = re.compile(r"^\(?(\d{1,2})\)?$")


def header_key(text: str) -> str:
    """Comparison key of a header: folded (no diacritics, lowercase), punctuation as spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def classify_header(text: str) -> str | None:
    """The task field a header names ('ref', 'group', 'content', ...), or None for extra columns."""
    key = header_key(text)
    if not key or len(key) > MAX_HEADER_KEY:
        return None
    for name, pattern in _RULES:
        if pattern.search(key):
            return name
    return None


@dataclass
class ColumnMap:
    """Where each task field sits in a table, from its header row(s)."""

    width: int
    columns: dict[str, list[int]] = field(default_factory=dict)
    extras: list[tuple[str, list[int]]] = field(default_factory=list)
    header_rows: set[tuple[str, ...]] = field(default_factory=set)
    first_row: int = 0

    @property
    def qualifies(self) -> bool:
        return "content" in self.columns and ("time" in self.columns or "lead" in self.columns)

    @property
    def score(self) -> int:
        return len(self.columns)

    def same_layout(self, other: ColumnMap) -> bool:
        return self.width == other.width and self.columns == other.columns

    def values(self, row: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """The task fields and the extra fields of a row (cells of one header joined once each)."""

        def pick(cols: list[int]) -> str:
            if len(cols) == 1:
                return row[cols[0]] if cols[0] < len(row) else ""
            return " ".join(dict.fromkeys(row[c] for c in cols if c < len(row) and row[c]))

        return (
            {name: pick(cols) for name, cols in self.columns.items()},
            {header: pick(cols) for header, cols in self.extras},
        )

    def is_header_repeat(self, row: list[str]) -> bool:
        """A header row repeated on a later page or at the top of a continuation table."""
        if not row or header_key(row[0]) not in self._first_keys:
            return False  # the cheap test settles every data row
        return tuple(header_key(cell) for cell in row) in self.header_rows

    @property
    def _first_keys(self) -> set[str]:
        return {keys[0] for keys in self.header_rows if keys}


def map_columns(header_rows: list[list[str]], first_row: int = 0) -> ColumnMap:
    """Name the columns from one or two header rows (a merged "Đơn vị thực hiện" over "Chủ trì")."""
    width = max(len(row) for row in header_rows)
    texts = []
    for c in range(width):
        parts = dict.fromkeys(normalize_text(row[c]) for row in header_rows if c < len(row) and row[c])
        texts.append(" ".join(parts))
    entries: list[tuple[str | None, str, list[int]]] = []
    for c, text in enumerate(texts):
        if not text:
            continue
        if entries and entries[-1][1] == text and entries[-1][2][-1] == c - 1:
            entries[-1][2].append(c)  # one header merged across columns
            continue
        entries.append((classify_header(text), text, [c]))
    cmap = ColumnMap(width=width, first_row=first_row)
    cmap.header_rows = {tuple(header_key(cell) for cell in row) for row in header_rows}
    fallback = None
    for name, text, cols in entries:
        if name == "lead_fallback" and fallback is None:
            fallback = (text, cols)
        if name and name != "lead_fallback" and name not in cmap.columns:
            cmap.columns[name] = cols
        else:
            cmap.extras.append((text, cols))
    if "lead" not in cmap.columns and fallback is not None:
        cmap.columns["lead"] = fallback[1]
        cmap.extras.remove(fallback)
    return cmap


def _is_sub_header(sub: list[str], head: list[str], cmap: ColumnMap) -> bool:
    """The second row of a two-row header, not the first task: its number cell is not a new number."""
    if is_numbering_row(sub):
        return False
    for col in cmap.columns.get("ref", []):
        value = sub[col] if col < len(sub) else ""
        if value and value != (head[col] if col < len(head) else ""):
            return False
    return True


def detect_header(rows: list[list[str]]) -> tuple[ColumnMap, int] | None:
    """Find the header in the first rows: (column map, index of the first row after the header)."""
    for i in range(min(len(rows), HEADER_SCAN_ROWS)):
        if not any(rows[i]):
            continue
        one = map_columns(rows[i : i + 1], i)
        if i + 1 < len(rows) and one.score:
            two = map_columns(rows[i : i + 2], i)
            # The second row must complete the first one, not be a header of its own under a title.
            if (
                two.qualifies
                and two.score > one.score
                and _is_sub_header(rows[i + 1], rows[i], two)
                and map_columns(rows[i + 1 : i + 2], i + 1).score <= two.score
            ):
                return two, i + 2
        if one.qualifies:
            return one, i + 1
    return None


def is_numbering_row(row: list[str]) -> bool:
    """A row of column numbers under the header: "(1) (2) (3)…" or "1 2 3 4…"."""
    filled = [cell for cell in row if cell]
    if len(filled) < 3 or len(filled) * 2 < len(row):
        return False
    numbers = []
    for cell in dict.fromkeys(filled):
        match = _NUMBERING_CELL.match(cell.strip())
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and numbers == sorted(numbers)
