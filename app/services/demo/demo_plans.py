"""Demo plans: the Hải Phòng 2025-2026 appendix (a copy lives in demo_files/), with some progress."""
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from app.models.assignments import STATUS_DONE, STATUS_IN_PROGRESS
from app.services.plans.plan_import import import_plan

DEMO_FILES = Path(__file__).parent / "demo_files"
HAIPHONG_FILE = "haiphong_phuluc_2025-2026.docx"
HAIPHONG_META = {
    "number": "1295/KH-SGDĐT",
    "date": date(2025, 10, 20),
    "school_year": "2025-2026",
    "issuer": "Sở Giáo dục và Đào tạo Hải Phòng",
}


def _add_progress(plan) -> None:
    """Mark some assignments done or under way, so dashboards and lists have something to show."""
    for index, assignment in enumerate(a for task in plan.tasks for a in task.assignments):
        if index % 4 == 0 and assignment.due_date is not None:
            assignment.status = STATUS_DONE
            assignment.progress = 100
            finished = assignment.due_date - timedelta(days=index % 9 - 2)  # some on time, some late
            assignment.completed_at = datetime.combine(finished, time(10), tzinfo=UTC)
        elif index % 4 == 1:
            assignment.status = STATUS_IN_PROGRESS
            assignment.progress = 20 + (index * 7) % 70


def seed_plans(office_user) -> list[str]:
    data = (DEMO_FILES / HAIPHONG_FILE).read_bytes()
    plan = import_plan(office_user, data, HAIPHONG_FILE, meta=HAIPHONG_META, save_choices=False)
    _add_progress(plan)
    assignments = sum(len(t.assignments) for t in plan.tasks)
    return [f"Đã nhập kế hoạch {plan.number}: {len(plan.tasks)} nhiệm vụ, {assignments} lượt giao."]
