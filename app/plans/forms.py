"""Forms of the plan import flow."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, Regexp

from app.fields import VnDateField, max_length

# What a column of the appendix can be read as, for the preview's column choices.
COLUMN_FIELDS = (
    ("", "Không dùng (giữ làm cột phụ)"), ("ref", "Số thứ tự"), ("group", "Nhóm nhiệm vụ"),
    ("content", "Nội dung nhiệm vụ"), ("product", "Sản phẩm / chỉ tiêu"), ("time", "Thời gian / hạn"),
    ("start", "Ngày bắt đầu"), ("duration", "Số ngày thực hiện"), ("lead", "Đơn vị chủ trì"),
    ("lead_detail", "Bộ phận tham mưu (trong đơn vị chủ trì)"), ("cooperating", "Đơn vị phối hợp"),
)
COLUMN_FIELD_LABELS = dict(COLUMN_FIELDS)


class UploadPlanForm(FlaskForm):
    file = FileField("Tệp phụ lục hoặc công văn (.docx, .xlsx, .csv, .pdf, .txt)",
                     validators=[FileRequired("Vui lòng chọn tệp.")])
    submit = SubmitField("Tải lên và xem trước")


class ConfirmImportForm(FlaskForm):
    filename = HiddenField(validators=[DataRequired("Biểu mẫu thiếu dữ liệu: vui lòng tải lại trang.")])
    number = StringField("Số hiệu", validators=[Optional(), max_length(80)])
    title = StringField(
        "Trích yếu / tên kế hoạch",
        validators=[
            DataRequired("Vui lòng nhập tên kế hoạch."),
            max_length(2000),
        ],
    )
    issued_on = VnDateField("Ngày ban hành", validators=[Optional()])
    school_year = StringField("Năm học", validators=[
        Optional(), Regexp(r"^\d{4}-\d{4}$", message="Năm học dạng 2025-2026.")])
    issuer = StringField(
        "Cơ quan ban hành", validators=[Optional(), max_length(255)]
    )
    refresh = SubmitField("Áp dụng lựa chọn đơn vị")
    remap = SubmitField("Đọc lại bảng theo các cột đã chọn")
    forget_mapping = SubmitField("Bỏ cách ghép đã lưu, đọc lại tự động")
    confirm = SubmitField("Xác nhận nhập kế hoạch")


class EditPlanForm(FlaskForm):
    """The plan's details as the office corrects them after import."""

    number = StringField("Số hiệu", validators=[Optional(), max_length(80)])
    issued_on = VnDateField("Ngày ban hành", validators=[Optional()])
    title = TextAreaField("Trích yếu / tên kế hoạch",
                          validators=[DataRequired("Vui lòng nhập tên kế hoạch."),
                                      max_length(2000)])
    issuer = StringField(
        "Cơ quan ban hành", validators=[Optional(), max_length(255)]
    )
    school_year = StringField("Năm học", validators=[
        Optional(), Regexp(r"^\d{4}-\d{4}$", message="Năm học dạng 2025-2026.")])
    submit = SubmitField("Lưu thông tin kế hoạch")


class WithdrawPlanForm(FlaskForm):
    reason = TextAreaField("Lý do thu hồi", validators=[DataRequired("Vui lòng ghi lý do thu hồi kế hoạch."),
                                                        max_length(2000)])
    submit = SubmitField("Thu hồi kế hoạch")


class DeletePlanForm(FlaskForm):
    submit = SubmitField("Xoá kế hoạch nhập nhầm")


class ChoiceUnitsForm(FlaskForm):
    """The units picked for one choice of a task ("Cơ sở thí điểm"), on the task page; the unit ids
    come as repeated `unit` fields from the type-ahead."""

    choice = HiddenField(validators=[DataRequired("Biểu mẫu thiếu dữ liệu: vui lòng tải lại trang."),
                                     Regexp(r"^\d{1,3}$", message="Lựa chọn không hợp lệ.")])
    submit = SubmitField("Giao cho các đơn vị đã chọn")
