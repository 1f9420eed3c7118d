"""In-app notifications: one row per user and event, keyed so every producer is idempotent; one
writer (create_notifications, savepoint-safe) for the screens' events and the scheduler's alerts."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db, rows_changed
from app.models.base import utcnow
from app.models.notifications import Notification
from app.models.users import ROLE_DIRECTOR, ROLE_OFFICE, ROLE_UNIT_HEAD, ROLE_UNIT_STAFF, User
from app.permissions import can_manage_directory
from app.services import audit
from app.services.errors import DomainError, NotFound, PermissionDenied

KIND_ASSIGNED = "assigned"
KIND_SUBMITTED = "submitted"
KIND_RETURNED = "returned"
KIND_SIGNED_OFF = "signed_off"
KIND_EXTENSION_REQUESTED = "extension_requested"
KIND_EXTENSION_DECIDED = "extension_decided"
KIND_COMMENT = "comment"
KIND_MENTION = "mention"
KIND_TASK_CHANGED = "task_changed"
KIND_CHASE = "chase"
KIND_SUBMIT_REQUESTED = "submit_requested"

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
    KIND_CHASE: "Đôn đốc",
    KIND_SUBMIT_REQUESTED: "Đề nghị trình",
}


@dataclass(frozen=True)
class Alert:
    """A notification to create unless its key already exists."""

    user_id: int
    key: str
    kind: str
    title: str
    body: str | None = None
    link: str | None = None
    assignment_id: int | None = None


def chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# Rows per INSERT: the keys of one batch are checked in one SELECT, its new rows go in one statement.
WRITE_BATCH = 1000


def create_notifications(alerts: Iterable[Alert]) -> int:
    """Insert the alerts whose key is new; returns how many were created.

    Per batch of 1.000 keys: one SELECT of the keys already there (a re-run sends nothing more), then
    one multi-row INSERT … ON CONFLICT DO NOTHING … RETURNING for the rest, on SQLite as on
    PostgreSQL: a key inserted meanwhile by another scheduler or a manual run is skipped by the
    database (no error, no savepoint), and only the rows really inserted are counted.
    """
    unique: dict[str, Alert] = {}
    for alert in alerts:
        unique.setdefault(alert.key[:255], alert)
    created = 0
    for batch in chunks(list(unique), WRITE_BATCH):
        existing = existing_keys(batch)
        rows = [_row(key, unique[key]) for key in batch if key not in existing]
        if rows:
            inserted = insert_or_ignore(Notification).returning(Notification.id)
            created += len(db.session.execute(inserted, rows).all())
    return created


def insert_or_ignore(model):
    """INSERT … ON CONFLICT DO NOTHING in the session's dialect (SQLite or PostgreSQL): the set-based
    writers of idempotent rows (notifications, check-ins) let the unique key skip what exists."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(model).on_conflict_do_nothing()
    return sqlite_insert(model).on_conflict_do_nothing()


def existing_keys(keys: list[str], size: int = WRITE_BATCH) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(keys, size):
        found.update(db.session.scalars(select(Notification.key).where(Notification.key.in_(chunk))))
    return found


def _row(key: str, alert: Alert) -> dict:
    return {"user_id": alert.user_id, "key": key, "kind": alert.kind, "title": alert.title[:255],
            "body": alert.body, "link": alert.link, "assignment_id": alert.assignment_id,
            "created_at": utcnow(), "read_at": None, "emailed_outbox_id": None}


def unit_heads_by_unit(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active heads (role unit_head) of each unit, in one query."""
    ids = sorted(set(unit_ids))
    heads: dict[int, list[User]] = defaultdict(list)
    for chunk in chunks(ids):
        for user in db.session.scalars(
            select(User).where(User.unit_id.in_(chunk), User.role == ROLE_UNIT_HEAD,
                               User.is_active_account.is_(True)).order_by(User.id)
        ):
            assert user.unit_id is not None  # the query selects by unit_id
            heads[user.unit_id].append(user)
    return heads


def unit_heads(unit_ids: Iterable[int]) -> list[User]:
    """Active heads of the units, in one list ordered by id."""
    return sorted((u for heads in unit_heads_by_unit(unit_ids).values() for u in heads), key=lambda u: u.id)


def default_focal(unit) -> User | None:
    """The focal person the unit names in its settings, when that account is still active there."""
    user_id = getattr(unit, "default_focal_user_id", None)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.is_active or user.unit_id != unit.id:
        return None
    return user


def focal_choices(unit) -> list[User]:
    """The unit's active accounts, the people the unit may name as its default focal person."""
    return list(db.session.scalars(
        select(User).where(User.unit_id == unit.id, User.is_active_account.is_(True))
        .order_by(User.full_name)))


def set_default_focal(actor, unit, user: User | None) -> None:
    """The unit's default focal person (None: every staff member hears, see unit_people)."""
    if not can_manage_directory(actor):
        raise PermissionDenied("Chỉ quản trị hệ thống được đặt cán bộ đầu mối mặc định.")
    if user is not None and (user.unit_id != unit.id or not user.is_active):
        raise DomainError("Cán bộ đầu mối phải là tài khoản đang hoạt động của chính đơn vị.")
    new_id = user.id if user is not None else None
    if unit.default_focal_user_id == new_id:
        return
    before, unit.default_focal_user_id = unit.default_focal_user_id, new_id
    audit.record(actor, "unit_default_focal_set", unit, details={"before": before, "after": new_id})


def unit_people(assignment) -> list[User]:
    """Who hears about an assignment: the unit's heads, and its default focal person when the unit
    names one (otherwise every active staff member of the unit), plus the assignment's focal person."""
    people = unit_heads([assignment.unit_id])
    focal = default_focal(assignment.unit)
    if focal is not None:
        others = [focal]
    else:
        others = list(db.session.scalars(
            select(User).where(User.unit_id == assignment.unit_id, User.role == ROLE_UNIT_STAFF,
                               User.is_active_account.is_(True)).order_by(User.id)))
    if assignment.focal_user is not None:
        others.append(assignment.focal_user)
    for user in others:
        if user.is_active and user not in people:
            people.append(user)
    return people


def office_and_directors(*, directors: bool = False) -> list[User]:
    roles = [ROLE_OFFICE, ROLE_DIRECTOR] if directors else [ROLE_OFFICE]
    return list(db.session.scalars(
        select(User).where(User.role.in_(roles), User.is_active_account.is_(True)).order_by(User.id)
    ))


def notify(users: Iterable[User], *, event: str, kind: str, title: str, body: str | None = None,
           link: str | None = None, assignment_id: int | None = None, exclude=None) -> int:
    """One notification per user; `event` names the occurrence, so repeating it adds nothing.
    Returns how many were created."""
    skip = getattr(exclude, "id", None) if exclude is not None else None
    return create_notifications(
        Alert(user_id=user.id, key=f"{kind}:{event}:u{user.id}", kind=kind, title=title, body=body, link=link,
              assignment_id=assignment_id)
        for user in users if user is not None and (skip is None or user.id != skip))


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
    return rows_changed(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
