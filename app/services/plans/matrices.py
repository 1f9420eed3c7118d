"""Assignment matrices of a plan: MatrixData from the database (two queries, none per cell), the
.xlsx/.docx bytes, and the dated snapshots kept under UPLOAD_FOLDER/matrices/ (MatrixSnapshot rows)."""
from __future__ import annotations

import hashlib
import logging
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.exporters.matrix_data import ROLE_CODES, MatrixCell, MatrixData, MatrixTask, MatrixUnit
from app.exporters.matrix_docx import export_matrix_docx
from app.exporters.matrix_xlsx import export_matrix_xlsx
from app.exporters.media import DOCX_MIME, XLSX_MIME
from app.extensions import db
from app.models.assignments import STATUSES, Assignment
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE, Plan, Task
from app.models.scheduler import MatrixSnapshot
from app.models.units import Unit
from app.parsing.text import fold
from app.services.clock import today_local
from app.services.work.rules import OPEN_OVERDUE, assignment_bucket_sql

FORMATS = ("xlsx", "docx")
MIME_TYPES = {
    "xlsx": XLSX_MIME,
    "docx": DOCX_MIME,
}
# Units in the usual order of an appendix: office, departments, schools, centres, communes, outside.
KIND_ORDER = {"office": 0, "division": 1, "school": 2, "centre": 3, "commune": 4, "external": 5, "so": 6}
SNAPSHOT_DIR = "matrices"
log = logging.getLogger(__name__)


def build_matrix_data(
    plan: Plan, today: date | None = None, *, timezone: str = "Asia/Ho_Chi_Minh"
) -> MatrixData:
    """Tasks (active, in appendix order) × the units assigned to any of them. Three statements and
    no ORM object per assignment (a plan holds ~35.000): the cells are columns, "overdue" the SQL
    form of the on-time rule (open and past the deadline in force), the units read once each."""
    today = today or today_local(timezone)
    tasks = list(db.session.scalars(
        select(Task).where(Task.plan_id == plan.id, Task.status == TASK_ACTIVE).order_by(Task.position)
    ))
    in_plan = (select(Assignment.task_id, Assignment.unit_id, Assignment.role, Assignment.status,
                      assignment_bucket_sql(today, timezone))
               .join(Task, Assignment.task_id == Task.id)
               .where(Task.plan_id == plan.id, Task.status == TASK_ACTIVE))
    cells = {
        (task_id, unit_id): MatrixCell(role=ROLE_CODES.get(role, "P"), status=status,
                                       status_label=STATUSES.get(status, status),
                                       overdue=bucket == OPEN_OVERDUE)
        for task_id, unit_id, role, status, bucket in db.session.execute(in_plan)
    }
    units = db.session.execute(
        select(Unit.id, Unit.name, Unit.short_name, Unit.kind, Unit.code)
        .where(Unit.id.in_(in_plan.with_only_columns(Assignment.unit_id, maintain_column_froms=False)))
    ).all()
    ordered = sorted(units, key=lambda u: (KIND_ORDER.get(u.kind, 9), u.code))
    return MatrixData(
        plan_label=plan.label,
        tasks=[MatrixTask(id=t.id, ref=t.ref or str(t.position), content=t.content, group=t.group_name,
                          time_text=t.time_text) for t in tasks],
        units=[MatrixUnit(id=u.id, name=u.name, short_name=u.short_name, kind=u.kind) for u in ordered],
        cells=cells,
        built_on=today,
    )


def export_matrix(
    plan: Plan, fmt: str, today: date | None = None, *, data: MatrixData | None = None
) -> bytes:
    """The plan's matrix as .xlsx or .docx bytes (what the download page and the job serve)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    data = data or build_matrix_data(plan, today)
    return export_matrix_xlsx(data) if fmt == "xlsx" else export_matrix_docx(data)


def snapshot_filename(plan: Plan, fmt: str, day: date) -> str:
    slug = (
        re.sub(r"[^a-z0-9]+", "-", fold(plan.number or f"ke-hoach-{plan.id}")).strip("-") or f"plan-{plan.id}"
    )
    return f"ma-tran-{slug}-{day:%Y%m%d}.{fmt}"


def snapshot_path(upload_folder: str, snapshot: MatrixSnapshot) -> Path:
    """Where a snapshot's file lives (the download page sends it with send_file)."""
    return Path(upload_folder) / SNAPSHOT_DIR / str(snapshot.plan_id) / snapshot.filename


def list_snapshots(plan: Plan, fmt: str | None = None) -> list[MatrixSnapshot]:
    stmt = select(MatrixSnapshot).where(MatrixSnapshot.plan_id == plan.id)
    if fmt:
        stmt = stmt.where(MatrixSnapshot.file_format == fmt)
    return list(db.session.scalars(stmt.order_by(MatrixSnapshot.filename.desc(), MatrixSnapshot.id.desc())))


def save_snapshot(plan: Plan, fmt: str, content: bytes, day: date, *, upload_folder: str,
                  built_by=None) -> MatrixSnapshot:
    """Write the file (atomically) and its row; a second build on the same day replaces the first."""
    filename = snapshot_filename(plan, fmt, day)
    folder = Path(upload_folder) / SNAPSHOT_DIR / str(plan.id)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{filename}.tmp"
    temporary.write_bytes(content)
    temporary.replace(folder / filename)
    snapshot = db.session.scalar(
        select(MatrixSnapshot).where(
            MatrixSnapshot.plan_id == plan.id,
            MatrixSnapshot.file_format == fmt,
            MatrixSnapshot.filename == filename,
        )
    )
    if snapshot is None:
        snapshot = MatrixSnapshot(plan_id=plan.id, file_format=fmt, filename=filename)
        db.session.add(snapshot)
    snapshot.content_sha256 = hashlib.sha256(content).hexdigest()
    snapshot.size_bytes = len(content)
    snapshot.built_by_id = getattr(built_by, "id", None)
    db.session.flush()
    return snapshot


def prune_snapshots(plan: Plan, fmt: str, *, upload_folder: str, keep: int = 30) -> int:
    """Keep the newest `keep` snapshots of a plan and format; delete older rows and files."""
    old = list_snapshots(plan, fmt)[keep:]
    for snapshot in old:
        snapshot_path(upload_folder, snapshot).unlink(missing_ok=True)
        db.session.delete(snapshot)
    return len(old)


def snapshot_plan(plan: Plan, today: date, *, upload_folder: str, keep: int = 30, built_by=None,
                  formats=FORMATS) -> list[MatrixSnapshot]:
    """Build once, export to every format, store dated snapshots (also the plan page's "build now")."""
    data = build_matrix_data(plan, today)
    snapshots = []
    for fmt in formats:
        snapshots.append(save_snapshot(plan, fmt, export_matrix(plan, fmt, data=data), today,
                                       upload_folder=upload_folder, built_by=built_by))
        prune_snapshots(plan, fmt, upload_folder=upload_folder, keep=keep)
    return snapshots


def snapshot_active_plans(today: date, *, upload_folder: str, keep: int = 30) -> dict:
    """The nightly job: every active plan, committed plan by plan so one failure loses nothing else."""
    built, failed = 0, []
    plan_ids = list(db.session.scalars(select(Plan.id).where(Plan.status == PLAN_ACTIVE).order_by(Plan.id)))
    for plan_id in plan_ids:
        try:
            plan = db.session.get_one(Plan, plan_id)  # gone since the id query: counted as failed
            built += len(snapshot_plan(plan, today, upload_folder=upload_folder, keep=keep))
            db.session.commit()
        except Exception:  # one broken plan must not stop the others
            db.session.rollback()
            log.exception("matrix of plan %s failed", plan_id)
            failed.append(plan_id)
    return {"today": today.isoformat(), "plans": len(plan_ids), "files": built, "failed_plans": failed}
