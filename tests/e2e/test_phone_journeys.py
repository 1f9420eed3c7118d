"""Phone journeys (390 × 844): the calendar opens as an agenda, the filter panel is folded, and a
saved view is made from the work list and opened again from its menu."""
import re

from app.extensions import db
from app.models import Assignment, SavedView
from app.services.demo.demo_plans import seed_plans
from tests.e2e.conftest import browser_login

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "en-US"}


def _demo_plan(users):
    seed_plans(next(u for u in users if u.username == "vanphong"), users)
    db.session.commit()


def _a_deadline_month() -> tuple[int, int]:
    due = db.session.scalar(db.select(Assignment.due_date).where(Assignment.due_date.is_not(None))
                            .order_by(Assignment.due_date))
    return due.year, due.month


def test_phone_calendar_opens_as_an_agenda(browser, live_server, demo_directory):
    _demo_plan(demo_directory)
    year, month = _a_deadline_month()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    browser_login(page, live_server, "thpt.tranphu.canbo")
    page.goto(f"{live_server}/dashboard/calendar?year={year}&month={month}")
    page.wait_for_url(re.compile(r"view=agenda"))
    main = page.locator("main")
    assert main.locator(".cal-agenda").is_visible()
    assert main.locator("table.dash-calendar").count() == 0
    first_day = main.locator(".cal-agenda section h2").first.inner_text()
    assert re.search(r"\d{2}/\d{2}/\d{4}", first_day)
    # the person may still choose the month grid: no automatic switch then
    page.get_by_role("link", name="Lưới tháng").click()
    page.wait_for_load_state()
    assert "view=month" in page.url and main.locator("table.dash-calendar").count() == 1
    # a deadline of the agenda opens its task
    page.goto(f"{live_server}/dashboard/calendar?year={year}&month={month}&view=agenda")
    page.locator(".cal-agenda li a").first.click()
    page.wait_for_load_state()
    assert "/tasks/" in page.url
    context.close()


def test_phone_saves_a_view_of_the_work_list_and_opens_it(browser, live_server, demo_directory):
    _demo_plan(demo_directory)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    browser_login(page, live_server, "vanphong")
    page.goto(f"{live_server}/work")
    filters = page.locator("#work-filters")
    assert not filters.is_visible()  # folded on a phone
    page.get_by_role("button", name=re.compile("^Bộ lọc")).first.click()
    filters.wait_for(state="visible")
    page.locator("#work-filters summary").click()
    page.get_by_label("Trạng thái").select_option("not_started")
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.wait_for_url(re.compile(r"status=not_started"))

    page.get_by_role("button", name="Lưu bộ lọc này").click()
    page.get_by_label("Tên bộ lọc").fill("Trường THPT chưa bắt đầu")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()
    assert "Đã lưu bộ lọc" in page.inner_text("main")
    view = db.session.scalar(db.select(SavedView))
    assert view.name == "Trường THPT chưa bắt đầu" and "status=not_started" in view.query

    page.goto(f"{live_server}/work")
    page.get_by_role("button", name=re.compile("Bộ lọc đã lưu")).click()
    page.get_by_role("link", name="Trường THPT chưa bắt đầu").click()
    page.wait_for_url(re.compile(r"status=not_started"))
    assert page.get_by_label("Trạng thái").input_value() == "not_started"
    context.close()
