"""Đôn đốc (chase): the office's (or a signer's) nudge on one open assignment.

A chase is an in-app notification and an e-mail to the unit's head(s) and focal person, with the
note of whoever chases, and a journal entry of kind "chase" in the assignment's history. At most one
chase per assignment and local day: checked on the journal, and the notification key carries the
day, so even two racing requests never notify twice.
"""
from __future__ import annotations

from datetime import date

from markupsafe import escape
from sqlalchemy import func, select

from app.extensions import db
from app.formatting import NO_DATE, local_date, vn_date, vn_percent
from app.models.assignments import Assignment, AssignmentUpdate
from app.models.notifications import Notification
from app.models.users import User
from app.permissions import can_sign_off
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.notify import mail, notifications
from app.services.notify.notifications import KIND_CHASE
from app.services.work.workflow import _journal, _label, _link, flush_or_conflict, is_closed

ALREADY_CHASED = "Nhiệm vụ này đã được đôn đốc hôm nay; mỗi ngày chỉ đôn đốc một lần."


def can_chase(actor, assignment: Assignment) -> bool:
    """Whoever may sign the work off may chase it: the office, directors, and the lead unit's head
    for its cooperating units."""
    return can_sign_off(actor, assignment)


def last_chase_day(assignment: Assignment, timezone: str) -> date | None:
    """The local day of the assignment's latest chase (None: never chased)."""
    moment = db.session.scalar(
        select(AssignmentUpdate.created_at).where(AssignmentUpdate.assignment_id == assignment.id,
                                                  AssignmentUpdate.kind == KIND_CHASE)
        .order_by(AssignmentUpdate.created_at.desc()).limit(1))
    return local_date(moment, timezone) if moment is not None else None


def chased_on(assignment_ids, day: date, timezone: str) -> set[int]:
    """Which of the assignments were chased on that local day, in one query (for lists)."""
    ids = sorted(set(assignment_ids))
    if not ids:
        return set()
    rows = db.session.execute(
        select(AssignmentUpdate.assignment_id, func.max(AssignmentUpdate.created_at))
        .where(AssignmentUpdate.assignment_id.in_(ids), AssignmentUpdate.kind == KIND_CHASE)
        .group_by(AssignmentUpdate.assignment_id))
    return {assignment_id for assignment_id, moment in rows if local_date(moment, timezone) == day}


def refusal(actor, assignment: Assignment, *, today: date, timezone: str,
            chased_today: bool | None = None) -> str | None:
    """Why this actor cannot chase the assignment today (None: they can); a list passes
    chased_today from chased_on() instead of one query per row."""
    if not can_chase(actor, assignment):
        return "Bạn không có quyền đôn đốc nhiệm vụ này."
    if is_closed(assignment):
        return "Nhiệm vụ đã kết thúc, không cần đôn đốc."
    if chased_today is None:
        chased_today = last_chase_day(assignment, timezone) == today
    return ALREADY_CHASED if chased_today else None


def chase_recipients(assignment: Assignment) -> list[User]:
    """The unit's head(s) and the focal person (the assignment's, else the unit's default one)."""
    people = notifications.unit_heads([assignment.unit_id])
    focal = assignment.focal_user or notifications.default_focal(assignment.unit)
    if focal is not None and focal.is_active and focal not in people:
        people.append(focal)
    return people


def _mail_text(actor, assignment: Assignment, note: str | None, url: str) -> tuple[str, str, str]:
    subject = f"[TDNV] Đôn đốc: {_label(assignment)}"
    lines = [f"Kính gửi {assignment.unit.name},", "",
             f"{actor.full_name} đôn đốc đơn vị thực hiện nhiệm vụ:", f"  {_label(assignment)}",
             f"  Thời hạn: {vn_date(assignment.due_date, empty=NO_DATE)} · Trạng thái: "
             f"{assignment.status_label} · Tiến độ: {vn_percent(assignment.progress)}"]
    if note:
        lines += ["", "Ý kiến:", *[f"  {line}" for line in note.splitlines()]]
    lines += ["", f"Cập nhật tại: {url}"]
    html = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return subject, "\n".join(lines), html


def _queue_mails(actor, assignment: Assignment, keys: list[str], note: str | None, base_url: str) -> int:
    """One e-mail per recipient with an address; the notification is marked e-mailed, so the digest
    does not send it a second time."""
    url = (base_url or "").rstrip("/") + _link(assignment)
    subject, text, html = _mail_text(actor, assignment, note, url)
    rows = db.session.execute(
        select(Notification, User).join(User, Notification.user_id == User.id)
        .where(Notification.key.in_(keys), Notification.emailed_outbox_id.is_(None))).all()
    queued = 0
    for notification, user in rows:
        if not user.email or not user.is_active_account:
            continue
        message = mail.queue_email(user.email, subject, text, body_html=html, user=user)
        db.session.flush()
        notification.emailed_outbox_id = message.id
        queued += 1
    return queued


def chase(actor, assignment: Assignment, *, note: str | None, today: date, timezone: str,
          base_url: str = "") -> AssignmentUpdate:
    """Chase one assignment: journal entry, notifications and e-mails, audited; once a day."""
    if not can_chase(actor, assignment):
        raise PermissionDenied("Bạn không có quyền đôn đốc nhiệm vụ này.")
    reason = refusal(actor, assignment, today=today, timezone=timezone)
    if reason:
        raise DomainError(reason)
    note = (note or "").strip() or None
    entry = _journal(actor, assignment, KIND_CHASE, note=note, status=assignment.status,
                     progress=assignment.progress)
    flush_or_conflict()
    people = [u for u in chase_recipients(assignment) if u.id != actor.id]
    event = f"a{assignment.id}:{today.isoformat()}"
    created = notifications.notify(
        people, event=event, kind=KIND_CHASE, title=f"Đôn đốc: {_label(assignment)}",
        body=note, link=_link(assignment), assignment_id=assignment.id)
    if people and not created:
        raise DomainError(ALREADY_CHASED)  # a concurrent chase of the same day got there first
    keys = [f"{KIND_CHASE}:{event}:u{u.id}" for u in people]
    mails = _queue_mails(actor, assignment, keys, note, base_url)
    audit.record(actor, "assignment_chased", assignment, details={
        "note": note, "recipients": [u.id for u in people], "mails": mails})
    return entry
