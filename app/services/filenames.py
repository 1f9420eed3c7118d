"""User-supplied file names made safe to store, show and send back in a Content-Disposition."""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

MAX_NAME = 200
_EXTENSION = re.compile(r"^\.[A-Za-z0-9]{1,8}$")


def clean_filename(filename: str | None, default: str = "tep", max_length: int = MAX_NAME) -> str:
    """The last path part, NFC, without control characters (CR, LF, NUL…) or invisible format
    characters (bidi overrides such as U+202E that make "fdp.exe" read "exe.pdf"), trimmed."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if ch in "\t\r\n" else ch for ch in name
                   if unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\t\r\n")
    name = " ".join(name.split()).strip(" .")
    if len(name) > max_length:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[:max_length - len(suffix)].rstrip(" .") + suffix
    return name or default


def with_extension(filename: str, accepted: tuple[str, ...]) -> str:
    """The name ending in one of the accepted extensions (the first replaces a wrong one)."""
    path = PurePosixPath(filename)
    if path.suffix.lower() in accepted:
        return filename
    # ".html" is an extension to replace; ".2 báo cáo" in "v1.2 báo cáo" is part of the name
    looks_like_extension = bool(_EXTENSION.match(path.suffix))
    stem = path.stem if looks_like_extension else filename
    return (stem or "tep") + accepted[0]
