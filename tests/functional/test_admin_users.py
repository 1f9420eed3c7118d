"""Administration of user accounts: create, edit, lock, reset password, search and export."""
import io

import openpyxl
import pytest
from sqlalchemy import select

from app.models import AuditLog, User
from tests.conftest import csrf_token, login
from tests.factories import SchoolFactory, UnitFactory, UserFactory


@pytest.fixture()
def admin(db):
    return UserFactory(username="quantri", role="admin", full_name="Quản trị viên")


def _switch_to(client, username, password):
    """Log out, then log in as someone else (one client: the tests share one app context, hence g)."""
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/admin/users")})
    return login(client, username, password, follow_redirects=False)


def _post(client, url, data, **kwargs):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


def test_create_user_must_change_password_at_first_login(client, db, admin, login_as):
    school = SchoolFactory(code="NQ", name="Trường THPT Ngô Quyền")
    login_as(admin)
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert '<optgroup label="Trường học">' in page and "Trường THPT Ngô Quyền (NQ)" in page
    response = _post(client, "/admin/users/new", {
        "username": " NQ.DauMoi ", "full_name": "Trần Thị Bình", "email": "binh@example.edu.vn",
        "phone": "0912 345 678", "role": "unit_staff", "unit_id": str(school.id), "password": "TamThoi@2025",
    }, follow_redirects=True)
    assert "Đã tạo tài khoản nq.daumoi." in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.username == "nq.daumoi"))
    assert (user.full_name, user.role, user.unit_id, user.phone) == ("Trần Thị Bình", "unit_staff", school.id,
                                                                     "0912 345 678")
    assert user.must_change_password and user.is_active_account and user.check_password("TamThoi@2025")
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.object_id == user.id)) == "user_created"

    first = _switch_to(client, "nq.daumoi", "TamThoi@2025")
    assert first.status_code == 302
    assert client.get("/").headers["Location"].endswith("/auth/password")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "quantri"}, "Tên đăng nhập &#39;quantri&#39; đã được sử dụng."),
        ({"password": "ngan"}, "Mật khẩu phải có ít nhất 8 ký tự."),
        ({"unit_id": ""}, "phải thuộc một đơn vị."),
        ({"email": "khong-hop-le"}, "E-mail không hợp lệ."),
        ({"username": "có dấu"}, "Tên đăng nhập chỉ gồm"),
        ({"full_name": ""}, "Vui lòng nhập họ và tên."),
    ],
)
def test_create_user_refusals(client, db, admin, login_as, changes, message):
    school = SchoolFactory()
    login_as(admin)
    data = {"username": "moi", "full_name": "Người Mới", "role": "unit_head", "unit_id": str(school.id),
            "password": "TamThoi@2025", **changes}
    page = _post(client, "/admin/users/new", data).get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(User).where(User.username == "moi")) is None


def test_edit_user(client, db, admin, login_as):
    old_unit, new_unit = UnitFactory(name="Phòng Cũ"), UnitFactory(name="Phòng Mới")
    user = UserFactory(username="cv1", full_name="Nguyen Van A", unit=old_unit)
    login_as(admin)
    url = f"/admin/users/{user.id}/edit"
    assert 'value="cv1"' in client.get(url).get_data(as_text=True)
    response = _post(
        client,
        url,
        {
            "username": "cv1",
            "full_name": "Nguyễn Văn A",
            "role": "unit_head",
            "unit_id": str(new_unit.id),
            "email": "",
            "phone": "",
        },
        follow_redirects=True,
    )
    assert "Đã lưu tài khoản cv1." in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.full_name, user.role, user.unit_id, user.email) == (
        "Nguyễn Văn A",
        "unit_head",
        new_unit.id,
        None,
    )
    assert user.search_text.startswith("cv1 nguyen van a")


def test_admin_cannot_change_own_role_or_lock_self(client, db, admin, login_as):
    login_as(admin)
    url = f"/admin/users/{admin.id}/edit"
    page = _post(client, url, {"username": "quantri", "full_name": "Quản trị viên", "role": "office",
                               "unit_id": str(admin.unit_id)}).get_data(as_text=True)
    assert "Bạn không thể tự thay đổi vai trò của chính mình." in page
    listing = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{admin.id}/deactivate" not in listing
    response = client.post(
        f"/admin/users/{admin.id}/deactivate",
        data={"csrf_token": csrf_token(client, "/admin/users")},
        follow_redirects=True,
    )
    assert "Bạn không thể khoá tài khoản của chính mình." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active_account and db.session.get(User, admin.id).role == "admin"


def test_lock_and_unlock_user(client, db, admin, login_as):
    user = UserFactory(username="bikhoa")
    login_as(admin)
    listing = client.get("/admin/users").get_data(as_text=True)
    assert 'data-confirm="Khoá tài khoản bikhoa? Người dùng sẽ không đăng nhập được."' in listing
    token = csrf_token(client, "/admin/users")
    response = client.post(
        f"/admin/users/{user.id}/deactivate", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Đã khoá tài khoản bikhoa." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active_account is False
    assert "Đã khoá" in client.get("/admin/users?status=inactive").get_data(as_text=True)
    client.post(f"/admin/users/{user.id}/activate", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, user.id).is_active_account is True


def test_locked_account_cannot_log_in(client, db, admin, login_as):
    user = UserFactory(username="bikhoa")
    login_as(admin)
    client.post(f"/admin/users/{user.id}/deactivate", data={"csrf_token": csrf_token(client, "/admin/users")})
    attempt = _switch_to(client, "bikhoa", "secret-pass-1")
    assert attempt.status_code == 200  # the log-in form again, with an error
    assert client.get("/").status_code == 302


def test_reset_password(client, db, admin, login_as):
    user = UserFactory(username="quenmk")
    login_as(admin)
    url = f"/admin/users/{user.id}/password"
    mismatch = _post(client, url, {"password": "TamThoi@2025", "confirm": "Khac@2025"}).get_data(as_text=True)
    assert "Hai mật khẩu không khớp." in mismatch
    response = _post(
        client, url, {"password": "TamThoi@2025", "confirm": "TamThoi@2025"}, follow_redirects=True
    )
    assert "Đã đặt mật khẩu tạm thời cho quenmk" in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.check_password("TamThoi@2025") and user.must_change_password
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "password_reset_by_admin")) is not None


def test_search_and_filters(client, admin, login_as):
    school = SchoolFactory(name="Trường THPT Ngô Quyền")
    UserFactory(username="nq.head", full_name="Phạm Thị Hương", role="unit_head", unit=school)
    UserFactory(username="vp1", full_name="Đỗ Văn Đức", role="office")
    UserFactory(username="old", full_name="Phạm Văn Cũ", is_active_account=False)
    login_as(admin)
    page = client.get("/admin/users?q=pham+huong").get_data(as_text=True)
    assert "nq.head" in page and "vp1" not in page
    page = client.get("/admin/users?q=DO+VAN+DUC").get_data(as_text=True)
    assert "Đỗ Văn Đức" in page and "nq.head" not in page
    page = client.get("/admin/users?role=unit_head").get_data(as_text=True)
    assert "nq.head" in page and "vp1" not in page
    page = client.get(f"/admin/users?unit={school.id}").get_data(as_text=True)
    assert "nq.head" in page and "vp1" not in page and ">Trường THPT Ngô Quyền</option>" in page
    page = client.get("/admin/users?q=pham&status=active").get_data(as_text=True)
    assert "nq.head" in page and ">old<" not in page


def test_export_users(client, db, admin, login_as):
    school = SchoolFactory(code="NQ", name="Trường THPT Ngô Quyền")
    UserFactory(
        username="nq.head", full_name="Phạm Thị Hương", role="unit_head", unit=school, phone="0912345678"
    )
    UserFactory(username="vp1", role="office")
    login_as(admin)
    response = client.get("/admin/users/export?role=unit_head")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Người dùng"
    assert rows[0][:8] == ("Tên đăng nhập", "Họ và tên", "E-mail", "Điện thoại", "Vai trò", "Mã đơn vị",
                           "Tên đơn vị", "Trạng thái")
    assert rows[1:] == [("nq.head", "Phạm Thị Hương", "nq.head@example.vn", "0912345678", "Thủ trưởng đơn vị",
                         "NQ", "Trường THPT Ngô Quyền", "Đang hoạt động", None, rows[1][9])]
    assert rows[1][9] is not None and sheet.cell(row=2, column=10).number_format == "dd/mm/yyyy"
    assert "password" not in str(rows).lower()


def test_forged_posts_without_csrf_change_nothing(client, db, admin, login_as):
    user = UserFactory(username="giunguyen", full_name="Giữ Nguyên")
    login_as(admin)
    assert client.post(f"/admin/users/{user.id}/deactivate").status_code == 400
    assert client.post(f"/admin/users/{user.id}/password",
                       data={"password": "Hacker@2025", "confirm": "Hacker@2025"}).status_code == 400
    assert (
        client.post(
            f"/admin/users/{user.id}/edit",
            data={"username": "x", "full_name": "X", "role": "admin", "unit_id": ""},
        ).status_code
        == 400
    )
    assert client.post("/admin/users/new", data={"username": "new", "full_name": "N", "role": "admin",
                                                 "password": "Hacker@2025"}).status_code == 400
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.is_active_account, user.role, user.full_name) == (True, "unit_staff", "Giữ Nguyên")
    assert not user.check_password("Hacker@2025")
    assert db.session.scalar(select(User).where(User.username == "new")) is None


def test_failed_mail_page_and_requeue(client, db):
    from app.models import OutboxMessage
    from tests.conftest import csrf_token, login
    from tests.factories import PASSWORD, UserFactory

    admin = UserFactory(role="admin")
    message = OutboxMessage(to_address="hieutruong@example.vn", subject="[TDNV] Nhắc hạn", body_text="x",
                            message_id="<m1@tdnv>", status="failed", attempts=5, last_error="SMTP 550")
    db.session.add(message)
    db.session.commit()
    login(client, admin.username, PASSWORD)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "hieutruong@example.vn" in page and "SMTP 550" in page
    token = csrf_token(client, "/admin/mail")
    client.post(f"/admin/mail/{message.id}/requeue", data={"csrf_token": token})
    db.session.refresh(message)
    assert message.status == "pending" and message.attempts == 0
