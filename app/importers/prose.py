"""Guidance letters written in prose: paragraphs rebuilt, numbered into an outline (I, 1, a), -, +),
and the "Tổ chức thực hiện" part read as suggested tasks and reports for the office to confirm."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.parsing.duties import Suggestion, heading_units, split_sentences, suggestions_from
from app.parsing.text import fold, normalize_text
from app.parsing.units import COMMON_UNIT_NAMES

# Outline styles, outermost first; a style already open closes the levels under it.
_MARKERS: tuple[tuple[str, re.Pattern], ...] = (
    ("roman", re.compile(r"^([IVXLC]+)\.\s+(?=\S)")),
    ("arabic", re.compile(r"^(\d{1,2})\.\s+(?=\D)")),
    ("letter", re.compile(r"^([a-zđ])\)\s*")),
    ("paren", re.compile(r"^\((\d{1,2})\)\s*")),
    ("dash", re.compile(r"^[-–•]\s*")),
    ("plus", re.compile(r"^\+\s*")),
)
_OPENS = re.compile(r"^(?:[IVXLC]+\.\s|\d{1,2}\.\s|[a-zđ]\)\s|\(\d{1,2}\)\s|[-–•+]\s)")
_FOOTNOTE = re.compile(r"^\d{1,2}\s+(?:[A-ZĐÀ-Ỹ]|https?://)")
_URL_ONLY = re.compile(r"^(?:https?://|mailto:|www\.)\S*$")
_END_OF_BODY = ("noi nhan", "kt. giam doc", "kt. bo truong", "tm. uy ban")
_DUTIES_SECTION = "to chuc thuc hien"
# Closing formulas and notes: "Trong quá trình thực hiện, nếu có khó khăn…", "… gửi kèm Phụ lục …".
_CLOSING = re.compile(r"^(?:trong qua trinh (?:thuc hien|trien khai)|kem theo (?:van ban|cong van)|"
                      r"[^.]{0,40}gui kem (?:phu luc|danh muc)|luu y\b)")


@dataclass
class Paragraph:
    """One paragraph with its outline place: style, depth and the paragraphs above it."""

    text: str
    style: str
    body: str  # the text without its numbering
    parents: list[Paragraph] = field(default_factory=list)
    children: list[Paragraph] = field(default_factory=list)


def paragraphs_from_wrapped(lines: list[str]) -> list[str]:
    """Rebuild paragraphs from hard-wrapped text (a PDF copied as text): a line goes on the
    paragraph above unless it opens a numbered item, or the line above ended one. Footnotes
    (a number, then a capital) are dropped, and the body text after them joins back."""
    cleaned = [normalize_text(line) for line in lines]
    lengths = sorted(len(line) for line in cleaned if len(line) > 20)
    full = lengths[len(lengths) * 3 // 4] if lengths else 80
    paragraphs: list[str] = []
    in_footnote = footnote_open = False
    last_length = full
    for line in cleaned:
        if not line or _URL_ONLY.match(line):
            continue
        if _FOOTNOTE.match(line) and paragraphs:
            in_footnote, footnote_open = True, not line.endswith(".")
            continue
        if in_footnote and footnote_open and not _OPENS.match(line):
            footnote_open = not line.endswith(".")  # the footnote goes on
            continue
        in_footnote = False
        if paragraphs and _goes_on(paragraphs[-1], line, last_length, full):
            paragraphs[-1] = _join_wrapped(paragraphs[-1], line)
        else:
            paragraphs.append(line)
        last_length = len(line)
    return paragraphs


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", ":", ";", "./.", "!", "?"))


def _goes_on(previous: str, line: str, previous_length: int, full: int) -> bool:
    if _OPENS.match(line):
        return False
    if previous_length < 0.7 * full and not previous.endswith(("-", ",")):
        return False  # a short line ends its paragraph (a heading, the last line)
    return not (_ends_sentence(previous) and line[:1].isupper())


def _join_wrapped(previous: str, line: str) -> str:
    if re.search(r"\w-$", previous) and line[:1].isdigit():
        return previous + line  # "2025-" / "2026"
    return f"{previous} {line}"


def outline(paragraphs: list[str]) -> list[Paragraph]:
    """Give every paragraph its style and its parents, the way a reader follows the numbering."""
    out: list[Paragraph] = []
    stack: list[Paragraph] = []
    order = [name for name, _ in _MARKERS]
    for text in paragraphs:
        style, body = "plain", text
        for name, pattern in _MARKERS:
            if m := pattern.match(text):
                style, body = name, text[m.end():].strip()
                break
        if style == "plain":
            parents = list(stack)
        else:
            while stack and (stack[-1].style == "plain"
                             or order.index(stack[-1].style) >= order.index(style)):
                if stack[-1].style == style:
                    stack.pop()
                    break
                stack.pop()
            parents = list(stack)
        paragraph = Paragraph(text, style, body, parents)
        if parents:
            parents[-1].children.append(paragraph)
        out.append(paragraph)
        if style != "plain":
            stack.append(paragraph)
    return out


def letter_body(paragraphs: list[str]) -> list[str]:
    """The letter's own text: from the first paragraph to the signature block ("Nơi nhận")."""
    body = []
    for text in paragraphs:
        folded = fold(text)
        if any(folded.startswith(end) for end in _END_OF_BODY):
            break
        body.append(text)
    return body


def duties_section(items: list[Paragraph]) -> list[Paragraph] | None:
    """The paragraphs of "Tổ chức thực hiện"; None when the letter has no such part."""
    for i, item in enumerate(items):
        if item.style == "roman" and _DUTIES_SECTION in fold(item.body):
            rest = items[i + 1:]
            end = next((j for j, p in enumerate(rest) if p.style == "roman"), len(rest))
            return rest[:end]
    return None


def suggest(paragraphs: list[str], addressee: str = "",
            known: tuple[str, ...] = COMMON_UNIT_NAMES) -> list[Suggestion]:
    """Suggested tasks and reports of a letter, in the letter's order, each with its sentence."""
    body = outline(letter_body(paragraphs))
    section = duties_section(body)
    items = body if section is None else section
    found: list[Suggestion] = []
    intros: dict[int, str] = {}  # a plain paragraph ending with ":" introduces the items after it
    for item in items:
        parent = id(item.parents[-1]) if item.parents else 0
        if item.style == "plain" and item.body.rstrip().endswith(":"):
            # The items after it are its siblings, or (after a dash item) its parent's children.
            for above in item.parents[-2:] if item.parents[-1:] and item.parents[-1].style in (
                    "dash", "plus") else item.parents[-1:]:
                intros[id(above)] = item.body
            intros[parent] = item.body
            continue
        if any(c.style != "plain" for c in item.children) or _skipped(item):
            continue
        if item.children and heading_units(item.body):
            continue  # "2. Phòng Kế hoạch - Tài chính" over the paragraph of its duties
        context = [p.body for p in item.parents if p.style != "roman"]
        if parent in intros:
            if _CLOSING.match(fold(intros[parent])):
                continue  # "Lưu ý:" and what follows it
            context.insert(0, intros[parent])
        found.extend(_paragraph_suggestions(item.body, context, addressee, known))
    if section is None:
        # Without a "Tổ chức thực hiện" part, only sentences that give the work to a unit or set
        # a date are duties; the rest is guidance.
        found = [s for s in found if s.due_date or (s.lead and s.lead != _addressee_units(addressee, known))]
    return found


def _addressee_units(addressee: str, known: tuple[str, ...]) -> list[str]:
    return suggestions_from("", [], addressee, known)[0].lead if addressee else []


def _paragraph_suggestions(body: str, context: list[str], addressee: str,
                           known: tuple[str, ...]) -> list[Suggestion]:
    """One task per paragraph (its sentences together) and one item per report it asks for."""
    out: list[Suggestion] = []
    task: Suggestion | None = None
    lead: list[str] = []
    for sentence in split_sentences(body):
        for item in suggestions_from(sentence, context, addressee, known, paragraph_lead=lead):
            lead = lead or item.lead
            if item.kind == "report":
                out.append(item)
            elif task is None:
                task = item
                out.append(item)
            else:
                _merge(task, item)
    return out


def _merge(task: Suggestion, item: Suggestion) -> None:
    """Another sentence of the same paragraph's task."""
    task.content = f"{task.content} {item.content}"
    task.source_text = f"{task.source_text} {item.source_text}"
    task.time_text = "; ".join(t for t in (task.time_text, item.time_text) if t)
    task.due_date = max(filter(None, (task.due_date, item.due_date)), default=None)
    task.recurrence = task.recurrence or item.recurrence
    task.cooperating += [n for n in item.cooperating if n not in task.cooperating]


def _skipped(item: Paragraph) -> bool:
    """Closing formulas and notes, or a paragraph under one."""
    return any(_CLOSING.match(fold(paragraph.body)) for paragraph in (item, *item.parents))


def addressee_of(paragraphs: list[str]) -> str:
    """The "Kính gửi" line: the units a letter is written to (its default lead)."""
    for i, text in enumerate(paragraphs[:40]):
        folded = fold(text)
        if folded.startswith("kinh gui"):
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:
                return rest.strip(" ;.")
            following = paragraphs[i + 1] if i + 1 < len(paragraphs) else ""
            return following.lstrip("-– ").strip(" ;.")
    return ""


MSG_SUGGESTED = (
    "Văn bản không có bảng nhiệm vụ: các nhiệm vụ và báo cáo dưới đây được gợi ý từ câu chữ của văn bản "
    "(phần Tổ chức thực hiện), kèm câu gốc. Hãy sửa, bỏ hoặc xác nhận từng mục trước khi nhập."
)
MSG_CHECK_SUGGESTION = "Gợi ý từ câu chữ của văn bản: hãy đối chiếu với câu gốc."


def letter_tasks(paragraphs: list[str], known: tuple[str, ...] = COMMON_UNIT_NAMES) -> list[dict]:
    """The suggestions of a letter as task dicts of the plan-import contract (kind, source_text)."""
    tasks = []
    for number, item in enumerate(suggest(paragraphs, addressee_of(paragraphs), known), start=1):
        warnings = [MSG_CHECK_SUGGESTION]
        if not item.lead:
            warnings.append("Chưa có đơn vị chủ trì.")
        if item.time_text and not item.due_date and not item.recurrence:
            warnings.append(f"Thời gian «{item.time_text}» chưa có hạn cụ thể.")
        tasks.append({
            "ref": str(number), "group": "", "content": item.content, "product": "",
            "time_text": item.time_text, "start_date": None, "due_date": item.due_date,
            "recurrence": item.recurrence, "lead": item.lead, "cooperating": item.cooperating,
            "targets": [], "warnings": warnings, "extra": {}, "group_path": [], "unit_roles": {},
            "choice_units": [], "kind": item.kind, "source_text": item.source_text, "report": item.report,
        })
    return tasks
