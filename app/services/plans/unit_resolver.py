"""The unit directory as the plan importer sees it: names, aliases and groups to resolve."""
from sqlalchemy import select

from app.extensions import db
from app.models.units import KIND_DEPARTMENT_OF_EDUCATION, Unit, UnitAlias, UnitGroup
from app.parsing.text import fold
from app.services import audit
from app.services.errors import DomainError


def ensure_root_unit() -> Unit:
    """A fresh install needs the Sở itself as the root of the unit tree."""
    root = db.session.scalar(select(Unit).where(Unit.kind == KIND_DEPARTMENT_OF_EDUCATION).limit(1))
    if root is None:
        root = Unit(kind=KIND_DEPARTMENT_OF_EDUCATION, code="SGDDT", name="Sở Giáo dục và Đào tạo",
                    short_name="Sở GDĐT")
        db.session.add(root)
        db.session.flush()
    return root


def unit_key(unit: Unit) -> str:
    return f"unit:{unit.id}"


def group_key(group: UnitGroup) -> str:
    return f"group:{group.id}"


def name_directory() -> dict[str, str]:
    """Every known spelling (folded) -> "unit:ID" or "group:ID", for the importer's resolver.

    Four queries whatever the size of the directory; aliases win over names, since the office
    chose them explicitly.
    """
    directory: dict[str, str] = {}
    for unit in db.session.scalars(select(Unit).where(Unit.is_active.is_(True))):
        for spelling in (unit.name, unit.short_name, unit.code):
            if spelling:
                directory.setdefault(fold(spelling), unit_key(unit))
    for group in db.session.scalars(select(UnitGroup)):
        directory[fold(group.name)] = group_key(group)
    for alias in db.session.scalars(select(UnitAlias)):
        if alias.unit_id:
            directory[alias.folded] = f"unit:{alias.unit_id}"
        elif alias.group_id:
            directory[alias.folded] = f"group:{alias.group_id}"
    return directory


def known_names() -> list[str]:
    """Spellings as written (not folded), for the unit-cell splitter that must not cut inside them."""
    names: set[str] = set()
    for name, short in db.session.execute(select(Unit.name, Unit.short_name).where(Unit.is_active.is_(True))):
        names.add(name)
        if short:
            names.add(short)
    names.update(db.session.scalars(select(UnitGroup.name)))
    names.update(db.session.scalars(select(UnitAlias.alias)))
    return sorted(names)


def units_for_key(key: str) -> list[Unit]:
    """Expand a resolved key to units: a unit is itself, a group its current active members."""
    kind, _, raw_id = key.partition(":")
    if kind == "unit":
        unit = db.session.get(Unit, int(raw_id))
        return [unit] if unit is not None and unit.is_active else []
    if kind == "group":
        group = db.session.get(UnitGroup, int(raw_id))
        return list(db.session.scalars(group.members_query())) if group else []
    return []


def save_alias(actor, spelling: str, key: str) -> UnitAlias:
    """Remember the office's choice for an unknown name, so the next import resolves it."""
    kind, _, raw_id = key.partition(":")
    if kind not in {"unit", "group"} or not raw_id.isdigit():
        raise DomainError("Đơn vị được chọn không hợp lệ.")
    folded = fold(spelling)
    alias = db.session.scalar(select(UnitAlias).where(UnitAlias.folded == folded))
    if alias is None:
        alias = UnitAlias(alias=spelling.strip(), folded=folded)
        db.session.add(alias)
    alias.unit_id = int(raw_id) if kind == "unit" else None
    alias.group_id = int(raw_id) if kind == "group" else None
    alias.created_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "alias_saved", alias, details={"alias": spelling, "key": key})
    return alias
