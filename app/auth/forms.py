"""Forms of the log-in and password screens."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

REQUIRED = "Vui lòng nhập {}."


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired(REQUIRED.format("tên đăng nhập")),
                                                        Length(max=80, message="Tối đa %(max)d ký tự.")])
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
            Length(max=100, message="Tối đa %(max)d ký tự."),
        ],
    )
    submit = SubmitField("Tạo khoá truy cập")


class RevokeTokenForm(FlaskForm):
    submit = SubmitField("Thu hồi")


class EndSessionForm(FlaskForm):
    submit = SubmitField("Kết thúc phiên")
