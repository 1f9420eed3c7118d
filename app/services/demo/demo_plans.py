"""Demo plans: the Hải Phòng 2025-2026 appendix (a copy lives in demo_files/), with some progress."""
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from app.extensions import db
from app.models.assignments import (
    EXTENSION_APPROVED,
    EXTENSION_PENDING,
    EXTENSION_REFUSED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    STATUS_SUBMITTED,
    AssignmentUpdate,
    ExtensionRequest,
)
from app.models.users import User
from app.services.plans.plan_import import import_plan

DEMO_FILES = Path(__file__).parent / "demo_files"
HAIPHONG_FILE = "haiphong_phuluc_2025-2026.docx"
HAIPHONG_META = {
    "number": "1295/KH-SGDĐT",
    "date": date(2025, 10, 20),
    "school_year": "2025-2026",
    "issuer": "Sở Giáo dục và Đào tạo Hải Phòng",
}


def _journal(assignment, kind: str, author, *, status: str, progress: int, note: str, at: datetime) -> None:
    assignment.updates.append(AssignmentUpdate(kind=kind, author_id=author.id if author else None,
                                               status=status, progress=progress, note=note, created_at=at))


def _add_progress(plan, office_user, people: dict[int, User]) -> None:
    """Put units at every stage, so dashboards, lists and the journal have something to show:
    done on time and late (signed off), in progress, submitted (awaiting sign-off), returned with a
    reason, not started, and overdue (the plan's dates are past); some extension requests."""
    for index, assignment in enumerate(a for task in plan.tasks for a in task.assignments):
        worker = people.get(assignment.unit_id)
        due = assignment.due_date or date(2025, 11, 1)
        start = datetime.combine(due, time(9), tzinfo=UTC) - timedelta(days=20)
        if index % 4 == 0 and assignment.due_date is not None:
            assignment.status = STATUS_DONE
            assignment.progress = 100
            finished = assignment.due_date - timedelta(days=index % 9 - 2)  # some on time, some late
            assignment.completed_at = datetime.combine(finished, time(10), tzinfo=UTC)
            _journal(assignment, "submit", worker, status=STATUS_SUBMITTED, progress=100,
                     note="Đã hoàn thành, gửi kèm báo cáo.", at=assignment.completed_at - timedelta(hours=2))
            _journal(assignment, "signoff", office_user, status=STATUS_DONE, progress=100,
                     note="Xác nhận hoàn thành.", at=assignment.completed_at)
        elif index % 4 == 1:
            assignment.status = STATUS_IN_PROGRESS
            assignment.progress = 20 + (index * 7) % 70
            _journal(assignment, "update", worker, status=STATUS_IN_PROGRESS, progress=assignment.progress,
                     note="Đang triển khai.", at=start)
        elif index % 16 == 2:
            assignment.status = STATUS_SUBMITTED
            assignment.progress = 100
            _journal(assignment, "submit", worker, status=STATUS_SUBMITTED, progress=100,
                     note="Đề nghị xác nhận hoàn thành.", at=start)
        elif index % 16 == 6:
            assignment.status = STATUS_IN_PROGRESS
            assignment.progress = 60
            _journal(assignment, "submit", worker, status=STATUS_SUBMITTED, progress=100,
                     note="Đề nghị xác nhận hoàn thành.", at=start)
            _journal(assignment, "return", office_user, status=STATUS_IN_PROGRESS, progress=60,
                     note="Trả lại: thiếu minh chứng, đề nghị bổ sung biên bản.",
                     at=start + timedelta(days=2))
        # the rest: not started (and overdue once its deadline has passed)


def _add_extensions(plan, office_user, people: dict[int, User]) -> int:
    """One request waiting, one approved and one refused, on open assignments with a deadline."""
    open_ones = [a for task in plan.tasks for a in task.assignments
                 if a.status == STATUS_NOT_STARTED and a.due_date is not None and a.unit_id in people][:3]
    decisions = (None, (EXTENSION_APPROVED, "Đồng ý do chờ thiết bị."),
                 (EXTENSION_REFUSED, "Không đủ căn cứ."))
    for assignment, decision in zip(open_ones, decisions, strict=False):
        asked = datetime.combine(assignment.due_date, time(8), tzinfo=UTC) - timedelta(days=5)
        wanted = assignment.due_date + timedelta(days=30)
        request = ExtensionRequest(assignment_id=assignment.id,
                                   requested_by_id=people[assignment.unit_id].id,
                                   current_due_date=assignment.due_date, requested_due_date=wanted,
                                   reason="Chờ bàn giao thiết bị.", status=EXTENSION_PENDING,
                                   created_at=asked)
        if decision is not None:
            request.status, request.decision_note = decision
            request.decided_by_id, request.decided_at = office_user.id, asked + timedelta(days=1)
            if request.status == EXTENSION_APPROVED:
                assignment.original_due_date, assignment.due_date = assignment.due_date, wanted
        db.session.add(request)
    return len(open_ones)


def seed_plans(office_user, users=()) -> list[str]:
    data = (DEMO_FILES / HAIPHONG_FILE).read_bytes()
    plan = import_plan(office_user, data, HAIPHONG_FILE, meta=HAIPHONG_META, save_choices=False)
    people: dict[int, User] = {}
    for user in users:  # the first account of each unit does its updates
        if user.unit_id is not None:
            people.setdefault(user.unit_id, user)
    _add_progress(plan, office_user, people)
    db.session.flush()
    _add_extensions(plan, office_user, people)
    db.session.flush()
    assignments = sum(len(t.assignments) for t in plan.tasks)
    return [f"Đã nhập kế hoạch {plan.number}: {len(plan.tasks)} nhiệm vụ, {assignments} lượt giao."]
