"""Which task field a column holds: points for the words of its header and for the cells below it.

A header is never looked up in a list of exact headers: each field has weighted words, and the
cells of the column add points of their own (a column of dates or "Quý …" is a time column, a
column of "Sở …"/"Phòng …" names is a unit column, short numbering tokens are a number column).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.text import fold

TASK_FIELDS = ("ref", "group", "content", "product", "time", "start", "duration", "lead", "lead_detail",
               "cooperating")
# Known columns that are not task fields: kept as extras, never reported as unrecognised.
EXTRA_KINDS = ("note", "budget", "contact", "evaluation", "monitor", "code")
MIN_SCORE = 3.0
# Below this, a header with content points only is not enough to make a table a task table.
MIN_HEADER_EVIDENCE = 2.0

# (field, folded phrase, points). A phrase matches whole words of the folded header key.
_WORDS: tuple[tuple[str, str, float], ...] = (
    ("ref", "stt", 6),
    ("ref", "tt", 6),
    ("ref", "so tt", 6),
    ("ref", "thu tu", 6),
    ("ref", "so thu tu", 6),
    ("ref", "ma so", 1),
    ("group", "nhom", 5),
    ("group", "linh vuc", 5),
    ("group", "nhom nhiem vu", 6),
    ("group", "chuyen de", 3),
    ("content", "noi dung", 5),
    ("content", "nhiem vu", 3),
    ("content", "giai phap", 3),
    ("content", "muc tieu", 4),
    ("content", "cong viec", 4),
    ("content", "hoat dong", 4),
    ("content", "ten nhiem vu", 5),
    ("content", "chuong trinh", 2),
    ("content", "de an", 1),
    ("content", "chi tiet", 1),
    ("content", "viec", 3),
    ("content", "tac nghiep", 2),
    ("product", "san pham", 6),
    ("product", "chi tieu", 5),
    ("product", "ket qua", 4),
    ("product", "dau ra", 4),
    ("product", "can dat", 2),
    ("product", "du kien", 1),
    ("product", "yeu cau", 3),
    ("product", "muc tieu cu the", 5),
    ("time", "thoi gian", 5),
    ("time", "thoi han", 6),
    ("time", "tien do", 5),
    ("time", "han", 2),
    ("time", "hoan thanh", 3),
    ("time", "thoi diem", 5),
    ("time", "moc", 2),
    ("time", "ket thuc", 4),
    ("time", "den ngay", 4),
    ("time", "nam thuc hien", 5),
    ("time", "hoan thanh truoc", 6),
    ("start", "bat dau", 9),
    ("start", "tu ngay", 9),
    ("start", "khoi dau", 9),
    ("duration", "so ngay", 9),
    ("duration", "ngay", 2),
    ("lead", "chu tri", 7),
    ("lead", "thuc hien", 2),
    ("lead", "don vi", 2),
    ("lead", "co quan", 2),
    ("lead", "phu trach", 3),
    ("lead", "chiu trach nhiem", 3),
    ("lead", "trach nhiem", 3),
    ("lead", "giao", 1),
    ("lead_detail", "tham muu", 8),
    ("lead_detail", "bo phan", 3),
    ("cooperating", "phoi hop", 8),
    ("cooperating", "cung thuc hien", 5),
    ("cooperating", "tham gia", 4),
    ("note", "ghi chu", 9),
    ("budget", "kinh phi", 9),
    ("budget", "nguon von", 9),
    ("budget", "du toan", 9),
    ("budget", "trieu dong", 6),
    ("contact", "dau moi", 9),
    ("contact", "nguoi", 3),
    ("contact", "dien thoai", 9),
    ("contact", "can bo", 3),
    ("evaluation", "danh gia", 9),
    ("evaluation", "ket qua thuc hien", 9),
    ("evaluation", "tu danh gia", 3),
    ("monitor", "theo doi", 9),
    ("monitor", "lanh dao", 9),
    ("code", "ma", 3),
    ("code", "ma nhiem vu", 6),
    ("code", "ky hieu", 6),
)
_PHRASES = tuple((name, phrase, points, re.compile(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"))
                 for name, phrase, points in _WORDS)

_DATEISH = re.compile(
    r"(?<![\w/])\d{1,2}\s*/\s*\d{1,2}\s*/\s*(?:19|20)\d{2}|(?<![a-z])quy\s*(?:iv|iii|ii|i|[1-4])(?![a-z])"
    r"|(?<![a-z])thang\s*\d{1,2}|(?<![\w/.])\d{1,2}\s*/\s*(?:19|20)\d{2}(?!\d)|thuong xuyen|hang nam|hang quy"
    r"|hang thang|(?<![a-z])nam (?:19|20)\d{2}|^(?:19|20)\d{2}$|nam hoc|hoc ky|\d+\s*ngay|ke tu|hieu luc"
)
_UNITISH = re.compile(
    r"^(?:[-+•*]\s*)?(?:cac\s+)?(?:so|phong|van phong|ubnd|uy ban|truong|trung tam|cong an|ban|bo|cuc|"
    r"chi cuc|co so|don vi|doanh nghiep|hoi|lien doan|dang uy|thanh tra|nha truong|to|tinh doan|doan|"
    r"bao|dai|vien|hoi dong|lanh dao|giam doc|pho giam doc|csgd|btv|bch|cap|bo phan|nganh)(?![a-z])"
)
_NUMBERING = re.compile(r"^(?:[ivxlc]+|[a-zđ]|\d{1,3}(?:\.\d{1,3}){0,3})[.)]?$|^[-+•*]$")
_PRODUCTISH = re.compile(r"%|≥|≤|>=|<=|^(?:ke hoach|bao cao|van ban|quyet dinh|cong van|huong dan|"
                         r"to trinh|danh sach|ho so|he thong|phan mem|co so du lieu)(?![a-z])")
_INTEGER = re.compile(r"^\d{1,4}$")


@dataclass
class ColumnScore:
    """Points of one column for each field, and the evidence behind them (for the preview)."""

    index: int
    header: str
    points: dict[str, float] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)
    content: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, points: float, word: str | None = None, content: str | None = None) -> None:
        self.points[name] = self.points.get(name, 0.0) + points
        if word:
            self.words.setdefault(name, []).append(word)
        if content:
            self.content[name] = content

    def best(self) -> tuple[str | None, float]:
        if not self.points:
            return None, 0.0
        name = max(self.points, key=lambda n: (self.points[n], -_rank(n)))
        return name, self.points[name]

    def header_points(self, name: str) -> float:
        return sum(p for n, w, p, _ in _PHRASES if n == name and w in self.words.get(name, []))


def _rank(name: str) -> int:
    order = TASK_FIELDS + EXTRA_KINDS
    return order.index(name) if name in order else len(order)


def header_key(text: str) -> str:
    """Comparison key of a header: folded (no diacritics, lowercase), punctuation as spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def score_header(col: ColumnScore, key: str) -> None:
    """Points for the header words; a longer phrase replaces the shorter ones it contains."""
    matched: list[tuple[str, str, float, tuple[int, int]]] = []
    for name, phrase, points, pattern in _PHRASES:
        for m in pattern.finditer(key):
            matched.append((name, phrase, points, m.span()))
    for name, phrase, points, span in matched:
        inside_longer = any(o_span[0] <= span[0] and span[1] <= o_span[1] and o_span != span
                            for _, _, _, o_span in matched)
        if inside_longer and not (name == "lead" and phrase in ("don vi", "co quan")):
            continue
        col.add(name, points, word=phrase)


def score_cells(col: ColumnScore, cells: list[str]) -> None:
    """Points for what the cells below the header hold (fractions of the non-empty cells)."""
    filled = [c for c in cells if c.strip()]
    if len(filled) < 2:
        return
    folded = [fold(c) for c in filled]
    n = len(filled)
    timeish = sum(1 for f in folded if _DATEISH.search(f) and len(f) < 120) / n
    unitish = sum(1 for f in folded if _UNITISH.match(f) and " " in f and len(f) < 200) / n
    numbering = sum(1 for f in folded if _NUMBERING.match(f.strip())) / n
    numbers = [int(f) for f in folded if _INTEGER.match(f.strip())]
    steps = list(zip(numbers, numbers[1:], strict=False))
    if len(numbers) >= 2 and sum(b == a + 1 for a, b in steps) < 0.5 * len(steps):
        numbering -= len(numbers) / n  # numbers that do not count up by one count things (days, units)
    productish = sum(1 for f in folded if _PRODUCTISH.search(f)) / n
    integers = sum(1 for f in folded if _INTEGER.match(f.strip())) / n
    average = sum(len(c) for c in filled) / n
    if timeish >= 0.5:
        col.add("time", 6 * timeish, content=f"{timeish:.0%} ô là thời gian")
        col.add("start", 3 * timeish)
    if integers >= 0.8 and numbering < 0.6:
        col.add("duration", 3 * integers, content=f"{integers:.0%} ô là số nguyên")
        col.add("time", -3)
    if unitish >= 0.5:
        for name in ("lead", "cooperating", "lead_detail"):
            col.add(name, 5 * unitish, content=f"{unitish:.0%} ô là tên đơn vị")
    if numbering >= 0.6:
        col.add("ref", 6 * numbering, content=f"{numbering:.0%} ô là số thứ tự")
    if average >= 40 and timeish < 0.5 and unitish < 0.5:
        col.add("content", 3, content=f"ô dài (trung bình {average:.0f} ký tự)")
        col.add("product", 1)
    if productish >= 0.3 and timeish < 0.5:
        col.add("product", 2 * productish, content=f"{productish:.0%} ô là sản phẩm/chỉ tiêu")


def classify_key(key: str) -> str | None:
    """The field a header names by its words alone (no cells), or None."""
    col = ColumnScore(0, key)
    score_header(col, key)
    name, points = col.best()
    return name if points >= MIN_SCORE else None
