"""A unit reports one period of an ongoing task (its check-in) from the assignment page."""
import io
from datetime import date

import pytest
from sqlalchemy import select

from app.models import AuditLog, CheckIn, EvidenceFile
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, AssignmentFactory, TaskFactory, UnitFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture()
def period(db):
    unit = UnitFactory(name="Trường THPT Thái Phiên")
    task = TaskFactory(content="Quản trị nhà trường số", recurrence="ongoing", time_text="Thường xuyên")
    assignment = AssignmentFactory(task=task, unit=unit, role="cooperating", due_date=None)
    checkin = CheckIn(assignment=assignment, period_key="2025-11", period_start=date(2025, 11, 1),
                      due_date=date(2025, 11, 30))
    db.session.add(checkin)
    db.session.commit()
    return unit, assignment, checkin


def _post(client, checkin, **fields):
    token = csrf_token(client, f"/assignments/{checkin.assignment_id}")
    data = {"csrf_token": token, "version": str(checkin.version), "status": "done", "progress": "100",
            "note": "Đã cập nhật hồ sơ số của 100% giáo viên", **fields}
    return client.post(f"/checkins/{checkin.id}/report", data=data, content_type="multipart/form-data",
                       follow_redirects=True)


def test_staff_reports_a_period_with_evidence(client, period, db):
    unit, assignment, checkin = period
    staff = UserFactory(role="unit_staff", unit=unit)
    login(client, staff.username, PASSWORD)
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "Báo cáo định kỳ" in page and "01/11/2025 – 30/11/2025" in page
    done = _post(client, checkin, files=[(io.BytesIO(PDF), "ho-so-so.pdf")])
    assert "Đã ghi báo cáo kỳ 2025-11." in done.get_data(as_text=True)
    db.session.refresh(checkin)
    assert checkin.status == "done" and checkin.completed_at is not None and checkin.progress == 100
    stored = db.session.scalar(select(EvidenceFile))
    assert stored.checkin_id == checkin.id and stored.original_name == "ho-so-so.pdf"
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "checkin_reported"))
    again = _post(client, checkin)
    assert "đã hoàn thành" in again.get_data(as_text=True)


def test_stale_or_forged_period_reports_change_nothing(client, period, db):
    unit, assignment, checkin = period
    other = UserFactory(role="unit_head", unit=UnitFactory())
    login(client, other.username, PASSWORD)
    token = csrf_token(client, "/")
    forged = client.post(f"/checkins/{checkin.id}/report", data={
        "csrf_token": token, "version": "1", "status": "done", "progress": "100", "note": "x"})
    assert forged.status_code == 403
    client.post("/auth/logout", data={"csrf_token": token})
    login(client, UserFactory(role="unit_head", unit=unit).username, PASSWORD)
    stale = _post(client, checkin, version="99")
    assert "người khác cập nhật" in stale.get_data(as_text=True)
    empty = _post(client, checkin, note="")
    assert "ghi kết quả" in empty.get_data(as_text=True)
    db.session.refresh(checkin)
    assert checkin.status == "not_started"


def test_period_report_through_the_api(client, period, db):
    from tests.functional.test_api_read import bearer

    unit, assignment, checkin = period
    headers = bearer(UserFactory(role="unit_staff", unit=unit))
    detail = client.get(f"/api/v1/assignments/{assignment.id}", headers=headers).get_json()
    assert detail["checkins"][0]["period"] == "2025-11" and detail["checkins"][0]["overdue"] is True
    done = client.post(f"/api/v1/checkins/{checkin.id}/report", headers=headers,
                       json={"status": "done", "progress": 100, "note": "Đã báo cáo",
                             "expected_version": detail["checkins"][0]["version"]})
    assert done.status_code == 200 and done.get_json()["status"] == "done"
    stale = client.post(f"/api/v1/checkins/{checkin.id}/report", headers=headers,
                        json={"status": "done", "note": "lại", "expected_version": 1})
    assert stale.status_code == 409
    other = bearer(UserFactory(role="unit_staff", unit=UnitFactory()))
    assert client.post(f"/api/v1/checkins/{checkin.id}/report", headers=other,
                       json={"status": "done", "note": "x", "expected_version": 2}).status_code == 403
