"""Page sizes a person may choose for a list (?per_page=25|50|100), and the size of "In tất cả".

Pure: a list's route passes `request.args` and its default; anything else falls back to the default,
so a hand-typed per_page=100000 never builds a giant page.
"""
from __future__ import annotations

from collections.abc import Mapping

PAGE_SIZES = (25, 50, 100)
PRINT_PAGE_SIZE = 2000  # "In tất cả": every row of a list on one page, for printing


def page_size(args: Mapping[str, str], default: int) -> int:
    """The validated `per_page` of a request: one of PAGE_SIZES, the print size, or the default."""
    raw = (args.get("per_page") or "").strip()
    if not raw.isdigit():
        return default
    value = int(raw)
    return value if value in PAGE_SIZES or value == PRINT_PAGE_SIZE else default
