"""Browser journeys of the bulk actions: the office signs off chosen rows of a filtered list, then
chases the overdue ones; the filter stays in the URL and a second chase the same day is refused."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, AssignmentUpdate, Notification
from tests.e2e.conftest import browser_login
from tests.workflow_helpers import build_world

PASSWORD = "secret-pass-1"


def _reload(assignment_id: int) -> Assignment:
    db.session.expire_all()
    return db.session.get(Assignment, assignment_id)


def test_office_signs_off_in_bulk_from_the_filtered_list(page, live_server, db):
    world = build_world()
    for a in (world.lead, world.coop):
        a.status, a.progress = "submitted", 100
    db.session.commit()
    browser_login(page, live_server, "vanphong", PASSWORD)
    page.goto(f"{live_server}/work?status=submitted")
    page.locator("table [data-bulk-all]").check()
    assert "Đã chọn 2 dòng" in page.locator("[data-bulk-count]").inner_text()
    page.get_by_label("Thao tác với các dòng đã chọn").select_option("sign_off")
    page.get_by_role("button", name="Tiếp tục với các dòng đã chọn").click()
    page.wait_for_load_state()
    assert "2 dòng sẽ thay đổi" in page.locator("[data-bulk-summary]").inner_text()
    page.get_by_label("Ý kiến (gửi kèm)").fill("Đạt yêu cầu")
    page.get_by_role("button", name=re.compile("Xác nhận hoàn thành 2 dòng")).click()
    page.wait_for_load_state()
    assert "status=submitted" in page.url
    assert "Xác nhận hoàn thành: đã thực hiện cho 2 dòng." in page.inner_text("main")
    assert _reload(world.lead.id).status == "done" and _reload(world.coop.id).status == "done"


def test_office_chases_the_overdue_list_once_a_day(page, live_server, db):
    build_world()  # every deadline is 31/03/2026: overdue today
    browser_login(page, live_server, "vanphong", PASSWORD)
    page.goto(f"{live_server}/work?overdue=y")
    page.locator("table [data-bulk-all]").check()
    page.get_by_label("Thao tác với các dòng đã chọn").select_option("chase")
    page.get_by_role("button", name="Tiếp tục với các dòng đã chọn").click()
    page.wait_for_load_state()
    assert "3 dòng sẽ thay đổi" in page.locator("[data-bulk-summary]").inner_text()
    page.get_by_label("Ý kiến (gửi kèm)").fill("Đề nghị cập nhật kết quả trước thứ Sáu")
    page.get_by_role("button", name=re.compile("Đôn đốc 3 dòng")).click()
    page.wait_for_load_state()
    assert "overdue=y" in page.url and "Đôn đốc: đã thực hiện cho 3 dòng." in page.inner_text("main")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AssignmentUpdate)
                             .where(AssignmentUpdate.kind == "chase")) == 3
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.kind == "chase")) > 0

    # the same rows again: every one is skipped, already chased today
    page.locator("table [data-bulk-all]").check()
    page.get_by_label("Thao tác với các dòng đã chọn").select_option("chase")
    page.get_by_role("button", name="Tiếp tục với các dòng đã chọn").click()
    page.wait_for_load_state()
    assert "0 dòng sẽ thay đổi" in page.locator("[data-bulk-summary]").inner_text()
    assert "đã được đôn đốc hôm nay" in page.inner_text("main")
