"""Administration of units and unit groups through the web pages, as admin and as everyone else."""
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from app.models import AuditLog, Unit, UnitAlias
from app.models.units import KIND_DEPARTMENT_OF_EDUCATION, KIND_SCHOOL
from tests.conftest import csrf_token
from tests.factories import SchoolFactory, UnitFactory, UnitGroupFactory, UserFactory

ADMIN_PAGES = [
    "/admin/units", "/admin/units?q=truong&kind=school&status=active&page=2", "/admin/units/new",
    "/admin/units/{unit}/edit", "/admin/units/export", "/admin/groups", "/admin/groups/{group}",
    "/admin/users", "/admin/users?q=nguyen&role=unit_staff&status=inactive&unit={unit}", "/admin/users/new",
    "/admin/users/{user}/edit", "/admin/users/{user}/password", "/admin/users/export",
    "/admin/import", "/admin/import/template",
]
ADMIN_POSTS = ["/admin/units/{unit}/deactivate", "/admin/units/{unit}/activate",
               "/admin/users/{user}/deactivate", "/admin/users/{user}/activate"]


@pytest.fixture()
def admin(db):
    return UserFactory(username="quantri", role="admin", full_name="Quản trị viên")


def _fill(url, unit, group, user):
    return url.format(unit=unit.id, group=group.id, user=user.id)


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_sees_every_page(client, admin, login_as, url):
    unit, group = SchoolFactory(), UnitGroupFactory()
    login_as(admin)
    response = client.get(_fill(url, unit, group, admin))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["office", "director", "unit_head", "unit_staff"])
def test_other_roles_are_refused(client, db, login_as, role):
    user = UserFactory(role=role)
    unit, group = SchoolFactory(), UnitGroupFactory()
    login_as(user)
    for url in ADMIN_PAGES:
        assert client.get(_fill(url, unit, group, user)).status_code == 403, url
    token = csrf_token(client, "/notifications")
    for url in ADMIN_POSTS:
        assert client.post(_fill(url, unit, group, user), data={"csrf_token": token}).status_code == 403, url
    assert db.session.get(Unit, unit.id).is_active


def test_anonymous_is_sent_to_login(client, db):
    unit, group, user = SchoolFactory(), UnitGroupFactory(), UserFactory()
    for url in ADMIN_PAGES:
        response = client.get(_fill(url, unit, group, user))
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]


def test_menu_links_for_admin(client, admin, login_as):
    page = login_as(admin).get_data(as_text=True)
    for label in ("Đơn vị", "Người dùng", "Nhập danh sách"):
        assert label in page


def test_create_unit_with_aliases(client, db, admin, login_as):
    root = UnitFactory(kind=KIND_DEPARTMENT_OF_EDUCATION, code="SGDDT", name="Sở Giáo dục và Đào tạo")
    login_as(admin)
    response = client.post("/admin/units/new", data={
        "csrf_token": csrf_token(client, "/admin/units/new"), "kind": "school", "code": "THPT-NQ",
        "name": "Trường THPT Ngô Quyền", "short_name": "THPT Ngô Quyền", "email": "nq@example.edu.vn",
        "parent_id": str(root.id), "aliases": "Trường Ngô Quyền\n\ntruong ngo quyen\nC3 Ngô Quyền",
    }, follow_redirects=True)
    assert "Đã thêm đơn vị Trường THPT Ngô Quyền." in response.get_data(as_text=True)
    unit = db.session.scalar(select(Unit).where(Unit.code == "THPT-NQ"))
    assert (unit.kind, unit.parent_id, unit.email, unit.is_active) == (
        KIND_SCHOOL,
        root.id,
        "nq@example.edu.vn",
        True,
    )
    assert sorted(a.alias for a in unit.aliases) == ["C3 Ngô Quyền", "Trường Ngô Quyền"]
    assert {a.folded for a in unit.aliases} == {"c3 ngo quyen", "truong ngo quyen"}
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "unit_created")).object_id == unit.id


def test_create_unit_refuses_duplicate_code_and_taken_alias(client, db, admin, login_as):
    other = SchoolFactory(code="LQD", name="Trường THPT Lê Quý Đôn")
    db.session.add(UnitAlias(alias="Trường Lê Quý Đôn", folded="truong le quy don", unit=other))
    db.session.commit()
    login_as(admin)
    form = {"kind": "school", "code": "lqd", "name": "Trường mới", "parent_id": "", "aliases": ""}
    page = client.post(
        "/admin/units/new", data={**form, "csrf_token": csrf_token(client, "/admin/units/new")}
    )
    assert "Mã đơn vị lqd đã được dùng cho Trường THPT Lê Quý Đôn." in page.get_data(as_text=True)
    form.update(code="NEW", aliases="TRƯỜNG LÊ QUÝ ĐÔN")
    page = client.post(
        "/admin/units/new", data={**form, "csrf_token": csrf_token(client, "/admin/units/new")}
    )
    assert (
        "Tên gọi khác “TRƯỜNG LÊ QUÝ ĐÔN” đã được dùng cho đơn vị Trường THPT Lê Quý Đôn."
        in page.get_data(as_text=True)
    )
    assert db.session.scalar(select(func.count(Unit.id))) == 2  # admin's unit and LQD only


def test_edit_unit_and_replace_aliases(client, db, admin, login_as):
    unit = SchoolFactory(code="NQ", name="Trường THPT Ngo Quyen")
    db.session.add(UnitAlias(alias="Cũ", folded="cu", unit=unit))
    db.session.commit()
    login_as(admin)
    url = f"/admin/units/{unit.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Trường THPT Ngo Quyen" in page and "Cũ</textarea>" in page
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "kind": "school", "code": "NQ",
                                      "name": "Trường THPT Ngô Quyền", "parent_id": "", "aliases": "Mới"},
                           follow_redirects=True)
    assert "Đã lưu đơn vị Trường THPT Ngô Quyền." in response.get_data(as_text=True)
    db.session.expire_all()
    unit = db.session.get(Unit, unit.id)
    assert unit.name == "Trường THPT Ngô Quyền"
    assert unit.search_text.startswith("truong thpt ngo quyen")
    assert [a.alias for a in unit.aliases] == ["Mới"]


def test_unit_cannot_be_its_own_ancestor(client, db, admin, login_as):
    parent = UnitFactory(code="P")
    child = UnitFactory(code="C", parent=parent)
    login_as(admin)
    url = f"/admin/units/{parent.id}/edit"
    page = client.post(url, data={"csrf_token": csrf_token(client, url), "kind": "division", "code": "P",
                                  "name": parent.name, "parent_id": str(child.id), "aliases": ""})
    assert "không thể là chính đơn vị này hoặc đơn vị cấp dưới" in page.get_data(as_text=True)
    assert db.session.get(Unit, parent.id).parent_id is None


def test_deactivate_and_reactivate_unit(client, db, admin, login_as):
    parent = UnitFactory(code="P", name="Phòng Cha")
    school = SchoolFactory(code="S1", name="Trường THPT Số Một", parent=parent)
    login_as(admin)
    listing = client.get("/admin/units").get_data(as_text=True)
    assert 'data-confirm="Ngừng hoạt động đơn vị Trường THPT Số Một?"' in listing
    token = csrf_token(client, "/admin/units")
    refused = client.post(
        f"/admin/units/{parent.id}/deactivate", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Đơn vị còn 1 đơn vị cấp dưới đang hoạt động" in refused.get_data(as_text=True)
    done = client.post(
        f"/admin/units/{school.id}/deactivate", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Đã ngừng hoạt động đơn vị Trường THPT Số Một." in done.get_data(as_text=True)
    assert db.session.get(Unit, school.id).is_active is False
    inactive = client.get("/admin/units?status=inactive").get_data(as_text=True)
    assert f"/admin/units/{school.id}/edit" in inactive and f"/admin/units/{parent.id}/edit" not in inactive
    client.post(f"/admin/units/{school.id}/activate", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Unit, school.id).is_active is True


def test_state_changes_are_post_only(client, admin, login_as):
    school = SchoolFactory()
    login_as(admin)
    assert client.get(f"/admin/units/{school.id}/deactivate").status_code == 405


def test_forged_post_without_csrf_is_refused(client, db, admin, login_as):
    school = SchoolFactory(name="Trường THPT Giữ Nguyên")
    login_as(admin)
    assert client.post(f"/admin/units/{school.id}/deactivate").status_code == 400
    forged = client.post(
        f"/admin/units/{school.id}/edit", data={"kind": "school", "code": "X", "name": "Đổi"}
    )
    assert forged.status_code == 400
    created = client.post("/admin/units/new", data={"kind": "school", "code": "NEW", "name": "Mới"})
    assert created.status_code == 400
    db.session.expire_all()
    school = db.session.get(Unit, school.id)
    assert (school.is_active, school.name) == (True, "Trường THPT Giữ Nguyên")
    assert db.session.scalar(select(Unit).where(Unit.code == "NEW")) is None


def test_search_ignores_diacritics_and_filters(client, admin, login_as):
    SchoolFactory(code="NQ", name="Trường THPT Ngô Quyền")
    SchoolFactory(code="TP", name="Trường THPT Trần Phú", is_active=False)
    UnitFactory(code="QLCL", name="Phòng Quản lý chất lượng")
    login_as(admin)
    page = client.get("/admin/units?q=truong+thpt").get_data(as_text=True)
    assert "Trường THPT Ngô Quyền" in page and "Trường THPT Trần Phú" in page
    assert "Phòng Quản lý chất lượng" not in page
    page = client.get("/admin/units?q=TRUONG+ngo").get_data(as_text=True)
    assert "Trường THPT Ngô Quyền" in page and "Trần Phú" not in page
    page = client.get("/admin/units?q=truong+thpt&status=active").get_data(as_text=True)
    assert "Ngô Quyền" in page and "Trần Phú" not in page
    page = client.get("/admin/units?kind=division").get_data(as_text=True)
    assert "Phòng Quản lý chất lượng" in page and "Ngô Quyền" not in page
    page = client.get("/admin/units?q=50%25").get_data(as_text=True)
    assert "Không có đơn vị nào phù hợp." in page


def test_search_finds_aliases(client, db, admin, login_as):
    unit = UnitFactory(code="KHCN", name="Sở Khoa học và Công nghệ", kind="external")
    db.session.add(UnitAlias(alias="Sở KH&CN", folded="so kh&cn", unit=unit))
    db.session.commit()
    login_as(admin)
    assert "Sở Khoa học và Công nghệ" in client.get("/admin/units?q=kh%26cn").get_data(as_text=True)


def test_pagination(client, app, admin, login_as):
    per_page = app.config["ITEMS_PER_PAGE"]
    for i in range(per_page + 3):
        SchoolFactory(code=f"S{i:03d}", name=f"Trường THPT Số {i:03d}")
    login_as(admin)
    first = client.get("/admin/units?kind=school").get_data(as_text=True)
    assert "Trường THPT Số 000" in first and f"Số {per_page:03d}" not in first
    assert "Trang 1/2" in first and "page=2" in first
    second = client.get("/admin/units?kind=school&page=2").get_data(as_text=True)
    assert f"Trường THPT Số {per_page:03d}" in second and "Trường THPT Số 000" not in second


def test_export_units_follows_filters(client, db, admin, login_as):
    root = UnitFactory(kind="so", code="SGDDT", name="Sở Giáo dục và Đào tạo")
    school = SchoolFactory(code="NQ", name="Trường THPT Ngô Quyền", short_name="THPT Ngô Quyền", parent=root,
                           email="nq@example.edu.vn")
    db.session.add(UnitAlias(alias="C3 Ngô Quyền", folded="c3 ngo quyen", unit=school))
    db.session.commit()
    SchoolFactory(code="TP", name="Trường THPT Trần Phú", is_active=False)
    login_as(admin)
    response = client.get("/admin/units/export?q=truong+thpt&status=active")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Đơn vị"
    assert rows[0][:8] == ("Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Loại", "Mã đơn vị cấp trên", "E-mail",
                           "Tên gọi khác", "Trạng thái")
    assert len(rows) == 2
    assert rows[1][:8] == ("NQ", "Trường THPT Ngô Quyền", "THPT Ngô Quyền", "Trường học", "SGDDT",
                           "nq@example.edu.vn", "C3 Ngô Quyền", "Đang hoạt động")
    assert sheet.cell(row=2, column=9).number_format == "dd/mm/yyyy"


def test_groups_list_counts_and_aliases(client, db, admin, login_as):
    group = UnitGroupFactory(name="CSGD", member_kinds=["school", "centre"])
    SchoolFactory()
    SchoolFactory()
    SchoolFactory(is_active=False)
    UnitFactory(kind="centre")
    login_as(admin)
    page = client.get("/admin/groups").get_data(as_text=True)
    assert "CSGD" in page and "Trường học" in page and "Trung tâm" in page
    assert '<td class="text-end" data-label="Số đơn vị">3</td>' in page
    url = f"/admin/groups/{group.id}"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "aliases": "Các cơ sở giáo dục\nCác đơn vị trực thuộc"},
        follow_redirects=True,
    )
    assert "Đã lưu tên gọi khác của nhóm CSGD." in response.get_data(as_text=True)
    assert "Các cơ sở giáo dục; Các đơn vị trực thuộc" in response.get_data(as_text=True)
    assert {a.folded for a in db.session.scalars(select(UnitAlias))} == {
        "cac co so giao duc",
        "cac don vi truc thuoc",
    }


def test_group_alias_taken_by_a_unit_is_refused(client, db, admin, login_as):
    group = UnitGroupFactory(name="Các trường")
    SchoolFactory(name="Trường THPT Ngô Quyền")
    login_as(admin)
    url = f"/admin/groups/{group.id}"
    page = client.post(url, data={"csrf_token": csrf_token(client, url), "aliases": "truong thpt ngo quyen"})
    assert "đã được dùng cho đơn vị Trường THPT Ngô Quyền" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(UnitAlias.id))) == 0
