"""Bulk import of units and users from .xlsx: a preview with row errors, then all or nothing."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, update

from app.extensions import db
from app.importers.directory_xlsx import DirectoryFile, parse_directory_xlsx
from app.models.base import utcnow
from app.models.units import UNIT_KINDS, Unit, UnitAlias
from app.models.users import ROLES, User
from app.parsing.text import fold
from app.passwords import hash_method, hash_password
from app.services import audit
from app.services.directory.units import spelling_owners
from app.services.directory.users import ROLES_NEEDING_UNIT
from app.services.errors import DomainError

MAX_PARENT_DEPTH = 50
# Each distinct initial password costs one deliberately slow hash (~0.1 s): warn above this many.
SLOW_PASSWORD_COUNT = 100


@dataclass
class DirectoryPreview:
    """The parsed rows, which of them update existing records, and every row error."""

    parsed: DirectoryFile
    unit_updates: set[int] = field(default_factory=set)  # row numbers
    user_updates: set[int] = field(default_factory=set)
    # row number -> [(field label, value now, value after the import)] for every update that changes
    unit_changes: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    user_changes: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    unit_warnings: dict[int, list[str]] = field(default_factory=dict)  # new units named like existing ones

    @property
    def units(self):
        return self.parsed.units

    @property
    def users(self):
        return self.parsed.users

    @property
    def error_count(self) -> int:
        return self.parsed.error_count

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def counts(self) -> dict[str, int]:
        return {
            "units_new": len(self.units) - len(self.unit_updates),
            "units_updated": len(self.unit_updates),
            "users_new": len(self.users) - len(self.user_updates),
            "users_updated": len(self.user_updates),
        }


def build_preview(actor, data: bytes, *, max_bytes: int | None = None) -> DirectoryPreview:
    """Parse the file and check it against the database (a fixed handful of queries, none per row)."""
    parsed = parse_directory_xlsx(data, max_bytes=max_bytes)
    preview = DirectoryPreview(parsed)
    db_units = {code.upper(): (unit_id, active, parent_id) for unit_id, code, active, parent_id in
                db.session.execute(select(Unit.id, Unit.code, Unit.is_active, Unit.parent_id))}
    code_of_id = {unit_id: code for code, (unit_id, _, _) in db_units.items()}
    _check_units(preview, db_units, code_of_id)
    _check_users(actor, preview, db_units)
    _unit_changes(preview)
    _user_changes(preview)
    return preview


def _diff(changes: list, label: str, old, new, *, keep_blank: bool = True) -> None:
    """Record a field that the import changes; a blank optional cell keeps the old value."""
    old, new = (old or "").strip(), (new or "").strip()
    if (new or not keep_blank) and new != old:
        changes.append((label, old or "—", new or "—"))


def _unit_changes(preview: DirectoryPreview) -> None:
    """Old → new values of the updated units, and a warning for a new unit named like an existing one.

    One query over the units (the directory has at most a few thousand), none per row."""
    if not preview.units:
        return
    rows = db.session.execute(select(Unit.id, Unit.code, Unit.name, Unit.short_name, Unit.kind, Unit.email,
                                     Unit.parent_id)).all()
    by_code = {r.code.upper(): r for r in rows if r.code}
    code_of_id = {r.id: r.code for r in rows}
    by_name: dict[str, list] = {}
    for r in rows:
        for spelling in (r.name, r.short_name):
            if spelling:
                by_name.setdefault(fold(spelling), []).append(r)
    for row in preview.units:
        found = by_code.get(row.code.upper())
        if found is None:
            same = [r for r in by_name.get(fold(row.name), []) if (r.code or "").upper() != row.code.upper()]
            if same:
                names = ", ".join(f"{r.name} (mã {r.code or '—'})" for r in same[:3])
                preview.unit_warnings.setdefault(row.row, []).append(
                    f"Đã có đơn vị cùng tên: {names}. Nếu là cùng một đơn vị, hãy dùng mã đã có để cập nhật "
                    "thay vì tạo đơn vị mới.")
            continue
        changes: list[tuple[str, str, str]] = []
        _diff(changes, "Tên", found.name, row.name)
        _diff(changes, "Tên viết tắt", found.short_name, row.short_name)
        if row.kind and row.kind != found.kind:
            changes.append(("Loại", UNIT_KINDS.get(found.kind, found.kind),
                            UNIT_KINDS.get(row.kind, row.kind)))
        _diff(changes, "Cấp trên", code_of_id.get(found.parent_id), row.parent_code)
        _diff(changes, "E-mail", found.email, row.email)
        if row.aliases:
            changes.append(("Tên gọi khác (thêm)", "—", "; ".join(row.aliases)))
        preview.unit_changes[row.row] = changes


def _user_changes(preview: DirectoryPreview) -> None:
    """Old → new values of the updated accounts (one query for them, one for their units' codes)."""
    names = [row.username for row in preview.users if row.row in preview.user_updates]
    if not names:
        return
    found = {r.username.lower(): r for r in db.session.execute(
        select(User.username, User.full_name, User.role, User.unit_id, User.email, User.phone)
        .where(func.lower(User.username).in_(names)))}
    unit_ids = {r.unit_id for r in found.values() if r.unit_id}
    codes: dict[int, str] = {}
    if unit_ids:
        stmt = select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))
        codes = dict(db.session.execute(stmt).tuples().all())
    for row in preview.users:
        user = found.get(row.username)
        if row.row not in preview.user_updates or user is None:
            continue
        changes: list[tuple[str, str, str]] = []
        _diff(changes, "Họ và tên", user.full_name, row.full_name)
        if row.role and row.role != user.role:
            changes.append(("Vai trò", ROLES.get(user.role, user.role), ROLES.get(row.role, row.role)))
        _diff(changes, "Mã đơn vị", codes.get(user.unit_id), row.unit_code)
        _diff(changes, "E-mail", user.email, row.email)
        _diff(changes, "Điện thoại", user.phone, row.phone)
        preview.user_changes[row.row] = changes


def _check_units(preview: DirectoryPreview, db_units: dict, code_of_id: dict) -> None:
    file_codes = {row.code.upper() for row in preview.units if row.code}
    owners = spelling_owners() if any(row.aliases for row in preview.units) else {}
    file_spellings: dict[str, str] = {}
    for row in preview.units:
        for spelling in (row.name, row.short_name, row.code):
            if spelling:
                file_spellings.setdefault(fold(spelling), row.code.upper())
    # Parent of every unit as it will be after the import: the database, overridden by the file.
    parents = {code: code_of_id.get(parent_id) for code, (_, _, parent_id) in db_units.items()}
    for row in preview.units:
        if row.code and row.parent_code:
            parents[row.code.upper()] = row.parent_code.upper()

    for row in preview.units:
        existing = db_units.get(row.code.upper())
        if existing is not None:
            preview.unit_updates.add(row.row)
        _check_parent(row, db_units, file_codes, parents)
        _check_aliases(row, f"unit:{existing[0]}" if existing else None, owners, file_spellings)


def _check_parent(row, db_units: dict, file_codes: set[str], parents: dict[str, str | None]) -> None:
    code, parent = row.code.upper(), row.parent_code.upper()
    if parent and parent != code and parent not in db_units and parent not in file_codes:
        row.errors.append(f"Mã đơn vị cấp trên {row.parent_code} không có trong hệ thống và trong tệp.")
    elif parent and _in_cycle(code, parents):
        row.errors.append("Cấp trên tạo thành vòng lặp (đơn vị là cấp trên của chính nó qua các cấp).")


def _check_aliases(row, own_key: str | None, owners: dict, file_spellings: dict[str, str]) -> None:
    """An alias may name no other unit, in the database or in the file."""
    code = row.code.upper()
    for alias in row.aliases:
        key = fold(alias)
        owner = owners.get(key)
        if owner is not None and owner[0] != own_key:
            row.errors.append(f"Tên gọi khác “{alias}” đã được dùng cho {owner[1]}.")
        elif file_spellings.get(key, code) != code:
            row.errors.append(f"Tên gọi khác “{alias}” trùng tên hoặc mã của đơn vị "
                              f"{file_spellings[key]} trong tệp.")


def _in_cycle(code: str, parents: dict[str, str | None]) -> bool:
    current, steps = parents.get(code), 0
    while current is not None and steps < MAX_PARENT_DEPTH:
        if current == code:
            return True
        current, steps = parents.get(current), steps + 1
    return steps >= MAX_PARENT_DEPTH


def _check_users(actor, preview: DirectoryPreview, db_units: dict) -> None:
    if not preview.users:
        return
    db_users = {name.lower(): (role, unit_id) for name, role, unit_id in
                db.session.execute(select(User.username, User.role, User.unit_id))}
    file_codes = {row.code.upper() for row in preview.units if row.code}
    actor_name = (getattr(actor, "username", None) or "").lower()
    for row in preview.users:
        existing_role, existing_unit = db_users.get(row.username, (None, None))
        if existing_role is not None:
            preview.user_updates.add(row.row)
        elif row.username and not row.password:
            row.errors.append("Thiếu mật khẩu ban đầu cho tài khoản mới.")
        code = row.unit_code.upper()
        if code:
            unit = db_units.get(code)
            if unit is None and code not in file_codes:
                row.errors.append(f"Mã đơn vị {row.unit_code} không có trong hệ thống và trong tệp.")
            elif unit is not None and not unit[1]:
                row.errors.append(f"Đơn vị {row.unit_code} đang ngừng hoạt động.")
        elif row.role in ROLES_NEEDING_UNIT and existing_unit is None:
            row.errors.append(f"Vai trò {ROLES[row.role]} phải có mã đơn vị.")
        if row.username and row.username == actor_name and row.role and row.role != existing_role:
            row.errors.append("Không thể thay đổi vai trò của chính bạn qua tệp nhập.")
    distinct = {row.password for row in preview.users if row.password and row.username not in db_users}
    if len(distinct) > SLOW_PASSWORD_COUNT:
        preview.parsed.warnings.append(
            f"Tệp có {len(distinct)} mật khẩu ban đầu khác nhau: mỗi mật khẩu được mã hoá riêng nên "
            "việc nhập "
            "có thể mất vài phút. Nên dùng chung một mật khẩu ban đầu (người dùng phải đổi khi đăng nhập lần "
            "đầu) hoặc chia nhỏ tệp."
        )


@dataclass
class ImportSummary:
    units_created: int = 0
    units_updated: int = 0
    users_created: int = 0
    users_updated: int = 0
    aliases_added: int = 0

    def message(self) -> str:
        return (f"Đã nhập danh sách: {self.units_created} đơn vị mới, {self.units_updated} đơn vị cập nhật, "
                f"{self.users_created} tài khoản mới, {self.users_updated} tài khoản cập nhật.")


def import_directory(actor, data: bytes, *, max_bytes: int | None = None) -> ImportSummary:
    """Write every row of a file without errors; the caller commits once (or rolls back on error).

    Blank optional cells keep what an existing unit or account already has; aliases are added to
    the existing ones; an existing account keeps its password.
    """
    preview = build_preview(actor, data, max_bytes=max_bytes)
    if preview.has_errors:
        raise DomainError(f"Tệp còn {preview.error_count} dòng lỗi: chưa ghi dữ liệu nào. "
                          "Hãy sửa tệp và tải lên lại.")
    summary = ImportSummary()
    db.session.flush()  # pending ORM changes first: the bulk statements below bypass the unit of work
    unit_ids = _write_units(actor, preview, summary)
    _write_users(preview, unit_ids, summary)
    audit.record(actor, "directory_imported", None, details=summary.__dict__.copy())
    return summary


def _search_text(model, **values) -> str:
    """The folded search column, as the before-flush hook would fill it (bulk writes bypass it)."""
    return fold(" ".join(part for part in model(**values).search_sources() if part))


def _write_units(actor, preview: DirectoryPreview, summary: ImportSummary) -> dict[str, int]:
    """Bulk statements (executemany), not one INSERT per row: the ORM cannot batch the self-referencing
    units table on SQLite. Returns every unit code (upper case) -> id."""
    existing = {code.upper(): (unit_id, short, email) for unit_id, code, short, email in
                db.session.execute(select(Unit.id, Unit.code, Unit.short_name, Unit.email))}
    now, new, changed = utcnow(), [], []
    for row in preview.units:
        found = existing.get(row.code.upper())
        short = row.short_name or (found[1] if found else None)
        values = {"kind": row.kind, "name": row.name, "short_name": short,
                  "email": row.email or (found[2] if found else None),
                  "search_text": _search_text(Unit, name=row.name, short_name=short, code=row.code)}
        if found:
            changed.append({"id": found[0], **values})
        else:
            new.append({"code": row.code, "is_active": True, "created_at": now, **values})
    if new:
        db.session.execute(insert(Unit), new)
    if changed:
        db.session.execute(update(Unit), changed)
    ids = {code.upper(): unit_id for unit_id, code in db.session.execute(select(Unit.id, Unit.code))}
    parents = [{"id": ids[row.code.upper()], "parent_id": ids[row.parent_code.upper()]}
               for row in preview.units if row.parent_code]
    if parents:
        db.session.execute(update(Unit), parents)
    alias_keys = set(db.session.scalars(select(UnitAlias.folded)))
    aliases = []
    for row in preview.units:
        for alias in row.aliases:
            key = fold(alias)
            if key not in alias_keys:
                alias_keys.add(key)
                aliases.append(
                    {
                        "alias": alias,
                        "folded": key,
                        "unit_id": ids[row.code.upper()],
                        "group_id": None,
                        "created_by_id": getattr(actor, "id", None),
                        "created_at": now,
                    }
                )
    if aliases:
        db.session.execute(insert(UnitAlias), aliases)
    summary.units_created, summary.units_updated, summary.aliases_added = len(new), len(changed), len(aliases)
    return ids


def _hash_passwords(passwords: set[str]) -> dict[str, str]:
    """One hash per distinct initial password (files usually share one, and it must be changed at
    first log-in); several in parallel, since scrypt releases the GIL."""
    distinct, method = sorted(passwords), hash_method()
    if len(distinct) <= 1:
        return {p: hash_password(p) for p in distinct}
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(distinct, pool.map(lambda p: hash_password(p, method), distinct), strict=True))


def _write_users(preview: DirectoryPreview, unit_ids: dict[str, int], summary: ImportSummary) -> None:
    if not preview.users:
        return
    existing = {name.lower(): (user_id, unit_id, email, phone) for user_id, name, unit_id, email, phone in
                db.session.execute(select(User.id, User.username, User.unit_id, User.email, User.phone))}
    hashes = _hash_passwords({row.password for row in preview.users if row.username not in existing})
    now, new, changed = utcnow(), [], []
    for row in preview.users:
        found = existing.get(row.username)
        unit_id = unit_ids[row.unit_code.upper()] if row.unit_code else (found[1] if found else None)
        email = row.email or (found[2] if found else None)
        values = {
            "full_name": row.full_name,
            "role": row.role,
            "unit_id": unit_id,
            "email": email,
            "phone": row.phone or (found[3] if found else None),
            "search_text": _search_text(User, username=row.username, full_name=row.full_name, email=email),
        }
        if found:
            changed.append({"id": found[0], **values})
        else:
            new.append({"username": row.username, "password_hash": hashes[row.password],
                        "password_changed_at": now, "must_change_password": True, "is_active_account": True,
                        "created_at": now, **values})
    if new:
        db.session.execute(insert(User), new)
    if changed:
        db.session.execute(update(User), changed)
    summary.users_created, summary.users_updated = len(new), len(changed)
