"""Units and unit groups as the administrator manages them: search, edit, deactivate, aliases, export."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.importers.directory_xlsx import UNIT_SHEET, is_valid_email
from app.models.units import UNIT_KINDS, Unit, UnitAlias, UnitGroup
from app.models.users import User
from app.parsing.text import fold, normalize_text
from app.services import audit
from app.services.errors import DomainError

STATUS_ACTIVE, STATUS_INACTIVE = "active", "inactive"
STATUSES = {STATUS_ACTIVE: "Đang hoạt động", STATUS_INACTIVE: "Ngừng hoạt động"}


@dataclass
class UnitData:
    """What the unit form (or any other caller) sets on a unit."""

    kind: str
    code: str
    name: str
    short_name: str | None = None
    email: str | None = None
    parent_id: int | None = None
    aliases: list[str] | None = None  # None: leave the aliases as they are


def search_condition(column, query: str | None):
    """Every word of the query, folded, must occur in the folded search column."""
    words = fold(query or "").split()
    return [column.contains(word, autoescape=True) for word in words]


def unit_matches(q: str):
    """Where-clause over Unit: its folded name, short name, code or one of its aliases holds every word
    of q ("tran phu" finds "Trường THPT chuyên Trần Phú"). q must fold to something."""
    alias_match = select(UnitAlias.unit_id).where(UnitAlias.folded.contains(fold(q), autoescape=True))
    return or_(Unit.id.in_(alias_match), and_(*search_condition(Unit.search_text, q)))


def search_units(q: str | None, *, limit: int = 20) -> list[tuple[int, str]]:
    """(id, name) of the active units matching q (unit_matches): the type-ahead of the filter bars.
    One indexed-size query, at most `limit` rows."""
    if not fold(q or ""):
        return []
    stmt = (select(Unit.id, Unit.name).where(Unit.is_active.is_(True), unit_matches(q or ""))
            .order_by(Unit.kind, Unit.name, Unit.id).limit(limit))
    return [(unit_id, name) for unit_id, name in db.session.execute(stmt)]


def units_query(q: str | None = None, kind: str | None = None, status: str | None = None):
    """The filtered unit list, ordered by folded name (diacritics-insensitive)."""
    stmt = select(Unit).options(joinedload(Unit.parent), selectinload(Unit.aliases))
    if q and fold(q):
        stmt = stmt.where(unit_matches(q))
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    return with_status(stmt, Unit.is_active, status).order_by(Unit.search_text, Unit.id)


def with_status(stmt, flag, status: str | None):
    """The list's "Đang hoạt động / Đã ngừng" filter over a boolean column (units and accounts)."""
    if status in (STATUS_ACTIVE, STATUS_INACTIVE):
        stmt = stmt.where(flag.is_(status == STATUS_ACTIVE))
    return stmt


def _clean(value: str | None) -> str:
    return normalize_text(value or "")


def _check_fields(unit: Unit | None, data: UnitData) -> None:
    if data.kind not in UNIT_KINDS:
        raise DomainError("Loại đơn vị không hợp lệ.")
    code = _clean(data.code)
    if not code:
        raise DomainError("Mã đơn vị không được để trống.")
    if len(code) > 40 or " " in code:
        raise DomainError("Mã đơn vị tối đa 40 ký tự, không có dấu cách.")
    stmt = select(Unit.name).where(func.upper(Unit.code) == code.upper())
    if unit is not None and unit.id is not None:
        stmt = stmt.where(Unit.id != unit.id)
    other = db.session.scalar(stmt)
    if other is not None:
        raise DomainError(f"Mã đơn vị {code} đã được dùng cho {other}.")
    if not _clean(data.name):
        raise DomainError("Tên đơn vị không được để trống.")
    if data.email and not is_valid_email(data.email.strip()):
        raise DomainError(f"E-mail không hợp lệ: {data.email}.")


def _check_parent(unit: Unit | None, parent_id: int | None) -> Unit | None:
    """The parent must exist and must not be the unit itself or one of its descendants."""
    if not parent_id:
        return None
    parent = db.session.get(Unit, parent_id)
    if parent is None:
        raise DomainError("Đơn vị cấp trên không tồn tại.")
    if unit is not None and unit.id is not None:
        ancestor: Unit | None = parent
        depth = 0
        while ancestor is not None and depth < 100:
            if ancestor.id == unit.id:
                raise DomainError(
                    "Đơn vị cấp trên không thể là chính đơn vị này hoặc đơn vị cấp dưới của nó."
                )
            ancestor, depth = ancestor.parent, depth + 1
    return parent


def _apply(unit: Unit, data: UnitData, parent: Unit | None) -> None:
    unit.kind = data.kind
    unit.code = _clean(data.code)
    unit.name = _clean(data.name)
    unit.short_name = _clean(data.short_name) or None
    unit.email = (data.email or "").strip() or None
    unit.parent = parent


def create_unit(actor, data: UnitData) -> Unit:
    """Add a unit (active) with its aliases."""
    _check_fields(None, data)
    parent = _check_parent(None, data.parent_id)
    unit = Unit(is_active=True)
    _apply(unit, data, parent)
    db.session.add(unit)
    db.session.flush()
    if data.aliases:
        set_aliases(actor, unit, data.aliases, record=False)
    audit.record(actor, "unit_created", unit, details={"code": unit.code, "name": unit.name})
    return unit


def update_unit(actor, unit: Unit, data: UnitData) -> Unit:
    _check_fields(unit, data)
    parent = _check_parent(unit, data.parent_id)
    before = {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id}
    _apply(unit, data, parent)
    if data.aliases is not None:
        set_aliases(actor, unit, data.aliases, record=False)
    db.session.flush()
    audit.record(actor, "unit_updated", unit, details={"before": before, "code": unit.code})
    return unit


def set_unit_active(actor, unit: Unit, active: bool) -> int:
    """(De)activate a unit; returns how many active accounts it still has (to warn about)."""
    if not active:
        children = db.session.scalar(
            select(func.count(Unit.id)).where(Unit.parent_id == unit.id, Unit.is_active.is_(True)))
        if children:
            raise DomainError(f"Đơn vị còn {children} đơn vị cấp dưới đang hoạt động: hãy chuyển hoặc "
                              "ngừng hoạt động các đơn vị đó trước.")
    elif unit.parent is not None and not unit.parent.is_active:
        raise DomainError(f"Đơn vị cấp trên {unit.parent.name} đang ngừng hoạt động.")
    unit.is_active = active
    db.session.flush()
    audit.record(actor, "unit_activated" if active else "unit_deactivated", unit, details={"code": unit.code})
    return db.session.scalar(
        select(func.count(User.id)).where(User.unit_id == unit.id, User.is_active_account.is_(True))) or 0


def alias_lines(text: str | None) -> list[str]:
    """A text area, one alias per line: normalised, blanks and repeats (by folded form) dropped."""
    seen, out = set(), []
    for line in (text or "").splitlines():
        alias = normalize_text(line)
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            out.append(alias)
    return out


def spelling_owners() -> dict[str, tuple[str, str]]:
    """Folded spelling -> (owner key "unit:ID"/"group:ID", label) for names, short names, codes,
    group names and aliases. Three queries for the whole directory, however many aliases are checked.
    """
    owners: dict[str, tuple[str, str]] = {}
    for unit_id, name, short, code in db.session.execute(
        select(Unit.id, Unit.name, Unit.short_name, Unit.code)
    ):
        for spelling in (name, short, code):
            if spelling:
                owners.setdefault(fold(spelling), (f"unit:{unit_id}", f"đơn vị {name}"))
    for group_id, name in db.session.execute(select(UnitGroup.id, UnitGroup.name)):
        owners.setdefault(fold(name), (f"group:{group_id}", f"nhóm {name}"))
    rows = db.session.execute(
        select(UnitAlias.folded, UnitAlias.unit_id, UnitAlias.group_id, Unit.name, UnitGroup.name)
        .outerjoin(Unit, Unit.id == UnitAlias.unit_id)
        .outerjoin(UnitGroup, UnitGroup.id == UnitAlias.group_id)
    )
    for folded, alias_unit_id, alias_group_id, unit_name, group_name in rows:
        if alias_unit_id is not None:
            owners[folded] = (f"unit:{alias_unit_id}", f"đơn vị {unit_name}")
        elif alias_group_id is not None:
            owners[folded] = (f"group:{alias_group_id}", f"nhóm {group_name}")
    return owners


def set_aliases(actor, owner: Unit | UnitGroup, aliases: list[str], *, record: bool = True) -> None:
    """Make the owner's aliases exactly this list; refuse a spelling another unit or group uses."""
    own_key = f"{'unit' if isinstance(owner, Unit) else 'group'}:{owner.id}"
    owners = spelling_owners()
    wanted: dict[str, str] = {}
    for alias in aliases:
        alias = normalize_text(alias)
        key = fold(alias)
        if not key or key in wanted:
            continue
        if len(alias) > 255:
            raise DomainError("Tên gọi khác dài quá 255 ký tự.")
        if key in owners and owners[key][0] != own_key:
            raise DomainError(f"Tên gọi khác “{alias}” đã được dùng cho {owners[key][1]}.")
        wanted[key] = alias
    for existing in list(owner.aliases):
        if existing.folded not in wanted:
            owner.aliases.remove(existing)
        else:
            existing.alias = wanted.pop(existing.folded)
    db.session.flush()  # deletes first, so a spelling moved between lines never hits the unique key
    for key, alias in wanted.items():
        owner.aliases.append(UnitAlias(alias=alias, folded=key, created_by_id=getattr(actor, "id", None)))
    db.session.flush()
    if record:
        audit.record(actor, "aliases_updated", owner, details={"aliases": [a.alias for a in owner.aliases]})


def groups_with_counts() -> list[tuple[UnitGroup, int]]:
    """Every group and how many active units its rule currently selects (two queries)."""
    by_kind = dict(db.session.execute(
        select(Unit.kind, func.count(Unit.id)).where(Unit.is_active.is_(True)).group_by(Unit.kind)).all())
    groups = db.session.scalars(select(UnitGroup).options(selectinload(UnitGroup.aliases))
                                .order_by(UnitGroup.name)).all()
    return [(g, sum(by_kind.get(k, 0) for k in (g.member_kinds or []))) for g in groups]


def parent_choices(current: Unit | None = None) -> list[Unit]:
    """Units that hold others (Sở, Văn phòng, phòng, any unit with children) plus the current parent."""
    has_children = select(Unit.parent_id).where(Unit.parent_id.is_not(None))
    stmt = select(Unit).where(Unit.is_active.is_(True), or_(
        Unit.kind.in_(["so", "office", "division"]), Unit.id.in_(has_children)))
    units = list(db.session.scalars(stmt.order_by(Unit.search_text)))
    if current is not None and current.parent is not None and current.parent not in units:
        units.append(current.parent)
    if current is not None:
        units = [u for u in units if u.id != current.id]
    return units


UNIT_EXPORT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Loại", "Mã đơn vị cấp trên", "E-mail",
                       "Tên gọi khác", "Trạng thái", "Ngày tạo"]


def export_units(q: str | None = None, kind: str | None = None, status: str | None = None) -> bytes:
    """The filtered list as .xlsx, laid out like the import sheet "Đơn vị" so it can be re-imported."""
    from app.exporters.xlsx_table import table_to_xlsx
    from app.formatting import local_date

    rows = (
        [u.code, u.name, u.short_name, u.kind_label, u.parent.code if u.parent else None, u.email,
         "; ".join(a.alias for a in u.aliases), STATUSES[STATUS_ACTIVE if u.is_active else STATUS_INACTIVE],
         local_date(u.created_at)]
        for u in db.session.scalars(units_query(q, kind, status)).unique()
    )
    return table_to_xlsx(UNIT_SHEET, UNIT_EXPORT_HEADERS, rows, widths=[14, 45, 22, 20, 14, 28, 40, 16, 12])


def unit_options(current: Unit | None = None) -> list[tuple[str, list[tuple[int, str, str]]]]:
    """Active units (plus the current one) grouped by kind, as (kind label, [(id, code, name)])."""
    stmt = select(Unit.id, Unit.code, Unit.name, Unit.kind).where(
        or_(Unit.is_active.is_(True), Unit.id == (current.id if current is not None else -1)))
    grouped: dict[str, list[tuple[int, str, str]]] = {kind: [] for kind in UNIT_KINDS}
    for unit_id, code, name, kind in db.session.execute(stmt.order_by(Unit.search_text)):
        grouped.setdefault(kind, []).append((unit_id, code, name))
    return [(UNIT_KINDS.get(kind, kind), items) for kind, items in grouped.items() if items]


def active_units() -> Sequence[Row[int, str, str]]:
    """Active units as rows (id, name, kind), ordered by kind then name: the one query behind every
    unit choice of the screens."""
    return db.session.execute(select(Unit.id, Unit.name, Unit.kind).where(Unit.is_active.is_(True))
                              .order_by(Unit.kind, Unit.name)).all()
