"""Writing the audit log."""
from collections.abc import Iterable
from datetime import date

from app.extensions import db
from app.formatting import vn_date
from app.models.audit import AuditLog
from app.services.errors import DomainError


def record(actor, action: str, obj=None, *, details: dict | None = None, ip_address: str | None = None):
    """Add an audit row in the caller's transaction, so it commits or rolls back with the change."""
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "-",
        object_id=getattr(obj, "id", None),
        details=details or {},
        ip_address=ip_address,
    )
    db.session.add(entry)
    return entry


def _shown(value) -> str:
    return vn_date(value) if isinstance(value, date) else str(value or "")


def apply_changes(row, changes: dict, allowed: Iterable[str]) -> dict[str, list[str]]:
    """Set the fields that really change (text stripped, blank as None) and return them as
    {field: [before, after]} the way people read them, for the audit record of an edit."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise DomainError("Trường không hợp lệ: " + ", ".join(sorted(unknown)))
    diff = {}
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(row, name) != value:
            diff[name] = [_shown(getattr(row, name)), _shown(value)]
            setattr(row, name, value)
    return diff
