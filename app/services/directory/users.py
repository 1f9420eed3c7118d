"""Creating, changing, searching and exporting user accounts."""
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.importers.directory_xlsx import USER_SHEET, USERNAME_RE, is_valid_email
from app.models.units import Unit
from app.models.users import ROLE_ADMIN, ROLE_UNIT_HEAD, ROLE_UNIT_STAFF, ROLES, User
from app.parsing.text import normalize_text
from app.services import audit
from app.services.accounts import tokens
from app.services.accounts.auth import MIN_PASSWORD_LENGTH
from app.services.errors import DomainError

STATUS_ACTIVE, STATUS_INACTIVE = "active", "inactive"
STATUSES = {STATUS_ACTIVE: "Đang hoạt động", STATUS_INACTIVE: "Đã khoá"}
# Accounts of these roles act for their unit, so they must belong to one.
ROLES_NEEDING_UNIT = (ROLE_UNIT_HEAD, ROLE_UNIT_STAFF)


def _check_username_free(username: str, exclude_id: int | None = None) -> None:
    stmt = select(User.id).where(func.lower(User.username) == username.lower())
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise DomainError(f"Tên đăng nhập '{username}' đã được sử dụng.")


def _check_password(password: str | None) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")


def _check_profile(*, username: str, full_name: str, role: str, unit, email: str | None,
                   exclude_id: int | None = None, previous_unit_id: int | None = None) -> None:
    if not username:
        raise DomainError("Tên đăng nhập không được để trống.")
    if not USERNAME_RE.match(username):
        raise DomainError("Tên đăng nhập chỉ gồm chữ không dấu, số và . _ - @ (2-80 ký tự).")
    if not normalize_text(full_name or ""):
        raise DomainError("Họ và tên không được để trống.")
    if role not in ROLES:
        raise DomainError(f"Vai trò '{role}' không hợp lệ.")
    if role in ROLES_NEEDING_UNIT and unit is None:
        raise DomainError(f"Tài khoản vai trò {ROLES[role]} phải thuộc một đơn vị.")
    if unit is not None and not unit.is_active and unit.id != previous_unit_id:
        raise DomainError(f"Đơn vị {unit.name} đang ngừng hoạt động.")
    if email and not is_valid_email(email.strip()):
        raise DomainError(f"E-mail không hợp lệ: {email}.")
    _check_username_free(username, exclude_id)


def create_user(actor, *, username: str, full_name: str, role: str, password: str, unit=None,
                email: str | None = None, phone: str | None = None,
                must_change_password: bool = True) -> User:
    """Add an account; it must change its password at first log-in unless told otherwise."""
    username = (username or "").strip().lower()
    if not username:
        raise DomainError("Tên đăng nhập không được để trống.")
    if role not in ROLES:
        raise DomainError(f"Vai trò '{role}' không hợp lệ.")
    _check_password(password)
    _check_profile(username=username, full_name=full_name, role=role, unit=unit, email=email)
    user = User(
        username=username, full_name=normalize_text(full_name), role=role, unit=unit,
        email=(email or "").strip() or None, phone=(phone or "").strip() or None,
        must_change_password=must_change_password, is_active_account=True,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user_created", user, details={"username": username, "role": role})
    return user


def create_first_admin(*, username: str, full_name: str, email: str | None, password: str) -> User:
    """The first account of a production install (flask users create-admin)."""
    from app.services.plans.unit_resolver import ensure_root_unit

    root = ensure_root_unit()
    return create_user(None, username=username, full_name=full_name, role=ROLE_ADMIN,
                       password=password, unit=root, email=email, must_change_password=True)


def update_user(actor, user: User, *, username: str, full_name: str, role: str, unit=None,
                email: str | None = None, phone: str | None = None) -> User:
    """Change an account's profile; an administrator cannot take the admin role from themself."""
    username = (username or "").strip().lower()
    _check_profile(username=username, full_name=full_name, role=role, unit=unit, email=email,
                   exclude_id=user.id, previous_unit_id=user.unit_id)
    if actor is not None and actor.id == user.id and role != user.role:
        raise DomainError("Bạn không thể tự thay đổi vai trò của chính mình.")
    before = {"username": user.username, "role": user.role, "unit_id": user.unit_id}
    user.username = username
    user.full_name = normalize_text(full_name)
    user.role = role
    user.unit = unit
    user.email = (email or "").strip() or None
    user.phone = (phone or "").strip() or None
    db.session.flush()
    audit.record(actor, "user_updated", user, details={"before": before, "username": username, "role": role})
    return user


def set_user_active(actor, user: User, active: bool) -> User:
    """Lock or unlock an account; nobody locks their own account (the last admin would be shut out)."""
    if not active and actor is not None and actor.id == user.id:
        raise DomainError("Bạn không thể khoá tài khoản của chính mình.")
    if active and user.unit is not None and not user.unit.is_active:
        raise DomainError(
            f"Đơn vị {user.unit.name} đang ngừng hoạt động: hãy chuyển tài khoản sang đơn vị khác."
        )
    user.is_active_account = active
    db.session.flush()
    audit.record(actor, "user_activated" if active else "user_deactivated", user,
                 details={"username": user.username})
    return user


def reset_password(actor, user: User, password: str) -> User:
    """The administrator sets a temporary password; the account must change it at next log-in."""
    _check_password(password)
    user.set_password(password)
    user.must_change_password = True
    # whoever held the old password (or a token made with it) is out: tokens, calendar, sessions
    tokens.revoke_credentials(user)
    db.session.flush()
    audit.record(actor, "password_reset_by_admin", user, details={"username": user.username})
    return user


def users_query(q: str | None = None, role: str | None = None, unit_id: int | None = None,
                status: str | None = None):
    """The filtered account list, ordered by folded user name."""
    from app.services.directory.units import search_condition, with_status

    stmt = select(User).options(joinedload(User.unit))
    words = search_condition(User.search_text, q)
    if words:
        stmt = stmt.where(and_(*words))
    if role:
        stmt = stmt.where(User.role == role)
    if unit_id:
        stmt = stmt.where(User.unit_id == unit_id)
    return with_status(stmt, User.is_active_account, status).order_by(User.search_text, User.id)


def units_with_users() -> list[Unit]:
    """Units that have at least one account: the choices of the list's unit filter."""
    has_users = select(User.unit_id).where(User.unit_id.is_not(None))
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(has_users)).order_by(Unit.search_text)))


USER_EXPORT_HEADERS = ["Tên đăng nhập", "Họ và tên", "E-mail", "Điện thoại", "Vai trò", "Mã đơn vị",
                       "Tên đơn vị", "Trạng thái", "Đăng nhập gần nhất", "Ngày tạo"]


def export_users(q: str | None = None, role: str | None = None, unit_id: int | None = None,
                 status: str | None = None) -> bytes:
    """The filtered list as .xlsx, laid out like the import sheet "Người dùng" (no passwords)."""
    from app.exporters.xlsx_table import table_to_xlsx
    from app.formatting import local_date

    rows = (
        [u.username, u.full_name, u.email, u.phone, u.role_label, u.unit.code if u.unit else None,
         u.unit.name if u.unit else None, STATUSES[STATUS_ACTIVE if u.is_active_account else STATUS_INACTIVE],
         u.last_login_at, local_date(u.created_at)]
        for u in db.session.scalars(users_query(q, role, unit_id, status))
    )
    return table_to_xlsx(
        USER_SHEET, USER_EXPORT_HEADERS, rows, widths=[20, 28, 28, 14, 26, 14, 40, 16, 18, 12]
    )
