"""Forms of the saved views (a name for the current filters of a list; a delete button)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class SavedViewForm(FlaskForm):
    name = StringField("Tên bộ lọc", validators=[DataRequired(message="Hãy đặt tên cho bộ lọc."),
                                                  Length(max=80)])
    endpoint = HiddenField()
    query = HiddenField()
    submit = SubmitField("Lưu bộ lọc")


class DeleteViewForm(FlaskForm):
    submit = SubmitField("Xoá")
