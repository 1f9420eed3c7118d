"""What every reader produces: documents as blocks of prose lines and rectangular tables, and the
bounds that keep memory and time small; no reader is imported here."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

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
    # (row, column) of the cells whose first line is written in bold: a group title over its
    # description, in readers that see type (Word, PDF); merged cells are marked in every slot
    bold_first_line: set[tuple[int, int]] = field(default_factory=set)

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
