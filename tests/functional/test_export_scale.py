"""The large exports carry every row (no silent cap), read in batches: statements grow with the
batches, never with the rows one by one."""
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.models import Assignment
from app.services.clock import today_local
from app.services.demo.generate import generate
from app.services.reporting import dashboard_lists
from app.services.reporting.dashboard_lists import _open_overdue
from tests.conftest import login
from tests.query_counter import count_queries


def _province(app, db, assignments: int) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
    generate(units=40, plans=2, assignments=assignments, seed=7, today=today_local(app.config["TIMEZONE"]),
             password=app.config["DEMO_PASSWORD"])
    db.session.commit()


def _sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.get_data()), read_only=True).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_every_overdue_row_is_exported_in_batches(app, db, client, monkeypatch):
    _province(app, db, 1500)
    today = today_local(app.config["TIMEZONE"])
    overdue = db.session.scalar(select(func.count(Assignment.id)).where(_open_overdue(today)))
    assert overdue > 100
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    original = dashboard_lists.iter_overdue_rows

    def small_batches(*args, **kwargs):
        return original(*args, **{**kwargs, "batch": 50})

    monkeypatch.setattr(dashboard_lists, "iter_overdue_rows", small_batches)
    db.session.remove()
    with count_queries() as statements:
        rows = _sheet_rows(client.get("/dashboard/overdue.xlsx"))
    assert len(rows) == overdue
    batches = -(-overdue // 50)
    # the page's own statements, then one read and two look-ups per batch at most
    assert len(statements) <= 12 + 3 * batches


def test_the_work_export_is_not_capped(app, db, client):
    _province(app, db, 600)
    login(client, "vanphong", app.config["DEMO_PASSWORD"])
    rows = _sheet_rows(client.get("/work/export.xlsx"))
    visible = db.session.scalar(select(func.count(Assignment.id)))
    assert 0 < len(rows) <= visible
    assert rows[0][0] is not None and rows[-1][3]
