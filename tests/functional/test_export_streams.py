"""The streamed exports (.xlsx and CSV) and the matrix build at scale: every row read back, the same
rows in both formats, and the same number of statements on 1× and 5× the data."""
import csv
import io
import shutil
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.models import Assignment, Plan, Task
from app.services.clock import today_local
from app.services.plans import matrices
from app.services.reporting import dashboard_lists
from app.workflow import exporting
from tests.conftest import login
from tests.functional.test_export_scale import _province
from tests.query_counter import count_queries


def _xlsx_rows(data: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(data)).active
    return list(sheet.iter_rows(values_only=True))


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with its mark
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _get(client, url: str) -> bytes:
    from app.extensions import db

    db.session.remove()
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data()


def _as_text(value) -> str:
    """A value read back by openpyxl, as the CSV writes it."""
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")  # the sheets here hold days, shown dd/mm/yyyy
    return str(value)


def test_the_work_export_of_a_plan_has_every_row_in_both_formats(app, db, client):
    _province(app, db, 900)
    plan_id = db.session.scalar(select(func.min(Plan.id)))
    expected = db.session.scalar(select(func.count(Assignment.id)).join(Task).where(Task.plan_id == plan_id))
    login(client, "vanphong", app.config["DEMO_PASSWORD"])
    sheet = _xlsx_rows(_get(client, f"/work/export.xlsx?plan={plan_id}"))
    table = _csv_rows(_get(client, f"/work/export.csv?plan={plan_id}"))
    assert list(sheet[0]) == exporting.HEADERS == table[0]
    assert len(sheet) - 1 == expected == len(table) - 1
    assert [[_as_text(v) for v in row] for row in sheet[1:]] == table[1:]
    assert {row[1] for row in sheet[1:]} == {db.session.get(Plan, plan_id).number}
    assert all(row[3] and row[4] for row in sheet[1:])  # task text and unit on every row


def test_every_overdue_row_is_in_both_formats(app, db, client):
    _province(app, db, 900)
    today = today_local(app.config["TIMEZONE"])
    overdue = db.session.scalar(select(func.count(Assignment.id)).where(dashboard_lists._open_overdue(today)))
    assert overdue > 50
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    sheet = _xlsx_rows(_get(client, "/dashboard/overdue.xlsx"))
    table = _csv_rows(_get(client, "/dashboard/overdue.csv"))
    assert list(sheet[0]) == dashboard_lists.OVERDUE_HEADERS == table[0]
    assert len(sheet) - 1 == overdue == len(table) - 1
    days = [row[10] for row in sheet[1:]]
    assert days == sorted(days, reverse=True) and min(days) > 0  # most overdue first
    assert [row[4] for row in sheet[1:]] == [row[4] for row in table[1:]]


def _export_statements(app, db, monkeypatch) -> dict[str, int]:
    """Statements of each export with batches larger than the data (so 1× and 5× have one batch)."""
    original = dashboard_lists.iter_overdue_rows
    monkeypatch.setattr(dashboard_lists, "iter_overdue_rows",
                        lambda *args, **kwargs: original(*args, **{**kwargs, "batch": 100_000}))
    monkeypatch.setattr(exporting, "BATCH", 100_000)
    counts = {}
    for user, url in [("vanphong", "/work/export.xlsx"), ("vanphong", "/work/export.csv"),
                      ("giamdoc", "/dashboard/overdue.xlsx"), ("giamdoc", "/dashboard/overdue.csv")]:
        client = app.test_client()
        login(client, user, app.config["DEMO_PASSWORD"])
        _get(client, url)  # warms per-process caches
        db.session.remove()
        with count_queries() as statements:
            _get(client, url)
        counts[url] = len(statements)
    return counts


def test_the_exports_send_the_same_statements_on_5x_the_data(app, db, monkeypatch):
    _province(app, db, 400)
    small = _export_statements(app, db, monkeypatch)
    _province(app, db, 2000)
    assert _export_statements(app, db, monkeypatch) == small


def _matrix_statements(app, db, tmp_path) -> tuple[int, int, int]:
    plan = db.session.get(Plan, db.session.scalar(select(func.min(Plan.id))))
    db.session.expire_all()
    with count_queries() as build:
        data = matrices.build_matrix_data(plan, today_local(app.config["TIMEZONE"]))
    cells = db.session.scalar(select(func.count(Assignment.id)).join(Task)
                              .where(Task.plan_id == plan.id, Task.status == "active"))
    assert len(data.cells) == cells
    db.session.remove()
    with count_queries() as job:
        summary = matrices.snapshot_active_plans(today_local(app.config["TIMEZONE"]),
                                                 upload_folder=str(tmp_path))
    assert summary["failed_plans"] == [] and summary["files"] == 2 * summary["plans"]
    return len(build), len(job), summary["plans"]


def test_the_matrix_build_sends_the_same_statements_on_5x_the_data(app, db, tmp_path):
    _province(app, db, 400)
    small = _matrix_statements(app, db, tmp_path / "small")
    _province(app, db, 2000)
    assert _matrix_statements(app, db, tmp_path / "large") == small


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_streamed_sheet_as_the_csv_says(app, db, client, tmp_path):
    _province(app, db, 300)
    login(client, "vanphong", app.config["DEMO_PASSWORD"])
    (tmp_path / "work.xlsx").write_bytes(_get(client, "/work/export.xlsx"))
    table = _csv_rows(_get(client, "/work/export.csv"))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir", str(tmp_path / "out"),
         str(tmp_path / "work.xlsx")], check=True, capture_output=True, timeout=240)
    converted = list(csv.reader(io.StringIO((tmp_path / "out" / "work.csv").read_text(encoding="utf-8"))))
    assert len(converted) == len(table) > 100
    assert converted == table  # every header and cell, dates as dd/mm/yyyy
