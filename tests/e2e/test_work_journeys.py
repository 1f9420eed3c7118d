"""Browser journeys of the daily work and of a director's morning."""
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, EvidenceFile, Task, Unit
from app.services.demo.demo_plans import seed_plans
from tests.e2e.conftest import browser_login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _demo_plan(users):
    seed_plans(next(u for u in users if u.username == "vanphong"))
    db.session.commit()


def _open_assignment(school_code: str, ref: str) -> Assignment:
    """An untouched cooperating assignment of the school on the task with that number."""
    return db.session.scalar(
        select(Assignment).join(Assignment.task).join(Assignment.unit)
        .where(Unit.code == school_code, Task.ref == ref)
    )


def test_school_updates_with_evidence_submits_and_the_lead_signs_off(browser, live_server, demo_directory,
                                                                     tmp_path):
    _demo_plan(demo_directory)
    assignment = _open_assignment("THPT-001", "22")
    assignment.status, assignment.progress = "not_started", 0
    db.session.commit()
    evidence = tmp_path / "bien-ban-ATTT.pdf"
    evidence.write_bytes(PDF)

    staff = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-US")
    page = staff.new_page()
    browser_login(page, live_server, "thpt.tranphu.canbo")
    page.get_by_role("link", name=re.compile("Thiết lập đầu mối tiếp nhận")).first.click()
    page.get_by_label("Trạng thái").select_option("in_progress")
    page.get_by_label("Tiến độ (%)").fill("100")
    page.get_by_label("Nội dung báo cáo / lý do").fill("Đã cử đầu mối ATTT, có quyết định kèm theo")
    page.set_input_files("input[type=file][name=files]", str(evidence))
    page.get_by_role("button", name="Lưu cập nhật").click()
    page.wait_for_load_state()
    assert "100%" in page.inner_text("main")
    staff.close()

    head = browser.new_context(locale="en-US")
    page = head.new_page()
    browser_login(page, live_server, "thpt.tranphu.hieutruong")
    page.goto(f"{live_server}/assignments/{assignment.id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Trình xác nhận hoàn thành").click()
    page.wait_for_load_state()
    assert "Chờ xác nhận" in page.inner_text("main")
    head.close()

    lead = browser.new_context(locale="en-US")
    page = lead.new_page()
    browser_login(page, live_server, "vanphong")
    page.goto(f"{live_server}/work")
    page.locator("#cho-xac-nhan").wait_for()
    page.goto(f"{live_server}/assignments/{assignment.id}")
    page.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.wait_for_load_state()
    assert "Hoàn thành" in page.inner_text("main")
    lead.close()

    db.session.expire_all()
    done = db.session.get(Assignment, assignment.id)
    assert done.status == "done" and done.completed_at is not None
    assert db.session.scalar(select(EvidenceFile.original_name)) == "bien-ban-ATTT.pdf"


def test_director_opens_dashboard_clicks_through_and_downloads(page, live_server, demo_directory):
    _demo_plan(demo_directory)
    browser_login(page, live_server, "giamdoc")
    page.get_by_role("link", name="Bảng điều hành").click()
    assert "Chưa hoàn thành, quá hạn" in page.inner_text("main")
    overdue_count = page.locator(".card.border-danger .h3 a").first
    count = int(overdue_count.inner_text().replace(".", ""))
    assert count > 0
    overdue_count.click()
    page.wait_for_load_state()
    # the number clicked through to exactly the list behind it
    listing = page.inner_text("main")
    assert "Chưa hoàn thành, quá hạn" in listing
    assert f"{count:,}".replace(",", ".") + " dòng" in listing
    page.locator("#mainNav").get_by_role("link", name="Bảng điều hành").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải danh sách quá hạn (.docx)").click()
    path = download.value.path()
    from docx import Document

    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text + "\n".join(
        c.text for t in Document(path).tables for r in t.rows for c in r.cells)
