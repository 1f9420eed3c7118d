"""Writing the audit log."""
from app.extensions import db
from app.models.audit import AuditLog


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
