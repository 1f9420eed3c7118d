"""Creating and changing user accounts."""
from sqlalchemy import func, select

from app.extensions import db
from app.models.users import ROLE_ADMIN, ROLES, User
from app.services import audit
from app.services.auth import MIN_PASSWORD_LENGTH
from app.services.errors import DomainError


def _check_username_free(username: str, exclude_id: int | None = None) -> None:
    stmt = select(User.id).where(func.lower(User.username) == username.lower())
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise DomainError(f"Tên đăng nhập '{username}' đã được sử dụng.")


def create_user(actor, *, username: str, full_name: str, role: str, password: str, unit=None,
                email: str | None = None, phone: str | None = None,
                must_change_password: bool = True) -> User:
    """Add an account; it must change its password at first log-in unless told otherwise."""
    username = (username or "").strip().lower()
    if not username:
        raise DomainError("Tên đăng nhập không được để trống.")
    if role not in ROLES:
        raise DomainError(f"Vai trò '{role}' không hợp lệ.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    _check_username_free(username)
    user = User(
        username=username, full_name=full_name.strip(), role=role, unit=unit,
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
    from app.services.directory import ensure_root_unit

    root = ensure_root_unit()
    return create_user(None, username=username, full_name=full_name, role=ROLE_ADMIN,
                       password=password, unit=root, email=email, must_change_password=True)
