"""Form fields shared by the blueprints: dates typed as dd/mm/yyyy whatever the browser's locale, and
the free-text and progress fields every workflow form asks for."""
from datetime import datetime

from wtforms import DateField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from app.formatting import DATE_INPUT_FORMATS


class VnDateField(DateField):
    """A text input read as dd/mm/yyyy (ISO accepted too), with a Vietnamese error message."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", list(DATE_INPUT_FORMATS))  # the first one renders
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("placeholder", "dd/mm/yyyy")
        render_kw.setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for fmt in self.format:
            try:
                self.data = datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 20/10/2025.")


def max_length(limit: int) -> Length:
    """The one length check and message of every text field."""
    return Length(max=limit, message="Tối đa %(max)d ký tự.")


def text_box(label: str, *, required: str | None = None, limit: int = 2000, rows: int = 2,
             **render_kw) -> TextAreaField:
    """A free-text box, optional unless `required` gives the message to show, capped in length."""
    first = DataRequired(required) if required else Optional()
    return TextAreaField(label, validators=[first, max_length(limit)],
                         render_kw={"rows": rows, **render_kw})


def progress_field() -> IntegerField:
    """Progress as a whole percentage, 0 to 100, typed on a numeric keypad."""
    return IntegerField("Tiến độ (%)", validators=[InputRequired("Vui lòng nhập tiến độ."),
                                                   NumberRange(0, 100, "Tiến độ từ 0 đến 100.")],
                        render_kw={"inputmode": "numeric", "min": 0, "max": 100})
