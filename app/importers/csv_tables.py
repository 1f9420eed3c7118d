"""CSV reader: UTF-8 (with or without BOM) or UTF-16 text, delimiter sniffed, binary refused."""
from __future__ import annotations

import csv
import io

from app.formatting import vn_number
from app.importers.errors import MSG_CSV_ENCODING, MSG_TOO_BIG_TABLE, MSG_UNKNOWN, ImportFileError
from app.importers.raw import MAX_COLUMNS, MAX_ROWS, RawDocument, RawTable, join_lines, rectangular

_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


def decode_text(data: bytes) -> str:
    """Decode text bytes, refusing binary content and non-UTF encodings with a clear message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(MSG_UNKNOWN) from exc
    sample = data[:65536]
    if b"\x00" in sample:
        raise ImportFileError(MSG_UNKNOWN)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        latin = sample.decode("latin-1")
        controls = sum(
            1 for ch in latin if (ord(ch) < 32 and ch not in _ALLOWED_CONTROLS) or 0x7F <= ord(ch) < 0xA0
        )
        if controls > len(latin) * 0.01:
            raise ImportFileError(MSG_UNKNOWN) from exc
        raise ImportFileError(MSG_CSV_ENCODING) from exc
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS)
    if controls > min(len(text), 65536) * 0.01:
        raise ImportFileError(MSG_UNKNOWN)
    return text


def _dialect(text: str):
    sample = text[:20000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        delimiter = max(counts, key=lambda d: counts[d])

        class _Fallback(csv.excel):
            pass

        _Fallback.delimiter = delimiter
        return _Fallback


def read_csv(data: bytes) -> RawDocument:
    """One table from the whole file; quoted multi-line cells stay one value."""
    text = decode_text(data)
    rows: list[list[str]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
        for record in reader:
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(MSG_TOO_BIG_TABLE.format(limit=vn_number(MAX_ROWS)))
            rows.append([join_lines([value]) for value in record[:MAX_COLUMNS]])
    except csv.Error as exc:
        raise ImportFileError(MSG_UNKNOWN) from exc
    rows = rectangular(rows)
    document = RawDocument("csv")
    if rows:
        document.blocks.append(RawTable(rows))
    return document
