"""Word (.docx) reader: body paragraphs and tables with merged cells expanded, streamed with lxml."""
from __future__ import annotations

import zipfile

from lxml import etree

from app.formatting import vn_number
from app.importers.containers import check_part, main_document_part
from app.importers.errors import MSG_BAD_DOCX, MSG_TOO_BIG_TABLE, ImportFileError
from app.importers.raw import (
    MAX_COLUMNS,
    MAX_ROWS,
    RawDocument,
    RawTable,
    clean_line,
    join_lines,
    rectangular,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"})
_TEXT_TAGS = (W + "t", W + "tab", W + "br", W + "cr", W + "sym", W + "noBreakHyphen", W + "ptab")
_SKIPPED = (MC + "Fallback", W + "moveFrom", W + "del")
# Symbol-font characters (w:sym) that matter in task tables, by their low byte.
_SYMBOL_CHARS = {
    0xB3: "≥", 0xA3: "≤", 0xB9: "≠", 0xB1: "±", 0xBB: "≈", 0xAE: "→", 0xB7: "•", 0xD7: "×",
    0x2D: "-", 0x3C: "<", 0x3E: ">", 0x25: "%",
}


def read_docx(archive: zipfile.ZipFile) -> RawDocument:
    """Stream the main document part: top-level paragraphs become lines, tables become grids.

    Rows of a top-level table are turned into text as soon as they end and then freed, so memory
    follows the size of the grid, not of the XML.
    """
    document = RawDocument("docx")
    rows: list[list[str]] = []  # rows of the open top-level table
    bold: list[list[bool]] = []  # for each cell of those rows: its first line is bold
    try:
        part = main_document_part(archive)
        check_part(archive, part)
        with archive.open(part) as source:
            events = etree.iterparse(
                source,
                events=("end",),
                tag=(W + "p", W + "tbl", W + "tr"),
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
                load_dtd=False,
                remove_comments=True,
                remove_pis=True,
            )
            for _event, element in events:
                if element.tag == W + "tr":
                    if _in_top_level_table(element):
                        if len(rows) >= MAX_ROWS:
                            raise ImportFileError(MSG_TOO_BIG_TABLE.format(limit=vn_number(MAX_ROWS)))
                        cells, flags = _row_cells(element, rows[-1] if rows else [], bold[-1] if bold else [])
                        rows.append(cells)
                        bold.append(flags)
                        _release(element)
                    continue
                if not _is_top_level(element):
                    continue
                if element.tag == W + "tbl":
                    grid, marks = rectangular(rows), _bold_marks(bold)
                    rows, bold = [], []
                    if grid:
                        document.blocks.append(RawTable(grid, bold_first_line=marks))
                else:
                    for line in _paragraph_text(element).split("\n"):
                        line = clean_line(line)
                        if line:
                            document.blocks.append(line)
                _release(element)
    except ImportFileError:
        raise
    except Exception as exc:  # lxml, zlib, zipfile, KeyError...: all mean a broken file
        raise ImportFileError(MSG_BAD_DOCX) from exc
    return document


def _in_top_level_table(row) -> bool:
    parent = row.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag == W + "tbl" and _is_top_level(parent)


def _is_top_level(element) -> bool:
    """True for a paragraph or table directly in the body (through content-control wrappers)."""
    parent = element.getparent()
    while parent is not None and parent.tag in _WRAPPERS:
        parent = parent.getparent()
    return parent is not None and parent.tag == W + "body"


def _release(element) -> None:
    """Free what has been read so memory stays bounded by the largest table."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _paragraph_text(paragraph) -> str:
    """Visible text of a paragraph: runs, tabs as spaces, breaks as newlines, no deleted text."""
    for skipped in list(paragraph.iter(*_SKIPPED)):
        parent = skipped.getparent()
        if parent is not None:
            parent.remove(skipped)
    parts = []
    for node in paragraph.iter(*_TEXT_TAGS):
        tag = node.tag
        if tag == W + "t":
            parts.append(node.text or "")
        elif tag in (W + "tab", W + "ptab"):
            parts.append(" ")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append(_symbol(node))
    return "".join(parts)


def _symbol(node) -> str:
    try:
        code = int(node.get(W + "char", ""), 16)
    except ValueError:
        return ""
    if code >= 0xF000:
        return _SYMBOL_CHARS.get(code & 0xFF, "")
    return chr(code) if 0x20 <= code < 0x110000 else ""


def _children(element, tag):
    """Direct children with this tag, looking through content-control wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _int_attr(parent, tag: str, default: int = 0) -> int:
    if parent is None:
        return default
    node = parent.find(W + tag)
    if node is None:
        return default
    try:
        return int(node.get(W + "val", default))
    except ValueError:
        return default


def _cell_text(cell) -> str:
    return join_lines(_paragraph_text(p) for p in cell.iter(W + "p"))


def _bold_marks(flags: list[list[bool]]) -> set[tuple[int, int]]:
    return {(r, c) for r, row in enumerate(flags) for c, flag in enumerate(row) if flag}


def _is_bold(run) -> bool:
    props = run.find(W + "rPr")
    mark = props.find(W + "b") if props is not None else None
    return mark is not None and mark.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


def _first_line_bold(cell) -> bool:
    """True when every run of the cell's first line of text is bold (a break or the paragraph's end
    closes the line); a bold word leading a regular sentence is not a bold line."""
    for paragraph in cell.iter(W + "p"):
        seen = False
        for run in paragraph.iter(W + "r"):
            for node in run:
                if node.tag in (W + "br", W + "cr") and seen:
                    return True
                if node.tag == W + "t" and (node.text or "").strip():
                    if not _is_bold(run):
                        return False
                    seen = True
        if seen:
            return True
    return False


def _row_cells(tr, above: list[str], above_bold: list[bool]) -> tuple[list[str], list[bool]]:
    """One row of the grid and whether each cell's first line is bold: gridSpan repeats a cell
    across columns, vMerge continues the cell above."""
    props = tr.find(W + "trPr")
    row: list[str] = [""] * min(max(_int_attr(props, "gridBefore"), 0), MAX_COLUMNS)
    bold: list[bool] = [False] * len(row)
    for tc in _children(tr, W + "tc"):
        col = len(row)
        if col >= MAX_COLUMNS:
            break
        cell_props = tc.find(W + "tcPr")
        span = min(max(_int_attr(cell_props, "gridSpan", 1), 1), MAX_COLUMNS - col)
        vmerge = cell_props.find(W + "vMerge") if cell_props is not None else None
        hmerge = cell_props.find(W + "hMerge") if cell_props is not None else None
        if vmerge is not None and vmerge.get(W + "val", "continue") == "continue" and above:
            row.extend(above[c] if c < len(above) else "" for c in range(col, col + span))
            bold.extend(above_bold[c] if c < len(above_bold) else False for c in range(col, col + span))
            continue
        if hmerge is not None and hmerge.get(W + "val", "continue") == "continue" and row:
            text, flag = row[-1], bold[-1]
        else:
            text = _cell_text(tc)
            flag = bool(text) and _first_line_bold(tc)
        row.extend([text] * span)
        bold.extend([flag] * span)
    row.extend([""] * max(0, min(_int_attr(props, "gridAfter"), MAX_COLUMNS - len(row))))
    return row, bold
