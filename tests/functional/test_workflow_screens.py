"""Screens: the list with folded search and filters, the Excel export, notifications, comments, office
pages."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Assignment, AuditLog, Comment, Notification, Plan, Task
from tests.conftest import login
from tests.factories import AssignmentFactory, SchoolFactory, TaskFactory, UnitGroupFactory
from tests.workflow_helpers import DUE, any_token, build_world

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "workflow"


@pytest.fixture()
def world(db):
    w = build_world()
    extra = TaskFactory(
        plan=w.plan, ref="12", content="Tổ chức đánh giá an toàn thông tin", due_date=date(2099, 1, 1)
    )
    w.extra = AssignmentFactory(task=extra, unit=w.coop_unit, role="lead", due_date=date(2099, 1, 1))
    _db.session.commit()
    return w


def _rows(html):
    return re.findall(r'href="/assignments/(\d+)"', html)


@pytest.mark.parametrize("query,found,missing", [
    ("chu ky so", "chữ ký số", "đánh giá an toàn"),
    ("CHỮ KÝ SỐ", "chữ ký số", "đánh giá an toàn"),
    ("danh gia", "đánh giá an toàn", "chữ ký số"),
    ("d", "chữ ký số", None),
])
def test_work_search_folds_diacritics(client, world, query, found, missing):
    login(client, "tranphu.canbo")
    html = client.get("/work", query_string={"q": query}).get_data(as_text=True)
    assert found in html.lower()
    if missing:
        assert missing not in html.lower()


def test_work_lists_own_unit_overdue_first_with_filters(client, world):
    login(client, "tranphu.canbo")
    html = client.get("/work").get_data(as_text=True)
    # the 31/03/2026 deadline has passed (today is later), so it is on top and marked
    assert _rows(html) == [str(world.coop.id), str(world.extra.id)]
    assert "row-overdue" in html and "Quá hạn" in html
    assert str(world.other.id) not in _rows(html)
    html = client.get("/work", query_string={"overdue": "y"}).get_data(as_text=True)
    assert _rows(html) == [str(world.coop.id)]
    html = client.get("/work", query_string={"role": "lead"}).get_data(as_text=True)
    assert _rows(html) == [str(world.extra.id)]
    html = client.get("/work", query_string={"due_from": "01/12/2098", "due_to": "31/12/2099"}).get_data(
        as_text=True
    )
    assert _rows(html) == [str(world.extra.id)]
    html = client.get("/work", query_string={"due_from": "32/13/2099"}).get_data(as_text=True)
    assert "Ngày không hợp lệ" in html
    # a unit user cannot widen the list to another unit
    html = client.get("/work", query_string={"unit": world.other_unit.id}).get_data(as_text=True)
    assert str(world.other.id) not in _rows(html)


def test_work_paginates(client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "ITEMS_PER_PAGE", 1)
    login(client, "tranphu.canbo")
    first = client.get("/work").get_data(as_text=True)
    second = client.get("/work", query_string={"page": 2}).get_data(as_text=True)
    assert _rows(first) == [str(world.coop.id)] and _rows(second) == [str(world.extra.id)]
    assert "Trang 1/2" in first


def test_office_picks_a_unit(client, world):
    login(client, "vanphong")
    html = client.get("/work", query_string={"unit": world.other_unit.id}).get_data(as_text=True)
    assert _rows(html) == [str(world.other.id)]


def test_excel_export_of_the_filtered_list(client, world):
    from app.services.work import workflow
    workflow.record_update(world.users["coop_staff"], world.coop, expected_version=world.coop.version,
                           status="in_progress", progress=45, target_actuals=[96.2])
    _db.session.commit()
    login(client, "tranphu.canbo")
    response = client.get("/work/export.xlsx", query_string={"q": "chu ky"})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Kế hoạch", "Nhóm nhiệm vụ", "Nội dung công việc")
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Nội dung công việc"] == "Triển khai chữ ký số cho cán bộ quản lý các đơn vị"
    assert row["Đơn vị"] == "Trường THPT chuyên Trần Phú" and row["Vai trò"] == "Phối hợp"
    assert row["Trạng thái"] == "Đang thực hiện" and row["Tiến độ (%)"] == 45
    assert row["Thời hạn"].date() == DUE and row["Quá hạn"] == "Có"
    assert row["Chỉ tiêu / thực hiện"] == "≥98,5%: 96,2 (chưa đạt)"
    assert row["Đánh giá thời hạn"] == "Chưa hoàn thành, quá hạn"


def test_notifications_page_unread_count_and_mark_read(client, world):
    from app.services.notify import notifications
    head = world.users["coop_head"]
    notifications.notify([head], event="n1", kind="returned", title="Báo cáo bị trả lại: 7. Triển khai",
                         link=f"/assignments/{world.coop.id}")
    notifications.notify([head], event="n2", kind="assigned", title="Được giao mới")
    _db.session.commit()
    login(client, "tranphu.hieutruong")
    html = client.get("/notifications").get_data(as_text=True)
    assert re.search(r'id="unread-count">2<', html) and "Báo cáo bị trả lại" in html
    assert 'Thông báo <span class="badge text-bg-danger">2</span>' in client.get("/work").get_data(
        as_text=True
    )
    note = _db.session.scalar(select(Notification).where(Notification.key.like("returned:%")))
    response = client.post(
        f"/notifications/{note.id}/read", data={"csrf_token": any_token(client), "open": "1"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/assignments/{world.coop.id}"
    )
    html = client.get("/notifications").get_data(as_text=True)
    assert re.search(r'id="unread-count">1<', html)
    client.post("/notifications/read-all", data={"csrf_token": any_token(client)})
    assert re.search(r'id="unread-count">0<', client.get("/notifications").get_data(as_text=True))


def test_comment_with_mention_through_the_page(client, world):
    login(client, "qlcl.truongphong")
    token = any_token(client)
    response = client.post(f"/tasks/{world.task.id}/comments",
                           data={"csrf_token": token, "body": "Đề nghị @THPT-001 bổ sung số liệu"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Đã gửi ý kiến." in html and "Đề nghị @THPT-001 bổ sung số liệu" in html
    comment = _db.session.scalar(select(Comment))
    assert comment.mentioned_unit_ids == [world.coop_unit.id]
    mention = _db.session.scalar(select(Notification).where(Notification.kind == "mention"))
    assert mention.user_id == world.users["coop_head"].id and mention.link == f"/tasks/{world.task.id}"


def test_office_bulk_assigns_a_group_and_changes_a_deadline(client, world):
    schools = [SchoolFactory() for _ in range(2)]
    group = UnitGroupFactory(name="Các trường", member_kinds=["school"])
    login(client, "vanphong")
    page = f"/manage/tasks/{world.task.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Giao cho cả một nhóm" in html and "Các trường" in html
    response = client.post(f"{page}/bulk", data={"csrf_token": any_token(client), "group_id": group.id,
                                                  "role": "cooperating"}, follow_redirects=True)
    assert "Đã giao thêm cho 2 đơn vị của nhóm Các trường." in response.get_data(as_text=True)
    units = set(_db.session.scalars(select(Assignment.unit_id).where(Assignment.task_id == world.task.id)))
    assert {s.id for s in schools} <= units
    response = client.post(f"/manage/assignments/{world.coop.id}/deadline", data={
        "csrf_token": any_token(client), "version": world.coop.version, "due_date": "15/05/2026",
        "reason": "Theo chỉ đạo"}, follow_redirects=True)
    assert "Đã đổi thời hạn." in response.get_data(as_text=True)
    _db.session.expire_all()
    a = _db.session.get(Assignment, world.coop.id)
    assert a.due_date == date(2026, 5, 15) and a.original_due_date == DUE
    actions = set(_db.session.scalars(select(AuditLog.action)))
    assert {"assignment_bulk_added", "assignment_deadline_changed"} <= actions


def test_office_adds_edits_and_cancels_tasks(client, world):
    login(client, "vanphong")
    url = f"/manage/plans/{world.plan.id}/tasks/new"
    token = any_token(client)
    bad = client.post(url, data={"csrf_token": token, "content": ""})
    assert bad.status_code == 400 and "Vui lòng nhập nội dung." in bad.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": token, "content": "Rà soát hạ tầng mạng LAN",
                                      "product": "ít nhất 70% trường", "due_date": "30/06/2026"})
    assert response.status_code == 302
    task = _db.session.scalar(select(Task).where(Task.content == "Rà soát hạ tầng mạng LAN"))
    assert task.due_date == date(2026, 6, 30) and task.targets[0]["value"] == 70
    response = client.post(f"/manage/tasks/{world.task.id}/edit", data={
        "csrf_token": token, "ref": "7", "content": "Triển khai chữ ký số (điều chỉnh)", "product": "100%",
        "due_date": "30/04/2026"}, follow_redirects=True)
    assert "Đã lưu nhiệm vụ." in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(Assignment, world.lead.id).due_date == date(2026, 4, 30)
    response = client.post(f"/manage/tasks/{world.task.id}/cancel", data={"csrf_token": token,
                                                                          "reason": "Trùng nhiệm vụ"},
                           follow_redirects=True)
    assert "Nhiệm vụ đã bị huỷ: Trùng nhiệm vụ" in response.get_data(as_text=True)
    told = _db.session.scalars(
        select(Notification.kind).where(Notification.user_id == world.users["coop_head"].id)
    )
    assert "task_changed" in set(told)


def test_office_archives_a_school_year(client, world):
    _db.session.add(Plan(title="Kế hoạch năm trước", school_year="2024-2025"))
    _db.session.commit()
    login(client, "vanphong")
    html = client.get("/manage/archive").get_data(as_text=True)
    assert "2024-2025 (1 kế hoạch)" in html
    response = client.post(
        "/manage/archive",
        data={"csrf_token": any_token(client), "school_year": "2024-2025"},
        follow_redirects=True,
    )
    assert "Đã lưu trữ 1 kế hoạch của năm học 2024-2025." in response.get_data(as_text=True)
    assert _db.session.scalar(select(Plan.status).where(Plan.school_year == "2024-2025")) == "archived"


def test_templates_have_no_inline_script_or_style():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "style=" not in text and "<script" not in text and " on" + "click=" not in text, path.name


def test_work_page_shows_pending_extensions_to_deciders_only(client, world):
    from app.services.work import deadline_extensions as extensions
    extensions.request_extension(world.users["coop_head"], world.coop, requested_due_date=date(2099, 1, 1),
                                 reason="Chờ thiết bị", today=date(2026, 1, 1))
    _db.session.commit()
    login(client, "giamdoc")
    html = client.get("/work").get_data(as_text=True)
    assert 'Đề nghị gia hạn <span class="badge text-bg-warning">1</span>' in html
    assert "Lưu trữ kế hoạch" not in html  # the office archives, not directors
    client.post("/auth/logout", data={"csrf_token": any_token(client)})
    login(client, "tranphu.canbo")
    assert "Đề nghị gia hạn" not in client.get("/work").get_data(as_text=True)


def test_task_page_pages_through_many_units(client, db):
    from tests.conftest import login
    from tests.factories import PASSWORD, AssignmentFactory, SchoolFactory, TaskFactory, UserFactory

    task = TaskFactory(content="Triển khai học bạ số")
    for _ in range(120):
        AssignmentFactory(task=task, unit=SchoolFactory(), role="cooperating")
    director = UserFactory(role="director")
    login(client, director.username, PASSWORD)
    first = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Các đơn vị (120)" in first and "Trang 1/3" in first
    assert f"/tasks/{task.id}?page=2" in first
    last = client.get(f"/tasks/{task.id}?page=3").get_data(as_text=True)
    assert "Trang 3/3" in last
    assert first.count('data-label="Đánh giá"') == 50 and last.count('data-label="Đánh giá"') == 20
