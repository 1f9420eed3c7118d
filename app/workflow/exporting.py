"""The filtered "Việc của đơn vị" list as export rows (.xlsx and CSV), read as columns in batches.

No ORM object per row: the list's own statement (its filters, permissions and order) is re-aimed at
the few columns a row needs plus the SQL form of the on-time rule; the tasks and units the rows
point at are read once each, per batch that meets new ones. So a plan's 35.000 assignments cost
two or three statements per 1.000 rows and memory stays flat.
"""
from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from app.extensions import db
from app.formatting import format_target, local_date, vn_number
from app.models.assignments import ASSIGNMENT_ROLES, STATUSES, Assignment
from app.models.plans import Plan, Task
from app.models.units import Unit
from app.services.work import rules, workflow

HEADERS = ["STT", "Kế hoạch", "Nhóm nhiệm vụ", "Nội dung công việc", "Đơn vị", "Vai trò", "Trạng thái",
           "Tiến độ (%)", "Thời hạn", "Thời hạn ban đầu", "Quá hạn", "Đánh giá thời hạn",
           "Chỉ tiêu / thực hiện", "Ngày hoàn thành"]
WIDTHS = [6, 18, 24, 60, 28, 10, 16, 10, 12, 12, 9, 24, 36, 14]
BATCH = 1000


class _Task:
    """What a row shows of its task (and what workflow.target_rows reads: targets)."""

    __slots__ = ("ref", "plan", "group", "content", "targets")

    def __init__(self, ref, plan, group, content, targets):
        self.ref, self.plan, self.group, self.content, self.targets = ref, plan, group, content, targets


def targets_text(task, actuals) -> str:
    """"≥ 98,5%: 97 (chưa đạt); …" for the sheet; empty for a task without targets."""
    parts = []
    for row in workflow.target_rows(task, actuals):
        actual = "chưa nhập" if row["value"] is None else vn_number(row["value"])
        verdict = "" if row["met"] is None else (" (đạt)" if row["met"] else " (chưa đạt)")
        parts.append(f"{format_target(row['target'])}: {actual}{verdict}")
    return "; ".join(parts)


def _load_tasks(ids, into: dict[int, _Task]) -> None:
    rows = db.session.execute(
        select(Task.id, Task.ref, Plan.number, Plan.title, Task.group_name, Task.content, Task.targets)
        .join(Plan, Task.plan_id == Plan.id).where(Task.id.in_(ids)))
    for task_id, ref, number, title, group, content, targets in rows:
        into[task_id] = _Task(ref, number or title, group, content, targets)


def _load_units(ids, into: dict[int, str]) -> None:
    into.update((unit_id, name) for unit_id, name in db.session.execute(select(Unit.id, Unit.name)
                                                                        .where(Unit.id.in_(ids))))


def export_rows(stmt, *, today, timezone: str) -> Iterator[list]:
    """The sheet's rows for the list's select(Assignment) `stmt`, read BATCH at a time."""
    bucket = rules.assignment_bucket_sql(today, timezone)
    columns = stmt.with_only_columns(
        Assignment.task_id, Assignment.unit_id, Assignment.role, Assignment.status, Assignment.progress,
        Assignment.due_date, Assignment.original_due_date, Assignment.completed_at, Assignment.target_actuals,
        bucket, maintain_column_froms=False)
    tasks: dict[int, _Task] = {}
    units: dict[int, str] = {}
    for batch in db.session.execute(columns.execution_options(yield_per=BATCH)).partitions():
        if missing := {row[0] for row in batch} - tasks.keys():
            _load_tasks(missing, tasks)
        if missing := {row[1] for row in batch} - units.keys():
            _load_units(missing, units)
        for task_id, unit_id, role, status, progress, due, original, completed, actuals, state in batch:
            task = tasks[task_id]
            yield [
                task.ref, task.plan, task.group, task.content, units[unit_id],
                ASSIGNMENT_ROLES.get(role, role),
                STATUSES.get(status, status), progress, due, original,
                state == rules.OPEN_OVERDUE,  # the rule's SQL form: open and past the deadline in force
                rules.BUCKET_LABELS[state], targets_text(task, actuals) if task.targets else "",
                local_date(completed, timezone),
            ]
