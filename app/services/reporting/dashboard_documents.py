"""Data for the documents TDNV writes (evaluation table, sơ kết/tổng kết report, overdue list).

Reads the database through the dashboard statistics and hands plain data to the pure exporters.
Sơ kết counts to the end of semester I, tổng kết to the end of the school year (the plan's calendar,
else the Ministry's defaults), or to today when that comes first. The 2 × 2 is judged at that date
against the deadlines; a status is the current one (assignments keep no status history).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import func, select

from app.exporters.collation import vn_sort_key
from app.exporters.docx_admin import Letterhead, signer_titles
from app.exporters.evaluation_docx import (
    CONTINUING,
    DONE,
    IN_PROGRESS,
    MOSTLY_DONE,
    NOT_DONE,
    STOPPED,
    Evaluation,
    EvaluationGroup,
    EvaluationRow,
)
from app.exporters.overdue_docx import OverdueLine, OverdueReport
from app.exporters.report_docx import SO_KET, TONG_KET, CountRow, ReportData, appendix_reference
from app.extensions import db
from app.formatting import local_date, vn_date, vn_number, vn_share
from app.models.assignments import CLOSED_STATUSES, Assignment
from app.models.plans import Plan, Task
from app.models.units import KIND_DEPARTMENT_OF_EDUCATION, Unit
from app.parsing.times import SchoolCalendar
from app.services.errors import DomainError
from app.services.reporting import dashboard_lists
from app.services.reporting.dashboard import Counts, Scope, apply_scope, checkin_counts, joined, statistics
from app.services.reporting.dashboard_lists import OverdueItem, overdue_all

MOSTLY_DONE_RATE = 80  # % of the units done: "cơ bản hoàn thành"
CITIES = {"Hà Nội", "Hải Phòng", "Hồ Chí Minh", "Đà Nẵng", "Cần Thơ", "Huế"}


def find_plan(ref: str | int) -> Plan:
    """A plan by id or by số hiệu (e.g. "1295/KH-SGDĐT"), for the CLI."""
    text = str(ref).strip()
    plan = db.session.get(Plan, int(text)) if text.isdigit() else None
    if plan is None:
        plan = db.session.scalar(select(Plan).where(Plan.number == text).order_by(Plan.id.desc()))
    if plan is None:
        raise DomainError(f"Không tìm thấy kế hoạch '{text}' (nhập mã số hoặc số hiệu kế hoạch).")
    return plan


def letterhead(issued_on: date | None, *, overrides: dict | None = None) -> Letterhead:
    """The Sở's header from the directory's root unit ("Sở Giáo dục và Đào tạo Hải Phòng")."""
    root = db.session.scalar(select(Unit).where(Unit.kind == KIND_DEPARTMENT_OF_EDUCATION).order_by(Unit.id))
    name = root.name if root else "Sở Giáo dục và Đào tạo"
    place = name.split("Đào tạo", 1)[1].strip() if "Đào tạo" in name else ""
    head = Letterhead(issued_on=issued_on, place=place or "……………", organisation=name)
    if place:
        head.parent_body = ("UBND THÀNH PHỐ " if place in CITIES else "UBND TỈNH ") + place.upper()
    for key, value in (overrides or {}).items():
        if key == "signer_titles" and isinstance(value, str):
            value = signer_titles(value)  # "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" from the settings
        if value:
            setattr(head, key, value)
    return head


def period_end(plan: Plan, kind: str, today: date) -> date:
    """The last day a sơ kết (semester I) or tổng kết (school year) report counts."""
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in (plan.calendar or {}).items()
              if k in ("year_start", "semester1_end", "year_end")}
    calendar = SchoolCalendar(**fields)  # type: ignore[arg-type]  # (month, day) pairs from JSON
    if plan.school_year and plan.school_year[:4].isdigit():
        first_year = int(plan.school_year[:4])
    else:  # the school year today falls in
        first_year = today.year if (today.month, today.day) >= calendar.year_start else today.year - 1
    month, day = calendar.year_end if kind == TONG_KET else calendar.semester1_end
    year = first_year if (month, day) >= calendar.year_start else first_year + 1
    return date(year, month, day)


def _assessment(c: Counts, ongoing_task: bool) -> tuple[str, str]:
    if ongoing_task:
        return CONTINUING, ""
    if not c.total:
        return (STOPPED, "Các đơn vị không thực hiện") if c.not_done else (IN_PROGRESS, "Chưa giao đơn vị")
    rate = 100 * c.done / c.total
    note = f"{vn_number(c.done_late)} đơn vị hoàn thành quá hạn" if c.done_late else ""
    if c.open == 0:
        return DONE, note
    if rate >= MOSTLY_DONE_RATE:
        return MOSTLY_DONE, note
    return (NOT_DONE if c.open_overdue else IN_PROGRESS), note


def _result(c: Counts, ongoing_task: bool) -> str:
    if ongoing_task:
        checkins = c.total
        return (f"{vn_number(c.done)}/{vn_number(checkins)} kỳ báo cáo đã hoàn thành" if checkins
                else "Chưa đến kỳ báo cáo")
    parts = [f"{vn_number(c.done)}/{vn_number(c.total)} đơn vị hoàn thành"
             + (f" ({vn_share(c.done, c.total)})" if c.total else "")]
    if c.open_overdue:
        parts.append(f"{vn_number(c.open_overdue)} đơn vị quá hạn")
    targeted = c.targets_met + c.targets_not_met + c.targets_unreported
    if targeted:
        parts.append(f"đạt chỉ tiêu {vn_number(c.targets_met)}/{vn_number(targeted)}")
    return "; ".join(parts)


def evaluation(plan: Plan, *, today: date, timezone: str, letterhead_overrides=None) -> Evaluation:
    """One row per task of the plan, grouped by Nhóm nhiệm vụ, assessed from its assignments."""
    by_task = {row.key: row.counts for row in
               statistics(Scope(plan_id=plan.id), today=today, timezone=timezone, dimension="task")}
    groups: list[EvaluationGroup] = []
    tasks = db.session.scalars(select(Task).where(Task.plan_id == plan.id, Task.status == "active")
                               .order_by(Task.position)).all()
    for task in tasks:
        if not groups or groups[-1].name != (task.group_name or "Nhiệm vụ chung"):
            groups.append(EvaluationGroup(task.group_name or "Nhiệm vụ chung"))
        counts = by_task.get(task.id, Counts())
        ongoing_task = task.recurrence is not None and task.due_date is None
        assessment, note = _assessment(counts, ongoing_task)
        groups[-1].rows.append(EvaluationRow(
            ref=task.ref or str(task.position), content=task.content, lead=task.lead_text or "",
            cooperating=task.cooperating_text or "",
            time=task.time_text or vn_date(task.due_date),
            result=_result(counts, ongoing_task), assessment=assessment, note=note))
    issued = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    label = f"Kế hoạch số {plan.number}{issued}" if plan.number else plan.title
    total = sum(len(g.rows) for g in groups)
    head = letterhead(today, overrides=letterhead_overrides)
    return Evaluation(
        title="Đánh giá tình hình thực hiện các nhiệm vụ"
        + (f" năm học {plan.school_year}" if plan.school_year else ""),
        groups=groups,
        letterhead=head,
        reference=appendix_reference(head),
        intro=f"{label} đặt ra {vn_number(total)} nhiệm vụ. Số liệu tính đến ngày {vn_date(today)}; "
              "kết quả thực hiện cụ thể như sau:",
    )


def _count_row(label: str, c: Counts) -> CountRow:
    return CountRow(label, c.done_on_time, c.done_late, c.open_in_time, c.open_overdue)


def report(plan: Plan, *, kind: str, today: date, timezone: str, letterhead_overrides=None) -> ReportData:
    """Figures of the sơ kết (semester) or tổng kết (year) report of a plan, counted to the period's
    end (or today, when that comes first): groups in the plan's order, units alphabetical."""
    kind = TONG_KET if kind == TONG_KET else SO_KET
    issued_on = today
    today = min(today, period_end(plan, kind, today))
    scope = Scope(plan_id=plan.id)
    totals = statistics(scope, today=today, timezone=timezone)
    total = totals[0].counts if totals else Counts()
    order = dict(db.session.execute(select(Task.group_name, func.min(Task.position))
                                    .where(Task.plan_id == plan.id, Task.status == "active")
                                    .group_by(Task.group_name)).all())
    by_group = sorted(statistics(scope, today=today, timezone=timezone, dimension="group"),
                      key=lambda r: order.get(cast("str | None", r.key or None), 10**9))
    by_unit = sorted((r for r in statistics(scope, today=today, timezone=timezone, dimension="unit")
                      if r.counts.total), key=lambda r: vn_sort_key(r.extra.get("name", r.label)))
    year = f" năm học {plan.school_year}" if plan.school_year else ""
    title = "Sơ kết học kỳ I" + year if kind == SO_KET else "Tổng kết" + year
    issued = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    subject = f"thực hiện Kế hoạch số {plan.number}{issued}" if plan.number else f"thực hiện {plan.title}"
    tasks = db.session.scalar(
        select(func.count(Task.id)).where(Task.plan_id == plan.id, Task.status == "active")
    )
    groups = db.session.scalar(select(func.count(func.distinct(Task.group_name)))
                               .where(Task.plan_id == plan.id, Task.status == "active"))
    upcoming = db.session.execute(
        apply_scope(joined(func.min(Assignment.due_date), Task.content, func.count(Assignment.id)), scope)
        .where(Assignment.status.not_in(CLOSED_STATUSES), Assignment.due_date >= today,
               Assignment.due_date <= today + timedelta(days=90))
        .group_by(Task.id, Task.content).order_by(func.min(Assignment.due_date)).limit(10)).all()
    overdue_units = sorted(((r.label, r.counts.open_overdue) for r in by_unit if r.counts.open_overdue),
                           key=lambda item: (-item[1], item[0]))[:10]
    return ReportData(
        kind=title, subject=subject, as_of=today, totals=_count_row("Tổng", total), tasks=tasks or 0,
        groups=groups or 0, units=len(by_unit), ongoing=total.ongoing, not_done=total.not_done,
        checkins=_count_row("Kỳ báo cáo", checkin_counts(scope, today=today, timezone=timezone)),
        targets_met=total.targets_met, targets_not_met=total.targets_not_met,
        targets_unreported=total.targets_unreported,
        by_group=[_count_row(r.label, r.counts) for r in by_group],
        by_unit=[_count_row(r.extra.get("name", r.label), r.counts) for r in by_unit],
        overdue_units=overdue_units, upcoming=[(due, content, n) for due, content, n in upcoming],
        letterhead=letterhead(issued_on, overrides=letterhead_overrides), period=kind,
    )


def overdue_report(scope: Scope, *, today: date, scope_label: str = "", letterhead_overrides=None,
                   sort: str = "days") -> OverdueReport:
    lines = [_overdue_line(item) for item in overdue_all(scope, today=today, sort=sort)]
    return OverdueReport(as_of=today, lines=lines, scope_label=scope_label,
                         letterhead=letterhead(today, overrides=letterhead_overrides))


def _overdue_line(item: OverdueItem) -> OverdueLine:
    assignment = item.assignment
    assert assignment.due_date is not None  # the list holds assignments past their due date
    # max(created_at) of the updates, a timestamp or None (OverdueItem types it as object)
    last_update = cast("datetime | None", item.last_update)
    return OverdueLine(plan=assignment.task.plan.number or assignment.task.plan.title,
                       ref=assignment.task.ref or "", content=assignment.task.content,
                       unit=assignment.unit.display_name, lead_units=", ".join(item.lead_units),
                       due_date=assignment.due_date, original_due_date=assignment.original_due_date,
                       days_overdue=item.days_overdue, last_update=local_date(last_update),
                       requested_due_date=item.requested_due_date, position=assignment.task.position)


def overdue_rows(scope: Scope, *, today: date, sort: str = "days", descending: bool = True):
    """Headers and rows of the overdue list for the Excel export: the screen's export columns, every
    overdue row (read in batches, never capped)."""
    rows = dashboard_lists.iter_overdue_rows(scope, today=today, sort=sort, descending=descending)
    return dashboard_lists.OVERDUE_HEADERS, list(rows)

