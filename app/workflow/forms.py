"""Forms of the workflow screens; every POST form carries a CSRF token (FlaskForm)."""
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from app.fields import VnDateField, max_length, progress_field, text_box
from app.models.assignments import ASSIGNMENT_ROLES, STATUS_DONE, STATUS_IN_PROGRESS, STATUSES
from app.services.work.assignments import SORTS
from app.services.work.workflow import UPDATE_STATUSES


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 wants them."""
    return [SelectChoice(value, label) for value, label in pairs]


ROLE_CHOICES = list(ASSIGNMENT_ROLES.items())


class VersionedForm(FlaskForm):
    """The version the page was loaded with: a stale save is refused, never silently applied."""

    version = HiddenField(validators=[DataRequired("Biểu mẫu thiếu dữ liệu: vui lòng tải lại trang.")])


class UpdateForm(VersionedForm):
    status = SelectField("Trạng thái", choices=choices((s, STATUSES[s]) for s in UPDATE_STATUSES))
    progress = progress_field()
    note = text_box("Nội dung báo cáo / lý do", limit=5000, rows=3)
    files = MultipleFileField("Minh chứng (PDF, Word, Excel, PowerPoint, ảnh, ZIP)")
    save = SubmitField("Lưu cập nhật")


class SubmitForm(VersionedForm):
    note = text_box("Ghi chú khi trình")
    submit = SubmitField("Trình xác nhận hoàn thành")


class SignOffForm(VersionedForm):
    note = text_box("Ý kiến xác nhận")
    submit = SubmitField("Xác nhận hoàn thành")


class ReturnForm(VersionedForm):
    reason = text_box("Lý do trả lại", required="Vui lòng ghi lý do trả lại.")
    submit = SubmitField("Trả lại")


class ExtensionRequestForm(FlaskForm):
    requested_due_date = VnDateField("Đề nghị thời hạn mới", validators=[
        InputRequired("Vui lòng nhập thời hạn đề nghị.")])
    reason = text_box("Lý do", required="Vui lòng ghi lý do.")
    submit = SubmitField("Gửi đề nghị gia hạn")


class ExtensionDecisionForm(FlaskForm):
    note = text_box("Ý kiến (bắt buộc khi không đồng ý)")
    approve = SubmitField("Đồng ý gia hạn")
    refuse = SubmitField("Không đồng ý")


class FocalForm(VersionedForm):
    user_id = SelectField("Cán bộ đầu mối", coerce=int, choices=[])
    submit = SubmitField("Lưu cán bộ đầu mối")


class CommentForm(FlaskForm):
    body = text_box("Ý kiến", required="Vui lòng nhập nội dung.", limit=5000,
                    placeholder="Nhập ý kiến; gõ @QLCL để nhắc một đơn vị")
    submit = SubmitField("Gửi ý kiến")


class ActionForm(FlaskForm):
    """A button-only POST (mark read, remove): just the CSRF token."""

    submit = SubmitField("Xác nhận")


class FilterForm(FlaskForm):
    """GET filters of "Việc của đơn vị" (no CSRF: reading only)."""

    class Meta:
        csrf = False

    q = StringField("Tìm kiếm", validators=[Optional(), max_length(200)],
                    render_kw={"placeholder": "Từ khoá, không cần dấu"})
    unit = IntegerField("Đơn vị", validators=[Optional()])  # a type-ahead fills the unit's id
    plan = SelectField("Kế hoạch", coerce=int, choices=[], validate_choice=False, default=0)
    group = SelectField("Nhóm nhiệm vụ", choices=[], validate_choice=False, default="")
    status = SelectField("Trạng thái", choices=choices([("", "Tất cả")] + list(STATUSES.items())), default="")
    role = SelectField("Vai trò", choices=choices([("", "Tất cả")] + ROLE_CHOICES), default="")
    due_from = VnDateField("Hạn từ ngày", validators=[Optional()])
    due_to = VnDateField("đến ngày", validators=[Optional()])
    overdue = BooleanField("Chỉ việc quá hạn")
    sort = SelectField("Sắp xếp", choices=choices(SORTS.items()), default="due")


PICK_A_UNIT = "Vui lòng chọn đơn vị trong danh sách gợi ý."


class AddUnitForm(FlaskForm):
    """One more unit on a task: a type-ahead (unit_name, shown) filling unit_id (hidden, submitted)."""

    unit_id = HiddenField("Đơn vị", validators=[Regexp(r"^\d{1,9}$", message=PICK_A_UNIT)])
    unit_name = StringField("Đơn vị (gõ tên để tìm)", validators=[Optional(), Length(max=255)])
    role = SelectField("Vai trò", choices=choices(ROLE_CHOICES))
    due_date = VnDateField("Thời hạn (để trống: theo nhiệm vụ)", validators=[Optional()])
    submit = SubmitField("Giao cho đơn vị")


class BulkAssignForm(FlaskForm):
    group_id = SelectField("Nhóm đơn vị", coerce=int, choices=[], validate_choice=False)
    role = SelectField("Vai trò", choices=choices(ROLE_CHOICES), default="cooperating")
    submit = SubmitField("Giao cho cả nhóm")


class RoleForm(VersionedForm):
    role = SelectField("Vai trò", choices=choices(ROLE_CHOICES))
    submit = SubmitField("Đổi vai trò")


class DeadlineForm(VersionedForm):
    due_date = VnDateField("Thời hạn mới", validators=[InputRequired("Vui lòng nhập thời hạn.")])
    reason = StringField("Lý do", validators=[Optional(), max_length(500)])
    submit = SubmitField("Đổi thời hạn")


class TaskForm(FlaskForm):
    ref = StringField("STT", validators=[Optional(), max_length(20)])
    group_name = StringField(
        "Nhóm nhiệm vụ", validators=[Optional(), max_length(255)]
    )
    content = text_box("Nội dung công việc", required="Vui lòng nhập nội dung.", limit=5000, rows=3)
    product = text_box("Sản phẩm / chỉ tiêu")
    time_text = StringField(
        "Thời gian (như trong văn bản)",
        validators=[Optional(), max_length(255)],
    )
    start_date = VnDateField("Ngày bắt đầu", validators=[Optional()])
    due_date = VnDateField("Thời hạn", validators=[Optional()])
    submit = SubmitField("Lưu nhiệm vụ")


class CancelTaskForm(FlaskForm):
    reason = text_box("Lý do huỷ", required="Vui lòng ghi lý do huỷ.")
    submit = SubmitField("Huỷ nhiệm vụ")


class ArchiveForm(FlaskForm):
    school_year = SelectField("Năm học", choices=[], validate_choice=False,
                              validators=[DataRequired("Vui lòng chọn năm học.")])
    submit = SubmitField("Lưu trữ các kế hoạch của năm học")


class CheckInReportForm(VersionedForm):
    """The unit's report for one period of an ongoing task."""

    status = SelectField("Tình trạng kỳ này", choices=choices([(STATUS_IN_PROGRESS, "Đang thực hiện"),
                                                               (STATUS_DONE, "Đã hoàn thành báo cáo kỳ")]))
    progress = progress_field()
    note = text_box("Kết quả trong kỳ", limit=5000)
    files = MultipleFileField("Minh chứng")
    save = SubmitField("Gửi báo cáo kỳ")


class AskHeadForm(VersionedForm):
    note = text_box("Ghi chú gửi thủ trưởng")
    submit = SubmitField("Đề nghị thủ trưởng trình")


class ChaseForm(FlaskForm):
    note = text_box("Ý kiến đôn đốc",
                    placeholder="Ví dụ: Đề nghị đơn vị cập nhật kết quả trước thứ Sáu")
    submit = SubmitField("Đôn đốc")


class BulkChoiceForm(FlaskForm):
    """The list's bulk bar: the chosen rows (checkboxes named "ids") and the action."""

    action = SelectField("Thao tác với các dòng đã chọn", choices=[])
    back = HiddenField()
    submit = SubmitField("Tiếp tục")


class BulkConfirmForm(FlaskForm):
    """The confirmation page: the rows as id:version (hidden "rows"), the action and its inputs."""

    action = HiddenField(validators=[DataRequired("Thiếu thao tác.")])
    back = HiddenField()
    note = text_box("Ý kiến (gửi kèm)")
    reason = text_box("Lý do")
    due_date = VnDateField("Thời hạn mới", validators=[Optional()])
    submit = SubmitField("Xác nhận thực hiện")


class PlanAssignForm(FlaskForm):
    """Bulk "assign to the selected units" on a plan: tasks (task_ids), units (unit_ids) and groups
    (group_ids) travel as repeated fields; on the confirmation page also the count the office saw."""

    role = SelectField("Vai trò", choices=choices(ROLE_CHOICES), default="cooperating")
    expected = HiddenField()
    submit = SubmitField("Tiếp tục")
