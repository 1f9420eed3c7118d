"""Admin views: units, unit groups, users and the bulk import of both from .xlsx."""
import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app.admin import bp
from app.admin.forms import (
    ActionForm,
    AliasesForm,
    ImportConfirmForm,
    ImportUploadForm,
    NewUserForm,
    ResetPasswordForm,
    UnitFilterForm,
    UnitForm,
    UserFilterForm,
    UserForm,
    choices,
)
from app.exporters.media import XLSX_MIME
from app.extensions import db
from app.importers.directory_xlsx import MAX_ROWS, directory_template
from app.importers.errors import ImportFileError
from app.models.units import UNIT_KINDS, Unit, UnitGroup
from app.models.users import ROLES, User
from app.permissions import MANAGE_DIRECTORY, permission_required
from app.security import back_to_referrer
from app.services.directory import directory_import
from app.services.directory import units as unit_service
from app.services.directory import users as user_service
from app.services.errors import DomainError
from app.services.notify import notifications
from app.services.plans import uploads
from app.views import per_page, run


def _xlsx(data: bytes, name: str):
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True, download_name=name)


def _page(stmt):
    return db.paginate(stmt, page=request.args.get("page", 1, type=int),
                       per_page=per_page(), error_out=False)


# --- Units -------------------------------------------------------------------------------------

def _unit_filters():
    form = UnitFilterForm(request.args)
    return form, {"q": form.q.data, "kind": form.kind.data, "status": form.status.data}


@bp.route("/units")
@permission_required(MANAGE_DIRECTORY)
def units():
    form, filters = _unit_filters()
    pagination = _page(unit_service.units_query(**filters))
    return render_template("admin/units.html", form=form, pagination=pagination, action_form=ActionForm())


@bp.route("/units/export")
@permission_required(MANAGE_DIRECTORY)
def units_export():
    _, filters = _unit_filters()
    return _xlsx(unit_service.export_units(**filters), "danh-sach-don-vi.xlsx")


def _unit_data(form: UnitForm) -> unit_service.UnitData:
    return unit_service.UnitData(
        kind=form.kind.data,
        code=form.code.data,
        name=form.name.data,
        short_name=form.short_name.data,
        email=form.email.data,
        parent_id=form.parent_id.data,
        aliases=unit_service.alias_lines(form.aliases.data),
    )


def _unit_form_page(form, unit=None):
    return render_template("admin/unit_form.html", form=form, unit=unit,
                           parents=unit_service.parent_choices(unit),
                           focal_people=notifications.focal_choices(unit) if unit is not None else [])


def _save_unit(form: UnitForm, unit: Unit) -> Unit:
    """The unit's fields, then its default focal person (who hears about its work)."""
    unit_service.update_unit(current_user, unit, _unit_data(form))
    chosen = form.default_focal_user_id.data
    person = db.session.get(User, chosen) if chosen else None
    notifications.set_default_focal(current_user, unit, person)
    return unit


@bp.route("/units/new", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def unit_new():
    form = UnitForm()
    if form.validate_on_submit() and run(
            lambda: unit_service.create_unit(current_user, _unit_data(form)),
            lambda unit: f"Đã thêm đơn vị {unit.name}."):
        return redirect(url_for("admin.units"))
    return _unit_form_page(form)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def unit_edit(unit_id):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    if request.method == "GET":
        form.aliases.data = "\n".join(a.alias for a in unit.aliases)
    if form.validate_on_submit() and run(lambda: _save_unit(form, unit), f"Đã lưu đơn vị {form.name.data}."):
        return redirect(url_for("admin.units"))
    return _unit_form_page(form, unit)


def _set_unit_active(unit_id: int, active: bool):
    unit = db.get_or_404(Unit, unit_id)
    if ActionForm().validate_on_submit():
        def message(accounts):
            if active:
                return f"Đã cho đơn vị {unit.name} hoạt động trở lại."
            extra = f" Đơn vị còn {accounts} tài khoản đang hoạt động." if accounts else ""
            return f"Đã ngừng hoạt động đơn vị {unit.name}.{extra}"

        run(lambda: unit_service.set_unit_active(current_user, unit, active), message)
    return redirect(back_to_referrer(url_for("admin.units")))


@bp.route("/units/<int:unit_id>/deactivate", methods=["POST"])
@permission_required(MANAGE_DIRECTORY)
def unit_deactivate(unit_id):
    return _set_unit_active(unit_id, False)


@bp.route("/units/<int:unit_id>/activate", methods=["POST"])
@permission_required(MANAGE_DIRECTORY)
def unit_activate(unit_id):
    return _set_unit_active(unit_id, True)


@bp.route("/groups")
@permission_required(MANAGE_DIRECTORY)
def groups():
    return render_template(
        "admin/groups.html", groups=unit_service.groups_with_counts(), kind_labels=UNIT_KINDS
    )


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def group_aliases(group_id):
    group = db.get_or_404(UnitGroup, group_id)
    form = AliasesForm()
    if request.method == "GET":
        form.aliases.data = "\n".join(a.alias for a in group.aliases)
    if form.validate_on_submit() and run(
        lambda: unit_service.set_aliases(current_user, group, unit_service.alias_lines(form.aliases.data)),
        f"Đã lưu tên gọi khác của nhóm {group.name}.",
    ):
        return redirect(url_for("admin.groups"))
    return render_template("admin/group_form.html", form=form, group=group)


# --- Users -------------------------------------------------------------------------------------

def _user_filters():
    form = UserFilterForm(request.args)
    form.unit.choices = choices(
        [("", "Tất cả đơn vị"), *((u.id, u.name) for u in user_service.units_with_users())]
    )
    return form, {"q": form.q.data, "role": form.role.data, "unit_id": form.unit.data,
                  "status": form.status.data}


@bp.route("/users")
@permission_required(MANAGE_DIRECTORY)
def users():
    form, filters = _user_filters()
    pagination = _page(user_service.users_query(**filters))
    return render_template("admin/users.html", form=form, pagination=pagination, action_form=ActionForm())


@bp.route("/users/export")
@permission_required(MANAGE_DIRECTORY)
def users_export():
    _, filters = _user_filters()
    return _xlsx(user_service.export_users(**filters), "danh-sach-nguoi-dung.xlsx")


def _profile(form: UserForm) -> dict:
    unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
    return {"username": form.username.data, "full_name": form.full_name.data, "role": form.role.data,
            "unit": unit, "email": form.email.data, "phone": form.phone.data}


def _user_form_page(form, user=None):
    return render_template("admin/user_form.html", form=form, user=user,
                           unit_options=unit_service.unit_options(user.unit if user else None))


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def user_new():
    form = NewUserForm()
    if form.validate_on_submit() and run(
        lambda: user_service.create_user(current_user, password=form.password.data, **_profile(form)),
        lambda user: f"Đã tạo tài khoản {user.username}. Người dùng phải đổi mật khẩu khi đăng nhập lần đầu.",
    ):
        return redirect(url_for("admin.users"))
    return _user_form_page(form)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def user_edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit() and run(
            lambda: user_service.update_user(current_user, user, **_profile(form)),
            f"Đã lưu tài khoản {form.username.data}."):
        return redirect(url_for("admin.users"))
    return _user_form_page(form, user)


def _set_user_active(user_id: int, active: bool):
    user = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        run(lambda: user_service.set_user_active(current_user, user, active),
                         f"Đã {'mở khoá' if active else 'khoá'} tài khoản {user.username}.")
    return redirect(back_to_referrer(url_for("admin.users")))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@permission_required(MANAGE_DIRECTORY)
def user_deactivate(user_id):
    return _set_user_active(user_id, False)


@bp.route("/users/<int:user_id>/activate", methods=["POST"])
@permission_required(MANAGE_DIRECTORY)
def user_activate(user_id):
    return _set_user_active(user_id, True)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def user_password(user_id):
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit() and run(
            lambda: user_service.reset_password(current_user, user, form.password.data),
            f"Đã đặt mật khẩu tạm thời cho {user.username}; người dùng phải đổi mật khẩu khi đăng nhập."):
        return redirect(url_for("admin.users"))
    return render_template("admin/user_password.html", form=form, user=user)


# --- Bulk import -------------------------------------------------------------------------------

@bp.route("/import", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def import_directory():
    form = ImportUploadForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            for error in [*form.file.errors, *form.errors.get("csrf_token", [])]:
                flash(error, "danger")
            return redirect(url_for("admin.import_directory"))
        limit = current_app.config["IMPORT_MAX_BYTES"]
        data = form.file.data.stream.read(limit + 1)
        try:
            directory_import.build_preview(current_user, data, max_bytes=limit)
        except (ImportFileError, DomainError) as error:
            flash(str(error), "danger")
            return redirect(url_for("admin.import_directory"))
        digest = uploads.save_pending(current_app.config["UPLOAD_FOLDER"], data)
        return redirect(url_for("admin.import_preview", digest=digest))
    return render_template("admin/import.html", form=form, kinds=UNIT_KINDS, roles=ROLES, max_rows=MAX_ROWS,
                           max_mb=current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024))


@bp.route("/import/template")
@permission_required(MANAGE_DIRECTORY)
def import_template():
    return _xlsx(directory_template(), "mau-nhap-danh-sach.xlsx")


@bp.route("/import/<digest>", methods=["GET", "POST"])
@permission_required(MANAGE_DIRECTORY)
def import_preview(digest):
    folder, limit = current_app.config["UPLOAD_FOLDER"], current_app.config["IMPORT_MAX_BYTES"]
    form = ImportConfirmForm()
    try:
        data = uploads.load_pending(folder, digest)
    except DomainError as error:
        flash(str(error), "danger")
        return redirect(url_for("admin.import_directory"))
    if form.validate_on_submit():
        try:
            summary = directory_import.import_directory(current_user, data, max_bytes=limit)
            db.session.commit()
        except (ImportFileError, DomainError) as error:
            db.session.rollback()
            flash(str(error), "danger")
            return redirect(url_for("admin.import_preview", digest=digest))
        uploads.discard_pending(folder, digest)
        flash(summary.message(), "success")
        return redirect(url_for("admin.units"))
    try:
        preview = directory_import.build_preview(current_user, data, max_bytes=limit)
    except (ImportFileError, DomainError) as error:
        flash(str(error), "danger")
        return redirect(url_for("admin.import_directory"))
    return render_template("admin/import_preview.html", form=form, preview=preview, digest=digest,
                           kinds=UNIT_KINDS, roles=ROLES, only_errors=request.args.get("only") == "errors")
