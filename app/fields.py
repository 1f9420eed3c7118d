"""Form fields shared by the blueprints: dates typed as dd/mm/yyyy whatever the browser's locale."""
from datetime import datetime

from wtforms import DateField
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
