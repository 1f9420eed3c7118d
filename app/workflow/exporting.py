"""The filtered "Việc của đơn vị" list as Excel rows, written by the shared table exporter."""
from app.exporters.xlsx_table import table_to_xlsx
from app.formatting import format_target, local_date, vn_number
from app.services.work import rules, workflow

HEADERS = ["STT", "Kế hoạch", "Nhóm nhiệm vụ", "Nội dung công việc", "Đơn vị", "Vai trò", "Trạng thái",
           "Tiến độ (%)", "Thời hạn", "Thời hạn ban đầu", "Quá hạn", "Đánh giá thời hạn",
           "Chỉ tiêu / thực hiện", "Ngày hoàn thành"]
WIDTHS = [6, 18, 24, 60, 28, 10, 16, 10, 12, 12, 9, 24, 36, 14]


def _targets_text(assignment) -> str:
    parts = []
    for row in workflow.target_rows(assignment.task, assignment.target_actuals):
        actual = "chưa nhập" if row["value"] is None else vn_number(row["value"])
        verdict = "" if row["met"] is None else (" (đạt)" if row["met"] else " (chưa đạt)")
        parts.append(f"{format_target(row['target'])}: {actual}{verdict}")
    return "; ".join(parts)


def assignment_rows(assignments, *, today, timezone: str):
    """The sheet's rows, one at a time (the streamed export reads the assignments in batches)."""
    for a in assignments:
        state = rules.assignment_bucket(a, today=today, timezone=timezone)
        yield [
            a.task.ref, a.task.plan.number or a.task.plan.title, a.task.group_name, a.task.content,
            a.unit.name, a.role_label, a.status_label, a.progress, a.due_date, a.original_due_date,
            a.is_overdue(today), rules.BUCKET_LABELS[state],
            _targets_text(a), local_date(a.completed_at, timezone),
        ]


def export_assignments(assignments, *, today, timezone: str) -> bytes:
    rows = list(assignment_rows(assignments, today=today, timezone=timezone))
    return table_to_xlsx("Việc của đơn vị", HEADERS, rows, widths=WIDTHS)
