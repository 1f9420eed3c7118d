"""The task page's list of units as .xlsx and CSV: every unit (not one page), in the page's order, the
status filter kept, the same statements however many units; only for those who may read the task."""
import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Assignment
from tests.conftest import login
from tests.factories import AssignmentFactory, SchoolFactory
from tests.functional.test_export_streams import _csv_rows, _get, _xlsx_rows
from tests.query_counter import statements_of
from tests.workflow_helpers import build_world


@pytest.fixture()
def world(db):
    w = build_world()
    for number in range(60):  # more than one page of the task page (UNITS_PER_PAGE)
        AssignmentFactory(task=w.task, unit=SchoolFactory(name=f"Trường THCS số {number + 1}"),
                          role="cooperating", status="in_progress" if number % 3 else "not_started")
    _db.session.commit()
    return w


def _units_in_page_order(task_id: int, status: str | None = None) -> list[str]:
    rows = select(Assignment).where(Assignment.task_id == task_id)
    if status:
        rows = rows.where(Assignment.status == status)
    return [a.unit.name for a in _db.session.scalars(rows.order_by(Assignment.role.desc(), Assignment.id))]


def test_every_unit_of_the_task_in_both_formats(client, world):
    login(client, "tranphu.hieutruong")  # a cooperating unit may read the task, so the list
    url = f"/tasks/{world.task.id}"
    expected = _units_in_page_order(world.task.id)
    assert len(expected) == 62
    sheet = _xlsx_rows(_get(client, f"{url}/export.xlsx"))
    unit_column = sheet[0].index("Đơn vị")
    assert [row[unit_column] for row in sheet[1:]] == expected
    table = _csv_rows(_get(client, f"{url}/export.csv"))
    assert [row[unit_column] for row in table[1:]] == expected
    assert {row[3] for row in table[1:]} == {world.task.content}
    page = client.get(url).get_data(as_text=True)
    assert f"/tasks/{world.task.id}/export.xlsx" in page


def test_the_status_filter_is_kept(client, world):
    login(client, "vanphong")
    expected = _units_in_page_order(world.task.id, "not_started")
    sheet = _xlsx_rows(_get(client, f"/tasks/{world.task.id}/export.xlsx?status=not_started"))
    assert [row[4] for row in sheet[1:]] == expected and len(expected) >= 20
    page = client.get(f"/tasks/{world.task.id}?status=not_started").get_data(as_text=True)
    assert f"/tasks/{world.task.id}/export.xlsx?status=not_started" in page
    # an unknown status is no filter
    assert len(_xlsx_rows(_get(client, f"/tasks/{world.task.id}/export.xlsx?status=x"))) == 63


def test_a_unit_outside_the_task_gets_403(client, world):
    login(client, "gdpt.truongphong")  # Phòng GDPT has no part in this task
    assert client.get(f"/tasks/{world.task.id}/export.xlsx").status_code == 403
    assert client.get(f"/tasks/{world.task.id}/export.csv").status_code == 403


def test_the_same_statements_for_60_and_180_units(client, world):
    login(client, "vanphong")
    url = f"/tasks/{world.task.id}/export.csv"
    small = len(statements_of(client, url))
    for _ in range(120):
        AssignmentFactory(task=world.task, unit=SchoolFactory(), role="cooperating")
    _db.session.commit()
    assert len(statements_of(client, url)) == small
