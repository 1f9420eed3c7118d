"""Excel and CSV exports of a dashboard drill-down list: the same filters and order as the screen,
every row (across export batches), the columns a person reads, the links on the list page, and the
same statements on 5× the data."""
import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app.extensions import db as _db
from app.formatting import to_local
from app.services.clock import today_local
from app.services.reporting import dashboard_lists
from app.services.reporting.dashboard import Scope
from tests.conftest import login
from tests.functional.test_export_scale import _province
from tests.query_counter import count_queries
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


def _small_batches(monkeypatch, batch: int) -> None:
    original = dashboard_lists.iter_drilldown_rows
    monkeypatch.setattr(dashboard_lists, "iter_drilldown_rows",
                        lambda *args, **kwargs: original(*args, **{**kwargs, "batch": batch}))


def test_every_row_of_the_filtered_list_in_small_batches(client, world, monkeypatch):
    _small_batches(monkeypatch, 2)
    login(client, "giamdoc")
    everything = _sheet(client, "/dashboard/list.xlsx")
    assert everything[0] == tuple(dashboard_lists.DRILLDOWN_HEADERS)
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
    assert f'href="/dashboard/list.csv?unit={world.other_unit.id}"' in html


def test_units_cannot_export_the_dashboard(client, world):
    login(client, "tranphu.hieutruong")
    assert client.get("/dashboard/list.xlsx").status_code in (302, 403)
    assert client.get("/dashboard/list.csv").status_code in (302, 403)


def _screen_rows(app, **filters) -> list[tuple]:
    """Every page of the screen's list (25 a page), as the export writes a row."""
    scope = Scope(unit_kind=filters.get("kind"))
    today, tz = today_local(app.config["TIMEZONE"]), app.config["TIMEZONE"]
    rows, page = [], 1
    while True:
        if filters.get("period"):
            first, last = dashboard_lists.period_bounds(filters["period"])
            items = dashboard_lists.completed_between(scope, first, last, timezone=tz, page=page).items
        else:
            items = dashboard_lists.bucket_assignments(scope, filters.get("bucket", ""), today=today,
                                                       timezone=tz, page=page).items
        rows += [(a.task.plan.number or a.task.plan.title, a.task.ref, a.task.content, a.task.group_name,
                  a.unit.name, a.role_label, a.due_date, a.original_due_date, a.status_label, a.progress,
                  a.completed_at and to_local(a.completed_at).date()) for a in items]
        if len(items) < 25:
            return rows
        page += 1


def _read_back(row: tuple) -> tuple:
    """A sheet row with its cells as the screen holds them (days, not midnight timestamps)."""
    day = lambda value: value.date() if isinstance(value, datetime) else value  # noqa: E731
    return (*row[:6], day(row[6]), day(row[7]), row[8], row[9], day(row[10]))


def test_the_export_rows_are_the_screen_rows_across_pages(app, db, client, monkeypatch):
    _province(app, db, 600)
    _small_batches(monkeypatch, 70)
    month = today_local(app.config["TIMEZONE"]).strftime("%Y-%m")
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    for query, filters in [("", {}), ("?bucket=open_overdue", {"bucket": "open_overdue"}),
                           ("?bucket=done_on_time&kind=school", {"bucket": "done_on_time", "kind": "school"}),
                           (f"?period={month}", {"period": month})]:
        _db.session.remove()
        expected = _screen_rows(app, **filters)
        sheet = _sheet(client, f"/dashboard/list.xlsx{query}")
        assert len(expected) > (0 if filters.get("period") else 25), query  # several pages of the screen
        assert [_read_back(row) for row in sheet[1:]] == expected, query
        response = client.get(f"/dashboard/list.csv{query}")
        table = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
        assert table[0] == dashboard_lists.DRILLDOWN_HEADERS
        assert [row[4] for row in table[1:]] == [row[4] for row in expected], query


def _statements(app, db, monkeypatch) -> list[int]:
    """Statements of each export with batches larger than the data (one batch on 1× and 5×)."""
    _small_batches(monkeypatch, 100_000)
    counts = []
    for url in ["/dashboard/list.xlsx", "/dashboard/list.csv", "/dashboard/list.xlsx?bucket=open_overdue"]:
        client = app.test_client()
        login(client, "giamdoc", app.config["DEMO_PASSWORD"])
        client.get(url)  # warms per-process caches
        db.session.remove()
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(statements))
    return counts


def test_the_export_sends_the_same_statements_on_5x_the_data(app, db, monkeypatch):
    _province(app, db, 400)
    small = _statements(app, db, monkeypatch)
    monkeypatch.undo()
    _province(app, db, 2000)
    assert _statements(app, db, monkeypatch) == small
