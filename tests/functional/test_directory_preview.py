"""The directory template carries no rows that could match real records; the preview shows old → new
values of every update and warns about a new unit whose name already exists."""
import io

import openpyxl
from sqlalchemy import select

from app.importers.directory_xlsx import directory_template
from app.models import Unit, User
from tests.factories import UnitFactory, UserFactory
from tests.functional.test_admin_import import admin, upload  # noqa: F401  (fixture)
from tests.unit.test_directory_xlsx import UNIT_HEADER, USER_HEADER, unit, user, xlsx


def test_template_cells_match_no_record(db, admin):  # noqa: F811
    UnitFactory(code="THPT-NQ", name="Trường THPT Ngô Quyền")
    UnitFactory(code="QLCL", name="Phòng Quản lý chất lượng")
    workbook = openpyxl.load_workbook(io.BytesIO(directory_template()))
    cells = {str(c.value) for name in ("Đơn vị", "Người dùng") for row in workbook[name].iter_rows(min_row=2)
             for c in row if c.value}
    assert cells == set()
    records = {v for r in db.session.execute(select(Unit.code, Unit.name)) for v in r if v}
    records |= set(db.session.scalars(select(User.username)))
    guide = {str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value}
    examples = [line for line in guide if line.startswith(("Đơn vị:", "Người dùng:"))]
    assert examples and not any(record in line for record in records for line in examples)


def test_preview_shows_old_and_new_values_and_same_name_warning(client, db, admin, login_as):  # noqa: F811
    UnitFactory(code="QLCL", name="Phòng QLCL cũ", kind="division", email="cu@example.edu.vn")
    school = UnitFactory(code="NQ", name="Trường THPT Ngô Quyền", kind="school")
    UserFactory(username="nq.daumoi", full_name="Trần Thị Cũ", role="unit_staff", unit=school, phone="0900")
    db.session.commit()
    login_as(admin)
    data = xlsx({
        "Đơn vị": [UNIT_HEADER,
                   unit(code="QLCL", name="Phòng Quản lý chất lượng", kind="division", parent="SGDDT",
                        email="moi@example.edu.vn"),
                   unit(code="THPT-NQ2", name="Trường THPT Ngô Quyền", kind="school", parent="SGDDT")],
        "Người dùng": [USER_HEADER,
                       user(username="nq.daumoi", name="Trần Thị Bình", role="unit_head", unit_code="NQ")],
    })
    response = upload(client, data)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<del>Phòng QLCL cũ</del> → <ins>Phòng Quản lý chất lượng</ins>" in page
    assert "<del>cu@example.edu.vn</del> → <ins>moi@example.edu.vn</ins>" in page
    assert "<del>—</del> → <ins>SGDDT</ins>" in page  # the parent, none before
    assert "<del>Trần Thị Cũ</del> → <ins>Trần Thị Bình</ins>" in page
    assert "<del>Chuyên viên / cán bộ đầu mối</del>" in page or "Vai trò:</span> <del>" in page
    assert "Đã có đơn vị cùng tên: Trường THPT Ngô Quyền (mã NQ)" in page
    assert "Điện thoại:</span>" not in page  # a blank phone keeps the old one: no change shown
