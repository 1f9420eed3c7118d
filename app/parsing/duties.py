"""Duties in the sentences of a guidance letter: who is asked to do what, with whom, by when, and the
reports owed (to whom, through whom, after which outline). Pure text in, suggestions out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.text import fold_aligned, normalize_text
from app.parsing.times import find_content_deadlines, parse_time
from app.parsing.units import COMMON_UNIT_NAMES, split_unit_cell

MAX_UNIT_WORDS = 22
# Words that open the name of a body: a unit phrase starts with one of them (folded).
_UNIT_START = re.compile(
    r"(?:phong|van phong|so|bo|ubnd|uy ban|truong|trung tam|cuc|cong an|co so|don vi|csgd|"
    r"giam doc|thu truong|lanh dao|ban chi dao|"
    r"cac\s+(?:cac\s+)?"  # "Các các đơn vị": a typo kept as written
    r"(?:don vi|phong|truong|so|co so|trung tam|xa|dia phuong|csgd|cuc|ban|bo phan|to))(?![a-z])"
)
_TITLE = re.compile(r"^(?:giam doc|thu truong)\s+", re.I)
# Verbs that end a unit phrase ("Phòng KHTC chủ trì …", "UBND cấp xã căn cứ …").
_VERBS = (
    "chu tri", "phoi hop", "thuc hien", "xay dung", "to chuc", "trien khai", "huong dan", "chi dao",
    "ra soat", "giam sat", "don doc", "tham muu", "bao cao", "gui", "can cu", "danh gia", "phan cong",
    "tuyen truyen", "cap nhat", "bo tri", "de xuat", "kiem tra", "ho tro", "theo doi", "nop", "lap",
    "thanh lap", "dinh ky", "tiep tuc", "chiu trach nhiem", "quan triet", "ban hanh", "dam bao",
    "nghien cuu", "chu dong", "tang cuong", "day manh", "khen thuong", "sơ ket", "so ket", "tong ket",
)
_VERB = re.compile(r"(?<![a-z])(?:" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")(?![a-z])")
_REQUEST = re.compile(r"(?<![a-z])de nghi\s+")
_COOPERATE = re.compile(r"(?<![a-z])phoi hop(?:\s+voi)?\s+")
_REPORT = re.compile(r"(?<![a-z])(?:bao cao|gui (?:ve )?(?:so|bo|ubnd|cuc|phong))(?![a-z])")
_REVIEW_AND_REPORT = re.compile(r"(?<![a-z])(?:so ket|tong ket)(?![a-z]).*(?<![a-z])bao cao(?![a-z])")
_RECIPIENT_NAME = re.compile(r"(?:Sở|Bộ|UBND|Ủy ban|Uỷ ban|Cục|Phòng|Văn phòng)(?:\s+[A-ZĐ][\w&.-]*)+")
_SEND = re.compile(r"\s+(?:de nghi\s+)?gui\s+(?:ve\s+)?(?=[a-z])")
_RECIPIENT = re.compile(r"(?<![a-z])(?:gui\s+(?:bao cao\s+)?(?:ve\s+)?|bao cao\s+(?:ve\s+)?)"
                        r"(?=(?:so|bo|ubnd|uy ban|cuc|phong|van phong)(?![a-z]))")
_VIA = re.compile(r"\(\s*qua\s+([^()]+?)(?:\s+de\s+tong\s+hop)?\s*\)")
_OUTLINE = re.compile(r"(?<![a-z])theo\s+((?:phu luc|mau|de cuong|bieu mau)\b[^()]*?)"
                      r"(?=\s+(?:dinh kem|kem theo|ban hanh kem)|\)|[.;]|$)")
_THEN = re.compile(r"de\s+tong\s+hop(?:,)?\s+bao\s+cao\s+(?:ve\s+)?((?:bo|so|ubnd|uy ban)\b[^,.;()]*)")
_RECURRING = re.compile(r"(?<![a-z])(?:dinh ky\s+)?(?:hang|hang)\s+(?:thang|quy|nam|tuan)(?![a-z])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])")
_REPORT_START = re.compile(r"(?<![a-z])bao cao\s+(?!(?:ve\s+)?(?:so|bo|ubnd|cuc)\b)")


@dataclass
class Suggestion:
    """One suggested task or report, with the sentence it was read from."""

    kind: str  # "task" or "report"
    content: str
    source_text: str
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    time_text: str = ""
    due_date: str | None = None
    recurrence: str | None = None
    report: dict | None = None


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph: a full stop followed by a capital ends one."""
    return [s.strip() for s in _SENTENCE_END.split(normalize_text(text)) if s.strip()]


def _folded(text: str) -> str:
    """Folded with the offsets kept; an en dash compares as a hyphen."""
    return fold_aligned(text.replace("–", "-").replace("—", "-"))


def _known_spans(folded: str, known: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = []
    for name in known:
        key = _folded(name)
        for m in re.finditer(r"(?<![a-z])" + re.escape(key) + r"(?![a-z])", folded):
            spans.append((m.start(), m.end()))
    return spans


def unit_phrase(text: str, start: int = 0, known: tuple[str, ...] = COMMON_UNIT_NAMES) -> tuple[str, int]:
    """The unit names written from `start` up to the first verb or colon outside a known name:
    ("Phòng Kế hoạch - Tài chính", end). ("", start) when no unit is named there."""
    folded = _folded(text)
    if not _UNIT_START.match(folded, start):
        return "", start
    spans = _known_spans(folded, known)
    end = len(text)
    for m in _VERB.finditer(folded, start):
        if m.start() > start and not any(a <= m.start() < b for a, b in spans):
            end = m.start()
            break
    for stop in (":", "(", ".", ";"):
        at = text.find(stop, start, end)
        if at != -1:
            end = at
    phrase = text[start:end].strip(" ,;:-")
    if not phrase or len(phrase.split()) > MAX_UNIT_WORDS:
        return "", start
    return phrase, end


def _units(phrase: str, known: tuple[str, ...]) -> list[str]:
    if not phrase:
        return []
    if title := _TITLE.match(_folded(phrase)):
        phrase = phrase[title.end():]
    names, _roles = split_unit_cell(phrase, known)
    return [name[:1].upper() + name[1:] for name in names]


def intro_units(text: str, known: tuple[str, ...] = COMMON_UNIT_NAMES) -> list[str]:
    """The units of an introduction ("Trên cơ sở …, Giám đốc sở GDĐT chỉ đạo:"): the clause that
    starts with a unit."""
    offset = 0
    for clause in normalize_text(text).split(","):
        start = len(clause) - len(clause.lstrip())
        phrase, _ = unit_phrase(text, offset + start, known)
        if phrase:
            return _units(phrase, known)
        offset += len(clause) + 1
    return []


def lead_of(sentence: str, known: tuple[str, ...] = COMMON_UNIT_NAMES) -> tuple[list[str], str]:
    """The units a sentence gives the work to, and the rest of the sentence (the work itself)."""
    folded = _folded(sentence)
    head = sentence.split(":", 1)
    if len(head) == 2 and len(head[0].split()) <= MAX_UNIT_WORDS:
        start = 8 if folded.startswith("doi voi ") else 0
        phrase, _ = unit_phrase(head[0], start, known)
        if phrase and len(phrase) >= len(head[0].strip()) - 2 - start:
            return _units(phrase, known), head[1].strip()
    request = _REQUEST.search(folded)
    if request:
        phrase, end = unit_phrase(sentence, request.end(), known)
        if phrase:
            return _units(phrase, known), sentence[end:].strip()
    phrase, end = unit_phrase(sentence, 0, known)
    if phrase and end < len(sentence):
        return _units(phrase, known), sentence[end:].strip()
    return [], sentence


def heading_units(text: str, known: tuple[str, ...] = COMMON_UNIT_NAMES) -> list[str]:
    """A heading that only names units ("Phòng Tổ chức cán bộ", "Đề nghị UBND xã, phường")."""
    body = normalize_text(text).rstrip(" .:")
    folded = _folded(body)
    request = _REQUEST.match(folded)
    start = request.end() if request else 0
    phrase, end = unit_phrase(body, start, known)
    if phrase and end >= len(body) - 1:
        return _units(phrase, known)
    return []


def cooperating_of(sentence: str, known: tuple[str, ...] = COMMON_UNIT_NAMES) -> list[str]:
    names: list[str] = []
    folded = _folded(sentence)
    for m in _COOPERATE.finditer(folded):
        phrase, _ = unit_phrase(sentence, m.end(), known)
        names.extend(n for n in _units(phrase, known) if n not in names)
    return names


def _deadlines(text: str) -> list[tuple[str, str, str | None]]:
    """(phrase, due ISO date or "", recurrence) for every deadline and recurring period named."""
    found: list[tuple[str, str, str | None]] = [
        (phrase, when.isoformat(), None) for when, phrase in find_content_deadlines(text)]
    for m in _RECURRING.finditer(_folded(text)):
        phrase = text[m.start():m.end()]
        found.append((phrase, "", parse_time(phrase).recurrence))
    return found


def _report_details(clause: str, sentence: str, known: tuple[str, ...]) -> dict:
    details: dict = {"name": "", "recipient": [], "via": "", "outline": "", "then_to": []}
    for source in (clause, sentence):
        folded = _folded(source)
        if not details["recipient"]:
            details["recipient"] = _recipient(source, folded, known)
        if not details["via"] and (m := _VIA.search(folded)):
            details["via"] = source[m.start(1):m.end(1)].strip()
        if not details["outline"] and (m := _OUTLINE.search(folded)):
            details["outline"] = source[m.start(1):m.end(1)].strip(" ,")
        if not details["then_to"] and (m := _THEN.search(folded)):
            details["then_to"] = _units(source[m.start(1):m.end(1)].strip(), known)
    return details


def _recipient(source: str, folded: str, known: tuple[str, ...]) -> list[str]:
    """The body a report goes to: a known name, or a capitalised "Sở GDĐT" after "gửi (về)"."""
    for m in _RECIPIENT.finditer(folded):
        if not source[m.end():m.end() + 1].isupper():
            continue  # "báo cáo sơ kết": "sơ" folds like "Sở"
        names = [n for n in known if folded.startswith(_folded(n), m.end())]
        if names:
            return [max(names, key=len)]
        if named := _RECIPIENT_NAME.match(source, m.end()):
            return [named.group(0)]
    return []


def _is_report(work: str, sentence: str, known: tuple[str, ...]) -> bool:
    """A sentence whose work is a report: it starts with "Báo cáo", reviews and reports ("sơ kết,
    tổng kết và báo cáo"), or sends or reports to a body, or by a date."""
    folded = _folded(work)
    if folded.startswith("bao cao") or _REVIEW_AND_REPORT.search(folded):
        return True
    if not _REPORT.search(folded):
        return False
    return bool(_recipient(work, folded, known)) or any(d[1] for d in _deadlines(work))


def _report_name(clause: str) -> str:
    folded = _folded(clause)
    m = _REPORT_START.search(folded)
    name = clause[m.start():] if m and m.start() < 3 else clause
    for phrase, _, _ in _deadlines(name):
        name = name.split(phrase)[0]
    name = re.sub(r"\s*\((?:theo|qua)\b.*$", "", name, flags=re.I)
    send = _SEND.search(_folded(name))
    if send and send.start() > 0:
        name = name[:send.start()]
    name = re.sub(r"(?:\s+(?:và|hoặc|để))+$", "", name.strip(" ,;:.-")).strip(" ,;:.-")
    return (name[:1].upper() + name[1:])[:200]


def _clauses(work: str) -> list[tuple[str, list[tuple[str, str, str | None]]]]:
    """The report clauses of a sentence: each dated deadline closes one ("…, Báo cáo tổng kết …
    trước ngày 30/6/2026"); the part before a colon names the addressee, not a report."""
    body = work.split(":", 1)[1] if ":" in work and _deadlines(work.split(":", 1)[1]) else work
    dated = [d for d in _deadlines(body) if d[1]]
    if not dated:
        pieces = re.split(r";\s+(?=Báo cáo\s)", body)
        return [(piece, _deadlines(piece)) for piece in pieces]
    out, rest = [], body
    for deadline in dated:
        before, _, after = rest.partition(deadline[0])
        out.append((before + deadline[0], [deadline]))
        rest = after
    return out


def suggestions_from(sentence: str, context: list[str], addressee: str = "",
                     known: tuple[str, ...] = COMMON_UNIT_NAMES,
                     paragraph_lead: list[str] | None = None) -> list[Suggestion]:
    """The task or reports one sentence asks for; context holds the outline headings above it, and
    paragraph_lead the units an earlier sentence of the same paragraph named."""
    lead, work = lead_of(sentence, known)
    lead = lead or list(paragraph_lead or [])
    inherited_time: list[tuple[str, str, str | None]] = []
    for heading in reversed(context):
        if not lead:
            lead = heading_units(heading, known) or lead_of(heading, known)[0] or (
                intro_units(heading, known) if heading.rstrip().endswith(":") else [])
        inherited_time = inherited_time or [d for d in _deadlines(heading) if d[1]]
    if not lead and addressee:
        lead = _units(addressee, known)
    cooperating = [n for n in cooperating_of(work, known) if n not in lead]
    if _is_report(work, sentence, known):
        return _reports(work, sentence, lead, cooperating, inherited_time, known)
    times = _deadlines(work) or inherited_time
    return [_suggestion("task", work, sentence, lead, cooperating, times)]


def _reports(work: str, sentence: str, lead: list[str], cooperating: list[str],
             inherited: list[tuple[str, str, str | None]], known: tuple[str, ...]) -> list[Suggestion]:
    out = []
    for clause, times in _clauses(work):
        details = _report_details(clause, sentence, known)
        details["name"] = _report_name(clause)
        details["reporter"] = list(lead)
        item = _suggestion("report", clause, sentence, lead, cooperating, times or inherited)
        item.report = details
        out.append(item)
    return out


def _suggestion(kind: str, content: str, sentence: str, lead: list[str], cooperating: list[str],
                times: list[tuple[str, str, str | None]]) -> Suggestion:
    dated = [d for d in times if d[1]]
    recurrence = next((d[2] for d in times if d[2]), None)
    content = content.strip(" ,;:-")
    return Suggestion(
        kind=kind, content=content[:1].upper() + content[1:], source_text=sentence,
        lead=list(lead), cooperating=cooperating, time_text="; ".join(d[0] for d in times),
        due_date=max(d[1] for d in dated) if dated else None, recurrence=recurrence,
    )
