"""The overdue list for a directors' meeting as .docx bytes (landscape, grouped by plan)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.exporters.docx_admin import (
    Letterhead,
    data_table,
    header_block,
    new_document,
    paragraph,
    roman,
    signature_block,
    title_block,
    to_bytes,
)
from app.formatting import vn_date, vn_number

HEADERS = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Đơn vị quá hạn", "Số ngày quá hạn",
           "Cập nhật gần nhất", "Đề nghị gia hạn"]
WIDTHS = [10, 70, 30, 24, 76, 18, 18, 16]

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


@dataclass
class OverdueReport:
    as_of: date
    lines: list[OverdueLine]
    letterhead: Letterhead = field(default_factory=Letterhead)
    scope_label: str = ""  # "Toàn Sở" or a director's area


def summary(report: OverdueReport) -> list[str]:
    lines = report.lines
    if not lines:
        return ["Không có nhiệm vụ nào quá hạn."]
    units = len({line.unit for line in lines})
    plans = len({line.plan for line in lines})
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
        units = [line.unit for line in items]
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
    ordered = sorted(report.lines, key=lambda line: (line.plan, -line.days_overdue, line.ref, line.unit))
    data_table(document, HEADERS, WIDTHS, _rows(ordered), size=11, centered_columns=(0, 3, 5, 6, 7),
               keep_rows=False)
    signature_block(document, report.letterhead)
    return to_bytes(document)
