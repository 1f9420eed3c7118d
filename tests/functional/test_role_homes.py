"""Each role's home starts from what it must act on ("việc cần làm"), each box with its count."""
import re
from datetime import date, timedelta

import pytest

from app.extensions import db as _db
from app.services.clock import today_local
from app.services.work import deadline_extensions, workflow
from tests.conftest import login
from tests.factories import PASSWORD, AssignmentFactory, TaskFactory
from tests.workflow_helpers import build_world


def _today(app) -> date:
    return today_local(app.config["TIMEZONE"])


@pytest.fixture()
def world(app, db):
    world = build_world()
    today = _today(app)
    # the cooperating school submitted; the lead phòng reached 100%; the other phòng is overdue
    world.coop.due_date = world.lead.due_date = today + timedelta(days=3)
    world.other.due_date = today - timedelta(days=5)
    db.session.commit()
    workflow.record_update(world.users["coop_head"], world.coop, expected_version=world.coop.version,
                           status="in_progress", progress=100, note="Xong")
    workflow.submit(world.users["coop_head"], world.coop, expected_version=world.coop.version)
    workflow.record_update(world.users["lead_staff"], world.lead, expected_version=world.lead.version,
                           status="in_progress", progress=100, note="Đã hoàn thành")
    deadline_extensions.request_extension(world.users["other_head"], world.other,
                                          requested_due_date=today + timedelta(days=20), reason="Chờ số liệu",
                                          today=today)
    # a task due in 10 days nobody started, and a task whose unit names the import could not resolve
    soon = TaskFactory(
        plan=world.plan, content="Rà soát thiết bị dạy học", due_date=today + timedelta(days=10)
    )
    AssignmentFactory(task=soon, unit=world.other_unit, role="lead", due_date=today + timedelta(days=10))
    TaskFactory(plan=world.plan, content="Khảo sát nhu cầu", unresolved_units=["Cơ sở thí điểm"])
    db.session.commit()
    return world


def _box(page: str, key: str) -> tuple[int, str]:
    """The count and the HTML of one box of the home page."""
    match = re.search(
        rf'todo-{key}\b.*?<span class="badge[^"]*">([\d.]+)</span>(.*?)</div>\s*</div>\s*</div>', page, re.S
    )
    assert match, f"no box {key}"
    return int(match.group(1).replace(".", "")), match.group(2)


def test_the_office_sees_requests_submissions_not_started_and_unresolved(client, world):
    page = login(client, "vanphong", PASSWORD).get_data(as_text=True)
    assert "Việc cần làm của Văn phòng Sở" in page
    count, html = _box(page, "extensions")
    assert count == 1 and f"/assignments/{world.other.id}" in html
    count, html = _box(page, "sign_off")
    assert count == 1 and f"/assignments/{world.coop.id}" in html
    count, html = _box(page, "not_started")
    assert count == 1 and "Rà soát thiết bị dạy học" in html
    count, html = _box(page, "unresolved")
    assert count == 1 and "Cơ sở thí điểm" in html
    assert re.search(r"Gia hạn <span class=\"badge[^\"]*\">1</span>", page)


def test_the_lead_head_sees_what_waits_for_their_sign_off_and_what_is_ready(client, world):
    page = login(client, "qlcl.truongphong", PASSWORD).get_data(as_text=True)
    count, html = _box(page, "sign_off")
    assert count == 1 and f"/assignments/{world.coop.id}" in html
    count, html = _box(page, "ready")
    assert count == 1 and f"/assignments/{world.lead.id}" in html
    assert _box(page, "due_soon")[0] == 1
    assert _box(page, "overdue")[0] == 0


def test_a_returned_submission_shows_for_the_school(client, world):
    workflow.return_work(world.users["lead_head"], world.coop, expected_version=world.coop.version,
                         reason="Thiếu minh chứng")
    _db.session.commit()
    page = login(client, "tranphu.canbo", PASSWORD).get_data(as_text=True)
    count, html = _box(page, "returned")
    assert count == 1 and f"/assignments/{world.coop.id}" in html
    assert "todo-sign_off" not in page and "todo-ready" not in page  # staff do not submit


def test_an_overdue_unit_sees_its_overdue_work(client, world):
    page = login(client, "gdpt.chuyenvien", PASSWORD).get_data(as_text=True)
    count, html = _box(page, "overdue")
    assert count == 1 and f"/assignments/{world.other.id}" in html and "quá 5 ngày" in html


@pytest.mark.parametrize(("username", "target"), [("giamdoc", "/dashboard/"), ("admin", "/admin/units")])
def test_directors_land_on_the_dashboard_and_the_administrator_on_the_directory(
    client, world, username, target
):
    login(client, username, PASSWORD, follow_redirects=False)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith(target)
