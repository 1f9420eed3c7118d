"""Forms of the plan import flow."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.fields import VnDateField


class UploadPlanForm(FlaskForm):
    file = FileField("Tệp phụ lục (.docx, .xlsx, .csv)", validators=[FileRequired("Vui lòng chọn tệp.")])
    submit = SubmitField("Tải lên và xem trước")


class ConfirmImportForm(FlaskForm):
    filename = HiddenField(validators=[DataRequired()])
    number = StringField("Số hiệu", validators=[Optional(), Length(max=80)])
    title = StringField("Trích yếu / tên kế hoạch",
                        validators=[DataRequired("Vui lòng nhập tên kế hoạch."), Length(max=2000)])
    issued_on = VnDateField("Ngày ban hành", validators=[Optional()])
    school_year = StringField("Năm học", validators=[
        Optional(), Regexp(r"^\d{4}-\d{4}$", message="Năm học dạng 2025-2026.")])
    issuer = StringField("Cơ quan ban hành", validators=[Optional(), Length(max=255)])
    refresh = SubmitField("Áp dụng lựa chọn đơn vị")
    confirm = SubmitField("Xác nhận nhập kế hoạch")
