"""The whole cycle in the browser: update with evidence, conflicts, submit, sign-off, return, extensions."""
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Assignment, EvidenceFile, ExtensionRequest, Notification
from tests.conftest import login
from tests.factories import AssignmentFactory
from tests.workflow_helpers import DUE, EXE, PDF, PNG, build_world

VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture()
def world(db):
    return build_world()


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    match = VERSION_RE.search(html)
    version = (match.group(1) or match.group(2)) if match else None
    return html, token, version


def _reload(model, id_):
    _db.session.expire_all()
    return _db.session.get(model, id_)


def test_update_with_actuals_and_evidence_then_download(app, client, world):
    login(client, "tranphu.canbo")
    url = f"/assignments/{world.coop.id}"
    html, token, version = _page(client, url)
    assert "Cập nhật tiến độ" in html and 'inputmode="decimal"' in html and "≥98,5%" in html
    response = client.post(f"{url}/update", data={
        "csrf_token": token, "version": version, "status": "in_progress", "progress": "60",
        "note": "Đã cấp chứng thư cho 48/50 cán bộ", "actual-0": "96,2",
        "files": [(io.BytesIO(PDF), "Báo cáo chữ ký số.pdf"), (io.BytesIO(PNG), "anh-hop.png")],
    }, content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Đã lưu cập nhật và 2 tệp minh chứng." in html
    assert "96,2%" in html and "Chưa đạt" in html
    assert world.users["coop_staff"].full_name in html and "Đã cấp chứng thư cho 48/50 cán bộ" in html
    a = _reload(Assignment, world.coop.id)
    assert (a.status, a.progress, a.target_actuals) == ("in_progress", 60, [96.2])
    files = _db.session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)).all()
    assert [f.original_name for f in files] == ["Báo cáo chữ ký số.pdf", "anh-hop.png"]
    assert f"/evidence/{files[0].id}" in html
    download = client.get(f"/evidence/{files[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf" and "attachment" in download.headers["Content-Disposition"]


@pytest.mark.parametrize("role,status", [("office", 200), ("director", 200), ("lead_head", 200),
                                         ("lead_staff", 200), ("coop_head", 200), ("other_head", 403),
                                         ("other_staff", 403), ("admin", 403)])
def test_evidence_download_by_role(client, world, tmp_path, app, role, status):
    from app.services.work import workflow
    workflow.record_update(world.users["coop_staff"], world.coop, expected_version=world.coop.version,
                           status="in_progress", progress=10, files=[("minh-chung.pdf", PDF)],
                           upload_folder=app.config["UPLOAD_FOLDER"], max_bytes=10_000)
    _db.session.commit()
    evidence_id = _db.session.scalar(select(EvidenceFile.id))
    login(client, world.users[role].username)
    response = client.get(f"/evidence/{evidence_id}")
    assert response.status_code == status
    if status == 200:
        assert response.data == PDF


def test_other_units_see_the_overall_state_but_not_the_evidence(app, client, world):
    from app.services.work import workflow
    AssignmentFactory(task=world.task, unit=world.other_unit, role="cooperating", due_date=DUE)
    workflow.record_update(world.users["coop_staff"], world.coop, expected_version=world.coop.version,
                           status="in_progress", progress=35, files=[("bi-mat.pdf", PDF)],
                           upload_folder=app.config["UPLOAD_FOLDER"], max_bytes=10_000)
    _db.session.commit()
    login(client, "gdpt.chuyenvien")
    html = client.get(f"/tasks/{world.task.id}").get_data(as_text=True)
    assert "THPT chuyên Trần Phú" in html and "35%" in html and "Đang thực hiện" in html
    assert "bi-mat.pdf" not in html and "/evidence/" not in html
    assert client.get(f"/assignments/{world.coop.id}").status_code == 403


@pytest.mark.parametrize("content,name,message", [
    (EXE, "bao-cao.pdf", "Loại tệp không được chấp nhận"),
    (b"<html><body>x</body></html>", "anh.png", "Loại tệp không được chấp nhận"),
    (PDF + b"0" * 5000, "lon.pdf", "quá lớn"),
])
def test_refused_uploads_change_nothing(app, client, world, monkeypatch, content, name, message):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 2000)
    login(client, "tranphu.canbo")
    url = f"/assignments/{world.coop.id}"
    _html, token, version = _page(client, url)
    response = client.post(f"{url}/update", data={
        "csrf_token": token, "version": version, "status": "in_progress", "progress": "60",
        "files": [(io.BytesIO(content), name)]}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    a = _reload(Assignment, world.coop.id)
    assert a.progress == 0 and a.status == "not_started" and not a.updates
    assert _db.session.scalar(select(EvidenceFile.id)) is None


def _switch_browser():
    """Tests share one app context, and Flask-WTF caches the CSRF token in g: forget it per browser."""
    from flask import g

    g.pop("csrf_token", None)


def test_stale_version_from_a_second_browser_is_refused(app, world):
    first, second = app.test_client(), app.test_client()
    login(first, "tranphu.canbo")
    _h1, token1, version1 = _page(first, url := f"/assignments/{world.coop.id}")
    _switch_browser()
    login(second, "tranphu.hieutruong")
    _h2, token2, version2 = _page(second, url)
    assert version1 == version2
    _switch_browser()
    ok = first.post(f"{url}/update", data={"csrf_token": token1, "version": version1, "status": "in_progress",
                                             "progress": "30", "note": "Bản thứ nhất"})
    assert ok.status_code == 302
    _switch_browser()
    stale = second.post(
        f"{url}/update",
        data={
            "csrf_token": token2,
            "version": version2,
            "status": "in_progress",
            "progress": "80",
            "note": "Bản thứ hai",
        },
    )
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Dữ liệu đã được người khác cập nhật" in html and "Bản thứ hai" in html  # typed text kept
    a = _reload(Assignment, world.coop.id)
    assert a.progress == 30 and [u.note for u in a.updates] == ["Bản thứ nhất"]


def _post(client, url, data, page):
    _html, token, version = _page(client, page)
    return client.post(url, data={"csrf_token": token, "version": version, **data}, follow_redirects=True)


def test_cooperating_unit_signed_off_by_the_lead_head(client, world):
    coop = f"/assignments/{world.coop.id}"
    login(client, "tranphu.canbo")
    html = client.get(coop).get_data(as_text=True)
    assert "Trình xác nhận hoàn thành" not in html  # staff cannot submit
    client.post("/auth/logout", data={"csrf_token": CSRF_RE.search(html).group(1)})
    login(client, "tranphu.hieutruong")
    html = _post(client, f"{coop}/submit", {"note": "Đã hoàn thành"}, coop).get_data(as_text=True)
    assert "Đã trình xác nhận hoàn thành." in html and "Chờ xác nhận" in html
    client.post("/auth/logout", data={"csrf_token": CSRF_RE.search(html).group(1)})
    login(client, "qlcl.truongphong")
    work = client.get("/work").get_data(as_text=True)
    assert "Chờ bạn xác nhận (1)" in work and "Tiến độ các đơn vị phối hợp" in work
    html = _post(client, f"{coop}/sign-off", {"note": "Đạt yêu cầu"}, coop).get_data(as_text=True)
    assert "Đã xác nhận hoàn thành." in html
    a = _reload(Assignment, world.coop.id)
    assert a.status == "done" and a.progress == 100 and a.completed_at is not None
    assert _db.session.scalar(select(Notification).where(Notification.kind == "signed_off")).user_id == \
        world.users["coop_head"].id


def test_lead_submission_is_signed_off_by_the_office_not_the_lead_head(client, world):
    lead = f"/assignments/{world.lead.id}"
    login(client, "qlcl.truongphong")
    _post(client, f"{lead}/submit", {}, lead)
    html, token, version = _page(client, lead)
    assert "Xác nhận kết quả của" not in html  # no sign-off form for the lead's own head
    response = client.post(f"{lead}/sign-off", data={"csrf_token": token, "version": version})
    assert response.status_code == 403
    assert _reload(Assignment, world.lead.id).status == "submitted"
    client.post("/auth/logout", data={"csrf_token": token})
    login(client, "vanphong")
    _post(client, f"{lead}/sign-off", {}, lead)
    assert _reload(Assignment, world.lead.id).status == "done"
    task_html = client.get(f"/tasks/{world.task.id}").get_data(as_text=True)
    assert re.search(r'Tình trạng chung:\s*<span class="badge text-bg-success">Hoàn thành</span>', task_html)


def test_return_needs_a_reason(client, world):
    coop = f"/assignments/{world.coop.id}"
    login(client, "tranphu.hieutruong")
    _post(client, f"{coop}/submit", {}, coop)
    client.post("/auth/logout", data={"csrf_token": _page(client, coop)[1]})
    login(client, "giamdoc")
    html = _post(client, f"{coop}/return", {"reason": ""}, coop).get_data(as_text=True)
    assert "Vui lòng ghi lý do trả lại." in html
    assert _reload(Assignment, world.coop.id).status == "submitted"
    html = _post(client, f"{coop}/return", {"reason": "Thiếu danh sách cán bộ"}, coop).get_data(as_text=True)
    assert "Đã trả lại báo cáo cho đơn vị." in html
    a = _reload(Assignment, world.coop.id)
    assert a.status == "in_progress" and a.status_reason == "Thiếu danh sách cán bộ"


@pytest.mark.parametrize("decision,note,expected_due,status", [
    ("approve", "", date(2099, 12, 31), "approved"),
    ("refuse", "Không đủ căn cứ", DUE, "refused"),
])
def test_extension_request_and_decision(client, world, decision, note, expected_due, status):
    coop = f"/assignments/{world.coop.id}"
    login(client, "tranphu.canbo")
    html = _post(client, f"{coop}/extensions", {"requested_due_date": "31/12/2099", "reason": "Chờ thiết bị"},
                 coop).get_data(as_text=True)
    assert "Đã gửi đề nghị gia hạn." in html and "31/12/2099" in html
    client.post("/auth/logout", data={"csrf_token": _page(client, coop)[1]})
    login(client, "vanphong")
    pending = client.get("/extensions").get_data(as_text=True)
    assert "Chờ thiết bị" in pending
    request_id = _db.session.scalar(select(ExtensionRequest.id))
    html, token, _v = _page(client, "/extensions")
    response = client.post(f"/extensions/{request_id}/decide",
                           data={"csrf_token": token, decision: "1", "note": note, "next": "list"},
                           follow_redirects=True)
    assert "Không có đề nghị gia hạn nào đang chờ." in response.get_data(as_text=True)
    a = _reload(Assignment, world.coop.id)
    assert a.due_date == expected_due and a.original_due_date == DUE
    assert _reload(ExtensionRequest, request_id).status == status
    if decision == "approve":
        assert "Ban đầu: 31/03/2026" in client.get(coop).get_data(as_text=True)
    told = _db.session.scalar(
        select(Notification).where(
            Notification.kind == "extension_decided", Notification.user_id == world.users["coop_staff"].id
        )
    )
    assert told is not None


def test_refusing_without_a_note_is_refused(client, world):
    from app.services.work import deadline_extensions as extensions
    extensions.request_extension(world.users["coop_head"], world.coop, requested_due_date=date(2099, 1, 1),
                                 reason="x", today=date(2026, 1, 1))
    _db.session.commit()
    login(client, "giamdoc")
    html, token, _v = _page(client, "/extensions")
    response = client.post(f"/extensions/{_db.session.scalar(select(ExtensionRequest.id))}/decide",
                           data={"csrf_token": token, "refuse": "1", "note": ""}, follow_redirects=True)
    assert "Vui lòng ghi lý do không đồng ý gia hạn." in response.get_data(as_text=True)
    assert _reload(ExtensionRequest, _db.session.scalar(select(ExtensionRequest.id))).status == "pending"


def test_focal_person_chosen_by_the_head(client, world):
    coop = f"/assignments/{world.coop.id}"
    login(client, "tranphu.hieutruong")
    html = _post(client, f"{coop}/focal", {"user_id": str(world.users["coop_staff"].id)}, coop).get_data(
        as_text=True
    )
    assert "Đã lưu cán bộ đầu mối." in html and "Đầu mối: " + world.users["coop_staff"].full_name in html
    html = _post(client, f"{coop}/focal", {"user_id": str(world.users["other_staff"].id)}, coop).get_data(
        as_text=True
    )
    assert "Cán bộ đầu mối phải là người dùng đang hoạt động của đơn vị." in html
    assert _reload(Assignment, world.coop.id).focal_user_id == world.users["coop_staff"].id
