"""Bulk import of units and users from .xlsx: upload, preview with row errors, all-or-nothing confirm."""
import io

import openpyxl
import pytest
from sqlalchemy import event, func, select

from app.models import AuditLog, Unit, UnitAlias, User
from app.services.directory import directory_import
from tests.conftest import csrf_token
from tests.factories import UnitFactory, UnitGroupFactory, UserFactory
from tests.unit.test_directory_xlsx import UNIT_HEADER, USER_HEADER, unit, user, xlsx

PREVIEW_URL = "/admin/import/{}"


@pytest.fixture()
def admin(db):
    root = UnitFactory(kind="so", code="SGDDT", name="Sở GD&ĐT cũ")
    return UserFactory(username="quantri", role="admin", unit=root)


def upload(client, data: bytes, name="danh-sach.xlsx", follow_redirects=False):
    return client.post("/admin/import", data={
        "csrf_token": csrf_token(client, "/admin/import"), "file": (io.BytesIO(data), name),
    }, content_type="multipart/form-data", follow_redirects=follow_redirects)


def confirm(client, location: str, follow_redirects=True):
    return client.post(location, data={"csrf_token": csrf_token(client, location)},
                       follow_redirects=follow_redirects)


def counts(db):
    return (db.session.scalar(select(func.count(Unit.id))), db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(UnitAlias.id))))


GOOD_FILE = {
    "Đơn vị": [
        UNIT_HEADER,
        unit(code="SGDDT", name="Sở Giáo dục và Đào tạo", short="Sở GDĐT", kind="Sở GDĐT", parent=""),
        unit(code="QLCL", name="Phòng Quản lý chất lượng", kind="Phòng chuyên môn", aliases="QLCL - CĐS"),
        unit(
            code="THPT-NQ",
            name="Trường THPT Ngô Quyền",
            kind="truong hoc",
            parent="SGDDT",
            aliases="Trường Ngô Quyền; C3 Ngô Quyền",
        ),
        unit(code="PH-NQ", name="Phân hiệu Ngô Quyền", kind="school", parent="THPT-NQ"),
    ],
    "Người dùng": [
        USER_HEADER,
        user(username="qlcl.truongphong", name="Nguyễn Văn An", role="Thủ trưởng đơn vị", unit_code="QLCL"),
        user(
            username="nq.daumoi",
            name="Trần Thị Bình",
            role="unit_staff",
            unit_code="THPT-NQ",
            email="binh@example.edu.vn",
        ),
        user(
            username="vp.chuyenvien",
            name="Lê Văn C",
            role="Văn phòng Sở",
            unit_code="",
            password="KhacNua@2025",
        ),
    ],
}


def test_template_download(client, admin, login_as):
    login_as(admin)
    response = client.get("/admin/import/template")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Đơn vị", "Người dùng", "Hướng dẫn", "Danh mục"]
    assert workbook["Danh mục"].sheet_state == "hidden"  # the drop-downs' lists
    assert [c.value for c in workbook["Đơn vị"][1]] == UNIT_HEADER
    assert [c.value for c in workbook["Người dùng"][1]] == USER_HEADER
    assert workbook["Đơn vị"].max_row == 1 and workbook["Người dùng"].max_row == 1  # no sample rows


def test_import_page_documents_the_layout(client, admin, login_as):
    login_as(admin)
    page = client.get("/admin/import").get_data(as_text=True)
    for text in ("Mã đơn vị cấp trên", "Tên gọi khác", "Mật khẩu ban đầu", "Trường học (school)", "20.000"):
        assert text in page


def test_good_file_is_previewed_then_written(client, db, admin, login_as):
    UnitGroupFactory(name="CSGD")
    login_as(admin)
    response = upload(client, xlsx(GOOD_FILE))
    assert response.status_code == 302
    location = response.headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Không có lỗi." in page
    assert "Đơn vị: 3 mới, 1 cập nhật" in page and "Tài khoản: 3 mới, 0 cập nhật" in page
    assert page.count("cập nhật</span>") == 1
    assert "KhacNua" not in page and "MatKhau" not in page  # passwords are never shown
    assert counts(db) == (1, 1, 0)  # nothing written by the preview

    done = confirm(client, location)
    assert "Đã nhập danh sách: 3 đơn vị mới, 1 đơn vị cập nhật, 3 tài khoản mới, 0 tài khoản cập nhật." in \
        done.get_data(as_text=True)
    db.session.expire_all()
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    assert units["SGDDT"].name == "Sở Giáo dục và Đào tạo"  # the existing unit is updated
    assert units["SGDDT"].short_name == "Sở GDĐT" and units["SGDDT"].search_text.startswith("so giao duc")
    assert units["THPT-NQ"].parent_id == units["SGDDT"].id
    assert units["PH-NQ"].parent_id == units["THPT-NQ"].id  # parent defined further up in the same file
    assert units["QLCL"].kind == "division" and units["THPT-NQ"].kind == "school"
    assert sorted(a.alias for a in units["THPT-NQ"].aliases) == ["C3 Ngô Quyền", "Trường Ngô Quyền"]
    accounts = {u.username: u for u in db.session.scalars(select(User))}
    head = accounts["qlcl.truongphong"]
    assert (head.role, head.unit_id, head.must_change_password, head.is_active_account) == (
        "unit_head", units["QLCL"].id, True, True)
    assert head.check_password("MatKhau@2025") and accounts["vp.chuyenvien"].check_password("KhacNua@2025")
    assert accounts["nq.daumoi"].search_text == "nq.daumoi tran thi binh binh@example.edu.vn"
    assert accounts["vp.chuyenvien"].unit_id is None
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "directory_imported"))
    assert audit.details["units_created"] == 3 and audit.actor_id == admin.id
    # the search of the lists sees the imported rows at once
    assert "Trường THPT Ngô Quyền" in client.get("/admin/units?q=truong+thpt").get_data(as_text=True)

    again = upload(client, xlsx(GOOD_FILE))
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Đơn vị: 0 mới, 4 cập nhật" in page and "Tài khoản: 0 mới, 3 cập nhật" in page


def test_bad_rows_are_shown_and_nothing_is_written(client, db, admin, login_as):
    other = UnitFactory(code="KHCN", name="Sở Khoa học và Công nghệ", kind="external")
    db.session.add(UnitAlias(alias="Sở KHCN", folded="so khcn", unit=other))
    db.session.commit()
    UserFactory(username="dacoroi", role="unit_staff")
    bad = {
        "Đơn vị": [
            UNIT_HEADER,
            unit(code="OK1", name="Trường THPT Tốt"),
            unit(code="BAD1", name=""),
            unit(code="BAD2", kind="Nhà văn hoá"),
            unit(code="OK1", name="Trùng mã"),
            unit(code="BAD3", parent="KHONGCO"),
            unit(code="BAD4", aliases="Sở KHCN"),
            unit(code="BAD5", email="sai@"),
        ],
        "Người dùng": [
            USER_HEADER,
            user(username="u.ok", unit_code="OK1"),
            user(username="u.ok", name="Trùng tên đăng nhập", unit_code="OK1"),
            user(username="u.nounit", unit_code="KHONGCO"),
            user(username="u.short", unit_code="OK1", password="1234"),
            user(username="u.role", role="Bảo vệ", unit_code="OK1"),
            user(username="u.nopass", unit_code="OK1", password=""),
            user(username="dacoroi", unit_code="OK1", password=""),
        ],
    }
    login_as(admin)
    location = upload(client, xlsx(bad)).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    for message in (
        "Có <strong>11</strong> dòng lỗi",
        "Thiếu tên đơn vị.",
        "Loại đơn vị không hợp lệ: Nhà văn hoá.",
        "Mã đơn vị OK1 trùng với dòng 2.",
        "Mã đơn vị cấp trên KHONGCO không có trong hệ thống và trong tệp.",
        "Tên gọi khác “Sở KHCN” đã được dùng cho đơn vị Sở Khoa học và Công nghệ.",
        "E-mail không hợp lệ: sai@.",
        "Tên đăng nhập u.ok trùng với dòng 2.",
        "Mã đơn vị KHONGCO không có trong hệ thống và trong tệp.",
        "Mật khẩu ban đầu phải có ít nhất 8 ký tự.",
        "Vai trò không hợp lệ: Bảo vệ.",
        "Thiếu mật khẩu ban đầu cho tài khoản mới.",
    ):
        assert message in page, message
    assert 'disabled>Xác nhận nhập dữ liệu' in page.replace("\n", "")
    only = client.get(location + "?only=errors").get_data(as_text=True)
    assert "BAD1" in only and "Trường THPT Tốt" not in only

    before = counts(db)
    refused = confirm(client, location)
    assert "Tệp còn 11 dòng lỗi: chưa ghi dữ liệu nào." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert counts(db) == before
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "directory_imported")) is None


def test_a_failure_while_writing_rolls_everything_back(client, db, admin, login_as, monkeypatch):
    login_as(admin)
    location = upload(client, xlsx(GOOD_FILE)).headers["Location"]
    before = counts(db)

    def broken(*args, **kwargs):
        from app.services.errors import DomainError

        raise DomainError("Lỗi giả lập khi ghi tài khoản.")

    monkeypatch.setattr(directory_import, "_write_users", broken)
    response = confirm(client, location)
    assert "Lỗi giả lập khi ghi tài khoản." in response.get_data(as_text=True)
    db.session.expire_all()
    assert counts(db) == before
    assert db.session.scalar(select(Unit.name).where(Unit.code == "SGDDT")) == "Sở GD&ĐT cũ"


def test_own_role_cannot_be_changed_by_import(client, admin, login_as):
    login_as(admin)
    data = xlsx({"Người dùng": [USER_HEADER, user(username="quantri", role="office", unit_code="SGDDT")]})
    page = client.get(upload(client, data).headers["Location"]).get_data(as_text=True)
    assert "Không thể thay đổi vai trò của chính bạn qua tệp nhập." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 hong roi", "Tệp không phải là .xlsx hợp lệ"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls (Excel 97-2003) chưa đọc được"),
        (xlsx({"Trang 1": [["STT", "Nội dung"]]}), "Không tìm thấy trang tính"),
    ],
)
def test_unreadable_files_get_a_vietnamese_message(client, db, admin, login_as, data, message):
    login_as(admin)
    response = upload(client, data, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert counts(db) == (1, 1, 0)


def test_file_over_the_size_limit_is_refused(app, client, admin, login_as, monkeypatch):
    data = xlsx(GOOD_FILE)
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", len(data) - 1)
    login_as(admin)
    assert "Tệp quá lớn" in upload(client, data, follow_redirects=True).get_data(as_text=True)


def test_upload_without_file_or_csrf(client, db, admin, login_as):
    login_as(admin)
    no_file = client.post("/admin/import", data={"csrf_token": csrf_token(client, "/admin/import")},
                          follow_redirects=True)
    assert "Vui lòng chọn tệp .xlsx." in no_file.get_data(as_text=True)
    forged = client.post("/admin/import", data={"file": (io.BytesIO(xlsx(GOOD_FILE)), "a.xlsx")},
                         content_type="multipart/form-data")
    assert forged.status_code == 400


def test_forged_confirm_without_csrf_writes_nothing(client, db, admin, login_as):
    login_as(admin)
    location = upload(client, xlsx(GOOD_FILE)).headers["Location"]
    assert client.post(location).status_code == 400
    db.session.expire_all()
    assert counts(db) == (1, 1, 0)


def test_unknown_or_malformed_pending_file(client, admin, login_as):
    login_as(admin)
    page = client.get(PREVIEW_URL.format("0" * 64), follow_redirects=True).get_data(as_text=True)
    assert "Tệp tải lên đã hết hạn hoặc không tồn tại" in page
    page = client.get(PREVIEW_URL.format("khong-hop-le"), follow_redirects=True).get_data(as_text=True)
    assert "Mã tệp tải lên không hợp lệ." in page


def big_file(n_units: int, n_users: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    units = workbook.create_sheet("Don vi")
    units.append(UNIT_HEADER)
    for i in range(n_units):
        units.append(unit(code=f"TR{i:05d}", name=f"Trường THPT Số {i}", kind="Trường học", parent="SGDDT",
                          aliases=f"Trường số {i}; C3 số {i}"))
    users = workbook.create_sheet("Nguoi dung")
    users.append(USER_HEADER)
    for i in range(n_users):
        users.append(user(username=f"gv{i:05d}", name=f"Nguyễn Văn {i}", role="Chuyên viên",
                          unit_code=f"TR{i % n_units:05d}"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_province_imports_with_a_fixed_number_of_queries(db, admin):
    """1,700 schools and 2,000 accounts: no query per row (bench/bench_directory_import.py times it)."""
    data = big_file(1700, 2000)
    statements = []
    listener = lambda *args, **kwargs: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        preview = directory_import.build_preview(admin, data)
        preview_queries = len(statements)
        summary = directory_import.import_directory(admin, data)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert preview.error_count == 0
    assert (summary.units_created, summary.units_updated, summary.users_created) == (1700, 0, 2000)
    assert preview_queries <= 10
    assert len(statements) <= 40
    assert counts(db) == (1701, 2001, 3400)
    assert db.session.scalar(select(func.count(Unit.id)).where(Unit.parent_id.is_not(None))) == 1700


def test_many_distinct_passwords_are_announced(db, admin, monkeypatch):
    monkeypatch.setattr(directory_import, "SLOW_PASSWORD_COUNT", 2)
    rows = [USER_HEADER] + [
        user(username=f"u{i}", unit_code="SGDDT", password=f"MatKhau{i:04d}") for i in range(3)
    ]
    preview = directory_import.build_preview(admin, xlsx({"Người dùng": rows}))
    assert preview.parsed.warnings == [
        "Tệp có 3 mật khẩu ban đầu khác nhau: mỗi mật khẩu được mã hoá riêng nên việc nhập có thể mất vài "
        "phút. Nên dùng chung một mật khẩu ban đầu (người dùng phải đổi khi đăng nhập lần đầu) hoặc "
        "chia nhỏ tệp."
    ]
