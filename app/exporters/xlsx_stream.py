"""Any number of rows as .xlsx, streamed: the worksheet XML is written straight into the zip entry,
row by row, so memory stays flat and a cell costs a string format, not an object (openpyxl's
write-only mode needs ~10 µs a cell: 5 s for a plan's 35.000 assignments).

Cells as in app/exporters/xlsx_table.py: text is always a text cell (a value starting with "=" is
never a formula), dates are real dates shown dd/mm/yyyy, timestamps (naive = UTC) in Vietnam time,
booleans "Có"/"Không". Repeated strings (plan, task, unit names) go to a shared-string table of at
most SHARED_MAX entries; past that, new strings are written inline, so memory stays bounded.
The widths are given up front (measuring them would mean holding every row).
"""
from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO

from app.exporters.xlsx_print import PageLayout, page_layout
from app.exporters.xlsx_styles import DATE_FORMAT, DATETIME_FORMAT, CellStyle, StyleSheet
from app.exporters.xlsx_table import _ILLEGAL, sheet_title
from app.formatting import to_local

DEFAULT_WIDTH = 16
SHARED_MAX = 100_000
COMPRESSION = 1  # zlib level: the XML is repetitive, level 1 is ~3 × faster than 6 for ~20% more bytes
FLUSH_ROWS = 500
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug folded in)
_EPOCH_MOMENT = dt.datetime(1899, 12, 30)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
HEADER = CellStyle(bold=True, vertical="center", wrap=True)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _clean(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        return _ILLEGAL.sub("", text).translate(_ESCAPES)
    return text


def _inline(text: str, style_attr: str) -> str:
    return f'<c{style_attr} t="inlineStr"><is><t xml:space="preserve">{_clean(text)}</t></is></c>'


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


class Sheet:
    """One worksheet being written: `row()` appends a row; the writer closes it."""

    def __init__(self, book: XlsxWriter, number: int, title: str, widths: Sequence[float], *,
                 freeze: str | None, layout: PageLayout | None):
        self.book, self.number, self.title, self.widths = book, number, title, list(widths)
        self.layout = layout
        self.autofilter: str | None = None  # the filtered range, set before the sheet is closed
        self.rows = 0
        self._buffer: list[str] = []
        self._entry = book.zip.open(f"xl/worksheets/sheet{number}.xml", "w")
        self._entry.write(self._head(freeze).encode())
        styles = book.styles
        self._date = styles.index(CellStyle(number_format=DATE_FORMAT))
        self._datetime = styles.index(CellStyle(number_format=DATETIME_FORMAT))

    def _head(self, freeze: str | None) -> str:
        parts = [XML_HEAD, f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
        if self.layout:
            parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        parts.append('<sheetViews><sheetView workbookViewId="0">')
        if freeze:
            column, row = re.fullmatch(r"([A-Z]+)(\d+)", freeze).groups()  # type: ignore[union-attr]
            x_split = sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(column))) - 1
            y_split = int(row) - 1
            pane = "bottomRight" if x_split and y_split else ("bottomLeft" if y_split else "topRight")
            splits = (f'xSplit="{x_split}" ' if x_split else "") + (f'ySplit="{y_split}" ' if y_split else "")
            parts.append(f'<pane {splits}topLeftCell="{freeze}" activePane="{pane}" state="frozen"/>'
                         f'<selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/>')
        parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            parts.append("<cols>")
            start = 0
            for index in range(1, len(self.widths) + 1):  # equal neighbours share one <col>
                if index == len(self.widths) or self.widths[index] != self.widths[start]:
                    parts.append(f'<col min="{start + 1}" max="{index}" width="{self.widths[start]:g}" '
                                 'customWidth="1"/>')
                    start = index
            parts.append("</cols>")
        parts.append("<sheetData>")
        return "".join(parts)

    def _cell(self, value, style: int | None) -> str:
        """Any value with any style (the plain path is in _plain_cells)."""
        s = f' s="{style}"' if style else ""
        if value is None or value == "":
            return f"<c{s}/>"
        if isinstance(value, str):
            index = self.book.shared(value)
            return f'<c{s} t="s"><v>{index}</v></c>' if index is not None else _inline(value, s)
        if isinstance(value, bool):
            return self._cell("Có" if value else "Không", style)
        if isinstance(value, int | float | Decimal):
            return f"<c{s}><v>{value}</v></c>"
        if isinstance(value, dt.datetime):
            since = to_local(value).replace(tzinfo=None) - _EPOCH_MOMENT
            chosen = style or (self._datetime if since.seconds else self._date)
            return f'<c s="{chosen}"><v>{since.days + since.seconds / 86400:.10g}</v></c>'
        if isinstance(value, dt.date):
            return f'<c s="{style or self._date}"><v>{(value - _EPOCH).days}</v></c>'
        return self._cell(str(value), style)

    def _plain_cells(self, values: Sequence) -> str:
        """The hot loop of the large exports: strings and numbers without a per-cell call."""
        strings, out = self.book.strings, list[str]()
        add = out.append
        for value in values:
            kind = type(value)
            if kind is str and value:
                index = strings.get(value)
                if index is None:
                    index = self.book.shared(value)
                add(f'<c t="s"><v>{index}</v></c>' if index is not None else _inline(value, ""))
            elif value is None or kind is str:
                add("<c/>")
            elif kind is int or kind is float:
                add(f"<c><v>{value}</v></c>")
            else:
                add(self._cell(value, None))
        return "".join(out)

    def row(self, values: Sequence, styles: Sequence[int | None] | int | None = None,
            height: float | None = None) -> None:
        """Append a row; `styles` is one style index for every cell or one per cell. Cells carry
        no reference: each is the next column (an empty value is an empty <c/>)."""
        self.rows += 1
        if styles is None:
            cells = self._plain_cells(values)
        elif isinstance(styles, int):
            cells = "".join([self._cell(value, styles) for value in values])
        else:
            cells = "".join([self._cell(value, style) for value, style in zip(values, styles, strict=False)])
        tall = f' ht="{height:g}" customHeight="1"' if height else ""
        self._buffer.append(f'<row r="{self.rows}"{tall}>{cells}</row>')
        if len(self._buffer) >= FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        self._entry.write("".join(self._buffer).encode())
        self._buffer.clear()

    def close(self) -> None:
        self._flush()
        tail = ["</sheetData>"]
        if self.autofilter:
            tail.append(f'<autoFilter ref="{self.autofilter}"/>')
        if self.layout:
            layout = self.layout
            tail.append('<printOptions horizontalCentered="1"/>'
                        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" '
                        'footer="0.3"/>'
                        f'<pageSetup paperSize="9" orientation="{layout.orientation}" '
                        f'fitToWidth="{layout.pages_wide}" fitToHeight="0"/>')
        tail.append("</worksheet>")
        self._entry.write("".join(tail).encode())
        self._entry.close()

    def defined_names(self, index: int) -> list[str]:
        names, quoted = [], _quote_sheet(self.title)
        if self.autofilter:
            absolute = re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", self.autofilter)
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                         f"{_clean(quoted)}!{absolute}</definedName>")
        if self.layout and (self.layout.title_rows or self.layout.title_cols):
            titles = []
            if self.layout.title_cols:
                first, last = self.layout.title_cols.split(":")
                titles.append(f"{quoted}!${first}:${last}")
            if self.layout.title_rows:
                first, last = self.layout.title_rows.split(":")
                titles.append(f"{quoted}!${first}:${last}")
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                         f'{_clean(",".join(titles))}</definedName>')
        return names


class XlsxWriter:
    """A workbook written into `out` sheet by sheet; `close()` adds the shared parts."""

    def __init__(self, out: IO[bytes]):
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
        self.styles = StyleSheet()
        self.sheets: list[Sheet] = []
        self.strings: dict[str, int] = {}
        self._current: Sheet | None = None

    def style(self, **kwargs) -> int:
        return self.styles.index(CellStyle(**kwargs))

    def shared(self, text: str) -> int | None:
        """The shared-string index of text, None once the table is full (then it goes inline)."""
        found = self.strings.get(text)
        if found is None and len(self.strings) < SHARED_MAX:
            found = self.strings[text] = len(self.strings)
        return found

    def sheet(self, title: str, widths: Sequence[float], *, freeze: str | None = "A2",
              layout: PageLayout | None = None) -> Sheet:
        """Start the next sheet (the previous one is closed)."""
        if self._current:
            self._current.close()
        self._current = Sheet(self, len(self.sheets) + 1, sheet_title(title), widths, freeze=freeze,
                              layout=layout)
        self.sheets.append(self._current)
        return self._current

    def close(self) -> None:
        if self._current:
            self._current.close()
            self._current = None
        sheets = "".join(f'<sheet name="{_clean(s.title)}" sheetId="{s.number}" r:id="rId{s.number}"/>'
                         for s in self.sheets)
        names = [name for i, s in enumerate(self.sheets) for name in s.defined_names(i)]
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        self.zip.writestr("xl/workbook.xml", f'{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
                          f"<bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>{defined}"
                          "</workbook>")
        count = len(self.sheets)
        parts = [*(("worksheet", f"worksheets/sheet{n}.xml") for n in range(1, count + 1)),
                 ("styles", "styles.xml"), ("sharedStrings", "sharedStrings.xml")]
        rels = "".join(f'<Relationship Id="rId{n}" Type="{REL_NS}/{kind}" Target="{target}"/>'
                       for n, (kind, target) in enumerate(parts, 1))
        self.zip.writestr("xl/_rels/workbook.xml.rels", f'{XML_HEAD}<Relationships xmlns="{PKG_REL_NS}">'
                          f"{rels}</Relationships>")
        self.zip.writestr("xl/styles.xml", self.styles.xml())
        self._write_strings()
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, count + 1))
        main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        self.zip.writestr("[Content_Types].xml", (
            f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>{sheet_types}'
            f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{main}.sharedStrings+xml"/></Types>'))
        self.zip.writestr("_rels/.rels", f'{XML_HEAD}<Relationships xmlns="{PKG_REL_NS}">'
                          f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
                          "</Relationships>")
        self.zip.close()

    def _write_strings(self) -> None:
        with self.zip.open("xl/sharedStrings.xml", "w") as entry:
            entry.write(f'{XML_HEAD}<sst xmlns="{MAIN_NS}" uniqueCount="{len(self.strings)}">'.encode())
            batch: list[str] = []
            for text in self.strings:  # dicts keep insertion order: the indexes handed out
                batch.append(f'<si><t xml:space="preserve">{_clean(text)}</t></si>')
                if len(batch) >= 5000:
                    entry.write("".join(batch).encode())
                    batch.clear()
            entry.write(("".join(batch) + "</sst>").encode())


def write_xlsx(out: IO[bytes], title: str, headers: list[str], rows: Iterable[Sequence],
               widths: Sequence[int | None] | None = None, *, note: str | None = None) -> int:
    """Write headers and rows (any iterable, read once) to out as a one-sheet workbook with a bold
    frozen header, an autofilter and a print layout; returns how many rows were written. `note`, if
    given, is a last line saying what the sheet leaves out."""
    columns = [(widths[i] if widths is not None and i < len(widths) else None) or DEFAULT_WIDTH
               for i in range(len(headers))]
    book = XlsxWriter(out)
    sheet = book.sheet(title, columns, layout=page_layout(columns))
    sheet.row([_ILLEGAL.sub("", h or "") for h in headers], book.styles.index(HEADER))
    for row in rows:
        sheet.row(row)
    count = sheet.rows - 1
    sheet.autofilter = f"A1:{column_letter(max(len(headers), 1))}{count + 1}"
    if note:
        sheet.row([note])
    book.close()
    return count


def xlsx_file(title: str, headers: list[str], rows: Iterable[Sequence],
              widths: Sequence[int | None] | None = None, *, note: str | None = None) -> IO[bytes]:
    """write_xlsx into a temporary file, rewound: the view hands it to send_file, which streams it
    and closes it (the file disappears on close)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by whoever streams it)
    try:
        write_xlsx(out, title, headers, rows, widths, note=note)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
