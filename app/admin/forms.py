"""Forms of the administration screens (units, groups, users, bulk import)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from app.importers.directory_xlsx import EMAIL_RE, USERNAME_RE
from app.models.units import UNIT_KINDS
from app.models.users import ROLES
from app.services.auth import MIN_PASSWORD_LENGTH

REQUIRED = "Vui lòng nhập {}."
EMAIL = Regexp(EMAIL_RE, message="E-mail không hợp lệ.")
PASSWORD_LENGTH = Length(min=MIN_PASSWORD_LENGTH, max=128,
                         message=f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
STATUS_CHOICES = [("", "Tất cả trạng thái"), ("active", "Đang hoạt động"), ("inactive", "Ngừng hoạt động")]


def _optional_int(value):
    """Select values: "" or "0" mean none."""
    try:
        return int(value) or None
    except (TypeError, ValueError):
        return None


class FilterForm(FlaskForm):
    """List filters travel in the query string: no CSRF token (they change nothing)."""

    class Meta:
        csrf = False

    q = StringField("Tìm kiếm", validators=[Optional(), Length(max=200)],
                    render_kw={"placeholder": "Tên, mã… (không cần dấu)"})
    status = SelectField("Trạng thái", choices=STATUS_CHOICES, default="", validate_choice=False)


class UnitFilterForm(FilterForm):
    kind = SelectField("Loại", choices=[("", "Tất cả loại")] + list(UNIT_KINDS.items()), default="",
                       validate_choice=False)


class UserFilterForm(FilterForm):
    role = SelectField("Vai trò", choices=[("", "Tất cả vai trò")] + list(ROLES.items()), default="",
                       validate_choice=False)
    unit = SelectField("Đơn vị", coerce=_optional_int, choices=[], validate_choice=False)
    status = SelectField("Trạng thái", default="", validate_choice=False,
                         choices=[("", "Tất cả trạng thái"), ("active", "Đang hoạt động"), ("inactive", "Đã khoá")])


class UnitForm(FlaskForm):
    kind = SelectField("Loại đơn vị", choices=list(UNIT_KINDS.items()))
    code = StringField("Mã đơn vị", validators=[
        DataRequired(REQUIRED.format("mã đơn vị")), Length(max=40, message="Mã đơn vị tối đa 40 ký tự."),
        Regexp(r"^\S+$", message="Mã đơn vị không có dấu cách.")])
    name = StringField("Tên đơn vị", validators=[DataRequired(REQUIRED.format("tên đơn vị")), Length(max=255)])
    short_name = StringField("Tên viết tắt", validators=[Optional(), Length(max=100)])
    email = StringField("E-mail", validators=[Optional(), Length(max=255), EMAIL])
    parent_id = SelectField("Đơn vị cấp trên", coerce=_optional_int, choices=[], validate_choice=False)
    aliases = TextAreaField("Tên gọi khác (mỗi dòng một tên)", validators=[Optional(), Length(max=20000)],
                            render_kw={"rows": 4})
    submit = SubmitField("Lưu")


class AliasesForm(FlaskForm):
    aliases = TextAreaField("Tên gọi khác (mỗi dòng một tên)", validators=[Optional(), Length(max=20000)],
                            render_kw={"rows": 8})
    submit = SubmitField("Lưu")


class UserForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[
        DataRequired(REQUIRED.format("tên đăng nhập")),
        Regexp(USERNAME_RE, message="Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - @ (2-80 ký tự).")],
        filters=[lambda v: (v or "").strip().lower()])
    full_name = StringField("Họ và tên", validators=[DataRequired(REQUIRED.format("họ và tên")), Length(max=255)])
    email = StringField("E-mail", validators=[Optional(), Length(max=255), EMAIL])
    phone = StringField("Điện thoại", validators=[Optional(), Length(max=30)])
    role = SelectField("Vai trò", choices=list(ROLES.items()))
    unit_id = SelectField("Đơn vị", coerce=_optional_int, choices=[], validate_choice=False)
    submit = SubmitField("Lưu")


class NewUserForm(UserForm):
    password = PasswordField("Mật khẩu ban đầu", validators=[
        DataRequired(REQUIRED.format("mật khẩu ban đầu")), PASSWORD_LENGTH])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("Mật khẩu tạm thời", validators=[
        DataRequired(REQUIRED.format("mật khẩu tạm thời")), PASSWORD_LENGTH])
    confirm = PasswordField("Nhập lại mật khẩu", validators=[
        EqualTo("password", message="Hai mật khẩu không khớp.")])
    submit = SubmitField("Đặt mật khẩu tạm thời")


class ActionForm(FlaskForm):
    """A button that changes state (deactivate, reactivate): the CSRF token is its only field."""

    submit = SubmitField("Xác nhận")


class ImportUploadForm(FlaskForm):
    file = FileField("Tệp danh sách (.xlsx)", validators=[FileRequired("Vui lòng chọn tệp .xlsx.")])
    submit = SubmitField("Tải lên và xem trước")


class ImportConfirmForm(FlaskForm):
    submit = SubmitField("Xác nhận nhập dữ liệu")
