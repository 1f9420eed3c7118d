"""In-app notifications: one row per user and event, keyed so every producer is idempotent."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from app.extensions import db
from app.models.base import utcnow
from app.models.notifications import Notification
from app.models.users import ROLE_DIRECTOR, ROLE_OFFICE, ROLE_UNIT_HEAD, User
from app.services.errors import NotFound

KIND_ASSIGNED = "assigned"
KIND_SUBMITTED = "submitted"
KIND_RETURNED = "returned"
KIND_SIGNED_OFF = "signed_off"
KIND_EXTENSION_REQUESTED = "extension_requested"
KIND_EXTENSION_DECIDED = "extension_decided"
KIND_COMMENT = "comment"
KIND_MENTION = "mention"
KIND_TASK_CHANGED = "task_changed"

KINDS = {
    KIND_ASSIGNED: "Được giao nhiệm vụ",
    KIND_SUBMITTED: "Chờ xác nhận",
    KIND_RETURNED: "Bị trả lại",
    KIND_SIGNED_OFF: "Đã xác nhận hoàn thành",
    KIND_EXTENSION_REQUESTED: "Đề nghị gia hạn",
    KIND_EXTENSION_DECIDED: "Kết quả gia hạn",
    KIND_COMMENT: "Ý kiến mới",
    KIND_MENTION: "Được nhắc đến",
    KIND_TASK_CHANGED: "Nhiệm vụ thay đổi",
}


def unit_heads(unit_ids: Iterable[int]) -> list[User]:
    ids = set(unit_ids)
    if not ids:
        return []
    return list(db.session.scalars(
        select(User).where(User.unit_id.in_(ids), User.role == ROLE_UNIT_HEAD,
                           User.is_active_account.is_(True)).order_by(User.id)
    ))


def unit_people(assignment) -> list[User]:
    """Who hears about an assignment: the unit's heads and its focal person."""
    people = unit_heads([assignment.unit_id])
    focal = assignment.focal_user
    if focal is not None and focal.is_active and focal not in people:
        people.append(focal)
    return people


def office_and_directors(*, directors: bool = False) -> list[User]:
    roles = [ROLE_OFFICE, ROLE_DIRECTOR] if directors else [ROLE_OFFICE]
    return list(db.session.scalars(
        select(User).where(User.role.in_(roles), User.is_active_account.is_(True)).order_by(User.id)
    ))


def notify(users: Iterable[User], *, event: str, kind: str, title: str, body: str | None = None,
           link: str | None = None, assignment_id: int | None = None, exclude=None) -> list[Notification]:
    """Create one notification per user; `event` names the occurrence, so repeating it adds nothing."""
    by_key = {}
    for user in users:
        if user is None or (exclude is not None and user.id == getattr(exclude, "id", None)):
            continue
        by_key[f"{kind}:{event}:u{user.id}"] = user
    if not by_key:
        return []
    existing = set(db.session.scalars(select(Notification.key).where(Notification.key.in_(by_key))))
    created = []
    for key, user in by_key.items():
        if key in existing:
            continue
        note = Notification(user_id=user.id, key=key, kind=kind, title=title[:255], body=body,
                            link=link, assignment_id=assignment_id)
        db.session.add(note)
        created.append(note)
    return created


def unread_count(user) -> int:
    if getattr(user, "id", None) is None:
        return 0
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def list_query(user, *, unread_only: bool = False):
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user, notification_id: int) -> Notification:
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        raise NotFound("Không tìm thấy thông báo.")
    if note.read_at is None:
        note.read_at = utcnow()
    return note


def mark_all_read(user) -> int:
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0
