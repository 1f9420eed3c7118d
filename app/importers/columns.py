"""Header detection: which column holds the number, content, product, time and units of a task."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.importers.column_scoring import (
    EXTRA_KINDS,
    MIN_SCORE,
    TASK_FIELDS,
    ColumnScore,
    classify_key,
    header_key,
    score_cells,
    score_header,
)
from app.parsing.text import normalize_text

HEADER_SCAN_ROWS = 30
MAX_HEADER_KEY = 90
MAX_HEADER_ROWS = 3
SAMPLE_ROWS = 40
MAX_SUB_HEADER_CELL = 60

_NUMBERING_CELL = re.compile(r"^\(?(\d{1,2})\)?$")


def classify_header(text: str) -> str | None:
    """The task field a header names by its words ('ref', 'content', ...), or None for other columns.

    "lead_fallback" is a unit column whose header does not say chủ trì ("Đơn vị thực hiện")."""
    key = header_key(text)
    if not key or len(key) > MAX_HEADER_KEY:
        return None
    name = classify_key(key)
    if name == "lead" and "chu tri" not in key:
        return "lead_fallback"
    return name if name in TASK_FIELDS else None


@dataclass
class ColumnMap:
    """Where each task field sits in a table, from its header row(s), and why."""

    width: int
    columns: dict[str, list[int]] = field(default_factory=dict)
    extras: list[tuple[str, list[int]]] = field(default_factory=list)
    header_rows: set[tuple[str, ...]] = field(default_factory=set)
    first_row: int = 0
    header_height: int = 1
    explain: list[dict] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    header_evidence: int = 0  # assigned fields backed by header words

    @property
    def qualifies(self) -> bool:
        if "content" not in self.columns or not ("time" in self.columns or "lead" in self.columns):
            return False
        return self.header_evidence >= 2

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

        fields = {name: pick(cols) for name, cols in self.columns.items()}
        if len(self.columns.get("ref", [])) > 1:
            # "STT" over "TT | Chi tiết": the innermost number filled is the row's own.
            filled = [row[c] for c in self.columns["ref"] if c < len(row) and row[c]]
            fields["ref"] = filled[-1] if filled and len(set(filled)) > 1 else (filled[0] if filled else "")
        return fields, {header: pick(cols) for header, cols in self.extras}

    def is_header_repeat(self, row: list[str]) -> bool:
        """A header row repeated on a later page or at the top of a continuation table."""
        if not row or header_key(row[0]) not in self._first_keys:
            return False  # the cheap test settles every data row
        return tuple(header_key(cell) for cell in row) in self.header_rows

    @property
    def _first_keys(self) -> set[str]:
        return {keys[0] for keys in self.header_rows if keys}


def _entries(header_rows: list[list[str]], width: int) -> list[tuple[str, list[int]]]:
    """Header texts per column (rows of a multi-row header joined), merged columns as one entry."""
    texts = []
    for c in range(width):
        parts = dict.fromkeys(normalize_text(row[c]) for row in header_rows if c < len(row) and row[c])
        texts.append(" ".join(parts))
    entries: list[tuple[str, list[int]]] = []
    for c, text in enumerate(texts):
        if entries and entries[-1][0] == text and entries[-1][1][-1] == c - 1 and text:
            entries[-1][1].append(c)  # one header merged across columns
            continue
        entries.append((text, [c]))
    return entries


def _column_cells(data_rows: list[list[str]], cols: list[int]) -> list[str]:
    cells = []
    for row in data_rows[:SAMPLE_ROWS]:
        filled = [cell for cell in row if cell]
        if len(set(filled)) <= 1 and len(filled) > 1:
            continue  # a title merged across the row says nothing about one column
        cells.append(" ".join(dict.fromkeys(row[c] for c in cols if c < len(row) and row[c])))
    return cells


def map_columns(header_rows: list[list[str]], first_row: int = 0,
                data_rows: list[list[str]] | None = None, chosen: dict[str, str] | None = None) -> ColumnMap:
    """Name the columns from one to three header rows and, when given, the rows below them.

    chosen maps a header (as shown in the layout) to the field the office picked in the preview
    ("" keeps the column as an extra); it wins over the scores."""
    width = max(len(row) for row in header_rows)
    cmap = ColumnMap(width=width, first_row=first_row, header_height=len(header_rows))
    cmap.header_rows = {tuple(header_key(cell) for cell in row) for row in header_rows}
    scores: list[tuple[ColumnScore, list[int], str]] = []
    for text, cols in _entries(header_rows, width):
        key = header_key(text)
        col = ColumnScore(cols[0], text)
        if key and len(key) <= MAX_HEADER_KEY:
            score_header(col, key)
        if data_rows:
            score_cells(col, _column_cells(data_rows, cols))
        top = normalize_text(header_rows[0][cols[0]]) if cols[0] < len(header_rows[0]) else ""
        scores.append((col, cols, top))
    assigned = _assign(scores, chosen or {})
    _join_siblings(scores, assigned)
    if "lead" not in assigned.values() and "lead_detail" in assigned.values():
        assigned = {i: ("lead" if name == "lead_detail" else name) for i, name in assigned.items()}
    for i, (col, cols, _top) in enumerate(scores):
        name = assigned.get(i)
        if name:
            cmap.columns.setdefault(name, []).extend(cols)
            cmap.header_evidence += col.header_points(name) > 0 and name in ("ref", "content", "product",
                                                                               "time", "lead", "cooperating",
                                                                               "group")
        elif col.header:
            cmap.extras.append((col.header, cols))
            best, points = col.best()
            if points < MIN_SCORE or best not in EXTRA_KINDS:
                cmap.unrecognised.append(col.header)
        cmap.explain.append(_explain(col, cols, name))
    return cmap


def _assign(scores: list[tuple[ColumnScore, list[int], str]], chosen: dict[str, str]) -> dict[int, str]:
    """Give each field to the column with the most points for it (highest first), once each;
    the office's choices first."""
    assigned: dict[int, str] = {}
    for i, (col, _cols, _top) in enumerate(scores):
        if chosen.get(col.header) in TASK_FIELDS and chosen[col.header] not in assigned.values():
            assigned[i] = chosen[col.header]
            col.content[assigned[i]] = "chọn khi xem trước"
    candidates = []
    for i, (col, _cols, _top) in enumerate(scores):
        if col.header in chosen or i in assigned:
            continue
        best, best_points = col.best()
        if best in EXTRA_KINDS and best_points >= MIN_SCORE:
            continue  # "Ghi chú", "Kinh phí": known, but not a task field
        for name in TASK_FIELDS:
            points = col.points.get(name, 0.0)
            if points >= MIN_SCORE:
                candidates.append((-points, col.index, TASK_FIELDS.index(name), i, name))
    for _neg, _index, _rank, i, name in sorted(candidates):
        if i not in assigned and name not in assigned.values():
            assigned[i] = name
    return assigned


def _join_siblings(scores, assigned: dict[int, str]) -> None:
    """A column left over under the same top header as its neighbour, for the same field, joins it
    ("STT" over "TT | Chi tiết")."""
    for i, (col, _cols, top) in enumerate(scores):
        if i in assigned or not (top or not col.header):
            continue
        best, points = col.best()
        for j in (i - 1, i + 1):
            if not 0 <= j < len(scores) or assigned.get(j) != best or best != "ref":
                continue
            # an unnamed column beside the number column, holding numbers, is its second level
            if (scores[j][2] == top) if top else points >= MIN_SCORE:
                assigned[i] = best
                break


def _explain(col: ColumnScore, cols: list[int], name: str | None) -> dict:
    return {
        "columns": list(cols),
        "header": col.header,
        "field": name,
        "score": round(col.points.get(name, 0.0), 2) if name else round(col.best()[1], 2),
        "words": list(col.words.get(name, [])) if name else [],
        "content": col.content.get(name, "") if name else "",
    }


def _is_sub_header_row(sub: list[str], above: list[str]) -> bool:
    """The next row of a multi-row header: short header words under a cell merged across columns
    (or repeated from the row above by a vertical merge); never a numbered task."""
    if is_numbering_row(sub):
        return False
    differs = False
    for c, cell in enumerate(sub):
        if not cell:
            continue
        upper = above[c] if c < len(above) else ""
        if cell == upper:
            continue
        if len(cell) > MAX_SUB_HEADER_CELL or re.search(r"\d", cell):
            return False
        spans = upper and (
            (c > 0 and above[c - 1] == upper) or (c + 1 < len(above) and above[c + 1] == upper)
        )
        if not (spans or not upper):
            return False
        if classify_key(header_key(cell)) is None and not spans:
            return False
        differs = True
    return differs


def detect_header(
    rows: list[list[str]], chosen: dict[str, str] | None = None
) -> tuple[ColumnMap, int] | None:
    """Find the header in the first rows: (column map, index of the first row after the header)."""
    for i in range(min(len(rows), HEADER_SCAN_ROWS)):
        if len(set(filter(None, rows[i]))) < 2:
            continue  # empty, or a title merged across the row
        height = 1
        while (height < MAX_HEADER_ROWS and i + height < len(rows)
               and _is_sub_header_row(rows[i + height], rows[i + height - 1])):
            height += 1
        for h in range(height, 0, -1):
            data = [r for r in rows[i + h : i + h + SAMPLE_ROWS] if not is_numbering_row(r)]
            cmap = map_columns(rows[i : i + h], i, data, chosen)
            if cmap.qualifies:
                return cmap, i + h
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
