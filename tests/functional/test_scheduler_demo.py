"""`flask scheduler run-job` for each job against the demo Sở, with a chosen --now and a real SMTP
server: the expected e-mails go out exactly once."""
from datetime import date

import openpyxl
import pytest
from docx import Document
from sqlalchemy import func, select

from app.models import Assignment, CheckIn, MatrixSnapshot, Notification, OutboxMessage, Task, Unit, User
from app.services.plans.matrices import snapshot_path
from tests import smtp_helpers
from tests.smtp_helpers import body_text

smtp_server = smtp_helpers.smtp_server  # the fixtures, shared
mail_config = smtp_helpers.mail_config


@pytest.fixture()
def demo(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    return runner


def run_job(runner, job_id, now):
    result = runner.invoke(args=["scheduler", "run-job", job_id, "--now", now])
    assert result.exit_code == 0, result.output
    return result.output


def notified_emails(db, kind=None):
    stmt = select(User.email).join(Notification, Notification.user_id == User.id).distinct()
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return sorted(db.session.scalars(stmt))


def count(db, model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_deadline_reminders_e_mailed_exactly_once(db, demo, mail_config, smtp_server):
    output = run_job(demo, "deadline_reminders", "2025-12-24T07:00")
    assert "deadline_reminders (24/12/2025 07:00)" in output
    reminders = count(db, Notification)
    assert reminders > 0
    # every open assignment due 31/12/2025 (7 days ahead) of the Trần Phú school reaches its head
    head = db.session.scalar(select(User).where(User.username == "thpt.tranphu.hieutruong"))
    due = db.session.scalars(select(Assignment.id).join(Unit).where(
        Unit.code == "THPT-001", Assignment.due_date == date(2025, 12, 31),
        Assignment.status.in_(["not_started", "in_progress"]))).all()
    assert due
    keys = set(db.session.scalars(select(Notification.key).where(Notification.user_id == head.id)))
    assert {f"reminder:u{head.id}:a{a}:2025-12-31:d7" for a in due} <= keys

    run_job(demo, "send_mail", "2025-12-24T07:01")
    expected = notified_emails(db)
    received = smtp_server.wait_for(len(expected))
    assert sorted(smtp_server.recipients()) == expected  # one digest per person
    mine = next(m for m in received if m["To"] == head.email)
    assert f"{len(keys)} thông báo mới" in str(mine["Subject"]) or len(keys) == 1
    assert "còn 7 ngày" in body_text(mine) and "/assignments/" in body_text(mine)

    # a re-run (restart, second scheduler, operator) adds nothing and sends nothing
    run_job(demo, "deadline_reminders", "2025-12-24T07:00")
    run_job(demo, "deadline_reminders", "2025-12-24T15:00")
    run_job(demo, "send_mail", "2025-12-24T15:01")
    assert count(db, Notification) == reminders
    assert len(smtp_server.wait_for(len(expected) + 1, timeout=0.5)) == len(expected)
    assert count(db, OutboxMessage) == len(expected)


def test_reminder_on_tet_goes_out_the_working_day_before(db, demo, mail_config, smtp_server):
    head = db.session.scalar(select(User).where(User.username == "thpt.tranphu.hieutruong"))
    assignment = db.session.scalar(select(Assignment).join(Unit).where(
        Unit.code == "THPT-001", Assignment.status == "not_started").order_by(Assignment.id))
    assignment.due_date = date(2026, 2, 17)  # mùng 1 Tết Bính Ngọ
    db.session.commit()
    for day in ("2026-02-14", "2026-02-16", "2026-02-17"):  # weekend and Tết: nothing goes out
        run_job(demo, "deadline_reminders", f"{day}T07:00")
        assert (
            db.session.scalar(select(Notification).where(Notification.assignment_id == assignment.id)) is None
        )
    run_job(demo, "deadline_reminders", "2026-02-13T07:00")  # Friday before the break
    keys = set(
        db.session.scalars(select(Notification.key).where(Notification.assignment_id == assignment.id))
    )
    assert keys == {f"reminder:u{head.id}:a{assignment.id}:2026-02-17:d0"}
    run_job(demo, "send_mail", "2026-02-13T07:01")
    mine = [m for m in smtp_server.wait_for(1) if m["To"] == head.email]
    assert len(mine) == 1 and "Hạn: 17/02/2026" in body_text(mine[0])


def test_overdue_followup_digests_escalation_and_weekly_once(db, demo, mail_config, smtp_server):
    seeded = db.session.scalar(select(func.max(Notification.id))) or 0  # whatever the demo created
    run_job(demo, "overdue_followup", "2025-12-22T07:30")  # a Monday
    notes = db.session.scalars(select(Notification).where(Notification.id > seeded)).all()
    kinds = {n.kind for n in notes}
    assert kinds == {"overdue_digest", "overdue_escalation", "weekly_digest"}
    directors = set(db.session.scalars(select(User.id).where(User.role == "director")))
    office = set(db.session.scalars(select(User.id).where(User.role == "office")))
    assert {n.user_id for n in notes if n.kind == "weekly_digest"} == directors
    assert {n.user_id for n in notes if n.kind == "overdue_escalation"} == directors | office
    # unit digests go to unit heads, one per unit and day
    digest_users = {n.user_id for n in notes if n.kind == "overdue_digest"}
    roles = set(db.session.scalars(select(User.role).where(User.id.in_(digest_users))))
    assert "unit_head" in roles and roles <= {"unit_head", "unit_staff"}  # heads and focal persons

    run_job(demo, "send_mail", "2025-12-22T07:31")
    expected = notified_emails(db)
    received = smtp_server.wait_for(len(expected))
    assert sorted(smtp_server.recipients()) == expected
    to_director = next(m for m in received if m["To"] == "giamdoc@demo.tdnv.vn")
    text = body_text(to_director)
    assert "Hoàn thành đúng hạn" in text and "Chưa hoàn thành, quá hạn" in text and "Theo đơn vị" in text

    before = count(db, Notification)
    run_job(demo, "overdue_followup", "2025-12-22T10:00")
    assert count(db, Notification) == before
    # next day: new unit digests, but no second escalation and no second weekly digest
    run_job(demo, "overdue_followup", "2025-12-23T07:30")
    db.session.expire_all()
    new = db.session.scalars(select(Notification).where(Notification.id > max(n.id for n in notes))).all()
    assert new and {n.kind for n in new} == {"overdue_digest"}
    run_job(demo, "send_mail", "2025-12-23T07:31")
    heads = {m["To"] for m in smtp_server.wait_for(len(expected) + 1)[len(expected):]}
    assert "giamdoc@demo.tdnv.vn" not in heads


def test_periodic_checkins_opened_once_and_reminded(db, demo, mail_config, smtp_server):
    run_job(demo, "periodic_checkins", "2025-12-01T06:30")
    december = select(func.count(CheckIn.id)).where(CheckIn.period_key == "2025-12")
    opened = db.session.scalar(december)
    ongoing = db.session.scalar(select(func.count(Assignment.id)).join(Task).where(
        Task.recurrence == "ongoing", Assignment.status.not_in(["done", "not_done"])))
    assert opened == ongoing > 0
    total = count(db, CheckIn)
    run_job(demo, "periodic_checkins", "2025-12-15T06:30")
    assert count(db, CheckIn) == total
    checkin = db.session.scalars(select(CheckIn).where(CheckIn.period_key == "2025-12")).first()
    assert checkin.period_key == "2025-12" and checkin.due_date == date(2025, 12, 31)

    run_job(demo, "deadline_reminders", "2025-12-24T07:00")
    keys = db.session.scalars(select(Notification.key).where(Notification.kind == "checkin_reminder")).all()
    assert keys and all(":c" in k and k.endswith(":2025-12-31:d7") for k in keys)
    run_job(demo, "periodic_checkins", "2026-01-02T06:30")
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.period_key == "2026-01")) == opened


def test_build_matrices_keeps_dated_snapshots(app, db, demo):
    run_job(demo, "build_matrices", "2025-12-24T01:30")
    run_job(demo, "build_matrices", "2025-12-24T02:30")  # same day: replaced, not duplicated
    snapshots = db.session.scalars(select(MatrixSnapshot).order_by(MatrixSnapshot.file_format)).all()
    assert [s.file_format for s in snapshots] == ["docx", "xlsx"]
    assert all(s.filename.endswith(f"20251224.{s.file_format}") for s in snapshots)
    docx_path = snapshot_path(app.config["UPLOAD_FOLDER"], snapshots[0])
    xlsx_path = snapshot_path(app.config["UPLOAD_FOLDER"], snapshots[1])
    table = Document(str(docx_path)).tables[0]
    assert len(table.columns) <= 63
    sheet = openpyxl.load_workbook(xlsx_path)["Ma trận"]
    values = {
        sheet.cell(r, c).value for r in range(5, sheet.max_row + 1) for c in range(4, sheet.max_column + 1)
    }
    assert {"C", "P"} <= values
    run_job(demo, "build_matrices", "2025-12-25T01:30")
    assert count(db, MatrixSnapshot) == 4
