"""Per-task choices of an appendix ("Cơ sở thí điểm", "các trường được chọn"): the office picks the
units for each task, in the preview or later on the task page; never a global alias."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.assignments import ROLE_COOPERATING, ROLE_LEAD
from app.models.plans import Task
from app.models.units import Unit
from app.permissions import can_assign_choice_units
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.work import assignment_admin

MAX_PICKED_UNITS = 200  # per choice of one task: a pilot list, not a whole school network


def _active_ids(ids) -> set[int]:
    wanted = {i for i in ids if isinstance(i, int) and i > 0}
    if not wanted:
        return set()
    return set(db.session.scalars(select(Unit.id).where(Unit.id.in_(wanted), Unit.is_active.is_(True))))


def valid_picks(tasks: list[dict], picks: dict[int, dict[int, list[int]]]) -> dict[int, dict[str, list[int]]]:
    """The office's picks (row position -> choice index -> unit ids) as row position -> choice name
    -> active unit ids; picks for a row or a choice the file does not have, or for units that do
    not exist or no longer work, are dropped. One query whatever the number of picks."""
    active = _active_ids(uid for by_choice in picks.values() for ids in by_choice.values() for uid in ids)
    result: dict[int, dict[str, list[int]]] = {}
    for position, by_choice in picks.items():
        if not 1 <= position <= len(tasks):
            continue
        names = tasks[position - 1].get("choice_units") or []
        for index, ids in by_choice.items():
            kept = list(dict.fromkeys(uid for uid in ids if uid in active))[:MAX_PICKED_UNITS]
            if 0 <= index < len(names) and kept:
                result.setdefault(position, {})[names[index]] = kept
    return result


def unit_names(picked: dict[int, dict[str, list[int]]]) -> dict[int, str]:
    """Names of the picked units, for the preview (one query)."""
    ids = {uid for by_name in picked.values() for uids in by_name.values() for uid in uids}
    if not ids:
        return {}
    return {uid: name for uid, name in db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids)))}


def choice_entries(lead, cooperating) -> list[dict]:
    """What a task keeps of its choices: the name, the role it was written in, the units picked."""
    entries: list[dict] = []
    for role, resolved in ((ROLE_LEAD, lead), (ROLE_COOPERATING, cooperating)):
        entries.extend({"name": r.name, "role": role, "unit_ids": list(r.unit_ids)}
                       for r in resolved if r.choice)
    return entries


def pending_choices(task: Task) -> list[tuple[int, dict]]:
    """(index, entry) of the choices still waiting for units."""
    return [(i, entry) for i, entry in enumerate(task.choice_units or []) if not entry.get("unit_ids")]


def assign_choice_units(actor, task: Task, index: int, unit_ids: list[int]) -> list:
    """Give a task's choice its units (on the task page): each becomes an assignment in the role the
    appendix wrote the choice in; units the task already has keep their part."""
    if not can_assign_choice_units(actor, task):
        raise PermissionDenied("Chỉ Văn phòng Sở được chọn đơn vị cho nhiệm vụ.")
    entries = list(task.choice_units or [])
    if not 0 <= index < len(entries):
        raise DomainError("Lựa chọn đơn vị không còn trên nhiệm vụ này.")
    active = _active_ids(unit_ids)
    chosen = [uid for uid in dict.fromkeys(unit_ids) if uid in active][:MAX_PICKED_UNITS]
    if not chosen:
        raise DomainError("Vui lòng chọn ít nhất một đơn vị đang hoạt động.")
    entry = dict(entries[index])
    role = ROLE_LEAD if entry.get("role") == ROLE_LEAD else ROLE_COOPERATING
    have = {a.unit_id for a in task.assignments}
    units = db.session.scalars(select(Unit).where(Unit.id.in_(chosen)).order_by(Unit.id)).all()
    created = [assignment_admin.add_unit(actor, task, unit, role=role)
               for unit in units if unit.id not in have]
    entry["unit_ids"] = list(dict.fromkeys([*entry.get("unit_ids", []), *chosen]))
    entries[index] = entry
    task.choice_units = entries  # new lists, so the JSON columns are written
    waiting = {e["name"] for e in entries if not e.get("unit_ids")}
    task.unresolved_units = [name for name in task.unresolved_units or []
                             if name != entry["name"] or name in waiting]
    db.session.flush()
    audit.record(actor, "choice_units_assigned", task, details={
        "choice": entry["name"], "units": [u.code for u in units]})
    return created
