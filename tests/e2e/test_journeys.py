"""Journeys a real user takes: log in, import a plan through the preview, see one's own work."""
import re
from pathlib import Path

from sqlalchemy import func, select

from app.models import Assignment, Plan, Task, Unit, UnitAlias
from tests.conftest import DATA_DIR
from tests.e2e.conftest import browser_login

FIXTURE = DATA_DIR / "haiphong_phuluc_2025-2026.docx"


def test_director_logs_in_and_sees_vietnamese_home(page, live_server, demo_directory):
    browser_login(page, live_server, "giamdoc")
    # a director lands on the dashboard, never on an empty unit page
    assert page.locator("h1").inner_text() == "Bảng điều hành · Toàn Sở"
    assert "Bảng điều hành" in page.inner_text("nav")
    page.get_by_role("button", name="Nguyễn Văn Hải").or_(
        page.get_by_role("link", name="Nguyễn Văn Hải")
    ).click()
    assert "Lãnh đạo Sở" in page.inner_text("nav")
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    assert "Chưa có kế hoạch nào." in page.inner_text("main")


def test_wrong_password_shows_message(page, live_server, demo_directory):
    browser_login(page, live_server, "giamdoc", "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page.inner_text("main")


def test_office_imports_a_plan_through_the_preview(page, live_server, demo_directory, db):
    browser_login(page, live_server, "vanphong")
    assert "Việc cần làm của Văn phòng Sở" in page.inner_text("main")
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    page.set_input_files("input[type=file]", str(FIXTURE))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.wait_for_url("**/plans/import/**")
    body = page.inner_text("main")
    assert "25 nhiệm vụ" in body
    assert "25/12/2026" in body  # row 13's contradicting deadline is highlighted
    assert "01/10/2025 → 31/12/2025" in body  # Quý IV/2025 shown as dd/mm/yyyy
    # the office picks the pilot school for that task on the spot (a type-ahead), never an alias
    page.get_by_label("Đơn vị 1").fill("Trường THPT chuyên Trần Phú")
    page.wait_for_function("() => [...document.querySelectorAll('input[type=hidden][name^=pick-]')]"
                           ".some(i => i.value)")
    page.get_by_label("Số hiệu").fill("1295/KH-SGDĐT")
    page.get_by_label("Ngày ban hành").fill("20/10/2025")
    page.get_by_label("Trích yếu / tên kế hoạch").fill("Kế hoạch CNTT, CĐS năm học 2025-2026")
    page.get_by_role("button", name="Xác nhận nhập kế hoạch").click()
    page.wait_for_url(re.compile(r".*/plans/\d+$"))
    assert "Đã nhập kế hoạch với 25 nhiệm vụ." in page.inner_text("main")
    assert "20/10/2025" in page.inner_text("main")
    db.session.expire_all()
    plan = db.session.scalar(select(Plan))
    assert plan.number == "1295/KH-SGDĐT"
    assert db.session.scalar(select(func.count(Task.id))) == 25
    assert db.session.scalar(select(UnitAlias).where(UnitAlias.alias == "Cơ sở thí điểm")) is None
    piloted = db.session.scalars(select(Task).join(Assignment).join(Unit).where(
        Unit.name == "Trường THPT chuyên Trần Phú", Task.cooperating_text.contains("thí điểm"))).all()
    assert piloted, "the chosen school takes part in the pilot task"


def test_bad_file_is_refused_with_a_clear_message(page, live_server, demo_directory, tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(Path(FIXTURE).read_bytes()[:5000])
    browser_login(page, live_server, "vanphong")
    page.goto(f"{live_server}/plans/")
    page.set_input_files("input[type=file]", str(broken))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.wait_for_load_state()
    assert ".docx" in page.inner_text(".alert-danger")


def test_school_head_on_a_phone_sees_own_assignments(browser, live_server, demo_directory, runner):
    from app.services.demo.demo_plans import seed_plans

    office = next(u for u in demo_directory if u.username == "vanphong")
    seed_plans(office)
    from app.extensions import db

    db.session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="en-US")
    page = context.new_page()
    browser_login(page, live_server, "thpt.tranphu.hieutruong")
    text = page.inner_text("main")
    assert "Trường THPT chuyên Trần Phú" in text
    assert "Quá hạn" in text
    # no horizontal scrolling of the whole page on a phone (measured once fonts and styles settled)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    widest = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, widest
    context.close()
