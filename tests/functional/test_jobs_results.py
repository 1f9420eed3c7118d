"""What the jobs write, word for word: the column queries give the same alerts the ORM version gave
(this test passes on both; bench/bench_jobs.py --fingerprint compares them on the province)."""
from datetime import date, timedelta

from sqlalchemy import select

from app.jobs.scheduler import execute
from app.models import CheckIn, Notification
from tests.factories import (
    AssignmentFactory,
    PlanFactory,
    SchoolFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)
from tests.functional.test_jobs_scale import NOW, TODAY


def _notes(kind: str) -> list[Notification]:
    from app.extensions import db

    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)
                                   .order_by(Notification.key)))


def test_reminders_digests_and_escalations_say_what_they_said(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER_WEEKLY_DIGEST_WEEKDAY", 6)
    office_unit = UnitFactory(kind="office")
    office = UserFactory(role="office", unit=office_unit)
    plan = PlanFactory(number="12/KH-SGDĐT", title="Kế hoạch chuyển đổi số")
    late = TaskFactory(plan=plan, ref="2", content="Cập nhật  dữ liệu\nngành",
                       due_date=TODAY - timedelta(days=4))
    soon = TaskFactory(plan=plan, ref="3", content="Báo cáo sơ kết", due_date=TODAY + timedelta(days=1))
    monthly = TaskFactory(plan=plan, ref="4", content="Báo cáo tháng", recurrence="monthly",
                          due_date=date(2027, 5, 31))
    school = SchoolFactory(name="Trường THPT Trần Phú")
    head = UserFactory(role="unit_head", unit=school)
    focal = UserFactory(role="unit_staff", unit=school)
    UserFactory(role="unit_head", unit=school, is_active_account=False)  # hears nothing
    overdue = AssignmentFactory(task=late, unit=school, role="cooperating", due_date=late.due_date,
                                focal_user=focal)
    due = AssignmentFactory(task=soon, unit=school, role="lead", due_date=soon.due_date, progress=40,
                            status="in_progress")
    periodic = AssignmentFactory(task=monthly, unit=school, role="cooperating", due_date=monthly.due_date)
    db.session.commit()
    for job in ("periodic_checkins", "deadline_reminders", "overdue_followup"):
        execute(app, job, NOW, raise_errors=True)

    checkin = db.session.scalar(select(CheckIn))
    assert (checkin.assignment_id, checkin.period_key, checkin.period_start, checkin.due_date) == (
        periodic.id, "2026-12", date(2026, 12, 1), date(2026, 12, 31))

    [reminder] = _notes("deadline_reminder")
    assert (reminder.user_id, reminder.key, reminder.link, reminder.assignment_id) == (
        head.id, f"reminder:u{head.id}:a{due.id}:2026-12-03:d1", f"/assignments/{due.id}", due.id)
    assert reminder.title == "Nhắc hạn (còn 1 ngày (hạn ngày mai)): Nhiệm vụ 3: Báo cáo sơ kết"
    assert reminder.body == (
        "Nhiệm vụ 3: Báo cáo sơ kết\nKế hoạch: 12/KH-SGDĐT – Kế hoạch chuyển đổi số\n"
        "Đơn vị: Trường THPT Trần Phú (Chủ trì)\nHạn: 03/12/2026 – còn 1 ngày (hạn ngày mai)\n"
        "Trạng thái: Đang thực hiện, tiến độ 40%")

    digests = _notes("overdue_digest")
    assert [(n.user_id, n.key) for n in digests] == sorted(
        [(u.id, f"overdue:u{u.id}:unit{school.id}:2026-12-02") for u in (head, focal)], key=lambda p: p[1])
    assert {n.title for n in digests} == {"Trường THPT Trần Phú: 1 việc quá hạn"}
    assert {n.body for n in digests} == {
        "Ngày 02/12/2026, Trường THPT Trần Phú có 1 việc quá hạn:\n"
        "- Nhiệm vụ 2: Cập nhật dữ liệu ngành (hạn 28/11/2026, quá 4 ngày)"}

    [escalation] = _notes("overdue_escalation")
    assert (escalation.user_id, escalation.key, escalation.assignment_id, escalation.link) == (
        office.id, f"escalation:u{office.id}:t{late.id}:2026-11-28", overdue.id, f"/assignments/{overdue.id}")
    assert escalation.title == ("Quá hạn từ 3 ngày (hạn 28/11/2026): Nhiệm vụ 2: Cập nhật dữ liệu ngành – "
                                "1 đơn vị")
    assert escalation.body == (
        "Nhiệm vụ 2: Cập nhật dữ liệu ngành\nKế hoạch: 12/KH-SGDĐT – Kế hoạch chuyển đổi số\n"
        "Các đơn vị chưa hoàn thành (1):\n- Trường THPT Trần Phú (quá 4 ngày, chưa bắt đầu)")
