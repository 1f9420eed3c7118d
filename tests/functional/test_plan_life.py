"""A plan's life after import: edit its details, withdraw it, delete one imported by mistake, its log."""
import pytest
from sqlalchemy import func, select

from app.models import Assignment, AuditLog, Notification, Plan, Task
from app.models.plans import PLAN_WITHDRAWN, TASK_CANCELLED
from app.services.work import workflow
from tests.conftest import login
from tests.factories import PASSWORD
from tests.workflow_helpers import build_world, token_from


@pytest.fixture()
def world(db):
    return build_world()


def _post(client, url: str, page: str, data: dict | None = None, token: bool = True):
    payload = dict(data or {})
    if token:
        payload["csrf_token"] = token_from(client, page)
    return client.post(url, data=payload)


def test_office_edits_the_plan_details_and_the_log_shows_old_and_new(client, db, world):
    login(client, "vanphong", PASSWORD)
    plan_id = world.plan.id
    response = _post(client, f"/plans/{plan_id}/edit", f"/plans/{plan_id}/edit",
                     {"number": "1300/KH-SGDĐT", "issued_on": "05/09/2025", "title": "Kế hoạch đã sửa",
                      "issuer": "Sở GDĐT Hải Phòng", "school_year": "2025-2026"})
    assert response.status_code == 302
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    assert (plan.number, plan.title, plan.issued_on.isoformat()) == (
        "1300/KH-SGDĐT",
        "Kế hoạch đã sửa",
        "2025-09-05",
    )
    log = client.get(f"/plans/{plan_id}/activity").get_data(as_text=True)
    assert "Sửa thông tin kế hoạch" in log and "“1295/KH-SGDĐT” → “1300/KH-SGDĐT”" in log
    assert "“” → “05/09/2025”" in log
    # the whole log as .xlsx: the same entries as the page, newest first, the changes on one line
    from tests.functional.test_export_streams import _get, _xlsx_rows

    sheet = _xlsx_rows(_get(client, f"/plans/{plan_id}/activity.xlsx"))
    assert sheet[0] == ("Thời điểm", "Người thực hiện", "Việc", "Chi tiết")
    on_the_page = log.count('<td class="nowrap">')  # one per entry (a single page here)
    assert len(sheet) - 1 == on_the_page > 0
    edited = next(row for row in sheet[1:] if row[2] == "Sửa thông tin kế hoạch")
    assert "“1295/KH-SGDĐT” → “1300/KH-SGDĐT”" in edited[3] and edited[1]
    assert "/activity.xlsx" in log


def test_a_wrong_date_keeps_what_was_typed_and_changes_nothing(client, db, world):
    login(client, "vanphong", PASSWORD)
    plan_id = world.plan.id
    response = _post(client, f"/plans/{plan_id}/edit", f"/plans/{plan_id}/edit",
                     {"number": "9/KH", "issued_on": "31/02/2025", "title": "Tên mới"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="9/KH"' in page and "Tên mới" in page
    db.session.expire_all()
    assert db.session.get(Plan, plan_id).number == "1295/KH-SGDĐT"


def test_withdraw_cancels_tasks_tells_the_units_and_keeps_everything(client, db, world):
    login(client, "vanphong", PASSWORD)
    plan_id = world.plan.id
    response = _post(client, f"/plans/{plan_id}/withdraw", f"/plans/{plan_id}", {"reason": "Ban hành nhầm"})
    assert response.status_code == 302
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    assert plan.status == PLAN_WITHDRAWN
    assert {t.status for t in plan.tasks} == {TASK_CANCELLED}
    assert db.session.scalar(select(func.count(Assignment.id))) == 3  # kept for audit
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.title.like("Kế hoạch bị thu hồi%"))
        )
    )
    heads = {world.users[r].id for r in ("lead_head", "coop_head", "other_head")}
    assert told == heads
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "plan_withdrawn"))
    assert entry.details["reason"] == "Ban hành nhầm"
    assert sorted(entry.details["cancelled_task_ids"]) == sorted(t.id for t in plan.tasks)
    # withdrawn plans leave the directors' figures
    assert "Đã thu hồi" in client.get(f"/plans/{plan_id}").get_data(as_text=True)
    again = _post(client, f"/plans/{plan_id}/withdraw", f"/plans/{plan_id}", {"reason": "lần hai"})
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "plan_withdrawn")) == 1


def test_withdraw_needs_a_reason(client, db, world):
    login(client, "vanphong", PASSWORD)
    plan_id = world.plan.id
    page = client.get(f"/plans/{plan_id}")
    assert page.status_code == 200
    response = _post(client, f"/plans/{plan_id}/withdraw", f"/plans/{plan_id}", {"reason": "  "})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Plan, plan_id).status == "active"


def test_a_plan_nobody_reported_on_can_be_deleted(client, db, world):
    login(client, "vanphong", PASSWORD)
    plan_id = world.plan.id
    assert "Xoá kế hoạch nhập nhầm" in client.get(f"/plans/{plan_id}").get_data(as_text=True)
    response = _post(client, f"/plans/{plan_id}/delete", f"/plans/{plan_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/plans/")
    db.session.expire_all()
    assert db.session.get(Plan, plan_id) is None
    assert db.session.scalar(select(func.count(Task.id))) == 0
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "plan_deleted"))
    assert entry.object_id == plan_id and entry.details["number"] == "1295/KH-SGDĐT"


def test_a_plan_with_a_report_is_never_deleted(client, db, world):
    workflow.record_update(world.users["lead_head"], world.lead, expected_version=world.lead.version,
                           status="in_progress", progress=30, note="Đã triển khai")
    db.session.commit()
    login(client, "vanphong", PASSWORD)
    plan_id = world.plan.id
    assert "Xoá kế hoạch nhập nhầm" not in client.get(f"/plans/{plan_id}").get_data(as_text=True)
    token = token_from(client, f"/plans/{plan_id}/edit")
    response = client.post(f"/plans/{plan_id}/delete", data={"csrf_token": token}, follow_redirects=True)
    assert "không thể xoá, hãy thu hồi kế hoạch" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Plan, plan_id) is not None


@pytest.mark.parametrize("role", ["admin", "director", "lead_head", "lead_staff", "coop_head"])
def test_only_the_office_changes_a_plan(client, db, world, role):
    login(client, world.users[role].username, PASSWORD)
    plan_id = world.plan.id
    token = token_from(client, "/notifications")
    for url, data in (
        (f"/plans/{plan_id}/edit", {"title": "x"}),
        (f"/plans/{plan_id}/withdraw", {"reason": "x"}),
        (f"/plans/{plan_id}/delete", {}),
    ):
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403
    assert client.get(f"/plans/{plan_id}/edit").status_code == 403
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    assert (plan.status, plan.title) == ("active", "Kế hoạch chuyển đổi số năm học 2025-2026")


@pytest.mark.parametrize(
    ("username", "status"), [("giamdoc", 200), ("vanphong", 200), ("qlcl.truongphong", 403)]
)
def test_directors_and_the_office_read_the_log_units_do_not(client, db, world, username, status):
    login(client, username, PASSWORD)
    assert client.get(f"/plans/{world.plan.id}/activity").status_code == status
    assert client.get(f"/plans/{world.plan.id}/activity.xlsx").status_code == status


def test_forged_request_without_csrf_changes_nothing(client, db, world):
    login(client, "vanphong", PASSWORD)
    plan_id = world.plan.id
    assert client.post(f"/plans/{plan_id}/delete").status_code == 400
    assert client.post(f"/plans/{plan_id}/withdraw", data={"reason": "x"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Plan, plan_id).status == "active"
