"""Bulk actions and chase: the permission of every role per action, all or nothing, once-a-day chase,
the confirmation page, CSRF, and who hears about an assignment (unit_people)."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Assignment, AssignmentUpdate, Notification
from app.models.notifications import OutboxMessage
from app.services.clock import today_local
from app.services.errors import DomainError, PermissionDenied
from app.services.notify import notifications
from app.services.work import bulk, chase, workflow
from tests.conftest import login
from tests.factories import UserFactory
from tests.workflow_helpers import any_token, build_world

TZ = "Asia/Ho_Chi_Minh"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture()
def world(db):
    return build_world()


def _today() -> date:
    return today_local(TZ)


def _data(**kwargs) -> bulk.BulkInput:
    return bulk.BulkInput(today=kwargs.pop("today", _today()), timezone=TZ, **kwargs)


def _submitted(*assignments) -> None:
    for a in assignments:
        a.status, a.progress = "submitted", 100
    _db.session.commit()


def _rows(world) -> dict[str, Assignment]:
    return {"lead": world.lead, "coop": world.coop, "other": world.other}


def _planned(world, role, action):
    rows = [world.lead, world.coop, world.other]
    result = bulk.plan(world.users[role], action, rows, _data())
    return sorted(name for name, a in _rows(world).items() if a in result.rows)


SIGNERS = {"office": ["coop", "lead", "other"], "director": ["coop", "lead", "other"], "lead_head": ["coop"],
           "lead_staff": [], "coop_head": [], "coop_staff": [], "other_head": [], "other_staff": [],
           "admin": []}


@pytest.mark.parametrize("role", list(SIGNERS))
@pytest.mark.parametrize("action", [bulk.ACTION_SIGN_OFF, bulk.ACTION_RETURN])
def test_sign_off_and_return_rows_per_role(world, role, action):
    _submitted(world.lead, world.coop, world.other)
    assert _planned(world, role, action) == SIGNERS[role]


@pytest.mark.parametrize("role", list(SIGNERS))
def test_chase_rows_per_role(world, role):
    assert _planned(world, role, bulk.ACTION_CHASE) == SIGNERS[role]


@pytest.mark.parametrize("role", list(SIGNERS))
def test_deadline_rows_per_role(world, role):
    expected = ["coop", "lead", "other"] if role == "office" else []
    assert _planned(world, role, bulk.ACTION_DEADLINE) == expected


def test_plan_skips_rows_with_the_reason(world):
    _submitted(world.coop)
    result = bulk.plan(world.users["office"], bulk.ACTION_SIGN_OFF, [world.lead, world.coop], _data())
    assert result.rows == [world.coop]
    assert [(a, reason) for a, reason in result.skipped] == [
        (world.lead, "Không ở trạng thái “Chờ xác nhận” (Chưa bắt đầu).")]


@pytest.mark.parametrize("role", ["office", "director", "lead_head"])
def test_bulk_sign_off_applies_through_the_single_service(world, role):
    _submitted(world.coop)
    count = bulk.apply(world.users[role], bulk.ACTION_SIGN_OFF, {world.coop.id: str(world.coop.version)},
                       _data(note="Đạt yêu cầu"))
    _db.session.commit()
    assert count == 1
    coop = _db.session.get(Assignment, world.coop.id)
    assert coop.status == "done" and coop.updates[0].kind == "signoff"


def test_bulk_is_all_or_nothing_and_names_the_refused_row(world):
    _submitted(world.lead)  # the cooperating school is still in progress: refused
    versions = {world.lead.id: str(world.lead.version), world.coop.id: str(world.coop.version)}
    with pytest.raises(DomainError) as error:
        bulk.apply(world.users["office"], bulk.ACTION_SIGN_OFF, versions, _data())
    _db.session.rollback()
    assert "THPT chuyên Trần Phú" in str(error.value) and "Chưa dòng nào được thay đổi" in str(error.value)
    _db.session.expire_all()
    assert _db.session.get(Assignment, world.lead.id).status == "submitted"
    assert _db.session.scalar(select(func.count()).select_from(AssignmentUpdate)) == 0


@pytest.mark.parametrize("role", ["lead_head", "coop_head", "coop_staff", "other_head", "director"])
def test_bulk_refuses_a_row_the_user_may_not_act_on(world, role):
    _submitted(world.lead, world.coop)
    versions = {world.lead.id: str(world.lead.version), world.coop.id: str(world.coop.version)}
    action = bulk.ACTION_DEADLINE if role == "director" else bulk.ACTION_SIGN_OFF
    with pytest.raises(DomainError) as error:
        bulk.apply(world.users[role], action, versions, _data(due_date=date(2026, 6, 30)))
    _db.session.rollback()
    assert "Chưa dòng nào được thay đổi" in str(error.value)
    _db.session.expire_all()
    assert {a.status for a in _db.session.scalars(select(Assignment))} <= {"submitted", "not_started"}
    assert _db.session.get(Assignment, world.lead.id).due_date == world.lead.original_due_date


def test_bulk_refuses_a_stale_row(world):
    _submitted(world.coop)
    with pytest.raises(DomainError) as error:
        bulk.apply(world.users["office"], bulk.ACTION_SIGN_OFF, {world.coop.id: "999"}, _data())
    _db.session.rollback()
    assert "THPT chuyên Trần Phú" in str(error.value)


def test_bulk_deadline_and_return_need_their_input(world):
    versions = {world.coop.id: str(world.coop.version)}
    with pytest.raises(DomainError, match="thời hạn mới"):
        bulk.apply(world.users["office"], bulk.ACTION_DEADLINE, versions, _data())
    with pytest.raises(DomainError, match="lý do trả lại"):
        bulk.apply(world.users["office"], bulk.ACTION_RETURN, versions, _data())
    count = bulk.apply(world.users["office"], bulk.ACTION_DEADLINE, versions,
                       _data(due_date=date(2026, 6, 30), reason="Theo chỉ đạo"))
    _db.session.commit()
    assert count == 1 and _db.session.get(Assignment, world.coop.id).due_date == date(2026, 6, 30)


# --- chase -------------------------------------------------------------------------------------


def test_chase_notifies_and_mails_the_head_and_focal_person_once_a_day(world):
    focal = world.users["coop_staff"]
    world.coop.focal_user = focal
    _db.session.commit()
    office = world.users["office"]
    chase.chase(office, world.coop, note="Đề nghị cập nhật trước thứ Sáu", today=_today(), timezone=TZ,
                base_url="https://tdnv.example.vn")
    _db.session.commit()
    notes = _db.session.scalars(select(Notification).where(Notification.kind == "chase")).all()
    assert sorted(n.user_id for n in notes) == sorted([world.users["coop_head"].id, focal.id])
    assert all(n.emailed_outbox_id for n in notes)  # the digest will not mail them again
    mails = _db.session.scalars(select(OutboxMessage)).all()
    assert sorted(m.to_address for m in mails) == sorted([world.users["coop_head"].email, focal.email])
    assert "Đề nghị cập nhật trước thứ Sáu" in mails[0].body_text
    assert f"https://tdnv.example.vn/assignments/{world.coop.id}" in mails[0].body_text
    entry = _db.session.scalars(select(AssignmentUpdate).where(AssignmentUpdate.kind == "chase")).one()
    assert entry.note == "Đề nghị cập nhật trước thứ Sáu" and entry.author_id == office.id

    with pytest.raises(DomainError, match="đã được đôn đốc hôm nay"):
        chase.chase(world.users["director"], world.coop, note=None, today=_today(), timezone=TZ)
    _db.session.rollback()
    chase.chase(office, world.coop, note=None, today=_today() + timedelta(days=1), timezone=TZ)
    _db.session.commit()
    assert _db.session.scalar(select(func.count()).select_from(AssignmentUpdate)
                              .where(AssignmentUpdate.kind == "chase")) == 2


@pytest.mark.parametrize("role", ["coop_head", "coop_staff", "lead_staff", "other_head", "admin"])
def test_chase_is_refused_without_the_right(world, role):
    with pytest.raises(PermissionDenied):
        chase.chase(world.users[role], world.coop, note=None, today=_today(), timezone=TZ)


def test_closed_work_is_not_chased(world):
    world.coop.status = "done"
    _db.session.commit()
    with pytest.raises(DomainError, match="đã kết thúc"):
        chase.chase(world.users["office"], world.coop, note=None, today=_today(), timezone=TZ)


# --- who hears about an assignment -------------------------------------------------------------


def test_unit_people_are_the_heads_and_every_staff_member_or_the_default_focal_person(world):
    extra = UserFactory(username="tranphu.vanthu", role="unit_staff", unit=world.coop_unit)
    UserFactory(username="tranphu.nghi", role="unit_staff", unit=world.coop_unit, is_active_account=False)
    _db.session.commit()
    names = sorted(u.username for u in notifications.unit_people(world.coop))
    assert names == ["tranphu.canbo", "tranphu.hieutruong", "tranphu.vanthu"]
    world.coop_unit.default_focal_user_id = extra.id
    _db.session.commit()
    assert sorted(u.username for u in notifications.unit_people(world.coop)) == [
        "tranphu.hieutruong", "tranphu.vanthu"]
    assert extra in chase.chase_recipients(world.coop)


# --- asking the head to submit ------------------------------------------------------------------


def test_staff_at_100_percent_asks_the_head_to_submit(world):
    staff, head = world.users["coop_staff"], world.users["coop_head"]
    world.coop.status, world.coop.progress = "in_progress", 90
    _db.session.commit()
    assert not workflow.may_ask_head(staff, world.coop)
    with pytest.raises(DomainError, match="100%"):
        workflow.ask_head_to_submit(staff, world.coop, expected_version=world.coop.version)
    world.coop.progress = 100
    _db.session.commit()
    assert workflow.may_ask_head(staff, world.coop) and not workflow.may_ask_head(head, world.coop)
    workflow.ask_head_to_submit(staff, world.coop, expected_version=world.coop.version, note="Đã xong")
    _db.session.commit()
    note = _db.session.scalars(select(Notification).where(Notification.kind == "submit_requested")).one()
    assert note.user_id == head.id
    journal = list(_db.session.get(Assignment, world.coop.id).updates)
    assert journal[0].kind == "ask_submit" and workflow.waiting_for_head(journal) is journal[0]
    workflow.submit(head, world.coop, expected_version=world.coop.version)
    _db.session.commit()
    _db.session.expire_all()
    assert workflow.waiting_for_head(list(_db.session.get(Assignment, world.coop.id).updates)) is None


# --- the screens ------------------------------------------------------------------------------


def test_bulk_sign_off_through_the_screens_keeps_the_filter(client, world):
    _submitted(world.lead, world.coop)
    login(client, "qlcl.truongphong")
    page = client.get("/work?q=chu+ky+so").get_data(as_text=True)
    assert 'name="ids"' in page and "Xác nhận hoàn thành" in page
    # the lead head's own list holds its own unit's work; the school's submission is in "Chờ bạn xác nhận"
    assert f'name="ids" value="{world.coop.id}" form="bulk-form"' in page
    token = CSRF_RE.search(page).group(1)
    preview = client.post("/work/bulk", data={
        "csrf_token": token, "action": "sign_off", "back": "q=chu+ky+so",
        "ids": [str(world.lead.id), str(world.coop.id)]})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "<strong>1</strong> dòng sẽ thay đổi" in html and "<strong>1</strong> dòng bị bỏ qua" in html
    assert "Bạn không có quyền với dòng này." in html
    confirm = client.post("/work/bulk/confirm", data={
        "csrf_token": CSRF_RE.search(html).group(1), "action": "sign_off", "back": "q=chu+ky+so",
        "rows": [f"{world.coop.id}:{world.coop.version}"]})
    assert confirm.status_code == 302 and confirm.headers["Location"].endswith("/work?q=chu+ky+so")
    _db.session.expire_all()
    assert _db.session.get(Assignment, world.coop.id).status == "done"
    assert _db.session.get(Assignment, world.lead.id).status == "submitted"


def test_a_forged_row_refuses_the_whole_bulk_action(client, world):
    _submitted(world.lead, world.coop)
    login(client, "qlcl.truongphong")
    response = client.post("/work/bulk/confirm", data={
        "csrf_token": any_token(client), "action": "sign_off",
        "rows": [f"{world.coop.id}:{world.coop.version}", f"{world.lead.id}:{world.lead.version}"]},
        follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Phòng QLCL" in html and "Chưa dòng nào được thay đổi" in html
    _db.session.expire_all()
    assert {a.status for a in _db.session.scalars(select(Assignment).where(
        Assignment.id.in_([world.lead.id, world.coop.id])))} == {"submitted"}


@pytest.mark.parametrize("url", ["/work/bulk", "/work/bulk/confirm", "/assignments/{id}/chase",
                                 "/assignments/{id}/ask-head"])
def test_follow_up_posts_need_the_csrf_token(client, world, url):
    _submitted(world.coop)
    login(client, "vanphong")
    response = client.post(url.format(id=world.coop.id), data={
        "action": "sign_off", "ids": [str(world.coop.id)], "rows": [f"{world.coop.id}:{world.coop.version}"],
        "version": str(world.coop.version)})
    assert response.status_code == 400
    _db.session.expire_all()
    assert _db.session.get(Assignment, world.coop.id).status == "submitted"
    assert _db.session.scalar(select(func.count()).select_from(AssignmentUpdate)) == 0


def test_chase_twice_the_same_day_through_the_screen(client, world):
    login(client, "vanphong")
    url = f"/assignments/{world.coop.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Đôn đốc THPT chuyên Trần Phú" in page
    token = CSRF_RE.search(page).group(1)
    first = client.post(f"{url}/chase", data={"csrf_token": token, "note": "Khẩn"}, follow_redirects=True)
    assert "Đã đôn đốc đơn vị" in first.get_data(as_text=True)
    second = client.post(f"{url}/chase", data={"csrf_token": token}, follow_redirects=True)
    assert "đã được đôn đốc hôm nay" in second.get_data(as_text=True)
    assert _db.session.scalar(select(func.count()).select_from(AssignmentUpdate)
                              .where(AssignmentUpdate.kind == "chase")) == 1


def test_staff_see_no_bulk_bar_and_ask_their_head_at_100_percent(client, world):
    world.coop.status, world.coop.progress = "in_progress", 100
    _db.session.commit()
    login(client, "tranphu.canbo")
    assert 'name="ids"' not in client.get("/work").get_data(as_text=True)
    url = f"/assignments/{world.coop.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Đề nghị thủ trưởng trình" in page and "Đôn đốc" not in page
    data = {"csrf_token": CSRF_RE.search(page).group(1), "version": str(world.coop.version)}
    response = client.post(f"{url}/ask-head", data=data, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Đã đề nghị thủ trưởng đơn vị trình" in html
    assert "Đang chờ thủ trưởng đơn vị trình xác nhận" in html


def test_admin_names_the_default_focal_person_of_a_unit(client, world):
    login(client, "admin")
    url = f"/admin/units/{world.coop_unit.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Cán bộ đầu mối mặc định" in page and "tranphu.canbo" in page
    unit = world.coop_unit
    form = {"csrf_token": CSRF_RE.search(page).group(1), "kind": unit.kind, "code": unit.code,
            "name": unit.name, "short_name": unit.short_name, "email": "", "parent_id": "",
            "aliases": "", "default_focal_user_id": str(world.users["coop_staff"].id)}
    assert client.post(url, data=form).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(type(unit), unit.id).default_focal_user_id == world.users["coop_staff"].id
    form["default_focal_user_id"] = str(world.users["lead_staff"].id)  # another unit's account: refused
    response = client.post(url, data=form, follow_redirects=True)
    assert "tài khoản đang hoạt động của chính đơn vị" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(type(unit), unit.id).default_focal_user_id == world.users["coop_staff"].id


@pytest.mark.parametrize("action", list(bulk.ACTIONS))
def test_the_confirmation_plan_takes_a_constant_number_of_statements(world, action):
    from tests.factories import AssignmentFactory, SchoolFactory
    from tests.query_counter import count_queries

    def statements(extra: int) -> int:
        for _ in range(extra):
            AssignmentFactory(task=world.task, unit=SchoolFactory(), role="cooperating")
        _db.session.commit()
        _db.session.expire_all()
        ids = list(_db.session.scalars(select(Assignment.id)))
        office = _db.session.get(type(world.users["office"]), world.users["office"].id)
        with count_queries() as sent:
            bulk.plan(office, action, bulk.load_rows(ids), _data())
        return len(sent)

    assert statements(2) == statements(20)
