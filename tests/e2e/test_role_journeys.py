"""Browser journeys of each role's home and one action from its lists; plan edit and withdraw; the
bulk assignment with a type-ahead pick among 1.700 units; an @mention picked from the autocomplete."""
import re
from datetime import date

from sqlalchemy import func, insert, select

from app.extensions import db
from app.models import Assignment, ExtensionRequest, Plan, Unit
from app.parsing.text import fold
from app.services.work import deadline_extensions
from tests.e2e.conftest import browser_login
from tests.workflow_helpers import build_world

PASSWORD = "secret-pass-1"


def _as(browser, base_url, username):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    browser_login(page, base_url, username, PASSWORD)
    return context, page


def _flashed(page, text: str) -> None:
    page.locator(".alert", has_text=text).first.wait_for()


def _status(assignment_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Assignment, assignment_id).status


def test_staff_asks_the_head_who_submits_and_the_lead_signs_off_from_their_homes(browser, live_server, db):
    world = build_world()
    world.coop.status, world.coop.progress = "in_progress", 100
    db.session.commit()
    staff, page = _as(browser, live_server, "tranphu.canbo")
    page.get_by_role("link", name=re.compile("Triển khai chữ ký số")).first.click()
    page.get_by_role("button", name="Đề nghị thủ trưởng trình").click()
    page.locator("[data-waiting-head]", has_text="Đang chờ thủ trưởng đơn vị trình xác nhận").wait_for()
    staff.close()

    head, page = _as(browser, live_server, "tranphu.hieutruong")
    ready = page.locator(".todo-ready")
    assert ready.locator(".badge").inner_text() == "1"
    ready.get_by_role("link", name=re.compile("Triển khai chữ ký số")).click()
    page.get_by_role("button", name="Trình xác nhận hoàn thành").click()
    _flashed(page, "Đã trình xác nhận hoàn thành.")
    head.close()
    assert _status(world.coop.id) == "submitted"

    lead, page = _as(browser, live_server, "qlcl.truongphong")
    waiting = page.locator(".todo-sign_off")
    waiting.get_by_role("link", name=re.compile("Triển khai chữ ký số")).click()
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    _flashed(page, "Đã xác nhận hoàn thành.")
    lead.close()
    assert _status(world.coop.id) == "done"


def test_office_decides_an_extension_from_its_home(page, live_server, db):
    world = build_world()
    deadline_extensions.request_extension(world.users["coop_head"], world.coop, reason="Chờ thiết bị",
                                          requested_due_date=date(2099, 6, 30), today=date(2026, 1, 5))
    db.session.commit()
    browser_login(page, live_server, "vanphong", PASSWORD)
    box = page.locator(".todo-extensions")
    assert box.locator(".badge").inner_text() == "1"
    box.get_by_role("link", name=re.compile("Trường THPT chuyên Trần Phú")).click()
    page.get_by_role("button", name="Đồng ý gia hạn").click()
    _flashed(page, "gia hạn")
    db.session.expire_all()
    assert db.session.scalar(select(ExtensionRequest.status)) == "approved"
    assert db.session.get(Assignment, world.coop.id).due_date == date(2099, 6, 30)


def test_office_edits_then_withdraws_a_plan(page, live_server, db):
    world = build_world()
    browser_login(page, live_server, "vanphong", PASSWORD)
    page.goto(f"{live_server}/plans/{world.plan.id}")
    page.get_by_role("link", name="Sửa thông tin").click()
    page.get_by_label("Số hiệu").fill("1296/KH-SGDĐT")
    page.get_by_role("button", name="Lưu thông tin kế hoạch").click()
    _flashed(page, "Đã lưu thông tin kế hoạch.")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Lý do thu hồi").fill("Ban hành nhầm phụ lục")
    page.get_by_role("button", name="Thu hồi kế hoạch").click()
    _flashed(page, "Đã thu hồi kế hoạch và thông báo cho")
    db.session.expire_all()
    plan = db.session.get(Plan, world.plan.id)
    assert plan.number == "1296/KH-SGDĐT" and plan.status != "active"


def _province_schools(count: int = 1700) -> None:
    """1.700 schools in one executemany (the factories would take seconds)."""
    rows = []
    for n in range(count):
        name, code = f"Trường THPT Số {n}", f"TH{n:04d}"
        rows.append({"kind": "school", "code": code, "name": name, "is_active": True,
                     "search_text": fold(f"{name} {code}")})
    db.session.execute(insert(Unit), rows)
    db.session.commit()


def test_office_picks_units_by_type_ahead_among_1700_and_assigns_in_bulk(page, live_server, db):
    world = build_world()
    _province_schools()
    assert db.session.scalar(select(func.count(Unit.id))) > 1700
    browser_login(page, live_server, "vanphong", PASSWORD)
    page.goto(f"{live_server}/plans/{world.plan.id}")
    page.locator("table [data-bulk-all]").check()
    picker = page.get_by_label("Đơn vị (gõ tên để tìm, chọn được nhiều)")
    for wanted in ("Trường THPT Số 1234", "Phòng Giáo dục phổ thông"):
        picker.fill(wanted.split()[-1].lower())
        page.locator("#assign-units-options option").first.wait_for(state="attached")
        picker.fill(wanted)
        page.locator("[data-picker-chosen] li", has_text=wanted).wait_for()
    page.get_by_role("button", name="Giao cho các đơn vị đã chọn…").click()
    # 2 tasks × 2 units, less the task the GDPT division already has
    page.locator("[data-assign-summary]", has_text="3 lượt giao sẽ được tạo").wait_for()
    page.get_by_role("button", name="Tạo 3 lượt giao").click()
    _flashed(page, "Đã tạo 3 lượt giao cho các đơn vị đã chọn.")
    school = db.session.scalar(select(Unit.id).where(Unit.code == "TH1234"))
    assert db.session.scalar(select(func.count(Assignment.id)).where(Assignment.unit_id == school)) == 2


def test_a_mention_is_picked_from_the_autocomplete_and_the_author_sees_who_was_told(page, live_server, db):
    world = build_world()
    browser_login(page, live_server, "qlcl.truongphong", PASSWORD)
    page.goto(f"{live_server}/tasks/{world.task.id}")
    box = page.get_by_label("Ý kiến", exact=True)
    box.fill("Đề nghị @tra")
    box.press("n")  # a real key stroke, as a person types
    page.locator("[data-mention-list] [data-mention]", has_text="Trần Phú").first.click()
    assert box.input_value() == "Đề nghị @THPT_chuyên_Trần_Phú "
    box.press("End")
    box.type("bổ sung số liệu")
    page.get_by_role("button", name="Gửi ý kiến").click()
    _flashed(page, "Đã báo cho: THPT chuyên Trần Phú")
    assert "Đã báo cho: THPT chuyên Trần Phú" in page.locator("[data-notified]").inner_text()
