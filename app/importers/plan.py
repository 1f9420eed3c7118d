"""parse_plan: a plan appendix file (bytes) to plan details, task rows and warnings."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import islice

from app.importers.errors import MSG_NO_ROWS, MSG_NO_TABLE, MSG_TOO_LARGE, ImportFileError
from app.importers.plan_meta import extract_meta
from app.importers.plan_table import TableScan, TaskCells, scan_tables
from app.importers.raw import RawDocument, RawTable
from app.importers.tables import read_document
from app.parsing.targets import parse_targets
from app.parsing.text import convert_legacy, fix_legacy_text, normalize_text
from app.parsing.times import SchoolCalendar, TimeParse, content_deadline_warnings, parse_time
from app.parsing.units import COMMON_UNIT_NAMES, split_unit_names

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_LEGACY_SAMPLE_WORDS = 20000
TASK_KEYS = (
    "ref", "group", "content", "product", "time_text", "start_date", "due_date", "recurrence",
    "lead", "cooperating", "targets", "warnings", "extra",
)
ENCODING_LABELS = {"TCVN3": "TCVN3 (ABC)", "VNI": "VNI"}
# Letters beyond Latin-1: text holding them is already Unicode, never legacy-encoded.
_UNICODE_LETTERS = re.compile("[\u0100-\u024f\u1e00-\u1eff]")
MSG_NO_LEAD_COLUMN = (
    "Bảng nhiệm vụ không có cột Đơn vị chủ trì: hãy chọn đơn vị chủ trì cho từng nhiệm vụ khi xem trước."
)
MSG_NO_TIME_COLUMN = "Bảng nhiệm vụ không có cột Thời gian: các nhiệm vụ của bảng chưa có hạn."
MSG_NO_LEAD = "Chưa có đơn vị chủ trì."


@dataclass
class ParsedPlan:
    """What a plan file holds: details for the plan, one dict per task, and document warnings."""

    source: str
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    tasks: list[dict] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        """The dry-run JSON of `flask plans import --dry-run --format json`."""
        return {
            "source": self.source,
            "warnings": list(self.warnings),
            "tasks": [{key: task[key] for key in TASK_KEYS} for task in self.tasks],
        }


def parse_plan(
    data: bytes,
    filename: str,
    known_unit_names=None,
    calendar: SchoolCalendar | None = None,
) -> ParsedPlan:
    """Read a .docx/.xlsx/.csv plan appendix; raise ImportFileError for a file it cannot read."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            MSG_TOO_LARGE.format(size=len(data) / 1024 / 1024, limit=MAX_UPLOAD_BYTES // 1024 // 1024)
        )
    data = bytes(data)
    document = read_document(data, filename)
    plan = ParsedPlan(source=re.split(r"[\\/]", str(filename or ""))[-1])
    plan.warnings.extend(document.warnings)
    encoding = fix_legacy_encoding(document)
    if encoding:
        label = ENCODING_LABELS.get(encoding, encoding)
        plan.warnings.append(f"Văn bản được gõ bằng mã {label} và đã được chuyển sang Unicode.")
    scan = scan_tables(document.tables)
    if not scan.task_tables:
        raise ImportFileError(MSG_NO_TABLE)
    if not scan.tasks:
        raise ImportFileError(MSG_NO_ROWS)
    plan.meta = extract_meta(_prose_lines(document, scan))
    plan.warnings.extend(scan.warnings)
    if any("lead" in cells.missing for cells in scan.tasks):
        plan.warnings.append(MSG_NO_LEAD_COLUMN)
    if any("time" in cells.missing for cells in scan.tasks):
        plan.warnings.append(MSG_NO_TIME_COLUMN)
    known = tuple(known_unit_names) if known_unit_names is not None else COMMON_UNIT_NAMES
    calendar = calendar or SchoolCalendar()
    if calendar.first_year is None and plan.meta.get("school_year"):
        calendar = replace(calendar, first_year=int(plan.meta["school_year"][:4]))
    default_year = _default_year(plan.meta)
    for cells in scan.tasks:
        plan.tasks.append(build_task(cells, known, calendar, default_year))
    return plan


def build_task(cells: TaskCells, known, calendar: SchoolCalendar, default_year: int | None) -> dict:
    """One task dict: parsed time, targets and unit names, with the row's warnings.

    A table without a Thời gian or chủ trì column gets one document warning instead of one per row.
    """
    values = cells.cells
    content = normalize_text(values.get("content", ""))
    product = normalize_text(values.get("product", ""))
    time_text = normalize_text(values.get("time", ""))
    parsed = parse_time(time_text, calendar, default_year) if "time" not in cells.missing else TimeParse()
    warnings = list(parsed.warnings)
    warnings.extend(w for w in content_deadline_warnings(content, parsed) if w not in warnings)
    lead = split_unit_names(values.get("lead", ""), known)
    if not lead and "lead" not in cells.missing:
        warnings.append(MSG_NO_LEAD)
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
        "cooperating": split_unit_names(values.get("cooperating", ""), known),
        "targets": parse_targets(product) if product else [],
        "warnings": warnings,
        "extra": {name: normalize_text(value) for name, value in cells.extra.items()},
    }


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


def _default_year(meta: dict) -> int | None:
    """The year for time cells that omit it: the school year's first year, else the plan's year."""
    if meta.get("school_year"):
        return int(meta["school_year"][:4])
    if meta.get("date"):
        return int(meta["date"][:4])
    return None
