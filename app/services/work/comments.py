"""Comments on a task or on one unit's assignment, with @-mentions of units ("@QLCL")."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.links import assignment_path, task_path
from app.models.assignments import ROLE_LEAD
from app.models.comments import Comment
from app.models.units import Unit
from app.parsing.text import fold
from app.permissions import can_comment
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.notify import notifications

MAX_LENGTH = 5000
_MENTION = re.compile(r"(?<![\w@])@([\w][\w&.\-]*)")
_PREFIXES = ("phong ", "truong ", "trung tam ", "ubnd ")


def _keys(unit: Unit) -> set[str]:
    keys = {fold(unit.code).replace(" ", "")}
    if unit.short_name:
        short = fold(unit.short_name)
        keys.add(short.replace(" ", ""))
        for prefix in _PREFIXES:
            if short.startswith(prefix):
                keys.add(short[len(prefix):].replace(" ", ""))
    return {k for k in keys if k}


def mention_token(unit: Unit) -> str:
    """What the comment box inserts after "@" for a unit: its short name without "Phòng"/"Trường"…,
    spaces as "_" (so "@THPT_chuyên_Trần_Phú" reads well and find_mentions knows it), else its code."""
    short = (unit.short_name or "").strip()
    for prefix in _PREFIXES:
        if fold(short).startswith(prefix) and len(short) > len(prefix):
            short = short[len(prefix):]
            break
    return "_".join(short.split()) or unit.code


def mention_suggestions(query: str, *, limit: int = 8) -> list[dict]:
    """Units for the @-autocomplete: the type-ahead's matches with the token to insert (two queries)."""
    from app.services.directory.units import search_units

    ids = [unit_id for unit_id, _ in search_units(query, limit=limit)]
    if not ids:
        return []
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [{"name": units[i].name, "mention": mention_token(units[i])} for i in ids if i in units]


def _told(units: list[Unit]) -> list[str]:
    """"Phòng QLCL (Nguyễn Văn A)": each mentioned unit with the heads who were told."""
    heads = notifications.unit_heads_by_unit(u.id for u in units)
    named = []
    for unit in units:
        people = ", ".join(h.full_name for h in heads.get(unit.id, []))
        named.append(f"{unit.display_name} ({people})" if people else unit.display_name)
    return named


def find_mentions(body: str) -> list[Unit]:
    """Units named after "@" by code or short name (folded: "@qlcl", "@Phòng_QLCL" do not matter)."""
    tokens = {fold(t).rstrip(".-").replace("_", "") for t in _MENTION.findall(body or "")}
    tokens.discard("")
    if not tokens:
        return []
    units = db.session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.id))
    return [u for u in units if _keys(u) & tokens]


def add_comment(actor, task, body: str, *, assignment=None) -> Comment:
    """Anyone who can see the task (or the assignment) may comment; mentioned units' heads are told."""
    if assignment is not None and assignment.task_id != task.id:
        raise DomainError("Ý kiến không thuộc nhiệm vụ này.")
    if not can_comment(actor, task, assignment):
        raise PermissionDenied("Bạn không có quyền góp ý cho nhiệm vụ này.")
    body = (body or "").strip()
    if not body:
        raise DomainError("Vui lòng nhập nội dung ý kiến.")
    if len(body) > MAX_LENGTH:
        raise DomainError(f"Ý kiến dài tối đa {MAX_LENGTH} ký tự.")
    # only units that can read the comment are told (the task's units, or for one unit's
    # assignment that unit and the lead units), so a mention never leaks the text elsewhere
    if assignment is None:
        readers = {a.unit_id for a in task.assignments}
    else:
        readers = {assignment.unit_id} | {a.unit_id for a in task.assignments if a.role == ROLE_LEAD}
    mentioned = [unit for unit in find_mentions(body) if unit.id in readers]
    comment = Comment(task_id=task.id, assignment_id=getattr(assignment, "id", None), author_id=actor.id,
                      body=body, mentioned_unit_ids=[u.id for u in mentioned])
    db.session.add(comment)
    db.session.flush()
    comment.notified_units = _told(mentioned)
    audit.record(actor, "comment_added", comment, details={
        "task_id": task.id, "assignment_id": comment.assignment_id,
        "mentioned": [u.code for u in mentioned]})
    link = assignment_path(assignment.id) if assignment is not None else task_path(task.id)
    ref = f"{task.ref}. " if task.ref else ""
    summary = body if len(body) <= 300 else body[:297] + "…"
    author = getattr(actor, "full_name", "")
    if mentioned:
        notifications.notify(
            notifications.unit_heads(u.id for u in mentioned), event=f"c{comment.id}",
            kind=notifications.KIND_MENTION, title=f"{author} nhắc đến đơn vị bạn: {ref}{task.content[:120]}",
            body=summary, link=link, assignment_id=comment.assignment_id, exclude=actor)
    # the people in charge hear about a new comment (the unit for an assignment, the leads for a task)
    if assignment is not None:
        people = notifications.unit_people(assignment)
    else:
        people = notifications.unit_heads(a.unit_id for a in task.assignments if a.role == ROLE_LEAD)
    already = {u.id for u in notifications.unit_heads(u.id for u in mentioned)}
    notifications.notify(
        [p for p in people if p.id not in already], event=f"c{comment.id}", kind=notifications.KIND_COMMENT,
        title=f"Ý kiến mới của {author}: {ref}{task.content[:120]}", body=summary, link=link,
        assignment_id=comment.assignment_id, exclude=actor)
    return comment


def comments_for(task, *, assignment=None, visible_assignment_ids=None) -> list[Comment]:
    """Task comments, plus those on the assignments the viewer may open."""
    stmt = select(Comment).where(Comment.task_id == task.id)
    if assignment is not None:
        stmt = stmt.where(Comment.assignment_id == assignment.id)
    elif visible_assignment_ids is not None:
        stmt = stmt.where(
            (Comment.assignment_id.is_(None)) | Comment.assignment_id.in_(visible_assignment_ids)
        )
    from sqlalchemy.orm import joinedload

    found = list(db.session.scalars(stmt.options(joinedload(Comment.author)).order_by(Comment.created_at,
                                                                                   Comment.id)))
    mentioned = {i for c in found for i in (c.mentioned_unit_ids or [])}
    rows = db.session.execute(select(Unit.id, func.coalesce(Unit.short_name, Unit.name))
                              .where(Unit.id.in_(mentioned))).all() if mentioned else []
    names = {unit_id: name for unit_id, name in rows}
    for comment in found:  # "Đã báo cho: …" under the comment
        comment.notified_units = [names[i] for i in comment.mentioned_unit_ids or [] if i in names]
    return found
