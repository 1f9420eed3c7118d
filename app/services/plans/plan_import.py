"""Turning a parsed appendix into a plan, its tasks and their assignments, in one transaction."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.extensions import db
from app.importers.plan import ParsedPlan, column_fields_of, header_signature, parse_plan
from app.links import work_path
from app.models.assignments import ROLE_COOPERATING, ROLE_LEAD, Assignment
from app.models.plans import Plan, Task
from app.models.units import Unit
from app.parsing.text import fold
from app.parsing.times import SchoolCalendar
from app.parsing.units import is_per_task_choice, resolve_unit_names
from app.services import audit
from app.services.errors import DomainError
from app.services.notify import notifications
from app.services.plans import column_mappings, duplicates, task_choices
from app.services.plans import unit_resolver as directory


@dataclass
class ResolvedName:
    name: str
    key: str | None  # "unit:ID", "group:ID" or None when unknown
    unit_ids: list[int] = field(default_factory=list)
    choice: bool = False  # "Cơ sở thí điểm": the units picked for this task only, never an alias

    @property
    def unit_count(self) -> int:
        return len(self.unit_ids)


@dataclass
class PreviewRow:
    task: dict
    lead: list[ResolvedName]
    cooperating: list[ResolvedName]
    location: str = ""  # the table row it was read from, for the office's task/group decision

    @property
    def unit_count(self) -> int:
        return len(self.unit_ids())

    def unit_ids(self) -> set[int]:
        return {uid for r in self.lead + self.cooperating for uid in r.unit_ids}


@dataclass
class ImportPreview:
    parsed: ParsedPlan
    sha256: str
    rows: list[PreviewRow]
    unknown_names: list[str]
    duplicate_of: Plan | None = None
    duplicate_by: str | None = None  # duplicates.BY_FILE or BY_CONTENT
    fingerprint: str | None = None
    assignment_count: int = 0
    warnings: list[str] = field(default_factory=list)
    # the layout's key, its headers, the office's changes to the automatic reading of the columns,
    # and whether the mapping remembered for this layout is the one in effect
    signature: str = ""
    headers: list[str] = field(default_factory=list)
    remapped: dict[str, str] = field(default_factory=dict)
    saved_mapping_applied: bool = False
    picked_names: dict[int, str] = field(default_factory=dict)  # unit id -> name, picked per task


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _calendar(plan_calendar: dict | None) -> SchoolCalendar:
    if not plan_calendar:
        return SchoolCalendar()
    settings: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in plan_calendar.items()}
    return SchoolCalendar(**settings)


class _Directory:
    """The directory loaded once per import: names, labels and group members, no query per row."""

    def __init__(self):
        self.by_name = directory.name_directory()
        self.known_names = directory.known_names()
        self._units_cache: dict[str, list[Unit]] = {}

    def units(self, key: str) -> list[Unit]:
        if key not in self._units_cache:
            self._units_cache[key] = directory.units_for_key(key)
        return self._units_cache[key]

    def resolve(self, names: list[str], choices: dict[str, str],
                picked: dict[str, list[int]] | None = None) -> list[ResolvedName]:
        result = []
        for item in resolve_unit_names(names, self.by_name):
            if is_per_task_choice(item.name):  # never through the directory or a global choice
                result.append(ResolvedName(item.name, None, list((picked or {}).get(item.name, [])), True))
                continue
            key = item.key or choices.get(fold(item.name))
            resolved = ResolvedName(name=item.name, key=key)
            if key:
                resolved.unit_ids = [u.id for u in self.units(key)]
            result.append(resolved)
        return result


@dataclass
class SuggestionEdit:
    """The office's decision on one suggestion read from a letter: keep it (edited) or drop it."""

    keep: bool = True
    content: str = ""
    due_date: date | None = None


def apply_edits(tasks: list[dict], edits: dict[str, SuggestionEdit]) -> list[dict]:
    """Suggestions (rows with a source sentence) the office dropped are left out; edited text and
    deadlines replace the suggested ones. Table rows are never touched."""
    kept = []
    for task in tasks:
        edit = edits.get(task["ref"]) if task.get("source_text") else None
        if edit is None:
            kept.append(task)
            continue
        if not edit.keep:
            continue
        changed = dict(task)
        if edit.content.strip():
            changed["content"] = edit.content.strip()
        if edit.due_date is not None:
            changed["due_date"] = edit.due_date.isoformat()
        kept.append(changed)
    return kept


def build_preview(data: bytes, filename: str, *, choices: dict[str, str] | None = None,
                  calendar: dict | None = None, columns: dict[str, str] | None = None,
                  edits: dict[str, SuggestionEdit] | None = None,
                  picks: dict[int, dict[int, list[int]]] | None = None,
                  use_saved_mapping: bool = True, row_kinds: dict[str, str] | None = None) -> ImportPreview:
    """Parse and resolve without writing anything; raises ImportFileError for bad files.

    columns (header -> field) is the office's reading of the columns, from the preview; without
    it, the mapping remembered for this layout applies. edits (ref -> decision) are its decisions
    on the suggestions read from a letter; picks (row position -> choice index -> unit ids) the
    units it picked for a task's "Cơ sở thí điểm"; row_kinds (row location -> "task"/"group") its
    decisions on table rows read as the wrong kind."""
    directory_ = _Directory()
    known, calendar_ = directory_.known_names or None, _calendar(calendar)
    parsed = parse_plan(data, filename, known_unit_names=known, calendar=calendar_, row_kinds=row_kinds)
    signature, headers = header_signature(parsed.columns)
    automatic = column_fields_of(parsed.columns)
    saved = column_mappings.saved_mapping(signature) if use_saved_mapping else None
    remembered = column_mappings.fields_for(saved, headers) if saved is not None else {}
    chosen = columns or remembered
    if chosen:
        parsed = parse_plan(data, filename, known_unit_names=known, calendar=calendar_, column_fields=chosen,
                            row_kinds=row_kinds)
    if edits:
        parsed.tasks = apply_edits(parsed.tasks, edits)
    locations = parsed.task_locations if len(parsed.task_locations) == len(parsed.tasks) else []
    choices = {fold(k): v for k, v in (choices or {}).items()}
    picked = task_choices.valid_picks(parsed.tasks, picks or {})
    rows, unknown = [], []
    for position, task in enumerate(parsed.tasks, 1):
        mine = picked.get(position, {})
        row = PreviewRow(task=task, lead=directory_.resolve(task["lead"], choices, mine),
                         cooperating=directory_.resolve(task["cooperating"], choices, mine),
                         location=locations[position - 1] if locations else "")
        for item in row.lead + row.cooperating:
            if item.key is None and not item.choice and item.name not in unknown:
                unknown.append(item.name)
        rows.append(row)
    digest = file_digest(data)
    fingerprint = duplicates.content_fingerprint(parsed.tasks)
    duplicate = duplicates.find_duplicate(digest, fingerprint)
    preview = ImportPreview(parsed=parsed, sha256=digest, rows=rows, unknown_names=unknown,
                            duplicate_of=duplicate.plan if duplicate else None,
                            duplicate_by=duplicate.by if duplicate else None, fingerprint=fingerprint,
                            signature=signature, headers=headers)
    preview.assignment_count = sum(row.unit_count for row in rows)
    in_effect = column_fields_of(parsed.columns)
    preview.remapped = column_mappings.changed_fields(in_effect, automatic)
    preview.saved_mapping_applied = bool(remembered) and all(
        in_effect.get(header) == value for header, value in remembered.items())
    preview.picked_names = task_choices.unit_names(picked)
    return preview


def _parse_iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def import_plan(actor, data: bytes, filename: str, *, meta: dict | None = None,
                choices: dict[str, str] | None = None, save_choices: bool = True,
                allow_duplicate: bool = False, columns: dict[str, str] | None = None,
                edits: dict[str, SuggestionEdit] | None = None,
                picks: dict[int, dict[int, list[int]]] | None = None,
                row_kinds: dict[str, str] | None = None) -> Plan:
    """Create the plan with its tasks and assignments; the caller commits (all or nothing).

    Group names expand to their current members; a unit that is both lead and (through a group)
    cooperating keeps the lead role. Unknown names stay on the task until the office resolves them;
    a per-task choice ("Cơ sở thí điểm") gets the units picked for that task, or waits on the task
    page. The office's changes to the column reading are remembered for this layout.
    """
    preview = build_preview(data, filename, choices=choices, columns=columns, edits=edits, picks=picks,
                            row_kinds=row_kinds)
    if not preview.rows:
        raise DomainError("Không còn nhiệm vụ nào để nhập: mọi gợi ý đã bị bỏ.")
    if preview.duplicate_of is not None and not allow_duplicate:
        raise DomainError(
            f"{duplicates.SAME[preview.duplicate_by or duplicates.BY_FILE]} “{preview.duplicate_of.label}”. "
            "Không nhập lại để tránh trùng nhiệm vụ."
        )
    if save_choices:
        for spelling, key in (choices or {}).items():
            if key and not is_per_task_choice(spelling):  # a pilot school list is no alias
                directory.save_alias(actor, spelling, key)
    info = {**preview.parsed.meta, **{k: v for k, v in (meta or {}).items() if v}}
    title = (info.get("title") or filename).strip()
    issued_on = info.get("date")
    plan = Plan(
        number=info.get("number"), title=title,
        issued_on=issued_on if isinstance(issued_on, date) else _parse_iso(issued_on),
        school_year=info.get("school_year"), issuer=info.get("issuer"), source_filename=filename,
        source_sha256=preview.sha256, content_fingerprint=preview.fingerprint,
        import_warnings=preview.parsed.warnings,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(plan)
    for position, row in enumerate(preview.rows, 1):
        plan.tasks.append(_task_from_row(position, row))
    db.session.flush()
    if preview.signature:
        column_mappings.remember(actor, preview.signature, preview.headers, preview.remapped)
    audit.record(actor, "plan_imported", plan, details={
        "file": filename, "tasks": len(plan.tasks), "sha256": preview.sha256,
    })
    _tell_assigned_units(actor, plan)
    return plan


def _tell_assigned_units(actor, plan: Plan) -> None:
    """One notification per unit head for the whole plan, not one per task (the e-mail is a digest)."""
    per_unit = Counter(a.unit_id for task in plan.tasks for a in task.assignments)
    heads_by_count = defaultdict(list)
    for head in notifications.unit_heads(per_unit):
        heads_by_count[per_unit[head.unit_id]].append(head)
    label = plan.number or plan.title
    for count, heads in heads_by_count.items():
        notifications.notify(
            heads, event=f"plan{plan.id}", kind=notifications.KIND_ASSIGNED,
            title=f"Kế hoạch {label}: đơn vị được giao {count} nhiệm vụ", body=plan.title,
            link=work_path(plan=plan.id), exclude=actor,
        )


def suggestion_extra(task: dict) -> dict[str, str]:
    """What a suggestion read from a letter keeps beside the task (no column of its own yet): its
    kind, the sentence it came from and, for a report, where it goes and after which outline."""
    if not task.get("source_text"):
        return {}
    extra = {"Loại": "Báo cáo" if task.get("kind") == "report" else "Nhiệm vụ",
             "Câu gốc": task["source_text"]}
    report = task.get("report") or {}
    for key, label in (("name", "Tên báo cáo"), ("recipient", "Gửi đến"), ("via", "Qua"),
                       ("then_to", "Sau đó gửi"), ("outline", "Theo đề cương")):
        value = report.get(key)
        text = ", ".join(value) if isinstance(value, list) else (value or "")
        if text:
            extra[label] = text
    return extra


def _task_from_row(position: int, row: PreviewRow) -> Task:
    t = row.task
    task = Task(
        position=position,
        ref=t.get("ref"),
        group_name=t.get("group"),
        content=t["content"],
        product=t.get("product"),
        time_text=t.get("time_text"),
        start_date=_parse_iso(t.get("start_date")),
        due_date=_parse_iso(t.get("due_date")),
        recurrence=t.get("recurrence"),
        targets=t.get("targets") or [],
        lead_text=", ".join(t.get("lead") or []),
        cooperating_text=", ".join(t.get("cooperating") or []),
        # a choice without picked units waits here too (the office's to-do), until picked
        unresolved_units=[r.name for r in row.lead + row.cooperating if r.key is None and not r.unit_ids],
        extra={**(t.get("extra") or {}), **suggestion_extra(t)},
        warnings=t.get("warnings") or [],
        group_path=list(t.get("group_path") or []),
        unit_roles=dict(t.get("unit_roles") or {}),
        choice_units=task_choices.choice_entries(row.lead, row.cooperating),
    )
    roles: dict[int, str] = {}
    for resolved in row.cooperating:
        for unit_id in resolved.unit_ids:
            roles.setdefault(unit_id, ROLE_COOPERATING)
    for resolved in row.lead:
        for unit_id in resolved.unit_ids:
            roles[unit_id] = ROLE_LEAD  # the lead role wins over a cooperating one
    for unit_id, role in sorted(roles.items()):
        task.assignments.append(Assignment(unit_id=unit_id, role=role, due_date=task.due_date,
                                           original_due_date=task.due_date))
    return task
