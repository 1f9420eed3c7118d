"""Forms of the dashboard blueprint."""
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField


class CalendarTokenForm(FlaskForm):
    submit = SubmitField("Tạo địa chỉ lịch mới")


class AreaForm(FlaskForm):
    units = SelectMultipleField("Đơn vị theo dõi", coerce=int, validate_choice=True)
    groups = SelectMultipleField("Nhóm nhiệm vụ theo dõi", validate_choice=True)
    submit = SubmitField("Lưu")
