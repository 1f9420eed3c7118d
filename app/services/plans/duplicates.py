"""The same appendix imported twice, whatever the file: a fingerprint of the plan's content.

A .xlsx made from a .docx has other bytes but the same tasks; the fingerprint hashes, task by task
in order, the folded words of the content, the dates read from the time column and the sorted unit
names, so spacing, diacritics typed apart, punctuation and the file format do not matter.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from app.extensions import db
from app.models.plans import Plan
from app.parsing.text import fold

_NOT_WORD = re.compile(r"[^\w]+")
BY_FILE = "file"
BY_CONTENT = "content"
SAME = {BY_FILE: "Tệp này đã được nhập thành kế hoạch",
        BY_CONTENT: "Nội dung phụ lục này (cùng nhiệm vụ, thời hạn, đơn vị) đã được nhập thành kế hoạch"}


@dataclass
class Duplicate:
    """An earlier plan with the same file or the same content, and which of the two matched."""

    plan: Plan
    by: str


def _words(text) -> str:
    return _NOT_WORD.sub(" ", fold(str(text or ""))).strip()


def _task_key(task: dict) -> list:
    names = sorted({_words(n) for n in (task.get("lead") or []) + (task.get("cooperating") or [])} - {""})
    return [_words(task.get("content")), task.get("start_date") or "", task.get("due_date") or "",
            json.dumps(task.get("recurrence"), sort_keys=True, default=str) if task.get("recurrence") else "",
            names]


def content_fingerprint(tasks: list[dict]) -> str | None:
    """sha256 of the normalised tasks (None for an appendix without tasks: nothing to compare)."""
    keys = [_task_key(task) for task in tasks if _words(task.get("content"))]
    if not keys:
        return None
    return hashlib.sha256(json.dumps(keys, ensure_ascii=False).encode("utf-8")).hexdigest()


def find_duplicate(sha256: str, fingerprint: str | None) -> Duplicate | None:
    """The earliest plan imported from the same bytes or with the same content (one indexed query)."""
    condition = Plan.source_sha256 == sha256
    if fingerprint:
        condition = or_(condition, Plan.content_fingerprint == fingerprint)
    plan = db.session.scalar(select(Plan).where(condition).order_by(Plan.id).limit(1))
    if plan is None:
        return None
    return Duplicate(plan, BY_FILE if plan.source_sha256 == sha256 else BY_CONTENT)
