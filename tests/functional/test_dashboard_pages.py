"""Dashboard pages: access by role, the director's area, click-through lists, exports, matrix, CLI."""
import io
from datetime import date, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook

from app.extensions import db as _db
from app.models import OversightArea
from tests.conftest import csrf_token, login
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    PlanFactory,
    SchoolFactory,
    TaskFactory,
    UnitFactory,
    UserFactory,
)

PAGES = [
    "/dashboard/",
    "/dashboard/list?bucket=open_overdue",
    "/dashboard/overdue",
    "/dashboard/overdue.xlsx",
    "/dashboard/overdue.csv",
    "/dashboard/overdue.docx",
    "/dashboard/charts.json",
]


def body(page: str) -> str:
    """The tables of a page, without the filter bar (whose selects name every unit)."""
    return page[page.index("<table"):] if "<table" in page else ""


@pytest.fixture()
def data(db):
    plan = PlanFactory(number="1295/KH-SGDĐT", title="Kế hoạch chuyển đổi số năm học 2025-2026")
    division, other = (
        UnitFactory(name="Phòng Quản lý chất lượng"),
        UnitFactory(name="Phòng Kế hoạch - Tài chính"),
    )
    late_task = TaskFactory(
        plan=plan,
        group_name="Hạ tầng số",
        content="Rà soát hạ tầng mạng, máy chủ; báo cáo",
        due_date=date(2025, 10, 31),
    )
    other_task = TaskFactory(plan=plan, group_name="Dữ liệu số", content="Cập nhật dữ liệu ngành",
                             due_date=date(2025, 10, 15))
    overdue = AssignmentFactory(
        task=late_task, unit=division, due_date=date(2025, 10, 31), status="in_progress"
    )
    other_overdue = AssignmentFactory(task=other_task, unit=other, due_date=date(2025, 10, 15))
    done = AssignmentFactory(task=late_task, unit=other, role="cooperating", due_date=date(2025, 10, 31),
                             status="done", progress=100)
    return {"plan": plan, "division": division, "other": other, "overdue": overdue,
            "other_overdue": other_overdue, "done": done}


@pytest.mark.parametrize("role,status", [("director", 200), ("office", 200), ("admin", 403),
                                         ("unit_head", 403), ("unit_staff", 403)])
def test_pages_by_role(client, data, role, status):
    user = UserFactory(role=role)
    login(client, user.username, PASSWORD)
    plan_id = data["plan"].id
    for url in [*PAGES, f"/dashboard/plans/{plan_id}/matrix", f"/dashboard/plans/{plan_id}/evaluation.docx",
                f"/dashboard/plans/{plan_id}/report.docx"]:
        assert client.get(url).status_code == status, url


def test_anonymous_goes_to_login(client, data):
    for url in [
        *PAGES,
        "/dashboard/calendar",
        "/dashboard/areas",
        f"/dashboard/plans/{data['plan'].id}/matrix",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


@pytest.mark.parametrize(
    "role,status", [("admin", 200), ("director", 403), ("office", 403), ("unit_staff", 403)]
)
def test_areas_admin_only(client, db, role, status):
    user = UserFactory(role=role)
    login(client, user.username, PASSWORD)
    assert client.get("/dashboard/areas").status_code == status


def test_dashboard_numbers_click_through(client, data):
    director = UserFactory(role="director")
    login(client, director.username, PASSWORD)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Hoàn thành đúng hạn" in page and "Chưa hoàn thành, quá hạn" in page
    assert 'href="/dashboard/list?bucket=open_overdue"' in page
    assert "Hạ tầng số" in page and "Phòng Quản lý chất lượng" in page
    listed = client.get("/dashboard/list?bucket=open_overdue").get_data(as_text=True)
    assert "Rà soát hạ tầng mạng" in listed and "Cập nhật dữ liệu ngành" in listed
    done = body(client.get("/dashboard/list?bucket=done_on_time").get_data(as_text=True))
    assert "Phòng Kế hoạch - Tài chính" in done and "Phòng Quản lý chất lượng" not in done


def test_director_dashboard_opens_on_area_with_whole_so_one_click_away(client, data):
    director = UserFactory(role="director")
    _db.session.add(OversightArea(user_id=director.id, unit_id=data["division"].id))
    _db.session.commit()
    login(client, director.username, PASSWORD)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Lĩnh vực được phân công theo dõi" in page and "Phòng Kế hoạch - Tài chính" not in page
    assert 'href="/dashboard/?scope=all"' in page
    whole = client.get("/dashboard/?scope=all").get_data(as_text=True)
    assert "Phòng Kế hoạch - Tài chính" in whole
    listed = body(client.get("/dashboard/list?bucket=open_overdue&area=1").get_data(as_text=True))
    assert "Rà soát hạ tầng mạng" in listed and "Cập nhật dữ liệu ngành" not in listed


def test_admin_sets_a_directors_area(client, data):
    admin, director = UserFactory(role="admin"), UserFactory(role="director")
    login(client, admin.username, PASSWORD)
    url = f"/dashboard/areas/{director.id}"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "units": [str(data["division"].id)],
                                      "groups": ["Dữ liệu số"]}, follow_redirects=True)
    assert response.status_code == 200 and "Đã lưu lĩnh vực theo dõi" in response.get_data(as_text=True)
    rows = _db.session.query(OversightArea).filter_by(user_id=director.id).all()
    assert {(r.unit_id, r.group_name) for r in rows} == {(data["division"].id, None), (None, "Dữ liệu số")}
    assert client.get(f"/dashboard/areas/{admin.id}").status_code == 404


def test_overdue_list_sorts_filters_and_exports(client, data):
    office = UserFactory(role="office")
    login(client, office.username, PASSWORD)
    page = client.get("/dashboard/overdue?sort=days&dir=desc").get_data(as_text=True)
    assert page.index("Cập nhật dữ liệu ngành") < page.index("Rà soát hạ tầng mạng")  # older deadline first
    assert "Phòng Quản lý chất lượng" in page and "31/10/2025" in page
    filtered = body(client.get(f"/dashboard/overdue?unit={data['division'].id}").get_data(as_text=True))
    assert "Cập nhật dữ liệu ngành" not in filtered and "Rà soát hạ tầng mạng" in filtered
    by_group = body(client.get("/dashboard/overdue?group=Dữ liệu số").get_data(as_text=True))
    assert "Rà soát hạ tầng mạng" not in by_group

    sheet = load_workbook(io.BytesIO(client.get("/dashboard/overdue.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kế hoạch", "STT", "Nhiệm vụ") and len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Nhiệm vụ"] == "Cập nhật dữ liệu ngành" and first["Số ngày quá hạn"] > 300

    document = Document(io.BytesIO(client.get("/dashboard/overdue.docx").data))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "DANH SÁCH NHIỆM VỤ QUÁ HẠN" in "\n".join(p.text for p in document.paragraphs)
    assert "Rà soát hạ tầng mạng, máy chủ; báo cáo" in text and "Phòng Quản lý chất lượng" in text


def test_charts_json_links_every_bar_to_its_list(client, data):
    director = UserFactory(role="director")
    login(client, director.username, PASSWORD)
    charts = client.get("/dashboard/charts.json").get_json()
    assert set(charts) == {"by_unit", "by_group", "over_time", "overdue_units"}
    for series in charts.values():
        assert len(series["labels"]) == len(series["values"]) == len(series["urls"])
    assert charts["overdue_units"]["values"] == [1, 1]
    assert client.get(charts["by_group"]["urls"][0]).status_code == 200


def test_matrix_page_paginates_many_units(client, db):
    plan = PlanFactory()
    tasks = [TaskFactory(plan=plan, content=f"Nhiệm vụ {i}") for i in range(3)]
    schools = [SchoolFactory() for _ in range(120)]
    from app.models import Assignment

    _db.session.add_all(Assignment(task=t, unit=s, role="cooperating", status="not_started")
                        for t in tasks for s in schools)
    division = UnitFactory(name="Phòng Giáo dục phổ thông")
    _db.session.add(Assignment(task=tasks[0], unit=division, role="lead", status="done"))
    _db.session.commit()
    login(client, UserFactory(role="office").username, PASSWORD)
    first = client.get(f"/dashboard/plans/{plan.id}/matrix").get_data(as_text=True)
    assert first.count('class="mx-unit"') == 50 and "Trang 1/3" in first
    last = client.get(f"/dashboard/plans/{plan.id}/matrix?page=3").get_data(as_text=True)
    assert last.count('class="mx-unit"') == 21
    only_divisions = client.get(f"/dashboard/plans/{plan.id}/matrix?kind=division").get_data(as_text=True)
    assert only_divisions.count('class="mx-unit"') == 1 and "mx-done" in only_divisions


def test_calendar_shows_own_unit_to_unit_users(client, data):
    user = UserFactory(role="unit_staff", unit=data["division"])
    login(client, user.username, PASSWORD)
    page = client.get("/dashboard/calendar?year=2025&month=10").get_data(as_text=True)
    assert "Rà soát hạ tầng mạng" in page and "Cập nhật dữ liệu ngành" not in page
    director = UserFactory(role="director")
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, director.username, PASSWORD)
    page = client.get("/dashboard/calendar?year=2025&month=10").get_data(as_text=True)
    assert "Cập nhật dữ liệu ngành" in page and "Tháng 10/2025" in page
    assert client.get("/dashboard/calendar?year=2025&month=13").status_code == 404


def test_cli_reports_write_files(runner, data, tmp_path):
    plan = data["plan"]
    for args, name in ((["evaluation", "--plan", plan.number], "eval.docx"),
                       (["summary", "--plan", str(plan.id), "--kind", "tong_ket"], "report.docx"),
                       (["overdue"], "overdue.docx"), (["overdue"], "overdue.xlsx")):
        out = tmp_path / name
        result = runner.invoke(args=["reports", *args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    evaluation = Document(str(tmp_path / "eval.docx"))
    assert any(p.text == "- Có 00/02 nhiệm vụ hoàn thành, đạt 0%;" for p in evaluation.paragraphs)
    missing = runner.invoke(
        args=["reports", "evaluation", "--plan", "999/KH", "--out", str(tmp_path / "x.docx")]
    )
    assert missing.exit_code != 0 and "Không tìm thấy kế hoạch" in missing.output


def test_cli_matrix_uses_the_shared_exporter(runner, data, tmp_path):
    out = tmp_path / "matrix.xlsx"
    result = runner.invoke(args=["reports", "matrix", "--plan", data["plan"].number, "--format", "xlsx",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).active.max_row > 1


def test_overdue_days_are_whole_local_days(client, data):
    from app.services.reporting.dashboard import Scope
    from app.services.reporting.dashboard_lists import overdue_page

    page = overdue_page(Scope(), today=date(2025, 11, 1))
    assert {i.assignment.id: i.days_overdue for i in page.items} == {
        data["overdue"].id: 1, data["other_overdue"].id: (date(2025, 11, 1) - date(2025, 10, 15)).days}
    assert overdue_page(Scope(), today=date(2025, 10, 31)).total == 1  # due today is not overdue
    assert overdue_page(Scope(), today=date(2025, 10, 31) + timedelta(days=1)).total == 2


def test_overdue_list_is_paginated(client, db):
    task = TaskFactory(content="Báo cáo thống kê", due_date=date(2025, 9, 30))
    for _ in range(30):
        AssignmentFactory(task=task, unit=SchoolFactory(), role="cooperating", due_date=date(2025, 9, 30))
    login(client, UserFactory(role="director").username, PASSWORD)
    first = client.get("/dashboard/overdue").get_data(as_text=True)
    assert first.count('class="row-overdue"') == 25 and "Trang 1/2" in first
    assert client.get("/dashboard/overdue?page=2").get_data(as_text=True).count('class="row-overdue"') == 5


def test_documents_download_from_the_dashboard(client, data):
    login(client, UserFactory(role="director").username, PASSWORD)
    plan_id = data["plan"].id
    page = client.get("/dashboard/").get_data(as_text=True)
    for url in (
        f"/dashboard/plans/{plan_id}/evaluation.docx",
        f"/dashboard/plans/{plan_id}/report.docx?kind=so_ket",
        "/dashboard/overdue.docx",
    ):
        assert url.replace("&", "&amp;") in page  # links are HTML-escaped by Jinja
    evaluation = Document(io.BytesIO(client.get(f"/dashboard/plans/{plan_id}/evaluation.docx").data))
    # the evaluation is an appendix now (no letterhead table): its table is the first
    rows = [[c.text for c in row.cells] for row in evaluation.tables[0].rows]
    assert rows[1][:2] == ["I", "Hạ tầng số (01 nhiệm vụ)"]
    assert rows[2][6] == "Chưa hoàn thành" and rows[2][5].startswith("1/2 đơn vị hoàn thành (50%)")
    report = Document(io.BytesIO(client.get(f"/dashboard/plans/{plan_id}/report.docx?kind=tong_ket").data))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Tổng kết năm học 2025-2026" in text and "6. Đề xuất, kiến nghị" in text


def test_matrix_downloads_use_the_shared_exporter(client, data):
    login(client, UserFactory(role="office").username, PASSWORD)
    plan_id = data["plan"].id
    assert f"/dashboard/plans/{plan_id}/matrix.xlsx" in client.get(
        f"/dashboard/plans/{plan_id}/matrix"
    ).get_data(as_text=True)
    xlsx = client.get(f"/dashboard/plans/{plan_id}/matrix.xlsx")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.data)).active.max_row > 1
    docx = client.get(f"/dashboard/plans/{plan_id}/matrix.docx")
    assert docx.status_code == 200 and Document(io.BytesIO(docx.data)).tables
    assert client.get(f"/dashboard/plans/{plan_id}/matrix.pdf").status_code == 404


def test_completions_chart_bar_opens_its_period(client, data):
    from datetime import UTC, datetime

    data["done"].completed_at = datetime(2025, 10, 30, 3, tzinfo=UTC)
    _db.session.commit()
    login(client, UserFactory(role="director").username, PASSWORD)
    listed = body(client.get("/dashboard/list?period=2025-10").get_data(as_text=True))
    assert "Phòng Kế hoạch - Tài chính" in listed
    assert "Phòng Kế hoạch - Tài chính" not in body(
        client.get("/dashboard/list?period=2025-11").get_data(as_text=True)
    )
    assert client.get("/dashboard/list?period=bad").status_code == 404
