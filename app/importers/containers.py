"""Opening uploaded files safely: format sniffing by content and the zip-bomb guards of .docx/.xlsx."""
from __future__ import annotations

import io
import re
import zipfile

from app.importers.errors import (
    MSG_BAD_DOCX,
    MSG_BAD_XLSX,
    MSG_BAD_ZIP,
    MSG_DOC,
    MSG_EMPTY,
    MSG_ODF,
    MSG_RTF,
    MSG_UNKNOWN,
    MSG_XLS,
    MSG_ZIP_BOMB,
    ImportFileError,
)
from app.importers.raw import MAX_COMPRESSION_RATIO, MAX_PART_BYTES, MAX_UNCOMPRESSED_BYTES, MAX_ZIP_MEMBERS


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
    """Tell the format from the content ('docx', 'xlsx', 'pdf' or 'csv'); refuse the others clearly."""
    if not data.strip():
        raise ImportFileError(MSG_EMPTY)
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(_ole_message(data, filename))
    if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf", None
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
