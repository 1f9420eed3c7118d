"""Plain-dict views of the models for the JSON API (ISO dates, no HTML).

Every key here is listed in docs/openapi.yaml (tests/functional/test_api_write.py checks it)."""
from datetime import date, datetime

from app.formatting import to_local
from app.models.assignments import ROLE_LEAD

API_TIMEZONE = "Asia/Ho_Chi_Minh"


def _iso(value):
    """Dates as YYYY-MM-DD; timestamps in Vietnam time with their offset (…T08:00:00+07:00), so a
    client never has to guess the zone of a naive timestamp."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_local(value, API_TIMEZONE).isoformat(timespec="seconds")
    return value.isoformat()


def unit_ref(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.id, "code": unit.code, "name": unit.name, "short_name": unit.short_name,
            "kind": unit.kind}


def plan_dict(plan) -> dict:
    return {
        "id": plan.id, "number": plan.number, "title": plan.title, "issued_on": _iso(plan.issued_on),
        "school_year": plan.school_year, "issuer": plan.issuer, "status": plan.status,
        "source_filename": plan.source_filename, "created_at": _iso(plan.created_at),
    }


def task_dict(task, *, with_assignments: bool = False, today: date | None = None) -> dict:
    data = {
        "id": task.id, "plan_id": task.plan_id, "ref": task.ref, "group": task.group_name,
        "content": task.content, "product": task.product, "time_text": task.time_text,
        "start_date": _iso(task.start_date), "due_date": _iso(task.due_date),
        "recurrence": task.recurrence, "targets": task.targets or [], "status": task.status,
        "lead_text": task.lead_text, "cooperating_text": task.cooperating_text,
        "unresolved_units": task.unresolved_units or [],
    }
    if with_assignments:
        # Everyone who sees a task sees its overall state: status and progress, not evidence.
        data["assignments"] = [
            {"id": a.id, "unit": unit_ref(a.unit), "role": a.role, "status": a.status,
             "progress": a.progress, "due_date": _iso(a.due_date),
             "overdue": a.is_overdue(today) if today else None}
            for a in sorted(task.assignments, key=lambda a: (a.role != ROLE_LEAD, a.unit.name))
        ]
    return data


def assignment_dict(assignment, *, today: date, detail: bool = False) -> dict:
    task = assignment.task
    data = {
        "id": assignment.id, "task": {"id": task.id, "ref": task.ref, "content": task.content,
                                       "group": task.group_name, "plan_id": task.plan_id},
        "unit": unit_ref(assignment.unit), "role": assignment.role, "status": assignment.status,
        "status_label": assignment.status_label, "progress": assignment.progress,
        "due_date": _iso(assignment.due_date), "original_due_date": _iso(assignment.original_due_date),
        "completed_at": _iso(assignment.completed_at), "overdue": assignment.is_overdue(today),
        "target_actuals": assignment.target_actuals or [], "version": assignment.version,
    }
    if detail:
        from app.services.work.checkin_reports import checkins_for

        data["checkins"] = [
            {
                "id": c.id,
                "period": c.period_key,
                "period_start": _iso(c.period_start),
                "due_date": _iso(c.due_date),
                "status": c.status,
                "progress": c.progress,
                "note": c.note,
                "version": c.version,
                "overdue": c.is_overdue(today),
            }
            for c in checkins_for(assignment)
        ]
        data["targets"] = task.targets or []
        data["status_reason"] = assignment.status_reason
        data["updates"] = [
            {"id": u.id, "kind": u.kind, "status": u.status, "progress": u.progress, "note": u.note,
             "target_actuals": u.target_actuals, "author": u.author.full_name if u.author else None,
             "created_at": _iso(u.created_at)}
            for u in assignment.updates
        ]
    return data
