"""Excel export of a dashboard drill-down list: the same filters as the screen, every row (across
export batches), the columns a person reads, and the link on the list page."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.dashboard import routes as dashboard_routes
from app.extensions import db as _db
from tests.conftest import login
from tests.workflow_helpers import build_world


@pytest.fixture()
def world(db):
    world = build_world()
    world.lead.status, world.lead.progress = "done", 100
    _db.session.commit()
    return world


def _sheet(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def test_every_row_of_the_filtered_list_in_small_batches(client, world, monkeypatch):
    monkeypatch.setattr(dashboard_routes, "EXPORT_BATCH", 2)
    login(client, "giamdoc")
    everything = _sheet(client, "/dashboard/list.xlsx")
    assert everything[0] == tuple(dashboard_routes.DRILLDOWN_HEADERS)
    assert sorted(r[4] for r in everything[1:]) == ["Phòng Giáo dục phổ thông", "Phòng Quản lý chất lượng",
                                                    "Trường THPT chuyên Trần Phú"]
    row = dict(zip(everything[0], next(r for r in everything[1:] if r[4] == "Trường THPT chuyên Trần Phú"),
                   strict=True))
    assert row["STT"] == "7" and row["Kế hoạch"] == "1295/KH-SGDĐT" and row["Vai trò"] == "Phối hợp"
    assert row["Thời hạn"].date() == date(2026, 3, 31)  # a real date cell, shown dd/mm/yyyy
    by_unit = _sheet(client, f"/dashboard/list.xlsx?unit={world.other_unit.id}")
    assert [r[4] for r in by_unit[1:]] == ["Phòng Giáo dục phổ thông"]


def test_the_list_page_links_to_its_export_with_its_filters(client, world):
    login(client, "giamdoc")
    html = client.get(f"/dashboard/list?unit={world.other_unit.id}&page=1").get_data(as_text=True)
    assert f'href="/dashboard/list.xlsx?unit={world.other_unit.id}"' in html


def test_units_cannot_export_the_dashboard(client, world):
    login(client, "tranphu.hieutruong")
    assert client.get("/dashboard/list.xlsx").status_code in (302, 403)
