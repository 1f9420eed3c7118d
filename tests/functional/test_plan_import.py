"""Plan import through the command line contract and the web flow (upload, preview, confirm)."""
import io
import json
import re

import pytest
from sqlalchemy import func, select

from app.models import Assignment, AuditLog, Plan, Task, Unit
from app.services.demo.seed import seed_directory, seed_users
from tests.conftest import DATA_DIR, csrf_token, login

FIXTURE = DATA_DIR / "haiphong_phuluc_2025-2026.docx"
EXPECTED = json.loads((DATA_DIR / "haiphong_phuluc_2025-2026.expected.json").read_text(encoding="utf-8"))


@pytest.fixture()
def directory(db):
    units, _ = seed_directory()
    users = {u.username: u for u in seed_users(units, "tdnv-demo")}
    db.session.commit()
    return units, users


def _count(db, model):
    return db.session.scalar(select(func.count(model.id)))


def test_cli_dry_run_prints_the_contract_and_writes_nothing(runner, db):
    result = runner.invoke(args=["plans", "import", str(FIXTURE), "--dry-run", "--format", "json"])
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert output["source"] == EXPECTED["source"]
    assert len(output["tasks"]) == len(EXPECTED["tasks"])
    for got, want in zip(output["tasks"], EXPECTED["tasks"], strict=True):
        for key, value in want.items():
            if key == "warning_mentions":
                for mention in value:
                    assert any(mention in w for w in got["warnings"]), (got["ref"], got["warnings"])
            else:
                assert got[key] == value, (want["ref"], key)
    assert _count(db, Plan) == 0


def test_cli_dry_run_resolves_against_the_directory(runner, directory):
    result = runner.invoke(args=["plans", "import", str(FIXTURE), "--dry-run", "--format", "json"])
    tasks = json.loads(result.stdout)["tasks"]
    assert tasks[0]["lead"] == ["Văn phòng Sở"] and tasks[0]["cooperating"] == ["Các phòng", "CSGD"]


@pytest.mark.parametrize("content,name", [
    (b"not a document at all \x00\x01\x02" * 10, "rac.docx"),
    (FIXTURE.read_bytes()[:4000], "cut.docx"),
    (b"%PDF-1.7\n...", "scan.pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc"),
])
def test_cli_refuses_bad_files_with_one_line(runner, db, tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["plans", "import", str(path)])
    assert result.exit_code != 0
    message = result.stderr.strip()
    assert message and "\n" not in message and "Traceback" not in result.output
    assert _count(db, Plan) == 0


def test_cli_import_creates_plan_tasks_and_assignments_then_refuses_a_second_time(runner, directory, db):
    units, _ = directory
    result = runner.invoke(args=["plans", "import", str(FIXTURE), "--plan-number", "1295/KH-SGDĐT",
                                 "--date", "20/10/2025", "--school-year", "2025-2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    plan = db.session.get(Plan, summary["plan_id"])
    assert plan.number == "1295/KH-SGDĐT" and plan.issued_on.isoformat() == "2025-10-20"
    assert summary["tasks"] == 25 and summary["unresolved_names"] == 1  # "Cơ sở thí điểm"
    # Task 20: the office leads, every school and centre (CSGD) cooperates.
    task20 = db.session.scalar(select(Task).where(Task.plan_id == plan.id, Task.ref == "20"))
    roles = {a.unit.code: a.role for a in task20.assignments}
    csgd = [u for u in units.values() if u.kind in ("school", "centre")]
    assert roles.pop("VP") == "lead" and len(roles) == len(csgd)
    assert set(roles.values()) == {"cooperating"}
    # Task 11: "Phòng chuyên môn" leads: every phòng gets its own lead assignment.
    task11 = db.session.scalar(select(Task).where(Task.plan_id == plan.id, Task.ref == "11"))
    leads = {a.unit.code for a in task11.assignments if a.role == "lead"}
    assert leads == {"GDPT", "GDTRH", "QLCL", "KHTC", "TCCB", "TCHC", "GDNN"}
    # Task 17's "Cơ sở thí điểm" stays on the task until the office picks the pilot schools.
    task17 = db.session.scalar(select(Task).where(Task.plan_id == plan.id, Task.ref == "17"))
    assert task17.unresolved_units == ["Cơ sở thí điểm"]
    again = runner.invoke(args=["plans", "import", str(FIXTURE)])
    assert again.exit_code != 0 and "đã được nhập" in again.stderr
    assert _count(db, Plan) == 1


def test_lead_role_wins_over_group_cooperation(runner, directory, db, tmp_path):
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nội dung", "Thời gian", "Đơn vị chủ trì",
                                                 "Đơn vị phối hợp"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "Triển khai học bạ số", "12/2025",
                                                 "Trường THPT Ngô Quyền", "CSGD"], strict=True):
        cell.text = text
    path = tmp_path / "nho.docx"
    doc.save(path)
    assert runner.invoke(args=["plans", "import", str(path)]).exit_code == 0
    task = db.session.scalar(select(Task))
    ngo_quyen = db.session.scalar(select(Unit).where(Unit.name == "Trường THPT Ngô Quyền"))
    mine = [a for a in task.assignments if a.unit_id == ngo_quyen.id]
    assert len(mine) == 1 and mine[0].role == "lead"
    assert mine[0].due_date.isoformat() == "2025-12-31" == mine[0].original_due_date.isoformat()


def _upload(client, content: bytes, name: str, follow=True):
    token = csrf_token(client, "/plans/")
    return client.post("/plans/import", data={"file": (io.BytesIO(content), name), "csrf_token": token},
                       content_type="multipart/form-data", follow_redirects=follow)


def test_web_upload_preview_confirm(client, directory, db):
    login(client, "vanphong", "tdnv-demo")
    response = _upload(client, FIXTURE.read_bytes(), FIXTURE.name, follow=False)
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "25 nhiệm vụ" in page and "Cơ sở thí điểm" in page and "25/12/2026" in page
    assert _count(db, Plan) == 0  # the preview writes nothing
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    done = client.post(preview_url.split("?")[0], data={
        "csrf_token": token, "filename": FIXTURE.name, "title": "Kế hoạch CNTT 2025-2026",
        "number": "1295/KH-SGDĐT", "issued_on": "20/10/2025", "school_year": "2025-2026",
        "confirm": "Xác nhận nhập kế hoạch",
    }, follow_redirects=True)
    assert "Đã nhập kế hoạch với 25 nhiệm vụ." in done.get_data(as_text=True)
    assert _count(db, Task) == 25 and _count(db, Assignment) > 500
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "plan_imported"))
    # the same file again: a warning, never a duplicate
    again = client.get(_upload(client, FIXTURE.read_bytes(), FIXTURE.name, follow=False).headers["Location"])
    assert "đã được nhập thành kế hoạch" in again.get_data(as_text=True)


def test_web_preview_rejects_a_bad_date(client, directory, db):
    login(client, "vanphong", "tdnv-demo")
    preview_url = _upload(client, FIXTURE.read_bytes(), FIXTURE.name, follow=False).headers["Location"]
    token = csrf_token(client, preview_url)
    page = client.post(preview_url.split("?")[0], data={
        "csrf_token": token, "filename": FIXTURE.name, "title": "KH", "issued_on": "31/02/2025",
        "confirm": "x"}).get_data(as_text=True)
    assert "Ngày không hợp lệ" in page and _count(db, Plan) == 0


@pytest.mark.parametrize("content,name,message", [
    (b"PK\x03\x04garbage" * 100, "hong.docx", "docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cu.doc", "docx"),
])
def test_web_refuses_bad_files_and_writes_nothing(client, directory, db, content, name, message):
    login(client, "vanphong", "tdnv-demo")
    page = _upload(client, content, name).get_data(as_text=True)
    assert "alert-danger" in page and message in page
    assert _count(db, Plan) == 0


def test_web_refuses_an_oversized_upload(client, app, directory, db):
    login(client, "vanphong", "tdnv-demo")
    token = csrf_token(client, "/plans/")
    big = io.BytesIO(b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1024))
    response = client.post("/plans/import", data={"file": (big, "lon.docx"), "csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "vượt quá dung lượng" in response.get_data(as_text=True)
    assert _count(db, Plan) == 0


def test_web_import_needs_csrf_and_permission(client, directory, db):
    login(client, "qlcl.truongphong", "tdnv-demo")
    token = csrf_token(client, "/")
    response = client.post("/plans/import", data={"file": (io.BytesIO(FIXTURE.read_bytes()), "a.docx"),
                                                  "csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 403
    client.post("/auth/logout", data={"csrf_token": token})
    login(client, "vanphong", "tdnv-demo")
    forged = client.post("/plans/import", data={"file": (io.BytesIO(FIXTURE.read_bytes()), "a.docx")},
                         content_type="multipart/form-data")
    assert forged.status_code == 400
    assert _count(db, Plan) == 0


def test_plans_list_exports_to_excel(client, directory, db, runner):
    from io import BytesIO

    from openpyxl import load_workbook

    runner.invoke(args=["plans", "import", str(FIXTURE), "--plan-number", "1295/KH-SGDĐT",
                        "--date", "20/10/2025"])
    login(client, "giamdoc", "tdnv-demo")
    assert "Xuất Excel" in client.get("/plans/").get_data(as_text=True)
    response = client.get("/plans/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["Số hiệu"] == "1295/KH-SGDĐT" and row["Số nhiệm vụ"] == 25
    assert row["Ngày ban hành"].strftime("%d/%m/%Y") == "20/10/2025"
