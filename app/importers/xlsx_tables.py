"""Excel (.xlsx) reader: each visible sheet as one grid, merged ranges expanded, read in streaming mode."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from app.formatting import plain_number, vn_date, vn_number, vn_percent, vn_time
from app.importers.containers import check_part
from app.importers.errors import MSG_BAD_XLSX, MSG_TOO_BIG_TABLE, ImportFileError
from app.importers.raw import MAX_COLUMNS, MAX_ROWS, RawDocument, RawTable, join_lines, rectangular

# A run of blank rows this long ends a sheet: stray formatting far below must not cost time.
MAX_BLANK_RUN = 500
MAX_MERGES = 100_000
_MERGE_REF = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"'
)
_CHUNK = 1 << 20


def read_xlsx(archive: zipfile.ZipFile, data: bytes) -> RawDocument:
    """Read every visible worksheet. openpyxl's read-only mode streams the cells but cannot report
    merged ranges, so those are scanned separately from the sheet XML."""
    import openpyxl

    document = RawDocument("xlsx")
    try:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                check_part(archive, name)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                if getattr(sheet, "sheet_state", "visible") != "visible":
                    continue
                rows = _sheet_rows(sheet)
                path = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
                if rows and path in archive.namelist():
                    _expand_merges(rows, _merged_ranges(archive, path))
                    rows = _drop_hidden(rows, *_hidden_parts(archive, path))
                rows = rectangular(rows)
                if rows:
                    document.blocks.append(RawTable(rows, name=sheet.title))
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl, lxml, zipfile, KeyError...: all mean a broken file
        raise ImportFileError(MSG_BAD_XLSX) from exc
    return document


def _sheet_rows(sheet) -> list[list[str]]:
    rows: list[list[str]] = []
    blank_run = 0
    for cells in sheet.iter_rows(max_col=MAX_COLUMNS):
        row = [cell_text(cell) for cell in cells]
        if any(row):
            blank_run = 0
        else:
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
        rows.append(row)
        if len(rows) > MAX_ROWS + MAX_BLANK_RUN:
            raise ImportFileError(MSG_TOO_BIG_TABLE.format(limit=vn_number(MAX_ROWS)))
    return rows


def cell_text(cell) -> str:
    """A cell value as the text a reader sees (dates dd/mm/yyyy, percentages with a decimal comma).

    Excel dates are wall-clock values with no time zone: shown as typed, never shifted from UTC.
    Percentages keep every digit typed (99,82%), not the display rule of one decimal; other numbers
    stay plain (codes and phone numbers typed as numbers must not gain a thousands dot)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return join_lines([value])
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date) and (shown := _date_by_format(value, cell)):
        return shown
    if isinstance(value, dt.datetime):
        day = vn_date(value.date())
        return day if value.time() == dt.time(0, 0) else f"{day} {vn_time(value)}"
    if isinstance(value, dt.date):
        return vn_date(value)
    if isinstance(value, dt.time):
        return vn_time(value)
    if isinstance(value, int | float):
        if "%" in str(getattr(cell, "number_format", "") or ""):
            return vn_percent(value * 100, decimals=None)
        return plain_number(value)
    return join_lines([str(value)])


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _date_by_format(value, cell) -> str | None:
    """A date cell shown as its number format says: a format without the day ("Tháng "m/yyyy,
    mm/yyyy, yyyy) means the whole month or year, never its first day."""
    fmt = str(getattr(cell, "number_format", "") or "")
    bare = _QUOTED.sub("", fmt).lower()
    if not bare or "d" in bare or "y" not in bare:
        return None
    if "m" not in bare.replace("am/pm", ""):
        return str(value.year)
    month_year = f"{value.month}/{value.year}"
    return f"Tháng {month_year}" if "th" in fold_text(fmt) else month_year


def fold_text(text: str) -> str:
    from app.parsing.text import fold

    return fold(text)


def _xml_pieces(archive: zipfile.ZipFile, path: str):
    """A sheet's XML in chunks cut before the last "<", so no tag is split between two pieces
    (no DOM for big sheets)."""
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(_CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            piece, tail = (buffer[:cut], buffer[cut:]) if cut > 0 else (buffer, b"")
            yield piece
    if tail:
        yield tail


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> set[str]:
    """The merged ranges of a sheet, scanned from its XML."""
    refs: set[str] = set()
    for piece in _xml_pieces(archive, path):
        for match in _MERGE_REF.finditer(piece):
            refs.add(match.group(1).decode("ascii"))
            if len(refs) > MAX_MERGES:
                return refs
    return refs


_ROW_TAG = re.compile(rb'<(?:\w+:)?row\b[^>]*>')
_COL_TAG = re.compile(rb'<(?:\w+:)?col\b[^>]*>')
_ATTR = re.compile(rb'\b(r|min|max|hidden)="([^"]*)"')


def _hidden_parts(archive: zipfile.ZipFile, path: str) -> tuple[set[int], set[int]]:
    """Hidden rows and columns (1-based) of a sheet, scanned from its XML (a filtered working copy
    hides what is not to be read)."""
    rows: set[int] = set()
    cols: set[int] = set()
    for piece in _xml_pieces(archive, path):
        for tag, target in ((_ROW_TAG, rows), (_COL_TAG, cols)):
            for match in tag.finditer(piece):
                attrs = dict(_ATTR.findall(match.group(0)))
                if attrs.get(b"hidden") not in (b"1", b"true"):
                    continue
                if tag is _ROW_TAG and attrs.get(b"r", b"").isdigit():
                    target.add(int(attrs[b"r"]))
                elif attrs.get(b"min", b"").isdigit() and attrs.get(b"max", b"").isdigit():
                    target.update(range(int(attrs[b"min"]), min(int(attrs[b"max"]), MAX_COLUMNS) + 1))
    return rows, cols


def _drop_hidden(rows: list[list[str]], hidden_rows: set[int], hidden_cols: set[int]) -> list[list[str]]:
    if not hidden_rows and not hidden_cols:
        return rows
    return [[cell for c, cell in enumerate(row, 1) if c not in hidden_cols]
            for r, row in enumerate(rows, 1) if r not in hidden_rows]


def _expand_merges(rows: list[list[str]], refs: set[str]) -> None:
    """Copy the top-left value of each merged range into every cell of the range (within the grid)."""
    from openpyxl.utils.cell import range_boundaries

    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except ValueError:
            continue
        if min_col is None or min_row is None or max_col is None or max_row is None:
            continue  # "A:B" or "3:4" has no top-left cell (openpyxl already refuses such a sheet)
        if min_row > len(rows) or min_col > MAX_COLUMNS:
            continue
        max_row = min(max_row, len(rows))
        max_col = min(max_col, MAX_COLUMNS)
        origin = rows[min_row - 1]
        value = origin[min_col - 1] if min_col - 1 < len(origin) else ""
        if not value:
            continue
        for r in range(min_row - 1, max_row):
            row = rows[r]
            if len(row) < max_col:
                row.extend([""] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                row[c] = value
