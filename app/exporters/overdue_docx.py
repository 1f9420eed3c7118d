"""The overdue list for a directors' meeting as .docx bytes (landscape, grouped by plan).

Tasks in the plan's own order (their position in the appendix), units in Vietnamese alphabetical
order, and a total row that repeats the counts of the summary lines.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.exporters.collation import vn_sort_key
from app.exporters.docx_admin import (
    Letterhead,
    data_table,
    header_block,
    new_document,
    paragraph,
    roman,
    set_properties,
    signature_block,
    title_block,
    to_bytes,
)
from app.formatting import vn_date, vn_number

HEADERS = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Đơn vị quá hạn", "Số ngày quá hạn",
           "Cập nhật gần nhất", "Đề nghị gia hạn"]
RECIPIENTS = ["Lãnh đạo Sở;", "Các phòng, đơn vị có liên quan;", "Lưu: VT, VP."]

@dataclass
class OverdueLine:
    plan: str
    ref: str
    content: str
    unit: str
    lead_units: str
    due_date: date
    original_due_date: date | None
    days_overdue: int
    last_update: date | None
    requested_due_date: date | None
    position: int = 0  # the task's place in its plan


@dataclass
class OverdueReport:
    as_of: date
    lines: list[OverdueLine]
    letterhead: Letterhead = field(default_factory=Letterhead)
    scope_label: str = ""  # "Toàn Sở" or a director's area


def _counts(lines: list[OverdueLine]) -> tuple[int, int, int]:
    """(units, tasks, plans) with an overdue line: the summary and the total row say the same."""
    return (len({line.unit for line in lines}), len({(line.plan, line.ref, line.content) for line in lines}),
            len({line.plan for line in lines}))


def summary(report: OverdueReport) -> list[str]:
    lines = report.lines
    if not lines:
        return ["Không có nhiệm vụ nào quá hạn."]
    units, _tasks, plans = _counts(lines)
    pending = sum(line.requested_due_date is not None for line in lines)
    longest = max(line.days_overdue for line in lines)
    return [
        f"- Có {vn_number(len(lines))} lượt nhiệm vụ quá hạn tại {vn_number(units)} đơn vị, "
        f"thuộc {vn_number(plans)} kế hoạch;",
        f"- Có {vn_number(pending)} lượt có đề nghị gia hạn đang chờ duyệt;",
        f"- Nhiệm vụ quá hạn lâu nhất: {vn_number(longest)} ngày.",
    ]


def _rows(lines: list[OverdueLine]):
    """One row per task (its overdue units listed in one cell), under a group row per plan."""
    tasks: dict[tuple, list[OverdueLine]] = {}
    for line in lines:
        tasks.setdefault((line.plan, line.ref, line.content), []).append(line)
    current, group, number = None, 0, 0
    for (plan, ref, content), items in tasks.items():
        if plan != current:
            current, group, number = plan, group + 1, 0
            yield ("group", roman(group), plan)
        number += 1
        dues = sorted({line.due_date for line in items})
        due = vn_date(dues[0]) + (f" - {vn_date(dues[-1])}" if len(dues) > 1 else "")
        originals = {line.original_due_date for line in items
                     if line.original_due_date is not None} - set(dues)
        if originals:
            due += f"\n(ban đầu {vn_date(min(originals))})"
        units = sorted({line.unit for line in items}, key=vn_sort_key)
        unit_text = units[0] if len(units) == 1 else f"{vn_number(len(units))} đơn vị: " + ", ".join(units)
        days = sorted({line.days_overdue for line in items})
        updates = [line.last_update for line in items if line.last_update]
        pending = sum(line.requested_due_date is not None for line in items)
        yield [str(number), f"{ref}. {content}" if ref else content, items[0].lead_units, due, unit_text,
               vn_number(days[-1]) if len(days) == 1 else f"{vn_number(days[0])}-{vn_number(days[-1])}",
               vn_date(max(updates)) if updates else "Chưa cập nhật",
               f"{vn_number(pending)} đề nghị chờ duyệt" if pending else ""]


def overdue_docx(report: OverdueReport) -> bytes:
    document = new_document(landscape=True)
    header_block(document, report.letterhead)
    title_block(
        document,
        "DANH SÁCH NHIỆM VỤ QUÁ HẠN",
        [
            "(Tính đến ngày "
            f"{vn_date(report.as_of)}{' - ' + report.scope_label if report.scope_label else ''})"
        ],
    )
    for line in summary(report):
        paragraph(document, line, indent_first=True)
    paragraph(document, "", space_after=6)
    ordered = sorted(report.lines, key=lambda line: (vn_sort_key(line.plan), line.position,
                                                     vn_sort_key(line.ref), vn_sort_key(line.unit)))
    rows = list(_rows(ordered))
    if ordered:
        units, tasks, _plans = _counts(ordered)
        rows.append(("group", "", f"Tổng cộng: {vn_number(tasks)} nhiệm vụ, {vn_number(len(ordered))} "
                     f"lượt quá hạn tại {vn_number(units)} đơn vị"))
    data_table(document, HEADERS, None, rows, size=11, centered_columns=(0, 3, 5, 6, 7),
               keep_rows=False, keep_columns=(3, 5))
    signature_block(document, report.letterhead, RECIPIENTS)
    set_properties(document, report.letterhead, "Danh sách nhiệm vụ quá hạn")
    return to_bytes(document)
