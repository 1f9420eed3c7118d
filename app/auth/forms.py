"""Forms of the log-in and password screens."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.fields import max_length

REQUIRED = "Vui lòng nhập {}."


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired(REQUIRED.format("tên đăng nhập")),
                                                        max_length(80)])
    password = PasswordField("Mật khẩu", validators=[DataRequired(REQUIRED.format("mật khẩu"))])
    submit = SubmitField("Đăng nhập")


class NewPasswordForm(FlaskForm):
    """A new password typed twice, with the house's length rule."""

    new_password = PasswordField(
        "Mật khẩu mới",
        validators=[DataRequired(REQUIRED.format("mật khẩu mới")),
                    Length(min=8, message="Mật khẩu phải có ít nhất 8 ký tự.")],
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[EqualTo("new_password", message="Hai mật khẩu không khớp.")],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Mật khẩu hiện tại", validators=[DataRequired(REQUIRED.format("mật khẩu hiện tại"))]
    )
    submit = SubmitField("Đổi mật khẩu")


class ForgotPasswordForm(FlaskForm):
    identifier = StringField(
        "Tên đăng nhập hoặc e-mail", validators=[DataRequired(REQUIRED.format("tên đăng nhập hoặc e-mail"))]
    )
    submit = SubmitField("Gửi liên kết đặt lại mật khẩu")


class ResetPasswordForm(NewPasswordForm):
    submit = SubmitField("Đặt mật khẩu mới")


class CreateTokenForm(FlaskForm):
    name = StringField(
        "Tên khoá",
        validators=[
            DataRequired(REQUIRED.format("tên khoá")),
            max_length(100),
        ],
    )
    submit = SubmitField("Tạo khoá truy cập")


class RevokeTokenForm(FlaskForm):
    submit = SubmitField("Thu hồi")


class EndSessionForm(FlaskForm):
    submit = SubmitField("Kết thúc phiên")


class NotificationPreferencesForm(FlaskForm):
    """"Cài đặt thông báo": which alerts come by mail, and the hour of the one daily mail."""

    mail_enabled = BooleanField("Nhận thư thông báo")
    deadline_reminders = BooleanField()
    overdue_digests = BooleanField()
    assignment_events = BooleanField()
    comments = BooleanField()
    digest_hour = SelectField(
        "Giờ gửi thư",
        choices=[("", "Gửi ngay khi có thông báo mới")] + [(str(h), f"Mỗi ngày một thư, lúc {h:02d}:00")
                                                            for h in range(24)],
    )
    submit = SubmitField("Lưu cài đặt")


class UnsubscribeForm(FlaskForm):
    """The confirmation button of the unsubscribe page (mail clients use the one-click POST instead)."""

    class Meta:
        csrf = False  # the signed token in the URL is the credential, as in the one-click POST

    submit = SubmitField("Ngừng nhận thư")
