"""`flask demo seed`: a realistic Sở to try TDNV with (never used by the production config)."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.models.oversight import OversightArea
from app.models.units import (
    KIND_CENTRE,
    KIND_COMMUNE,
    KIND_DEPARTMENT_OF_EDUCATION,
    KIND_EXTERNAL,
    KIND_SCHOOL,
    Unit,
    UnitAlias,
    UnitGroup,
)
from app.models.users import User
from app.parsing.text import fold
from app.services.demo import demo_data as data
from app.services.errors import DomainError


@dataclass
class SeedSummary:
    units: int = 0
    groups: int = 0
    users: list = field(default_factory=list)
    password: str = ""
    plan_lines: list = field(default_factory=list)

    def report(self) -> str:
        lines = [
            f"Đã tạo {self.units} đơn vị, {self.groups} nhóm đơn vị, {len(self.users)} tài khoản.",
            *self.plan_lines,
            "",
            f"Tài khoản demo (mật khẩu chung: {self.password}):",
        ]
        lines += [
            f"  {u.username:<28} {u.role_label:<28} {u.unit.name if u.unit else ''}" for u in self.users
        ]
        return "\n".join(lines)


def _add_unit(kind, code, name, short_name, parent, aliases=()):
    unit = Unit(kind=kind, code=code, name=name, short_name=short_name, parent=parent, is_active=True)
    db.session.add(unit)
    for alias in aliases:
        db.session.add(UnitAlias(alias=alias, folded=fold(alias), unit=unit))
    return unit


def seed_directory() -> tuple[dict[str, Unit], int]:
    root = _add_unit(KIND_DEPARTMENT_OF_EDUCATION, *data.ROOT, parent=None)
    units = {root.code: root}
    for kind, code, name, short, aliases in data.OFFICE_AND_DIVISIONS:
        units[code] = _add_unit(kind, code, name, short, root, aliases)
    for i, name in enumerate(data.SCHOOL_NAMES, 1):
        units[f"THPT-{i:03d}"] = _add_unit(KIND_SCHOOL, f"THPT-{i:03d}", f"Trường {name}", name, root)
    for i, name in enumerate(data.CENTRE_NAMES, 1):
        units[f"TT-{i:03d}"] = _add_unit(KIND_CENTRE, f"TT-{i:03d}", name, None, root)
    for i, name in enumerate(data.COMMUNE_NAMES, 1):
        units[f"XA-{i:03d}"] = _add_unit(KIND_COMMUNE, f"XA-{i:03d}", name, None, None)
    for code, name, short, aliases in data.EXTERNAL_UNITS:
        units[code] = _add_unit(KIND_EXTERNAL, code, name, short, None, aliases)
    groups = 0
    for name, description, kinds, aliases in data.GROUPS:
        group = UnitGroup(name=name, description=description, member_kinds=kinds)
        db.session.add(group)
        for alias in aliases:
            db.session.add(UnitAlias(alias=alias, folded=fold(alias), group=group))
        groups += 1
    db.session.flush()
    return units, groups


def seed_users(units: dict[str, Unit], password: str) -> list[User]:
    users = []
    for username, full_name, role, unit_code in data.USERS:
        user = User(username=username, full_name=full_name, role=role, unit=units[unit_code],
                    email=f"{username}@demo.tdnv.vn", must_change_password=False, is_active_account=True)
        user.set_password(password)
        db.session.add(user)
        users.append(user)
    db.session.flush()
    by_name = {u.username: u for u in users}
    for username, area in data.DIRECTOR_AREAS.items():
        for code in area["units"]:
            db.session.add(OversightArea(user=by_name[username], unit=units[code]))
        for group_name in area["groups"]:
            db.session.add(OversightArea(user=by_name[username], group_name=group_name))
    return users


def seed(password: str) -> SeedSummary:
    """Create the demo Sở once; refuse to run over an existing directory."""
    if db.session.scalar(select(func.count(Unit.id))):
        raise DomainError("Cơ sở dữ liệu đã có đơn vị: bỏ qua tạo dữ liệu demo.")
    units, groups = seed_directory()
    users = seed_users(units, password)
    summary = SeedSummary(units=len(units), groups=groups, users=users, password=password)
    from app.services.demo.demo_plans import seed_plans

    summary.plan_lines = seed_plans(next(u for u in users if u.role == "office"), users)
    return summary
