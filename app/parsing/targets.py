"""Parse quantitative targets ("≥98,5%", "3-5 trường thí điểm") from a Sản phẩm/Chỉ tiêu cell."""

from __future__ import annotations

import re

from app.parsing.text import fold_aligned, normalize_text

# A number: "98,5" or "99.82" before "%", "1.700" (dot for thousands), or plain digits. It must
# not touch letters, "/" (dates, ratios, document numbers) or another "." / "," digit (versions).
_NUMBER = (r"(?:(\d+)[.,](\d{1,2})(?=\s*%)|(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?)"
           r"(?![^\W_]|/|[.,]\d)")
_NUMBER_RE = re.compile(r"(?<![\w.,/\-])" + _NUMBER)
_RANGE_TAIL = re.compile(r"\s*(?:-|den|toi)\s*" + _NUMBER)
_PERCENT = re.compile(r"\s*%")

# Operators, checked on the folded text just before the number (longest phrases first).
_OPERATORS = [
    ("khong it hon", ">="), ("khong duoi", ">="), ("toi thieu", ">="), ("it nhat", ">="),
    ("khong vuot qua", "<="), ("khong qua", "<="), ("toi da", "<="), ("nhieu nhat", "<="),
    ("nhieu hon", ">"), ("it hon", "<"), ("tren", ">"), ("hon", ">"), ("vuot", ">"),
    ("duoi", "<"), (">=", ">="), ("=>", ">="), ("<=", "<="), ("=<", "<="), ("≥", ">="), ("≤", "<="),
    (">", ">"), ("<", "<"),
]
_OPERATOR_RE = re.compile(
    "(?:" + "|".join(("(?<![a-z])" if op[0][0].isalpha() else "") + re.escape(op[0]) for op in _OPERATORS)
    + r")\s*$"
)
_OPERATOR_OF = dict(_OPERATORS)

# A plain number right after these words is a level, a name or a reference, not a quantity.
_NAME_WORDS = (
    "muc do", "muc", "cap do", "do", "cap", "mo hinh", "de an", "so", "lop", "khoi", "loai", "hang",
    "phien ban", "version", "windows", "office", "ipv", "dieu", "khoan", "chuong", "phu luc", "bang",
    "bieu", "mau", "tieu chi", "chi so", "nhiem vu", "muc tieu", "giai doan", "nam hoc", "nam",
    "thang", "quy", "ngay", "tuan", "hoc ky", "ky", "dot", "lan thu", "thu", "khoa", "nhom", "to",
    "phuong", "xa", "quan", "huyen", "nghi quyet", "nghi dinh", "quyet dinh", "thong tu", "cong van",
    "ke hoach", "chi thi", "luat", "van ban", "top", "iso", "tcvn", "tang", "phong", "level",
    # places and named bodies: "tại 45 phường", "Tổ công tác 389", "Dự án 06"
    "tai", "o", "thuoc", "cua", "cong tac", "du an", "doi", "tram", "ma", "ban", "so hieu", "ky hieu",
)
_NAME_RE = re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, _NAME_WORDS)) + r")\s*$")
_UNIT_END = re.compile(r"[;,(\n…]")
# Amounts of money qualify projects or budgets ("dự án trên 5 tỷ đồng"): not a target to reach.
_MONEY = re.compile(r"^(?:ty|trieu|nghin|ngan)?\s*(?:dong|vnd|usd)(?![a-z])|^(?:ty|trieu)(?![a-z])")


def _value(groups: tuple[str | None, ...]) -> int | float:
    """Number from the regex groups: decimal comma or dot before %, dot for thousands otherwise."""
    if groups[0] is not None:
        whole, frac = groups[0], groups[1]
    else:
        assert groups[2] is not None  # the number matched one of the two alternatives
        whole, frac = groups[2].replace(".", ""), groups[3]
    value = float(f"{whole}.{frac}") if frac else float(whole)
    return int(value) if value.is_integer() else value


def _is_year(groups: tuple[str | None, ...], value: int | float) -> bool:
    return groups[2] is not None and "." not in groups[2] and groups[3] is None and 1900 <= value <= 2100


def _noun_phrase(text: str, pos: int) -> str:
    """The unit of a count: the words after the number up to the next ";", "," or end."""
    end = _UNIT_END.search(text, pos)
    phrase = text[pos:end.start() if end else len(text)]
    return phrase.strip().rstrip(".:").strip()


def _count_unit(text: str, start: int, end: int, has_op: bool, before: str,
                qualifies: bool) -> tuple[str | None, str | None]:
    """The counted noun of a plain number, or None (with a warning when in doubt) for a number
    that names, qualifies or prices something instead of setting a quantity to reach."""
    if not has_op and _NAME_RE.search(before):
        return None, None
    unit = _noun_phrase(text, end)
    number = text[start:end]
    if not has_op and qualifies:
        # "≥98% trẻ 5 tuổi": the number qualifies the target before it
        return None, f"«{number} {unit}» mô tả đối tượng của chỉ tiêu trước, không nhập làm chỉ tiêu riêng."
    if _MONEY.match(fold_aligned(unit)):
        return None, f"«{number} {unit}» là mức kinh phí hoặc điều kiện, không nhập làm chỉ tiêu."
    if (not unit and not has_op) or (unit and not unit[0].isalpha()):
        return None, None
    return unit, None


def parse_targets(text: str) -> list[dict]:
    """Targets as {"op", "value", "max", "unit"}; levels, years, names and references are skipped."""
    return parse_targets_checked(text)[0]


def parse_targets_checked(text: str) -> tuple[list[dict], list[str]]:
    """Targets and the warnings for numbers read as no target while in doubt (money, places)."""
    text = normalize_text(text or "")
    folded = fold_aligned(text)
    targets: list[dict] = []
    warnings: list[str] = []
    skip_until = last_end = 0
    for m in _NUMBER_RE.finditer(folded):
        if m.start() < skip_until:
            continue
        groups = m.groups()
        value = _value(groups)
        end, high, high_is_year = m.end(), None, False
        tail = _RANGE_TAIL.match(folded, end)
        if tail:
            high = _value(tail.groups())
            high_is_year = _is_year(tail.groups(), high)
        if _is_year(groups, value) or high_is_year:
            skip_until = tail.end() if tail else end
            continue
        if tail and high is not None and high > value:
            end = tail.end()
        else:
            high = None
        if re.match(r"-[^\W\d_]", folded[end:]) or (folded[m.start() - 1:m.start()] == "("
                                                    and folded[end:end + 1] == ")"):
            continue  # "57-NQ/TW", "(1)"
        before = folded[max(0, m.start() - 40):m.start()]  # operators and names are short
        op_match = _OPERATOR_RE.search(before)
        op = _OPERATOR_OF[op_match.group(0).strip()] if op_match else ">="
        unit: str | None
        if _PERCENT.match(folded, end):
            unit = "%"
        else:
            unit, warning = _count_unit(text, m.start(), end, bool(op_match), before,
                                        qualifies=bool(targets) and not re.search(r"[;\n]",
                                                                                  text[last_end:m.start()]))
            if warning:
                warnings.append(warning)
            if unit is None:
                continue
            skip_until = end + len(text[end:]) - len(text[end:].lstrip()) + len(unit)
        targets.append({"op": "between" if high is not None else op, "value": value,
                        "max": high, "unit": unit})
        last_end = end
    return targets, warnings


def suggest_targets(content: str) -> list[dict]:
    """Targets found in the task content: offered in the import preview, never imported silently."""
    return parse_targets(content)
