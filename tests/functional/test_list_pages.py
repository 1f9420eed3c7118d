"""Lists are actionable: rows link to the assignment, the calendar's agenda, decided extensions with
their plan, and the page size of a list that reads per_page."""
import datetime as dt
import re
from datetime import date

import pytest

from app.extensions import db as _db
from app.models.assignments import ExtensionRequest
from app.services.work import deadline_extensions
from tests.conftest import login
from tests.factories import PASSWORD, AssignmentFactory, PlanFactory, TaskFactory, UnitFactory, UserFactory


@pytest.fixture()
def world(db):
    plan = PlanFactory(number="1295/KH-SGDĐT", title="Kế hoạch chuyển đổi số")
    unit = UnitFactory(name="Phòng Quản lý chất lượng")
    office = UnitFactory(name="Văn phòng Sở")
    task = TaskFactory(plan=plan, content="Rà soát hạ tầng mạng", due_date=date(2025, 10, 31))
    late = AssignmentFactory(task=task, unit=unit, due_date=date(2025, 10, 31), status="in_progress")
    officer = UserFactory(username="officer", full_name="Trần Thị Văn Phòng", role="office", unit=office)
    staff = UserFactory(username="staff", role="unit_staff", unit=unit)
    _db.session.commit()
    return {"plan": plan, "unit": unit, "task": task, "late": late, "officer": officer, "staff": staff}


def _requests(world, count):
    """`count` decided requests (alternately approved and refused) on their own assignments."""
    for i in range(count):
        task = TaskFactory(plan=world["plan"], content=f"Việc gia hạn {i}", due_date=date(2099, 1, 1))
        a = AssignmentFactory(task=task, unit=world["unit"], due_date=date(2099, 1, 1))
        x = deadline_extensions.request_extension(world["staff"], a, requested_due_date=date(2099, 2, 1),
                                                  reason=f"Lý do {i}", today=date(2098, 12, 1))
        deadline_extensions.decide_extension(world["officer"], x, approve=i % 2 == 0,
                                             note=None if i % 2 == 0 else "Không đủ căn cứ")
    _db.session.commit()


def test_dashboard_rows_link_to_the_assignment(client, world):
    login(client, "officer", PASSWORD)
    link = f'href="/assignments/{world["late"].id}"'
    for url in ("/dashboard/list?bucket=open_overdue", "/dashboard/overdue",
                f"/dashboard/plans/{world['plan'].id}/matrix"):
        assert link in client.get(url).get_data(as_text=True), url


def test_calendar_agenda_lists_only_days_with_deadlines(client, world):
    login(client, "staff", PASSWORD)
    page = client.get("/dashboard/calendar?year=2025&month=10&view=agenda").get_data(as_text=True)
    assert "31/10/2025" in page and "30/10/2025" not in page
    assert f'href="/tasks/{world["task"].id}"' in page and "dash-calendar" not in page
    grid = client.get("/dashboard/calendar?year=2025&month=10").get_data(as_text=True)
    assert "dash-calendar" in grid and "data-agenda-auto" in grid
    chosen = client.get("/dashboard/calendar?year=2025&month=10&view=month").get_data(as_text=True)
    assert "data-agenda-auto" not in chosen


def test_pending_extensions_name_the_plan(client, world):
    a = world["late"]
    deadline_extensions.request_extension(world["staff"], a, requested_due_date=date(2099, 1, 1),
                                          reason="Chờ thiết bị", today=date(2025, 10, 1))
    _db.session.commit()
    login(client, "officer", PASSWORD)
    page = client.get("/extensions").get_data(as_text=True)
    assert "Kế hoạch: 1295/KH-SGDĐT" in page and "Đã quyết định" in page


def test_decided_extensions_keep_their_decision(client, world):
    _requests(world, 2)
    login(client, "officer", PASSWORD)
    page = client.get("/dashboard/extensions/decided").get_data(as_text=True)
    assert "Đã đồng ý" in page and "Không đồng ý" in page and "Không đủ căn cứ" in page
    assert "Trần Thị Văn Phòng" in page and "1295/KH-SGDĐT" in page
    assert "01/01/2099 → 01/02/2099" in page
    assert _db.session.query(ExtensionRequest).count() == 2


def test_decided_extensions_are_for_deciders_only(client, world):
    login(client, "staff", PASSWORD)
    assert client.get("/dashboard/extensions/decided").status_code == 403


@pytest.mark.parametrize("per_page, rows", [("25", 25), ("50", 30), ("7", 25), ("100000", 25)])
def test_page_size_of_the_decided_list(client, world, per_page, rows):
    _requests(world, 30)
    login(client, "officer", PASSWORD)
    page = client.get(f"/dashboard/extensions/decided?per_page={per_page}").get_data(as_text=True)
    assert page.count("Lý do đề nghị:") == rows


@pytest.mark.parametrize(("per_page", "shown", "pages"),
                         [("", 25, 3), ("50", 50, 2), ("100", 60, 1), ("7", 25, 3), ("100000", 25, 3)])
def test_the_unit_home_and_the_work_list_honour_the_page_size(client, db, per_page, shown, pages):
    unit = UnitFactory(name="Trường THPT Lê Quý Đôn")
    plan = PlanFactory()
    for n in range(60):
        AssignmentFactory(task=TaskFactory(plan=plan, content=f"Việc số {n}"), unit=unit, role="lead",
                          due_date=date(2099, 6, 1))
    UserFactory(username="lqd.canbo", role="unit_staff", unit=unit)
    _db.session.commit()
    login(client, "lqd.canbo", PASSWORD)
    work = client.get(f"/work?per_page={per_page}").get_data(as_text=True)
    assert len(set(re.findall(r'href="/assignments/(\d+)"', work))) == shown
    home = client.get(f"/?per_page={per_page}").get_data(as_text=True)
    assert len(set(re.findall(r'href="/assignments/(\d+)"', home))) == shown  # nothing due soon or late
    if pages > 1:
        assert f"Trang 1/{pages}" in home and f"Trang 1/{pages}" in work


def test_every_decided_extension_in_the_export_in_the_page_order(client, world):
    from tests.functional.test_export_streams import _csv_rows, _get, _xlsx_rows

    _requests(world, 30)  # more than a page
    login(client, "officer", PASSWORD)
    newest_first = (ExtensionRequest.decided_at.desc(), ExtensionRequest.id.desc())
    expected = [x.reason for x in _db.session.scalars(_db.select(ExtensionRequest).order_by(*newest_first))]
    sheet = _xlsx_rows(_get(client, "/dashboard/extensions/decided.xlsx"))
    header = list(sheet[0])
    assert [row[header.index("Lý do đề nghị")] for row in sheet[1:]] == expected
    decisions = {row[header.index("Quyết định")] for row in sheet[1:]}
    assert decisions == {"Đã đồng ý", "Không đồng ý"}
    assert {row[header.index("Người quyết định")] for row in sheet[1:]} == {"Trần Thị Văn Phòng"}
    assert {row[header.index("Kế hoạch")] for row in sheet[1:]} == {"1295/KH-SGDĐT"}
    assert {row[header.index("Thời hạn đề nghị")] for row in sheet[1:]} == {dt.datetime(2099, 2, 1)}
    table = _csv_rows(_get(client, "/dashboard/extensions/decided.csv"))
    assert [row[header.index("Lý do đề nghị")] for row in table[1:]] == expected
    assert {row[header.index("Thời hạn đề nghị")] for row in table[1:]} == {"01/02/2099"}
    page = client.get("/dashboard/extensions/decided").get_data(as_text=True)
    assert "/dashboard/extensions/decided.xlsx" in page


def test_the_decided_export_is_for_deciders_only(client, world):
    login(client, "staff", PASSWORD)
    assert client.get("/dashboard/extensions/decided.xlsx").status_code == 403
    assert client.get("/dashboard/extensions/decided.csv").status_code == 403
