"""Any number of rows as CSV, streamed into a temporary file: UTF-8 with a byte-order mark (Excel
then reads Vietnamese right), dates dd/mm/yyyy, timestamps in Vietnam time, numbers as machine text.

A spreadsheet opening a CSV turns a cell starting with = + - @ (or a tab or carriage return) into a
formula; such text is written with a leading apostrophe, so user text never runs as a formula.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import IO

from app.formatting import plain_number, vn_date, vn_datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@lru_cache(maxsize=4096)
def _day(value: dt.date) -> str:
    return vn_date(value)  # a list holds few distinct days: each formatted once


def csv_text(value) -> str:
    """One value as the text of its CSV field."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if kind is dt.date:
        return _day(value)
    if isinstance(value, str):
        return csv_text(str(value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return vn_datetime(value)
    if isinstance(value, dt.date):
        return _day(value)
    if isinstance(value, float):
        return plain_number(value)
    return csv_text(str(value))


def write_csv(out: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Headers and rows (read once) to out; returns how many rows were written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([csv_text(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
        count += 1
    text.flush()
    text.detach()  # leave `out` open for the caller
    return count


def csv_file(headers: Sequence[str], rows: Iterable[Sequence]) -> IO[bytes]:
    """write_csv into a temporary file, rewound, for send_file to stream (and close)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by whoever streams it)
    try:
        write_csv(out, headers, rows)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
