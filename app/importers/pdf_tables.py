"""PDF reader: words with positions and ruling lines (pdfplumber) become prose lines and grids shaped
like the Word reader's, with merged cells repeated and tables continued over pages joined again."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from app.importers.errors import MSG_BAD_PDF, MSG_PDF_NO_TEXT, MSG_PDF_PAGE_NO_TEXT, ImportFileError
from app.importers.raw import MAX_COLUMNS, MAX_ROWS, RawDocument, RawTable, clean_line, rectangular

MAX_PAGES = 300
_EDGE_TOLERANCE = 2.0  # points: two column edges this close are the same edge
_LINE_TOLERANCE = 3.0  # points: words whose tops are this close are on one line
# A line that starts like this opens a new paragraph (or a new line in a cell), never a wrap.
_OPENING = re.compile(r"^(?:[-+•–*]\s|[IVXLC]+\.\s|\d+(?:\.\d+)*[.)]\s|[a-zđ]\)\s)")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^Trang \d+(?:/\d+)?$")


@dataclass
class _Line:
    words: list[dict]

    @property
    def x0(self) -> float:
        return float(self.words[0]["x0"])

    @property
    def x1(self) -> float:
        return float(self.words[-1]["x1"])

    @property
    def top(self) -> float:
        return float(min(w["top"] for w in self.words))

    @property
    def size(self) -> float:
        return max(float(w.get("size", 0) or 0) for w in self.words)

    @property
    def text(self) -> str:
        """Words joined by spaces; a word cut after its hyphen at a line end joins the next one."""
        parts = []
        for i, word in enumerate(self.words):
            if i:
                before = self.words[i - 1]
                cut = abs(word["top"] - before["top"]) > _LINE_TOLERANCE and len(before["text"]) > 1
                # Words split only by a change of font ("≥" in a symbol font) touch each other.
                touching = not cut and word["x0"] - before["x1"] < 0.6
                parts.append("" if touching or (cut and before["text"].endswith(("-", "–"))) else " ")
            parts.append(word["text"])
        return clean_line("".join(parts))


@dataclass
class _Segment:
    """One table as drawn on one page, before tables continued over pages are joined."""

    rows: list[list[str]]
    origins: list[list[tuple[int, int]]]  # the (row, column) where the cell covering each slot starts
    edges: list[float]
    page: int
    top: float
    bottom: float
    page_height: float
    first_on_page: bool = False
    last_on_page: bool = False
    rowspans: dict[tuple[int, int], int] = field(default_factory=dict)
    bold: set[tuple[int, int]] = field(default_factory=set)  # slots whose cell opens with a bold line

    def vertically_merged(self, row: int, col: int) -> bool:
        start = self.origins[row][col]
        return self.rowspans.get(start, 1) > 1


def read_pdf(data: bytes) -> RawDocument:
    """Read every page: prose lines in reading order and each ruled table as a grid."""
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds (syntax, password, EOF): all unreadable
        raise ImportFileError(MSG_BAD_PDF) from exc
    document = RawDocument("pdf")
    blocks: list[tuple[int, float, Any]] = []
    segments: list[_Segment] = []
    text_pages = 0
    try:
        with pdf:
            for number, page in enumerate(pdf.pages[:MAX_PAGES], start=1):
                page_blocks, page_segments, has_text = _read_page(page, number)
                if has_text:
                    text_pages += 1
                elif page.images:
                    document.warnings.append(MSG_PDF_PAGE_NO_TEXT.format(page=number))
                blocks.extend(page_blocks)
                segments.extend(page_segments)
    except ImportFileError:
        raise
    except Exception as exc:  # a broken content stream half way through the file
        raise ImportFileError(MSG_BAD_PDF) from exc
    if not text_pages:
        raise ImportFileError(MSG_PDF_NO_TEXT)
    document.blocks = _assemble(blocks, segments)
    return document


def _read_page(page, number: int) -> tuple[list[tuple[int, float, Any]], list[_Segment], bool]:
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False, use_text_flow=False)
    if not words:
        return [], [], False
    tables = page.find_tables()
    segments: list[_Segment] = []
    boxes = []
    for table in tables:
        segment = _segment(table, words, number, float(page.height))
        if segment is not None:
            segments.append(segment)
            boxes.append(table.bbox)
    if segments:
        segments[0].first_on_page = True
        segments[-1].last_on_page = True
    outside = [w for w in words if not any(_inside(w, box) for box in boxes)]
    blocks: list[tuple[int, float, Any]] = [(number, line.top, line) for line in _prose_lines(outside)]
    blocks.extend((number, s.top, s) for s in segments)
    return blocks, segments, True


def _inside(word: dict, box) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _cluster(values: list[float]) -> list[float]:
    """Sorted distinct coordinates, values closer than the tolerance counted once."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _EDGE_TOLERANCE:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _segment(table, words: list[dict], page: int, page_height: float) -> _Segment | None:
    """A grid from the cell boxes: every cell's text repeated over the columns and rows it spans."""
    cells = [c for c in table.cells if c is not None]
    if not cells:
        return None
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    width, height = min(len(xs) - 1, MAX_COLUMNS), len(ys) - 1
    if width < 1 or height < 1:
        return None
    rows = [[""] * width for _ in range(height)]
    origins = [[(r, c) for c in range(width)] for r in range(height)]
    rowspans: dict[tuple[int, int], int] = {}
    bold: set[tuple[int, int]] = set()
    inside = [w for w in words if _inside(w, table.bbox)]
    for box in cells:
        c0, c1 = _index(xs, box[0]), min(_index(xs, box[2]), width)
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        cell_words = [w for w in inside if _inside(w, box)]
        text = _cell_text(cell_words, box)
        opens_bold = bool(cell_words) and all(_bold(w) for w in _group_lines(cell_words)[0].words)
        rowspans[(r0, c0)] = r1 - r0
        for r in range(r0, r1):
            for c in range(c0, c1):
                rows[r][c] = text
                origins[r][c] = (r0, c0)
                if opens_bold:
                    bold.add((r, c))
    return _Segment(rows, origins, xs, page, float(table.bbox[1]), float(table.bbox[3]), page_height,
                    rowspans=rowspans, bold=bold)


def _group_lines(words: list[dict]) -> list[_Line]:
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1].words[0]["top"]) <= _LINE_TOLERANCE:
            lines[-1].words.append(word)
        else:
            lines.append(_Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _wraps(line: _Line, following: _Line, available: float) -> bool:
    """True when the next line goes on the same paragraph: its first word would not have fitted."""
    first = following.words[0]
    if _OPENING.match(following.text) or _bold(line.words[-1]) != _bold(first):
        return False  # a bold title over a regular description is two paragraphs
    space = 0.3 * (line.size or 10)
    return (line.x1 - line.x0) + space + (first["x1"] - first["x0"]) > available


def _bold(word: dict) -> bool:
    return "bold" in str(word.get("fontname", "")).lower()


def _joiner(line: _Line) -> str:
    """A line broken after the hyphen inside a word ("2025-" / "2026") joins with nothing."""
    last = line.words[-1]["text"]
    return "" if len(last) > 1 and last.endswith(("-", "–")) else " "


def _cell_text(words: list[dict], box) -> str:
    """The cell's lines, wrapped lines joined with a space and real line breaks kept."""
    lines = _group_lines(words)
    if not lines:
        return ""
    padding = min(max(min(line.x0 for line in lines) - box[0], 1.0), 8.0)
    available = (box[2] - box[0]) - 2 * padding - 1
    parts = [lines[0].text]
    for previous, line in zip(lines, lines[1:], strict=False):
        parts.append(_joiner(previous) if _wraps(previous, line, available) else "\n")
        parts.append(line.text)
    return "".join(parts)


def _prose_lines(words: list[dict]) -> list[_Line]:
    """Paragraphs of the text outside tables; footnotes (smaller type) and page numbers left out."""
    lines = [line for line in _group_lines(words) if line.text and not _PAGE_NUMBER.match(line.text)]
    if not lines:
        return []
    sizes = sorted(line.size for line in lines)
    body = sizes[len(sizes) // 2]
    lines = [line for line in lines if not body or line.size >= 0.85 * body]
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    available = max(line.x1 for line in lines) - left - 2
    paragraphs = [lines[0]]
    for line in lines[1:]:
        previous = paragraphs[-1]
        last_line = _Line([w for w in previous.words if abs(w["top"] - previous.words[-1]["top"]) <= 1])
        if line.top - last_line.top < 2.5 * (line.size or 10) and line.x0 - left < 3 \
                and _wraps(last_line, line, available - (last_line.x0 - left)):
            previous.words.extend(line.words)
        else:
            paragraphs.append(line)
    return paragraphs


def _continues(previous: _Segment, segment: _Segment) -> bool:
    """A table drawn on the next page with the same columns, right at the top, continues it."""
    return (
        segment.page == previous.page + 1
        and segment.first_on_page
        and previous.last_on_page
        and len(segment.edges) == len(previous.edges)
        and all(abs(a - b) <= _EDGE_TOLERANCE for a, b in zip(segment.edges, previous.edges, strict=True))
    )


def _join(table: list[list[str]], header: list[list[str]], previous: _Segment, segment: _Segment) -> int:
    """Append a continued segment: a repeated header is skipped, a cell merged down over the page
    break takes the text above, and a row split by the page break is put back together. Returns the
    first row of the segment appended as a row of its own."""
    start = 0
    while start < len(segment.rows) and start < len(header) and segment.rows[start] == header[start]:
        start += 1
    if start >= len(segment.rows):
        return start
    first, last = segment.rows[start], table[-1]
    split_row = bool(last and last[0]) and not first[0] and len(set(first)) > 1
    for col in range(len(first)):
        if first[col] or not (split_row or previous.vertically_merged(len(previous.rows) - 1, col)):
            continue
        origin = segment.origins[start][col]
        for r in range(start, len(segment.rows)):
            if segment.origins[r][col] == origin:
                segment.rows[r][col] = last[col]
    if split_row:
        for col, text in enumerate(first):
            if text and text != last[col]:
                joiner = "\n" if _OPENING.match(text) else " "
                last[col] = f"{last[col]}{joiner}{text}" if last[col] else text
        start += 1
    table.extend(segment.rows[start:])
    return start


def _assemble(blocks: list[tuple[int, float, Any]], segments: list[_Segment]) -> list[str | RawTable]:
    """Blocks in reading order; a table continued over pages becomes one grid."""
    out: list[str | RawTable] = []
    current: list[list[str]] | None = None
    bold: set[tuple[int, int]] = set()
    header: list[list[str]] = []
    last_segment: _Segment | None = None
    for _page, _top, block in sorted(blocks, key=lambda b: (b[0], b[1])):
        if isinstance(block, _Line):
            out.append(block.text)
            continue
        if current is not None and last_segment is not None and _continues(last_segment, block):
            before = len(current)
            start = _join(current, header, last_segment, block)
            bold.update((before + r - start, c) for r, c in block.bold if r >= start)
        else:
            current = [list(row) for row in block.rows]
            bold = set(block.bold)  # the table's own set, filled as its pages are joined
            header = [list(row) for row in block.rows[:3]]
            out.append(RawTable(current, bold_first_line=bold))
        if len(current) > MAX_ROWS:
            from app.formatting import vn_number
            from app.importers.errors import MSG_TOO_BIG_TABLE

            raise ImportFileError(MSG_TOO_BIG_TABLE.format(limit=vn_number(MAX_ROWS)))
        last_segment = block
    for i, block in enumerate(out):
        if isinstance(block, RawTable):
            out[i] = RawTable(rectangular(block.rows), bold_first_line=block.bold_first_line)
    return [b for b in out if not isinstance(b, RawTable) or b.rows]
