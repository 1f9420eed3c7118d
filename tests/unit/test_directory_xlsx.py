"""The pure .xlsx reader of units and users: layout detection, row errors, file guards."""
import io
import zipfile

import openpyxl
import pytest

from app.importers import directory_xlsx
from app.importers.directory_xlsx import (
    directory_template,
    parse_directory_xlsx,
    split_aliases,
)
from app.importers.errors import ImportFileError

UNIT_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại",
    "Mã đơn vị cấp trên",
    "E-mail",
    "Tên gọi khác",
]
USER_HEADER = [
    "Tên đăng nhập",
    "Họ và tên",
    "E-mail",
    "Điện thoại",
    "Vai trò",
    "Mã đơn vị",
    "Mật khẩu ban đầu",
]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit(code="THPT-NQ", name="Trường THPT Ngô Quyền", short="", kind="Trường học", parent="SGDDT",
         email="", aliases=""):
    return [code, name, short, kind, parent, email, aliases]


def user(username="nq.daumoi", name="Trần Thị Bình", email="", phone="", role="Chuyên viên / cán bộ đầu mối",
         unit_code="THPT-NQ", password="MatKhau@2025"):
    return [username, name, email, phone, role, unit_code, password]


def test_template_has_headers_and_no_data_rows():
    """A template filled in a hurry must not import sample rows: examples are text in the guide."""
    workbook = openpyxl.load_workbook(io.BytesIO(directory_template()))
    assert [c.value for c in workbook["Đơn vị"][1]] == UNIT_HEADER and workbook["Đơn vị"].max_row == 1
    assert [c.value for c in workbook["Người dùng"][1]] == USER_HEADER and workbook["Người dùng"].max_row == 1
    guide = " ".join(str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Ví dụ cách điền" in guide and "VD-TRUONG" in guide
    with pytest.raises(ImportFileError, match="không có dòng dữ liệu"):
        parse_directory_xlsx(directory_template())


def test_template_examples_follow_the_rules():
    """The guide's example rows, put into a real sheet, parse without errors."""
    data = xlsx({"Đơn vị": [UNIT_HEADER, *map(list, directory_xlsx.EXAMPLE_UNITS)],
                 "Người dùng": [USER_HEADER,
                                *[[*row[:-1], "MatKhau@2025"] for row in directory_xlsx.EXAMPLE_USERS]]})
    parsed = parse_directory_xlsx(data)
    assert parsed.error_count == 0 and [u.code for u in parsed.units] == ["VD-PHONG", "VD-TRUONG"]


def test_sheets_and_columns_found_by_folded_text_in_any_order():
    data = xlsx({
        "DON VI": [["Danh sách đơn vị năm 2025"], [],
                   ["LOẠI", "ten don vi", "MA DON VI", "Email", "Ma don vi cap tren (*)"],
                   ["truong hoc", "Trường THPT Lê Quý Đôn", "LQD", "lqd@example.edu.vn", "SGDDT"]],
        "nguoi dung": [["ho va ten", "ten dang nhap", "vai tro", "ma don vi"],
                       ["Lê Văn C", "LQD.Head", "thu truong don vi", "LQD"]],
    })
    parsed = parse_directory_xlsx(data)
    (row,) = parsed.units
    assert (row.row, row.code, row.name, row.kind, row.parent_code, row.email) == (
        4, "LQD", "Trường THPT Lê Quý Đôn", "school", "SGDDT", "lqd@example.edu.vn")
    (account,) = parsed.users
    assert (account.username, account.role, account.password) == ("lqd.head", "unit_head", "")
    assert not account.errors  # the password is checked against the database (new or existing)


def test_sheet_with_another_name_is_found_by_its_headers():
    parsed = parse_directory_xlsx(xlsx({"Sheet1": [UNIT_HEADER, unit()]}))
    assert [u.code for u in parsed.units] == ["THPT-NQ"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Trường học", "school"),
        ("TRUONG HOC", "school"),
        ("school", "school"),
        ("Phòng chuyên môn", "division"),
        ("UBND xã, phường, đặc khu", "commune"),
        ("Đơn vị ngoài ngành", "external"),
        ("Sở GDĐT", "so"),
        ("Văn phòng Sở", "office"),
        ("Trung tâm", "centre"),
        ("trung   tam", "centre"),
    ],
)
def test_kinds_by_label_or_code(text, kind):
    parsed = parse_directory_xlsx(xlsx({"Đơn vị": [UNIT_HEADER, unit(kind=text)]}))
    assert parsed.units[0].kind == kind
    assert not parsed.units[0].errors


@pytest.mark.parametrize(
    ("text", "role"),
    [("Quản trị hệ thống", "admin"), ("office", "office"), ("lanh dao so", "director"),
     ("Thủ trưởng đơn vị", "unit_head"), ("unit_staff", "unit_staff"), ("Chuyên viên", "unit_staff")],
)
def test_roles_by_label_or_code(text, role):
    parsed = parse_directory_xlsx(xlsx({"Người dùng": [USER_HEADER, user(role=text)]}))
    assert parsed.users[0].role == role


def test_unit_row_errors():
    data = xlsx({"Đơn vị": [
        UNIT_HEADER,
        unit(code="A1", name=""),
        unit(code="A2", kind="Trường mầm non vui vẻ"),
        unit(code="A3", email="khong-phai-email"),
        unit(code="A4"),
        unit(code="a4", name="Trùng mã"),
        unit(code="", name="Không mã"),
        unit(code="A5", parent="A5"),
        unit(code="A6", aliases="Trường Ngô Quyền"),
        unit(code="A7", aliases="Truong Ngo Quyen"),
        unit(code="MA CO CACH"),
        unit(code="A8", kind=""),
    ]})
    errors = {row.code or row.name: row.errors for row in parse_directory_xlsx(data).units}
    assert errors["A1"] == ["Thiếu tên đơn vị."]
    assert errors["A2"] == ["Loại đơn vị không hợp lệ: Trường mầm non vui vẻ."]
    assert errors["A3"] == ["E-mail không hợp lệ: khong-phai-email."]
    assert errors["A4"] == []
    assert errors["a4"] == ["Mã đơn vị a4 trùng với dòng 5."]
    assert errors["Không mã"] == ["Thiếu mã đơn vị."]
    assert errors["A5"] == ["Đơn vị không thể là cấp trên của chính nó."]
    assert errors["A6"] == []
    assert errors["A7"] == ["Tên gọi khác “Truong Ngo Quyen” trùng với dòng 9."]
    assert errors["MA CO CACH"] == ["Mã đơn vị tối đa 40 ký tự, không có dấu cách."]
    assert errors["A8"] == ["Thiếu loại đơn vị."]


def test_user_row_errors():
    data = xlsx({"Người dùng": [
        USER_HEADER,
        user(username="a.one"),
        user(username="A.One", name="Trùng"),
        user(username="b.two", name=""),
        user(username="c.three", role="Hiệu trưởng kiêm bảo vệ"),
        user(username="d.four", email="x@"),
        user(username="e.five", password="ngan"),
        user(username="tên có dấu"),
        user(username=""),
    ]})
    rows = parse_directory_xlsx(data).users
    assert [row.username for row in rows[:2]] == ["a.one", "a.one"]  # lower-cased
    errors = [row.errors for row in rows]
    assert errors[0] == []
    assert errors[1] == ["Tên đăng nhập a.one trùng với dòng 2."]
    assert errors[2] == ["Thiếu họ và tên."]
    assert errors[3] == ["Vai trò không hợp lệ: Hiệu trưởng kiêm bảo vệ."]
    assert errors[4] == ["E-mail không hợp lệ: x@."]
    assert errors[5] == ["Mật khẩu ban đầu phải có ít nhất 8 ký tự."]
    assert errors[6][0].startswith("Tên đăng nhập chỉ gồm")
    assert errors[7] == ["Thiếu tên đăng nhập."]


def test_numbers_typed_as_numbers_and_blank_rows():
    data = xlsx({"Người dùng": [USER_HEADER, [], user(username="u1", phone=912345678.0, unit_code=123), []]})
    (row,) = parse_directory_xlsx(data).users
    assert (row.row, row.phone, row.unit_code) == (3, "912345678", "123")


def test_split_aliases():
    assert split_aliases(" Sở KHCN ; Sở KH&CN;;sở khcn\nSở  Khoa học ") == [
        "Sở KHCN",
        "Sở KH&CN",
        "Sở Khoa học",
    ]


def test_password_not_in_repr():
    (row,) = parse_directory_xlsx(xlsx({"Người dùng": [USER_HEADER, user(password="BiMat@2025")]})).users
    assert "BiMat" not in repr(row)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"Ma don vi,Ten don vi\n", "không phải là .xlsx hợp lệ"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls (Excel 97-2003)"),
    ],
)
def test_unreadable_files_have_vietnamese_messages(data, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_directory_xlsx(data)


def test_truncated_xlsx():
    data = xlsx({"Đơn vị": [UNIT_HEADER, unit()]})
    with pytest.raises(ImportFileError, match="không phải là .xlsx hợp lệ"):
        parse_directory_xlsx(data[: len(data) // 2])


def test_zip_bomb_refused_before_openpyxl():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="giải nén bất thường"):
        parse_directory_xlsx(buffer.getvalue())


def test_size_limit():
    data = xlsx({"Đơn vị": [UNIT_HEADER, unit()]})
    with pytest.raises(ImportFileError, match="Tệp quá lớn"):
        parse_directory_xlsx(data, max_bytes=len(data) - 1)
    assert parse_directory_xlsx(data, max_bytes=len(data)).units


def test_row_limit(monkeypatch):
    monkeypatch.setattr(directory_xlsx, "MAX_ROWS", 5)
    rows = [UNIT_HEADER] + [unit(code=f"T{i}") for i in range(30)]
    with pytest.raises(ImportFileError, match="tối đa 5 dòng"):
        parse_directory_xlsx(xlsx({"Đơn vị": rows}))


def test_missing_sheets_or_columns():
    with pytest.raises(ImportFileError, match="Không tìm thấy trang tính"):
        parse_directory_xlsx(xlsx({"Kế hoạch": [["STT", "Nội dung"], ["1", "Việc"]]}))
    with pytest.raises(ImportFileError, match="thiếu dòng tiêu đề với các cột: Mã đơn vị, Tên đơn vị, Loại"):
        parse_directory_xlsx(xlsx({"Đơn vị": [["Mã đơn vị", "Tên"], ["A", "B"]]}))
    with pytest.raises(ImportFileError, match="không có dòng dữ liệu"):
        parse_directory_xlsx(xlsx({"Đơn vị": [UNIT_HEADER]}))


def test_template_offers_drop_downs_for_kind_and_role_and_keeps_phones_as_text():
    from app.models.units import UNIT_KINDS
    from app.roles import ROLES

    workbook = openpyxl.load_workbook(io.BytesIO(directory_template()))
    lists = workbook["Danh mục"]
    for sheet_name, header, labels in (("Đơn vị", "Loại", UNIT_KINDS), ("Người dùng", "Vai trò", ROLES)):
        sheet = workbook[sheet_name]
        letter = next(c.column_letter for c in sheet[1] if c.value == header)
        validation = next(v for v in sheet.data_validations.dataValidation if f"{letter}2" in str(v.sqref))
        assert validation.type == "list" and str(validation.sqref) == f"{letter}2:{letter}2000"
        column = validation.formula1.split("!")[1].replace("$", "")[0]
        assert [lists[f"{column}{row}"].value for row in range(1, len(labels) + 1)] == list(labels.values())
    users = workbook["Người dùng"]
    phone = next(c.column_letter for c in users[1] if c.value == "Điện thoại")
    assert users.column_dimensions[phone].number_format == "@"
