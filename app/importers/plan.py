"""parse_plan: a plan appendix file (bytes) to plan details, task rows and warnings."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice

from app.importers.errors import MSG_NO_ROWS, MSG_NO_TABLE, MSG_TOO_LARGE, ImportFileError
from app.importers.plan_meta import extract_meta
from app.importers.plan_table import TableScan, TaskCells, scan_tables
from app.importers.prose import MSG_SUGGESTED, letter_tasks, paragraphs_from_wrapped
from app.importers.raw import RawDocument, RawTable
from app.importers.tables import read_document
from app.parsing.relative import duration_due
from app.parsing.targets import parse_targets_checked
from app.parsing.text import convert_legacy, fix_legacy_text, fold, normalize_text
from app.parsing.times import SchoolCalendar, TimeParse, content_deadline_warnings, parse_time
from app.parsing.units import COMMON_UNIT_NAMES, is_per_task_choice, split_unit_cell

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_LEGACY_SAMPLE_WORDS = 20000
TASK_KEYS = (
    "ref", "group", "content", "product", "time_text", "start_date", "due_date", "recurrence",
    "lead", "cooperating", "targets", "warnings", "extra",
    # Added later; the keys above keep their meaning for the published dry-run contract.
    "group_path", "unit_roles", "choice_units",
    # Prose letters: "task" or "report", the sentence a suggestion was read from, the report's
    # details (name, reporter, recipient, via, outline, then_to). Table rows: "task", "", None.
    "kind", "source_text", "report",
)
ENCODING_LABELS = {"TCVN3": "TCVN3 (ABC)", "VNI": "VNI"}
# Letters beyond Latin-1: text holding them is already Unicode, never legacy-encoded.
_UNICODE_LETTERS = re.compile("[\u0100-\u024f\u1e00-\u1eff]")
MSG_NO_LEAD_COLUMN = (
    "Bảng nhiệm vụ không có cột Đơn vị chủ trì: hãy chọn đơn vị chủ trì cho từng nhiệm vụ khi xem trước."
)
MSG_NO_TIME_COLUMN = "Bảng nhiệm vụ không có cột Thời gian: các nhiệm vụ của bảng chưa có hạn."
MSG_NO_LEAD = "Chưa có đơn vị chủ trì."
MSG_TXT_ENCODING = "Tệp .txt phải được lưu với bảng mã UTF-8."
_OWN_BODY = re.compile(r"^(?:so giao duc|so gd)")


@dataclass
class ParsedPlan:
    """What a plan file holds: details for the plan, one dict per task, and document warnings."""

    source: str
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    tasks: list[dict] = field(default_factory=list)
    # How the file was read, for the preview: per task table, which column became which field
    # and why (score, header words, cell contents); the rows read as groups; unknown headers.
    columns: list[dict] = field(default_factory=list)
    group_rows: list[dict] = field(default_factory=list)
    unrecognised_headers: list[str] = field(default_factory=list)
    task_locations: list[str] = field(default_factory=list)  # where each table task was read, in order

    def to_json_dict(self) -> dict:
        """The dry-run JSON of `flask plans import --dry-run --format json`."""
        return {
            "source": self.source,
            "warnings": list(self.warnings),
            "tasks": [{key: task[key] for key in TASK_KEYS} for task in self.tasks],
            "layout": {"tables": list(self.columns), "group_rows": list(self.group_rows),
                       "unrecognised_headers": list(self.unrecognised_headers)},
        }


def parse_plan(
    data: bytes,
    filename: str,
    known_unit_names=None,
    calendar: SchoolCalendar | None = None,
    column_fields: dict[str, str] | None = None,
    row_kinds: dict[str, str] | None = None,
) -> ParsedPlan:
    """Read a .docx/.xlsx/.csv plan appendix; raise ImportFileError for a file it cannot read.

    column_fields (header -> field, "" for none) is the office's reading of the columns; row_kinds
    (row location -> "task"/"group") its decisions on rows read as the wrong kind."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            MSG_TOO_LARGE.format(size=len(data) / 1024 / 1024, limit=MAX_UPLOAD_BYTES // 1024 // 1024)
        )
    data = bytes(data)
    source = re.split(r"[\\/]", str(filename or ""))[-1]
    known = tuple(known_unit_names) if known_unit_names is not None else COMMON_UNIT_NAMES
    if source.lower().endswith(".txt"):
        return parse_letter(source, text_lines(data), known)
    document = read_document(data, filename)
    plan = ParsedPlan(source=source)
    plan.warnings.extend(document.warnings)
    encoding = fix_legacy_encoding(document)
    if encoding:
        label = ENCODING_LABELS.get(encoding, encoding)
        plan.warnings.append(f"Văn bản được gõ bằng mã {label} và đã được chuyển sang Unicode.")
    scan = scan_tables(document.tables, column_fields, row_kinds)
    if not scan.task_tables:
        letter = parse_letter(source, document.lines, known)
        letter.warnings[:0] = plan.warnings
        return letter
    if not scan.tasks:
        raise ImportFileError(MSG_NO_ROWS)
    plan.meta = extract_meta(_prose_lines(document, scan))
    plan.warnings.extend(scan.warnings)
    if any("lead" in cells.missing for cells in scan.tasks):
        plan.warnings.append(MSG_NO_LEAD_COLUMN)
    if any("time" in cells.missing for cells in scan.tasks):
        plan.warnings.append(MSG_NO_TIME_COLUMN)
    calendar = calendar or SchoolCalendar()
    if calendar.first_year is None and plan.meta.get("school_year"):
        calendar = replace(calendar, first_year=int(plan.meta["school_year"][:4]))
    default_year = _default_year(plan.meta)
    context = TaskContext(known, calendar, default_year, _issue_date(plan.meta))
    for cells in scan.tasks:
        plan.tasks.append(build_task(cells, context))
        plan.task_locations.append(cells.location)
    plan.columns, plan.group_rows = scan.layouts, scan.group_rows
    plan.unrecognised_headers = list(
        dict.fromkeys(h for layout in scan.layouts for h in layout["unrecognised"])
    )
    return plan


def header_signature(layouts: list[dict]) -> tuple[str, list[str]]:
    """The key of a saved column mapping: the folded headers of the task tables, in order, hashed;
    the same layout spelled with other diacritics or case gives the same key. ("", []) for none."""
    headers = [col["header"] for layout in layouts for col in layout["columns"] if col["header"]]
    if not headers:
        return "", []
    folded = "\n".join("|".join(fold(col["header"]) for col in layout["columns"]) for layout in layouts)
    return hashlib.sha256(folded.encode("utf-8")).hexdigest(), list(dict.fromkeys(headers))


def column_fields_of(layouts: list[dict]) -> dict[str, str]:
    """header -> the field it was read as ("" for an extra column), as the preview's selects show it."""
    return {col["header"]: col["field"] or "" for layout in layouts for col in layout["columns"]
            if col["header"]}


def text_lines(data: bytes) -> list[str]:
    """A plain-text letter (UTF-8, with or without BOM) as its lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(MSG_TXT_ENCODING) from exc
    return text.splitlines()


def parse_letter(source: str, lines: list[str], known: tuple) -> ParsedPlan:
    """A guidance letter in prose: its duties and reports as suggestions (kind, source_text)."""
    paragraphs = paragraphs_from_wrapped(lines)
    tasks = letter_tasks(paragraphs, known)
    if not tasks:
        raise ImportFileError(MSG_NO_TABLE)
    return ParsedPlan(source=source, warnings=[MSG_SUGGESTED], meta=extract_meta(paragraphs[:60]),
                      tasks=tasks)


@dataclass(frozen=True)
class TaskContext:
    """What every row of one plan is read against: unit names, the calendar, the plan's dates."""

    known: tuple
    calendar: SchoolCalendar
    default_year: int | None
    issue_date: date | None = None


def build_task(cells: TaskCells, context: TaskContext) -> dict:
    """One task dict: parsed time, targets and unit names, with the row's warnings.

    A table without a Thời gian or chủ trì column gets one document warning instead of one per row.
    """
    values = cells.cells
    content = normalize_text(values.get("content", ""))
    product = normalize_text(values.get("product", ""))
    time_text, parsed = _task_time(values, cells.missing, context)
    warnings = list(parsed.warnings)
    warnings.extend(w for w in content_deadline_warnings(content, parsed) if w not in warnings)
    lead, roles = _lead_units(values, context.known)
    if not lead and "lead" not in cells.missing:
        warnings.append(MSG_NO_LEAD)
    cooperating, cooperating_roles = split_unit_cell(values.get("cooperating", ""), context.known)
    roles.update(cooperating_roles)
    lead, cooperating = _roles_in_one_cell(lead, cooperating, roles)
    choices = [name for name in (*lead, *cooperating) if is_per_task_choice(name)]
    targets, target_warnings = parse_targets_checked(product) if product else ([], [])
    warnings.extend(target_warnings)
    return {
        "ref": cells.ref,
        "group": cells.group,
        "content": content,
        "product": product,
        "time_text": time_text,
        "start_date": parsed.start.isoformat() if parsed.start else None,
        "due_date": parsed.due.isoformat() if parsed.due else None,
        "recurrence": parsed.recurrence,
        "lead": lead,
        "cooperating": cooperating,
        "targets": targets,
        "warnings": warnings,
        "extra": {name: normalize_text(value) for name, value in cells.extra.items()},
        "group_path": list(cells.group_path),
        "unit_roles": roles,
        "choice_units": choices,
        "kind": "task",
        "source_text": "",
        "report": None,
    }


def _task_time(
    values: dict[str, str], missing: frozenset[str], context: TaskContext
) -> tuple[str, TimeParse]:
    """The time text and its reading: one time cell, a start/end pair of cells, or a duration."""
    time_text = normalize_text(values.get("time", ""))
    start_text = normalize_text(values.get("start", ""))
    days = normalize_text(values.get("duration", ""))
    if not time_text and not start_text and days:
        due, warnings = duration_due(days, context.issue_date)
        return days, TimeParse(due=due, warnings=warnings)
    if "time" in missing:
        return "", TimeParse()
    parsed = parse_time(time_text, context.calendar, context.default_year, context.issue_date)
    if start_text and start_text != time_text:
        first = parse_time(start_text, context.calendar, context.default_year, context.issue_date)
        start = first.start or first.due
        if start and parsed.due and start <= parsed.due:
            parsed = TimeParse(start, parsed.due, parsed.recurrence, parsed.warnings)
        time_text = f"{start_text} - {time_text}" if time_text else start_text
    return time_text, parsed


def _roles_in_one_cell(lead: list[str], cooperating: list[str],
                       roles: dict[str, str]) -> tuple[list[str], list[str]]:
    """One "Đơn vị thực hiện" cell for both roles: "Phòng GDTrH (chủ trì), Phòng GDPT (phối hợp)"."""
    helpers = [name for name in lead if fold(roles.get(name, "")).startswith("phoi hop")]
    if not helpers or len(helpers) == len(lead):
        return lead, cooperating
    return [n for n in lead if n not in helpers], [
        *cooperating,
        *(n for n in helpers if n not in cooperating),
    ]


def _lead_units(values: dict[str, str], known) -> tuple[list[str], dict[str, str]]:
    """Lead units; a second lead column names the department inside the lead body ("Bộ phận tham
    mưu"): when the body is the Sở itself, that department leads the task here."""
    lead, roles = split_unit_cell(values.get("lead", ""), known)
    detail, detail_roles = split_unit_cell(values.get("lead_detail", ""), known)
    if detail and (not lead or all(_OWN_BODY.match(fold(name)) for name in lead)):
        return detail, detail_roles
    roles.update(detail_roles)
    return lead, roles


def fix_legacy_encoding(document: RawDocument) -> str | None:
    """Detect a legacy encoding over the whole text once; convert every line and cell if found."""
    texts = [b for b in document.blocks if isinstance(b, str)]
    for table in document.tables:
        texts.extend(cell for row in table.rows for cell in row if cell)
    # Each distinct non-ASCII word once: the same judgement as over the whole text, at a fraction
    # of the cost on long, repetitive appendices (ASCII words never count either way).
    words = dict.fromkeys(w for text in dict.fromkeys(texts) for w in text.split() if not w.isascii())
    _, encoding = fix_legacy_text(" ".join(islice(words, MAX_LEGACY_SAMPLE_WORDS)))
    if encoding is None:
        return None
    cache: dict[str, str] = {}

    def fixed(text: str) -> str:
        if not text or _UNICODE_LETTERS.search(text):
            return text
        if text not in cache:
            cache[text] = convert_legacy(text, encoding)
        return cache[text]

    for i, block in enumerate(document.blocks):
        if isinstance(block, RawTable):
            block.rows = [[fixed(cell) for cell in row] for row in block.rows]
        else:
            document.blocks[i] = fixed(block)
    return encoding


def _prose_lines(document: RawDocument, scan: TableScan) -> list[str]:
    """Paragraphs, the cells of non-task tables (header blocks) and spreadsheet title rows, in order."""
    used = set(scan.task_tables)
    lines: list[str] = []
    table_index = 0
    for block in document.blocks:
        if isinstance(block, RawTable):
            if table_index not in used:
                for row in block.rows:
                    for cell in dict.fromkeys(row):
                        lines.extend(cell.split("\n") if cell else [])
            table_index += 1
        else:
            lines.append(block)
    return scan.preamble + lines


def _issue_date(meta: dict) -> date | None:
    try:
        return date.fromisoformat(meta["date"]) if meta.get("date") else None
    except ValueError:
        return None


def _default_year(meta: dict) -> int | None:
    """The year for time cells that omit it: the school year's first year, else the plan's year."""
    if meta.get("school_year"):
        return int(meta["school_year"][:4])
    if meta.get("date"):
        return int(meta["date"][:4])
    return None
