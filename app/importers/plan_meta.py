"""Plan details (number, date, title, school year, issuer) read from a document's prose lines."""
from __future__ import annotations

import contextlib
import re
from datetime import date

from app.parsing.text import fold, normalize_text

_NUMBER = re.compile(r"^\s*Số\s*(?:hiệu)?\s*[:.]\s*(\d{1,6}\s*/\s*[^\s,;()]+)", re.I)
# "Hải Phòng, ngày 20 tháng 10 năm 2025": a place of one to six words (no digits), then the date.
_PLACE = r"^[^\W\d_]+(?:[ .\-]+[^\W\d_]+){0,5}\s*,\s*ngày\s*"
_PLACE_DATE = re.compile(_PLACE + r"(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)
_PLACE_DATE_SLASH = re.compile(_PLACE + r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})", re.I)
_HEADING = re.compile(
    r"^(ke hoach|phu luc|cong van|huong dan|bao cao|quyet dinh|chuong trinh|thong bao|de an)"
    r"(\s+(so\s+)?[0-9ivx][0-9ivx.]*)?\s*:?$"
)
_SCHOOL_YEAR = re.compile(r"nam hoc\s*((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})")
_SO, _BO = "so giao duc va dao tao", "bo giao duc va dao tao"
_COUNCIL = re.compile(r"^(?:ubnd|uy ban nhan dan)\s+(?:tinh|thanh pho|tp\.?)\s+(.+)$")
_PLACE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+", re.I)
MAX_TITLE = 400


def extract_meta(lines: list[str]) -> dict:
    """The plan details the document states; keys are absent when it does not state them."""
    lines = [normalize_text(line) for line in lines]
    lines = [line for line in lines if line]
    meta: dict = {}
    for line in lines:
        if "number" not in meta and (m := _NUMBER.search(line)):
            meta["number"] = re.sub(r"\s+", "", m.group(1)).rstrip(".")
        if "date" not in meta and (m := _PLACE_DATE.search(line) or _PLACE_DATE_SLASH.search(line)):
            with contextlib.suppress(ValueError):
                meta["date"] = date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
    title = _title(lines)
    if title:
        meta["title"] = title
    school_year = _school_year([title] if title else []) or _school_year(lines)
    if school_year:
        meta["school_year"] = school_year
    issuer = _issuer(lines)
    if issuer:
        meta["issuer"] = issuer
    return meta


def _title(lines: list[str]) -> str | None:
    """The line(s) after the first "KẾ HOẠCH"/"PHỤ LỤC"… heading, with their continuation lines."""
    for index, line in enumerate(lines):
        if not _HEADING.match(fold(line)) or index + 1 >= len(lines):
            continue
        first = lines[index + 1]
        if first.startswith("(") or _HEADING.match(fold(first)):
            continue
        parts = [first]
        upper = first.isupper()
        for following in lines[index + 2 : index + 6]:
            if following.startswith(("(", "-", "+", "*")) or _HEADING.match(fold(following)):
                break
            continues = following.isupper() if upper else following[:1].islower()
            if not continues:
                break
            parts.append(following)
        return " ".join(parts)[:MAX_TITLE]
    return None


def _school_year(lines: list[str]) -> str | None:
    for line in lines:
        for m in _SCHOOL_YEAR.finditer(fold(line)):
            first, second = int(m.group(1)), int(m.group(2))
            if second == first + 1:
                return f"{first}-{second}"
    return None


def _place(text: str) -> str:
    """A place name written in capitals ("HẢI PHÒNG") in title case ("Hải Phòng")."""
    text = text.strip(" ,.-–:")
    text = _PLACE_PREFIX.sub("", text)
    if text.isupper():
        text = " ".join(word.capitalize() for word in text.split())
    return text


def _issuer(lines: list[str]) -> str | None:
    """The Sở (or Bộ) issuing the document, from its header line or, failing that, from the prose."""
    for index, line in enumerate(lines[:60]):
        folded = fold(line)
        for prefix, name in ((_SO, "Sở Giáo dục và Đào tạo"), (_BO, "Bộ Giáo dục và Đào tạo")):
            if not folded.startswith(prefix) or len(folded) != len(line):
                continue
            rest = line[len(prefix) :]
            if rest[:1].isalpha() or (rest.strip() and not rest.isupper()):
                continue  # prose that starts with the name, not the header block
            if name.startswith("Bộ"):
                return name
            place = _place(rest)
            if not place and index > 0 and (m := _COUNCIL.match(fold(lines[index - 1]))):
                previous = lines[index - 1]
                place = _place(previous[len(previous) - len(m.group(1)) :])
            return f"{name} {place}".strip() if place and len(place) < 40 else name
    return _issuer_in_prose(lines)


def _issuer_in_prose(lines: list[str]) -> str | None:
    for line in lines:
        folded = fold(line)
        at = folded.find(_SO)
        if at < 0 or len(folded) != len(line):
            continue
        words: list[str] = []
        for word in line[at + len(_SO) :].split():
            clean = word.strip(",.;:()“”\"'")
            if not clean or not clean[0].isupper() or clean.isupper() or len(words) >= 4:
                break
            words.append(clean)
            if clean != word:
                break
        return " ".join(["Sở Giáo dục và Đào tạo", *words])
    return None
