"""The area each Phó Giám đốc oversees (units and/or task groups), set by the admin."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.oversight import OversightArea
from app.models.plans import PLAN_ACTIVE, Plan, Task
from app.models.users import ROLE_DIRECTOR, User
from app.services.errors import DomainError
from app.services.reporting.dashboard import Scope


def area_of(user_id: int | None) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(unit ids, task groups) of a director's area; both empty when none is set."""
    if user_id is None:
        return (), ()
    rows = db.session.execute(select(OversightArea.unit_id, OversightArea.group_name)
                              .where(OversightArea.user_id == user_id)).all()
    units = tuple(sorted({u for u, _ in rows if u is not None}))
    groups = tuple(sorted({g for _, g in rows if g}))
    return units, groups


def area_scope(user_id: int | None, base: Scope | None = None) -> Scope:
    units, groups = area_of(user_id)
    return (base or Scope()).narrowed(area_unit_ids=units, area_groups=groups)


def set_area(actor, director_id: int, unit_ids: list[int], groups: list[str]) -> User:
    """Replace a director's area; the admin only (checked again here, not only in the view)."""
    from app.permissions import can_manage_directory

    if not can_manage_directory(actor):
        raise DomainError("Bạn không có quyền phân công lĩnh vực theo dõi.")
    director = db.session.get(User, director_id)
    if director is None or director.role != ROLE_DIRECTOR:
        raise DomainError("Chỉ phân công lĩnh vực cho tài khoản Lãnh đạo Sở.")
    db.session.execute(delete(OversightArea).where(OversightArea.user_id == director_id))
    for unit_id in sorted(set(unit_ids)):
        db.session.add(OversightArea(user_id=director_id, unit_id=unit_id))
    for group in sorted({g.strip() for g in groups if g and g.strip()}):
        db.session.add(OversightArea(user_id=director_id, group_name=group))
    db.session.flush()
    return director


def task_groups() -> list[str]:
    """Distinct task groups of the active plans (the choices of an area)."""
    return list(db.session.scalars(
        select(Task.group_name).join(Plan, Task.plan_id == Plan.id)
        .where(Plan.status == PLAN_ACTIVE, Task.group_name.is_not(None))
        .distinct().order_by(Task.group_name)))


def directors_with_areas() -> list[tuple[User, tuple, tuple]]:
    directors = db.session.scalars(
        select(User).where(User.role == ROLE_DIRECTOR).order_by(User.full_name)
    ).all()
    rows = db.session.scalars(select(OversightArea).options(joinedload(OversightArea.unit)).where(
        OversightArea.user_id.in_([d.id for d in directors]))).all()
    by_user: dict[int, list] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    return [(d, tuple(r.unit for r in by_user.get(d.id, []) if r.unit_id),
             tuple(r.group_name for r in by_user.get(d.id, []) if r.group_name)) for d in directors]
