"""A small Sở for the workflow tests: a lead phòng, a cooperating school, an unrelated phòng."""
from dataclasses import dataclass, field
from datetime import date

from app.extensions import db
from app.models import Assignment, Plan, Task, Unit, User
from tests.conftest import CSRF_RE
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    SchoolFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)

DUE = date(2026, 3, 31)
ROLES = ["admin", "office", "director", "lead_head", "lead_staff", "coop_head", "coop_staff",
         "other_head", "other_staff"]


@dataclass
class World:
    plan: Plan
    task: Task
    lead: Assignment
    coop: Assignment
    lead_unit: Unit
    coop_unit: Unit
    other_unit: Unit
    users: dict[str, User] = field(default_factory=dict)
    other_task: Task | None = None
    other: Assignment | None = None


def build_world() -> World:
    root = UnitFactory(kind="so", code="SGDDT", name="Sở Giáo dục và Đào tạo", short_name="Sở GDĐT")
    office_unit = UnitFactory(kind="office", code="VP", name="Văn phòng Sở", short_name="Văn phòng")
    lead_unit = UnitFactory(code="QLCL", name="Phòng Quản lý chất lượng", short_name="Phòng QLCL")
    coop_unit = SchoolFactory(
        code="THPT-001", name="Trường THPT chuyên Trần Phú", short_name="THPT chuyên Trần Phú"
    )
    other_unit = UnitFactory(code="GDPT", name="Phòng Giáo dục phổ thông", short_name="Phòng GDPT")
    users = {
        "admin": UserFactory(username="admin", role="admin", unit=root),
        "office": UserFactory(username="vanphong", role="office", unit=office_unit),
        "director": UserFactory(username="giamdoc", role="director", unit=root),
        "lead_head": UserFactory(username="qlcl.truongphong", role="unit_head", unit=lead_unit),
        "lead_staff": UserFactory(username="qlcl.chuyenvien", role="unit_staff", unit=lead_unit),
        "coop_head": UserFactory(username="tranphu.hieutruong", role="unit_head", unit=coop_unit),
        "coop_staff": UserFactory(username="tranphu.canbo", role="unit_staff", unit=coop_unit),
        "other_head": UserFactory(username="gdpt.truongphong", role="unit_head", unit=other_unit),
        "other_staff": UserFactory(username="gdpt.chuyenvien", role="unit_staff", unit=other_unit),
    }
    plan = PlanFactory(number="1295/KH-SGDĐT", title="Kế hoạch chuyển đổi số năm học 2025-2026")
    task = TaskFactory(plan=plan, ref="7", group_name="Chuyển đổi số", due_date=DUE, time_text="Quý I/2026",
                       content="Triển khai chữ ký số cho cán bộ quản lý các đơn vị",
                       product="Tỷ lệ đơn vị sử dụng chữ ký số ≥98,5%",
                       targets=[{"op": ">=", "value": 98.5, "max": None, "unit": "%"}])
    lead = AssignmentFactory(task=task, unit=lead_unit, role="lead", due_date=DUE, original_due_date=DUE)
    coop = AssignmentFactory(
        task=task, unit=coop_unit, role="cooperating", due_date=DUE, original_due_date=DUE
    )
    other_task = TaskFactory(plan=plan, ref="8", content="Đào tạo kỹ năng số cho giáo viên", due_date=DUE)
    other = AssignmentFactory(
        task=other_task, unit=other_unit, role="lead", due_date=DUE, original_due_date=DUE
    )
    db.session.commit()
    return World(plan=plan, task=task, lead=lead, coop=coop, lead_unit=lead_unit, coop_unit=coop_unit,
                 other_unit=other_unit, users=users, other_task=other_task, other=other)


def token_from(client, url: str) -> str:
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def any_token(client) -> str:
    """A valid CSRF token of the session, from a page every signed-in user can open."""
    return token_from(client, "/notifications")


# Minimal real files, identified by their magic bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def docx_bytes() -> bytes:
    import io

    from docx import Document

    buffer = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Báo cáo kết quả triển khai chữ ký số")
    doc.save(buffer)
    return buffer.getvalue()
