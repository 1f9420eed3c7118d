"""Split and resolve the unit names of the Đơn vị chủ trì / Đơn vị phối hợp cells."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from app.parsing.text import fold, fold_aligned

# Common spellings from DOMAIN.md: used when no directory is given (a bare dry-run).
COMMON_UNIT_NAMES: tuple[str, ...] = (
    "Sở Giáo dục và Đào tạo", "Sở GDĐT", "Bộ Giáo dục và Đào tạo", "Bộ GDĐT",
    "Lãnh đạo Sở", "Văn phòng Sở", "Văn phòng",
    "Phòng Giáo dục phổ thông", "Phòng GDPT", "Phòng Giáo dục trung học", "Phòng GDTrH",
    "Phòng Giáo dục mầm non", "Phòng GDMN",
    "Phòng Quản lý chất lượng", "Phòng QLCL", "Phòng Quản lý chất lượng - Chuyển đổi số",
    "Phòng QLCL - CĐS", "Phòng Kế hoạch - Tài chính", "Phòng KHTC", "Phòng KH-TC",
    "Phòng Tổ chức cán bộ", "Phòng TCCB", "Phòng Tổ chức - Hành chính", "Phòng TCHC",
    "Phòng Giáo dục nghề nghiệp, thường xuyên và mầm non", "Phòng GDNN, GDTX và mầm non",
    "Phòng Giáo dục nghề nghiệp - Giáo dục thường xuyên", "Phòng GDNN - GDTX",
    "Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở KHCN",
    "Sở Thông tin và Truyền thông", "Sở TT&TT", "Sở TTTT", "Sở Nội vụ", "Sở Tài chính",
    "UBND các huyện, thị xã, thành phố", "UBND các xã, phường, đặc khu", "UBND xã, phường, đặc khu",
    "UBND xã, phường", "Ủy ban nhân dân xã, phường", "UBND xã", "UBND cấp xã",
    "Công an TP", "Công an thành phố", "Công an tỉnh",
    "Các sở, ban, ngành", "Các sở, ngành, địa phương", "Các sở, ban, ngành, địa phương",
    "CSGD", "Các CSGD", "Cơ sở giáo dục", "Các cơ sở giáo dục",
    "Các phòng", "Phòng chuyên môn", "Các phòng chuyên môn", "Các phòng thuộc Sở",
    "Các trường", "Các đơn vị", "Các đơn vị trực thuộc", "Các đơn vị trực thuộc Sở",
    "Cơ sở thí điểm", "Đơn vị cung cấp",
)

_SEPARATOR = re.compile(r"\s*[,;/\n•]\s*|\s+va\s+")
_BULLET = re.compile(r"^\s*(?:[-+•*·\u2013\u2014]|\d{1,2}[.)])\s*")
_PARENS = re.compile(r"\([^()]*\)")
_EDGE_PUNCT = " .,;:/-+•*·\u2013\u2014"
_PUNCT_SPACING = re.compile(r"\s*([-&/,.])\s*")
_FOOTNOTE = re.compile(r"(?<=[^\W\d_])\d+(?=\s|$|[,.;:)])")


@dataclass
class UnitResolution:
    """A name as written in the cell and what it resolved to in the unit directory."""

    name: str
    kind: str  # "unit", "group" or "unknown"
    key: str | None


def _name_pattern(name: str) -> str:
    """Regex for a folded name that tolerates spacing and line breaks around its punctuation."""
    tokens = re.findall(r"[^\s\-&,/;]+|[\-&,/;]", fold(name))
    pattern = re.escape(tokens[0])
    for prev, tok in zip(tokens, tokens[1:], strict=False):
        words = prev[-1].isalnum() and tok[0].isalnum()
        pattern += (r"\s+" if words else r"\s*") + re.escape(tok)
    return pattern


@lru_cache(maxsize=16)
def _protector(names: tuple[str, ...], multiline: bool) -> re.Pattern | None:
    """One regex for the known names a split could cut: those holding a separator (or, when the
    cell has line breaks, any name of several words)."""
    folded = {fold(n) for n in names}
    risky = [n for n in folded if n and (_SEPARATOR.search(n) or (multiline and " " in n))]
    if not risky:
        return None
    alternatives = sorted(risky, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(_name_pattern, alternatives)) + r")(?![a-z0-9])")


def _clean(piece: str) -> str:
    return re.sub(r"\s+", " ", piece).strip(_EDGE_PUNCT)


def split_unit_names(text: str, known_names: Iterable[str] = COMMON_UNIT_NAMES) -> list[str]:
    """Split a chủ trì / phối hợp cell into unit names, never cutting inside a known name.

    Separators are ",", ";", "/", " và ", line breaks and bullets; "(tham mưu)"-style
    qualifiers are dropped. Names come back as written (NFC), in order, without duplicates.
    """
    if not text:
        return []
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    while _PARENS.search(text):
        text = _PARENS.sub(" ", text)
    lines = [_BULLET.sub("", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    # fold_aligned turns "\n" into a space: put line breaks back, they separate names.
    folded = "".join("\n" if c == "\n" else f for f, c in zip(fold_aligned(text), text, strict=True))
    names_tuple = tuple(known_names)
    protector = _protector(names_tuple, "\n" in text)
    protected = [m.span() for m in protector.finditer(folded)] if protector else []
    separators = [(m.start(), m.end(), any(a < m.end() and m.start() < b for a, b in protected))
                  for m in _SEPARATOR.finditer(folded)]

    known_keys = _known_keys(names_tuple)
    spans = _rejoin(text, _best_split(text, separators, known_keys), known_keys)
    names, seen = [], set()
    for start, end in spans:
        name = _clean(text[start:end])
        key = fold(name)
        if not name or not any(c.isalnum() for c in name) or key in seen:
            continue
        seen.add(key)
        names.append(name)
    return names


# A piece can stand alone as a unit when it starts with a kind of body ("Sở", "Phòng", "UBND"…).
_HEAD = re.compile(
    r"^(?:so|phong|van phong|ubnd|uy ban|ban|truong|trung tam|cong an|bo|cuc|chi cuc|co so|don vi|hoi|"
    r"lien doan|dang uy|thanh tra|nha truong|to|tinh doan|doan|bao|dai|vien|hoi dong|lanh dao|giam doc|"
    r"pho giam doc|bo phan|kho bac|ngan hang|quy|cong ty|doanh nghiep|vnpt|viettel|buu dien|csgd)(?![a-z])"
)
_COLLECTIVE = re.compile(r"^(?:cac|nhung|toan the)\s")


def _stands_alone(name: str, known: frozenset[str]) -> bool:
    """True for a piece that names a unit by itself, not the tail of a name cut at "và" or ",".

    Known names and acronyms ("CSGD", "GDPT") stand alone; otherwise the piece must start with a
    kind of body, capitalised ("Sở, ban, ngành" is one collective) or after "các"."""
    if not name or _key(name) in known:
        return True
    words = name.split()
    if words[0].isupper() and len(words[0]) >= 2:
        return True
    folded = fold(name)
    if _COLLECTIVE.match(folded):
        return True
    return bool(_HEAD.match(folded)) and name[:1].isupper() and len(words) >= 2


def _rejoin(text: str, spans: list[tuple[int, int]], known: frozenset[str]) -> list[tuple[int, int]]:
    """Put back together the pieces that cannot stand alone ("Sở Nông nghiệp" + "Môi trường")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        name = _clean(text[start:end])
        if out and name and not _stands_alone(name, known):
            out[-1] = (out[-1][0], end)
        elif out and not _clean(text[out[-1][0]:out[-1][1]]):
            out[-1] = (start, end)
        else:
            out.append((start, end))
    return out


# Units chosen per task ("Cơ sở thí điểm", "các trường được chọn"): the office picks them for that
# task; such a name must never become an alias of the directory.
_PER_TASK_CHOICE = re.compile(r"thi diem|duoc (?:lua )?chon|lua chon|duoc giao|tham gia du an")


def is_per_task_choice(name: str) -> bool:
    return bool(_PER_TASK_CHOICE.search(fold(name)))


def split_unit_cell(
    text: str, known_names: Iterable[str] = COMMON_UNIT_NAMES
) -> tuple[list[str], dict[str, str]]:
    """Names of a unit cell and the role noted in brackets after a name ("Sở Tài chính (thẩm định)")."""
    names = split_unit_names(text, known_names)
    roles: dict[str, str] = {}
    if not text or "(" not in text:
        return names, roles
    text = unicodedata.normalize("NFC", text)
    for m in re.finditer(r"\(([^()]{1,80})\)", text):
        before = split_unit_names(text[: m.start()], known_names)
        if before and before[-1] in names:
            roles[before[-1]] = re.sub(r"\s+", " ", m.group(1)).strip()
    return names, roles


@lru_cache(maxsize=16)
def _known_keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_key(n) for n in names)


def _best_split(text: str, separators: list[tuple[int, int, bool]],
                known: frozenset[str]) -> list[tuple[int, int]]:
    """Choose where to cut: most pieces that are known names, then fewest cuts inside a known
    name, then most pieces (so unknown text is still split at every separator)."""
    bounds = [(0, 0, False), *separators, (len(text), len(text), False)]
    best: list[tuple[tuple[int, int, int], list[tuple[int, int]]] | None] = [None] * len(bounds)
    best[0] = ((0, 0, 0), [])
    for j in range(1, len(bounds)):
        for i in range(j):
            reached = best[i]
            if reached is None:
                continue
            span = (bounds[i][1], bounds[j][0])
            name = _clean(text[span[0]:span[1]])
            (known_count, bad_cuts, count), pieces = reached
            score = (known_count + (_key(name) in known if name else 0),
                     bad_cuts - (bounds[j][2] and j < len(bounds) - 1),
                     count + bool(name))
            current = best[j]
            if current is None or score > current[0]:
                best[j] = (score, [*pieces, span])
    final = best[-1]
    assert final is not None  # every bound is reached from bounds[0]
    return final[1]


def _key(name: str) -> str:
    """Folded name with the spacing around "-", "&", "/", "," and "." made uniform."""
    name = _PARENS.sub(" ", name)
    return _PUNCT_SPACING.sub(r"\1", fold(name)).strip(" .")


def resolve_unit_names(names: list[str], directory: Mapping[str, str]) -> list[UnitResolution]:
    """Match names to directory keys ("unit:12", "group:CSGD") by folded spelling; else unknown."""
    index: dict[str, str] = {}
    for spelling, key in directory.items():
        index.setdefault(_key(spelling), key)
    resolved = []
    for name in names:
        found = index.get(_key(name))
        if found is None:
            found = index.get(_key(_FOOTNOTE.sub("", name)))
        if found is None:
            resolved.append(UnitResolution(name, "unknown", None))
            continue
        kind = found.split(":", 1)[0] if found.startswith(("unit:", "group:")) else "unknown"
        resolved.append(UnitResolution(name, kind, found))
    return resolved
