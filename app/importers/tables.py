"""Read any supported file into grids of cell texts: format sniffing, zip guards, dispatch."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from app.importers.errors import (
    MSG_BAD_DOCX,
    MSG_BAD_XLSX,
    MSG_BAD_ZIP,
    MSG_DOC,
    MSG_EMPTY,
    MSG_ODF,
    MSG_PDF,
    MSG_RTF,
    MSG_UNKNOWN,
    MSG_XLS,
    MSG_ZIP_BOMB,
    ImportFileError,
)

# Bounds that keep memory and time small whatever the file claims to hold.
MAX_ZIP_MEMBERS = 2000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_PART_BYTES = 60 * 1024 * 1024  # one XML part (document.xml, a sheet)
MAX_COLUMNS = 64
MAX_ROWS = 20000

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# U+00AD is kept: in TCVN3 text it is the letter "ư".
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@dataclass
class RawTable:
    """One table as a rectangular grid of cell texts (merged cells repeated)."""

    rows: list[list[str]]
    name: str = ""  # sheet name for spreadsheets

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


@dataclass
class RawDocument:
    """A document as ordered blocks: prose lines (str) and tables (RawTable)."""

    format: str
    blocks: list[str | RawTable] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[RawTable]:
        return [b for b in self.blocks if isinstance(b, RawTable)]

    @property
    def lines(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]


def clean_line(text: str) -> str:
    """NFC, invisible characters dropped, runs of spaces collapsed, trimmed (one line)."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def join_lines(parts) -> str:
    """Join paragraph texts into one cell value: cleaned non-empty lines separated by newlines."""
    lines = []
    for part in parts:
        for line in part.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = clean_line(line)
            if line:
                lines.append(line)
    return "\n".join(lines)


def rectangular(rows: list[list[str]]) -> list[list[str]]:
    """Pad rows to the same width and drop trailing empty columns and rows."""
    width = 0
    for row in rows:
        for i in range(len(row) - 1, -1, -1):
            if row[i]:
                width = max(width, i + 1)
                break
    out = [(row + [""] * (width - len(row)))[:width] for row in rows]
    while out and not any(out[-1]):
        out.pop()
    return out


def _broken_zip_message(data: bytes, filename: str) -> str:
    """Name the format of a broken package from its local headers or, failing that, its extension."""
    lower = filename.lower()
    if b"word/" in data[:1_000_000] or lower.endswith((".docx", ".docm", ".dotx")):
        return MSG_BAD_DOCX
    if b"xl/" in data[:1_000_000] or lower.endswith((".xlsx", ".xlsm", ".xltx")):
        return MSG_BAD_XLSX
    return MSG_BAD_ZIP


def open_zip(data: bytes, filename: str = "") -> zipfile.ZipFile:
    """Open a zip container after checking member count and declared uncompressed sizes.

    zipfile never inflates a member past its declared size (it fails the CRC instead), so checking
    the declared sizes bounds the work done by python-docx, openpyxl and lxml afterwards.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), OSError...: all broken
        raise ImportFileError(_broken_zip_message(data, filename)) from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ImportFileError(MSG_ZIP_BOMB)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES or total > MAX_COMPRESSION_RATIO * max(len(data), 1):
        raise ImportFileError(MSG_ZIP_BOMB)
    if any(info.file_size > MAX_PART_BYTES for info in infos):
        raise ImportFileError(MSG_ZIP_BOMB)
    return archive


def check_part(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse one XML part too big to parse safely."""
    if archive.getinfo(name).file_size > MAX_PART_BYTES:
        raise ImportFileError(MSG_ZIP_BOMB)


def _ole_message(data: bytes, filename: str) -> str:
    """Word or Excel 97-2003? Look for the stream names in the OLE directory, then the extension."""
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return MSG_XLS
    if "WordDocument".encode("utf-16-le") in data:
        return MSG_DOC
    return MSG_XLS if filename.lower().endswith((".xls", ".xlt")) else MSG_DOC


def sniff_format(data: bytes, filename: str = "") -> tuple[str, zipfile.ZipFile | None]:
    """Tell the format from the content ('docx', 'xlsx' or 'csv'); refuse the others clearly."""
    if not data.strip():
        raise ImportFileError(MSG_EMPTY)
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(_ole_message(data, filename))
    if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        raise ImportFileError(MSG_PDF)
    if head.startswith(b"{\\rtf"):
        raise ImportFileError(MSG_RTF)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        archive = open_zip(data, filename)
        names = set(archive.namelist())
        if "word/document.xml" in names or _main_part(archive, names, "word"):
            return "docx", archive
        if "xl/workbook.xml" in names:
            return "xlsx", archive
        if "mimetype" in names or "content.xml" in names:
            raise ImportFileError(MSG_ODF)
        lower = filename.lower()
        if lower.endswith((".docx", ".docm", ".dotx")):
            raise ImportFileError(MSG_BAD_DOCX)
        if lower.endswith((".xlsx", ".xlsm", ".xltx")):
            raise ImportFileError(MSG_BAD_XLSX)
        raise ImportFileError(MSG_UNKNOWN)
    return "csv", None


def _main_part(archive: zipfile.ZipFile, names: set[str], prefix: str) -> str | None:
    """The main document part named in _rels/.rels when it is not at the usual place."""
    if "_rels/.rels" not in names:
        return None
    try:
        rels = archive.read("_rels/.rels")[:200_000].decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - a broken rels part just means "not found"
        return None
    match = re.search(r'Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"', rels) or re.search(
        r'Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"', rels
    )
    if match and match.group(1).startswith(prefix + "/") and match.group(1) in names:
        return match.group(1)
    return None


def main_document_part(archive: zipfile.ZipFile) -> str:
    """Path of the Word main document part inside the package."""
    names = set(archive.namelist())
    return _main_part(archive, names, "word") or "word/document.xml"


def read_document(data: bytes, filename: str = "") -> RawDocument:
    """Read every table and prose line of a .docx, .xlsx or .csv file given as bytes."""
    kind, archive = sniff_format(data, filename)
    if kind == "docx":
        from app.importers.docx_tables import read_docx

        return read_docx(archive)
    if kind == "xlsx":
        from app.importers.xlsx_tables import read_xlsx

        return read_xlsx(archive, data)
    from app.importers.csv_tables import read_csv

    return read_csv(data)
