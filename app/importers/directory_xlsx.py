"""Units and users from one .xlsx workbook: bytes in, rows with their row-level errors out (no DB)."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

from app.formatting import plain_number, vn_date, vn_number
from app.importers import errors as messages
from app.importers.errors import ImportFileError
from app.models.units import UNIT_KINDS
from app.parsing.text import fold, normalize_text
from app.roles import ROLES

MAX_ROWS = 20_000
MAX_ZIP_MEMBERS = 500
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_COLUMNS = 40
HEADER_SCAN_ROWS = 10
MIN_PASSWORD_LENGTH = 8
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")
EMAIL_RE = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>]{2,}$")

UNIT_SHEET, USER_SHEET = "Đơn vị", "Người dùng"
# field -> (header written in the template, other accepted headers); matched on folded text.
UNIT_COLUMNS = {
    "code": ("Mã đơn vị", ("ma", "ma dv")),
    "name": ("Tên đơn vị", ("ten", "ten dv")),
    "short_name": ("Tên viết tắt", ("ten ngan", "viet tat")),
    "kind": ("Loại", ("loai don vi", "loai dv")),
    "parent_code": ("Mã đơn vị cấp trên", ("don vi cap tren", "ma cap tren")),
    "email": ("E-mail", ("email", "thu dien tu")),
    "aliases": ("Tên gọi khác", ("ten khac",)),
}
USER_COLUMNS = {
    "username": ("Tên đăng nhập", ("tai khoan",)),
    "full_name": ("Họ và tên", ("ho ten",)),
    "email": ("E-mail", ("email", "thu dien tu")),
    "phone": ("Điện thoại", ("so dien thoai", "sdt", "dt")),
    "role": ("Vai trò", ("quyen",)),
    "unit_code": ("Mã đơn vị", ("ma dv", "don vi")),
    "password": ("Mật khẩu ban đầu", ("mat khau",)),
}
UNIT_REQUIRED = ("code", "name", "kind")
USER_REQUIRED = ("username", "full_name", "role", "unit_code")

# Extra spellings people type in the Loại / Vai trò columns, besides the codes and the labels.
KIND_SYNONYMS = {"so": "so", "so gd": "so", "van phong": "office", "phong": "division",
                 "truong": "school", "truong hoc": "school", "trung tam": "centre",
                 "xa": "commune", "ubnd xa": "commune", "phuong": "commune", "ngoai nganh": "external"}
ROLE_SYNONYMS = {"quan tri": "admin", "van phong": "office", "lanh dao": "director",
                 "giam doc": "director", "thu truong": "unit_head", "truong phong": "unit_head",
                 "chuyen vien": "unit_staff", "can bo dau moi": "unit_staff", "can bo": "unit_staff"}


def _key(text: str) -> str:
    """Header/label key: folded, notes in brackets and stars dropped, punctuation as spaces."""
    text = re.sub(r"\([^)]*\)", " ", fold(text))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _lookup(table: dict[str, str], synonyms: dict[str, str]) -> dict[str, str]:
    keys = {_key(code): code for code in table}
    keys.update({_key(label): code for code, label in table.items()})
    keys.update(synonyms)
    return keys


KIND_KEYS = _lookup(UNIT_KINDS, KIND_SYNONYMS)
ROLE_KEYS = _lookup(ROLES, ROLE_SYNONYMS)


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    short_name: str
    kind: str | None
    kind_text: str
    parent_code: str
    email: str
    aliases: list[str]
    errors: list[str] = field(default_factory=list)


@dataclass
class UserRow:
    row: int
    username: str
    full_name: str
    email: str
    phone: str
    role: str | None
    role_text: str
    unit_code: str
    password: str = field(repr=False)
    errors: list[str] = field(default_factory=list)


@dataclass
class DirectoryFile:
    units: list[UnitRow] = field(default_factory=list)
    users: list[UserRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for u in self.units if u.errors) + sum(1 for r in self.users if r.errors)


def is_valid_email(value: str) -> bool:
    return bool(EMAIL_RE.match(value or "")) and len(value) <= 255


def split_aliases(text: str) -> list[str]:
    """"Sở KHCN; Sở KH&CN" -> two aliases; blanks and repeats (by folded form) dropped."""
    seen, out = set(), []
    for part in re.split(r"[;\n]", text or ""):
        alias = normalize_text(part)
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            out.append(alias)
    return out


def cell_text(value) -> str:
    """A cell as text: integral numbers without ".0" (codes and phones typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return plain_number(value)
    if isinstance(value, dt.datetime | dt.date):  # a wall-clock Excel date: its day as typed
        return vn_date(value.date() if isinstance(value, dt.datetime) else value)
    return normalize_text(str(value))


def _open_checked(data: bytes, max_bytes: int | None) -> zipfile.ZipFile:
    """Size, format and zip-bomb checks before openpyxl sees the bytes."""
    if not data or not data.strip():
        raise ImportFileError(messages.MSG_EMPTY)
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportFileError(
            messages.MSG_TOO_LARGE.format(size=len(data) / 1048576, limit=max_bytes // 1048576)
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(messages.MSG_XLS)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        raise ImportFileError(messages.MSG_BAD_XLSX) from exc
    total = sum(info.file_size for info in infos)
    if (len(infos) > MAX_ZIP_MEMBERS or total > MAX_UNCOMPRESSED_BYTES
            or total > MAX_COMPRESSION_RATIO * len(data)):
        raise ImportFileError(messages.MSG_ZIP_BOMB)
    if "xl/workbook.xml" not in archive.namelist():
        raise ImportFileError(messages.MSG_BAD_XLSX)
    return archive


def _find_header(rows: list[list[str]], columns: dict, required: tuple[str, ...]):
    """The first of the top rows naming every required column: (row index, field -> column)."""
    accepted = {field: {_key(header), *aliases} for field, (header, aliases) in columns.items()}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for col, text in enumerate(row):
            key = _key(text)
            for name, keys in accepted.items():
                if key in keys and name not in found:
                    found[name] = col
                    break
        if all(name in found for name in required):
            return index, found
    return None, {}


def _sheet_kind(title: str) -> str | None:
    key = _key(title)
    if key.startswith("don vi") or key == "units":
        return "units"
    if key.startswith("nguoi dung") or key in {"users", "tai khoan"}:
        return "users"
    return None


def _kind_from_header(sheet) -> str | None:
    """A sheet named otherwise is still recognised by the headers in its first rows."""
    top = [[cell_text(v) for v in values]
           for values in sheet.iter_rows(max_row=HEADER_SCAN_ROWS, max_col=MAX_COLUMNS, values_only=True)]
    if _find_header(top, USER_COLUMNS, USER_REQUIRED)[0] is not None:
        return "users"
    if _find_header(top, UNIT_COLUMNS, UNIT_REQUIRED)[0] is not None:
        return "units"
    return None


def _read_rows(sheet, budget: list[int]) -> list[list[str]]:
    """Cell texts of a sheet, blank rows kept (row numbers matter); counts against the row budget."""
    rows: list[list[str]] = []
    blank_run = 0
    for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        row = [cell_text(v) for v in values]
        if any(row):
            blank_run = 0
            budget[0] += 1
            if budget[0] > MAX_ROWS + HEADER_SCAN_ROWS * 2:
                raise ImportFileError(f"Tệp có quá nhiều dòng: tối đa {vn_number(MAX_ROWS)} dòng.")
        else:
            blank_run += 1
            if blank_run > 1000:  # stray formatting far below the data
                break
        rows.append(row)
    return rows


def parse_directory_xlsx(data: bytes, *, max_bytes: int | None = None) -> DirectoryFile:
    """Read the "Đơn vị" and "Người dùng" sheets; every problem of a row is listed on that row."""
    import openpyxl

    _open_checked(data, max_bytes)
    sheets: dict[str, list[list[str]]] = {}
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            budget = [0]
            for sheet in workbook.worksheets:
                kind = _sheet_kind(sheet.title) or _kind_from_header(sheet)
                if kind and kind not in sheets:
                    sheets[kind] = _read_rows(sheet, budget)
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl, lxml, zipfile: all mean a broken file
        raise ImportFileError(messages.MSG_BAD_XLSX) from exc
    if not sheets:
        raise ImportFileError(f'Không tìm thấy trang tính "{UNIT_SHEET}" hoặc "{USER_SHEET}" trong tệp. '
                              "Hãy dùng tệp mẫu.")
    result = DirectoryFile()
    if "units" in sheets:
        result.units = _parse_units(_data_rows(sheets["units"], UNIT_COLUMNS, UNIT_REQUIRED, UNIT_SHEET))
    if "users" in sheets:
        result.users = _parse_users(_data_rows(sheets["users"], USER_COLUMNS, USER_REQUIRED, USER_SHEET))
    if len(result.units) + len(result.users) > MAX_ROWS:
        raise ImportFileError(f"Tệp có quá nhiều dòng: tối đa {vn_number(MAX_ROWS)} dòng.")
    if not result.units and not result.users:
        raise ImportFileError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return result


def _data_rows(rows, columns, required, sheet_name):
    """(Excel row number, field -> text) for each non-blank row under the header."""
    header_index, found = _find_header(rows, columns, required)
    if header_index is None:
        names = ", ".join(columns[name][0] for name in required)
        raise ImportFileError(f'Trang tính "{sheet_name}" thiếu dòng tiêu đề với các cột: {names}.')
    out = []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        values = {name: (row[col] if col < len(row) else "") for name, col in found.items()}
        if any(values.values()):
            out.append((offset, values))
    return out


def _parse_units(rows) -> list[UnitRow]:
    result: list[UnitRow] = []
    first_row_of_code: dict[str, int] = {}
    alias_rows: dict[str, int] = {}
    for number, v in rows:
        kind_text = v.get("kind", "")
        unit = UnitRow(row=number, code=v.get("code", "").strip(), name=v.get("name", ""),
                       short_name=v.get("short_name", ""), kind=KIND_KEYS.get(_key(kind_text)),
                       kind_text=kind_text, parent_code=v.get("parent_code", "").strip(),
                       email=v.get("email", ""), aliases=split_aliases(v.get("aliases", "")))
        errors = unit.errors
        if not unit.code:
            errors.append("Thiếu mã đơn vị.")
        elif len(unit.code) > 40 or " " in unit.code:
            errors.append("Mã đơn vị tối đa 40 ký tự, không có dấu cách.")
        elif unit.code.upper() in first_row_of_code:
            errors.append(f"Mã đơn vị {unit.code} trùng với dòng {first_row_of_code[unit.code.upper()]}.")
        else:
            first_row_of_code[unit.code.upper()] = number
        _check_text(errors, unit.name, "tên đơn vị", 255)
        _check_text(errors, unit.short_name, "tên viết tắt", 100, required=False)
        _check_choice(errors, kind_text, unit.kind, "loại đơn vị")
        _check_email(errors, unit.email)
        if unit.parent_code and unit.code and unit.parent_code.upper() == unit.code.upper():
            errors.append("Đơn vị không thể là cấp trên của chính nó.")
        for alias in unit.aliases:
            key = fold(alias)
            if len(alias) > 255:
                errors.append("Tên gọi khác dài quá 255 ký tự.")
            elif key in alias_rows:
                errors.append(f"Tên gọi khác “{alias}” trùng với dòng {alias_rows[key]}.")
            else:
                alias_rows[key] = number
        result.append(unit)
    return result


def _check_text(errors: list[str], value: str, label: str, max_length: int, *, required: bool = True) -> None:
    if not value:
        if required:
            errors.append(f"Thiếu {label}.")
    elif len(value) > max_length:
        errors.append(f"{label[:1].upper()}{label[1:]} dài quá {max_length} ký tự.")


def _check_choice(errors: list[str], text: str, value, label: str) -> None:
    """A list value (unit kind, role): given, and one the system knows."""
    if not text:
        errors.append(f"Thiếu {label}.")
    elif value is None:
        errors.append(f"{label[:1].upper()}{label[1:]} không hợp lệ: {text}.")


def _check_email(errors: list[str], email: str) -> None:
    if email and not is_valid_email(email):
        errors.append(f"E-mail không hợp lệ: {email}.")


def _parse_users(rows) -> list[UserRow]:
    result: list[UserRow] = []
    first_row_of: dict[str, int] = {}
    for number, v in rows:
        role_text = v.get("role", "")
        user = UserRow(row=number, username=v.get("username", "").strip().lower(),
                       full_name=v.get("full_name", ""), email=v.get("email", ""),
                       phone=v.get("phone", ""), role=ROLE_KEYS.get(_key(role_text)), role_text=role_text,
                       unit_code=v.get("unit_code", "").strip(), password=v.get("password", ""))
        errors = user.errors
        if not user.username:
            errors.append("Thiếu tên đăng nhập.")
        elif not USERNAME_RE.match(user.username):
            errors.append("Tên đăng nhập chỉ gồm chữ không dấu, số và . _ - @ (2-80 ký tự).")
        elif user.username in first_row_of:
            errors.append(f"Tên đăng nhập {user.username} trùng với dòng {first_row_of[user.username]}.")
        else:
            first_row_of[user.username] = number
        _check_text(errors, user.full_name, "họ và tên", 255)
        _check_choice(errors, role_text, user.role, "vai trò")
        _check_email(errors, user.email)
        _check_text(errors, user.phone, "số điện thoại", 30, required=False)
        if user.password and len(user.password) < MIN_PASSWORD_LENGTH:
            errors.append(f"Mật khẩu ban đầu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
        result.append(user)
    return result


# Examples live in the guide, never as data rows: a downloaded template filled in a hurry must not
# import (or update) a unit or an account that looks real. Codes and names are visibly fictitious.
EXAMPLE_UNITS = [
    ("VD-PHONG", "Phòng Ví dụ A (dòng mẫu, không nhập)", "Phòng VD A", UNIT_KINDS["division"], "", "",
     "VD A"),
    ("VD-TRUONG", "Trường Ví dụ B (dòng mẫu, không nhập)", "Trường VD B", UNIT_KINDS["school"], "VD-PHONG",
     "", "Trường VD"),
]
EXAMPLE_USERS = [
    ("vd.truongphong", "Người Ví Dụ A", "", "", ROLES["unit_head"], "VD-PHONG", "(mật khẩu ban đầu)"),
]


TEMPLATE_ROWS = 2000  # rows of the template that offer the drop-downs
CHOICES_SHEET = "Danh mục"


def _column_letter(columns: dict, key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(list(columns).index(key) + 1)


def _add_choices(workbook, sheet, columns: dict, key: str, labels: dict, list_column: str) -> None:
    """A drop-down of the labels (kept on a hidden sheet, so commas in a label are safe)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    exists = CHOICES_SHEET in workbook.sheetnames
    choices = workbook[CHOICES_SHEET] if exists else workbook.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    for row, label in enumerate(labels.values(), 1):
        choices[f"{list_column}{row}"] = label
    listing = f"'{CHOICES_SHEET}'!${list_column}$1:${list_column}${len(labels)}"
    validation = DataValidation(type="list", formula1=listing, allow_blank=True, showErrorMessage=True,
                                errorTitle="Giá trị không có trong danh sách",
                                error="Chọn một giá trị trong danh sách (hoặc ghi mã, xem sheet Hướng dẫn).")
    validation.errorStyle = "warning"  # a code typed by hand is accepted too
    letter = _column_letter(columns, key)
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.add_data_validation(validation)


def _as_text_column(sheet, columns: dict, key: str) -> None:
    """A text column, so a phone number keeps its leading zero (0912…) instead of becoming a number
    (a column style: the template keeps no empty rows)."""
    sheet.column_dimensions[_column_letter(columns, key)].number_format = "@"


def directory_template() -> bytes:
    """The template offered for download: both sheets with their headers only, and a guide (codes,
    rules, and example rows written as text so that they can never be imported)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheets = ((UNIT_SHEET, UNIT_COLUMNS, EXAMPLE_UNITS), (USER_SHEET, USER_COLUMNS, EXAMPLE_USERS))
    for index, (title, columns, _examples) in enumerate(sheets):
        sheet = workbook.worksheets[0] if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append([header for header, _ in columns.values()])
        for cell in sheet[1]:
            cell.font = bold
        for key in columns:
            sheet.column_dimensions[_column_letter(columns, key)].width = 24
        sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    for heading, table in (("Loại đơn vị (cột Loại: ghi tên hoặc mã)", UNIT_KINDS),
                           ("Vai trò (cột Vai trò: ghi tên hoặc mã)", ROLES)):
        guide.append([heading, "Mã"])
        guide.cell(row=guide.max_row, column=1).font = bold
        for code, label in table.items():
            guide.append([label, code])
        guide.append([])
    for line in (
        "Mã đơn vị đã có trong hệ thống: dòng đó cập nhật đơn vị (tên, loại, cấp trên...).",
        "Ở dòng cập nhật, ô để trống (tên viết tắt, cấp trên, e-mail, điện thoại, đơn vị) giữ nguyên "
        "giá trị cũ.",
        "Tên gọi khác: cách nhau bởi dấu chấm phẩy (;); được thêm vào các tên gọi đã có.",
        "Tên đăng nhập đã có: dòng đó cập nhật tài khoản, giữ nguyên mật khẩu hiện tại.",
        f"Mật khẩu ban đầu: ít nhất {MIN_PASSWORD_LENGTH} ký tự; người dùng phải đổi khi đăng nhập lần đầu.",
        "Tệp chỉ được nhập khi không còn dòng lỗi; có lỗi thì không dòng nào được ghi.",
    ):
        guide.append([line])
    guide.append([])
    guide.append(["Ví dụ cách điền (chỉ để tham khảo, không chép vào tệp nhập):"])
    guide.cell(row=guide.max_row, column=1).font = bold
    for title, columns, examples in sheets:
        for example in examples:
            pairs = zip((header for header, _ in columns.values()), example, strict=False)
            text = " | ".join(f"{header}: {value}" for header, value in pairs if value)
            guide.append([f"{title}: {text}"])
    guide.column_dimensions["A"].width = 60
    _add_choices(workbook, workbook[UNIT_SHEET], UNIT_COLUMNS, "kind", UNIT_KINDS, "A")
    _add_choices(workbook, workbook[USER_SHEET], USER_COLUMNS, "role", ROLES, "B")
    _as_text_column(workbook[USER_SHEET], USER_COLUMNS, "phone")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
