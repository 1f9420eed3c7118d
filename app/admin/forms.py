"""Forms of the administration screens (units, groups, users, bulk import)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from app.fields import max_length
from app.importers.directory_xlsx import EMAIL_RE, USERNAME_RE
from app.models.units import UNIT_KINDS
from app.models.users import ROLES
from app.services.accounts.auth import MIN_PASSWORD_LENGTH

REQUIRED = "Vui lòng nhập {}."
EMAIL = Regexp(EMAIL_RE, message="E-mail không hợp lệ.")
PASSWORD_LENGTH = Length(min=MIN_PASSWORD_LENGTH, max=128,
                         message=f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


STATUS_CHOICES = choices(
    [("", "Tất cả trạng thái"), ("active", "Đang hoạt động"), ("inactive", "Ngừng hoạt động")]
)


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

    q = StringField("Tìm kiếm", validators=[Optional(), max_length(200)],
                    render_kw={"placeholder": "Tên, mã… (không cần dấu)"})
    status = SelectField("Trạng thái", choices=STATUS_CHOICES, default="", validate_choice=False)


class UnitFilterForm(FilterForm):
    kind = SelectField("Loại", choices=choices([("", "Tất cả loại"), *UNIT_KINDS.items()]), default="",
                       validate_choice=False)


class UserFilterForm(FilterForm):
    role = SelectField("Vai trò", choices=choices([("", "Tất cả vai trò"), *ROLES.items()]), default="",
                       validate_choice=False)
    unit = SelectField("Đơn vị", coerce=_optional_int, choices=[], validate_choice=False)
    status = SelectField("Trạng thái", default="", validate_choice=False,
                         choices=choices([("", "Tất cả trạng thái"), ("active", "Đang hoạt động"),
                                          ("inactive", "Đã khoá")]))


class UnitForm(FlaskForm):
    # choices are checked by the services, with Vietnamese messages
    kind = SelectField("Loại đơn vị", choices=choices(UNIT_KINDS.items()), validate_choice=False)
    code = StringField(
        "Mã đơn vị",
        validators=[
            DataRequired(REQUIRED.format("mã đơn vị")),
            Length(max=40, message="Mã đơn vị tối đa 40 ký tự."),
            Regexp(r"^\S+$", message="Mã đơn vị không có dấu cách."),
        ],
    )
    name = StringField("Tên đơn vị",
                       validators=[DataRequired(REQUIRED.format("tên đơn vị")), max_length(255)])
    short_name = StringField("Tên viết tắt", validators=[Optional(), max_length(100)])
    email = StringField("E-mail", validators=[Optional(), max_length(255), EMAIL])
    parent_id = SelectField("Đơn vị cấp trên", coerce=_optional_int, choices=[], validate_choice=False)
    aliases = TextAreaField("Tên gọi khác (mỗi dòng một tên)", validators=[Optional(), max_length(20000)],
                            render_kw={"rows": 4})
    default_focal_user_id = SelectField("Cán bộ đầu mối mặc định", coerce=_optional_int, choices=[],
                                        validate_choice=False)
    submit = SubmitField("Lưu")


class AliasesForm(FlaskForm):
    aliases = TextAreaField("Tên gọi khác (mỗi dòng một tên)", validators=[Optional(), max_length(20000)],
                            render_kw={"rows": 8})
    submit = SubmitField("Lưu")


class UserForm(FlaskForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[
            DataRequired(REQUIRED.format("tên đăng nhập")),
            Regexp(
                USERNAME_RE, message="Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - @ (2-80 ký tự)."
            ),
        ],
        filters=[lambda v: (v or "").strip().lower()],
    )
    full_name = StringField("Họ và tên",
                            validators=[DataRequired(REQUIRED.format("họ và tên")), max_length(255)])
    email = StringField("E-mail", validators=[Optional(), max_length(255), EMAIL])
    phone = StringField("Điện thoại", validators=[Optional(), max_length(30)])
    role = SelectField("Vai trò", choices=choices(ROLES.items()), validate_choice=False)
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
