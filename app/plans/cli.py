"""`flask plans import`: a stable command-line contract used by other tools."""
import json
import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.importers.errors import ImportFileError
from app.services.errors import DomainError

plans_cli = AppGroup("plans", help="Kế hoạch và nhập phụ lục nhiệm vụ.")


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(1)


def _read_bounded(path: Path, limit: int) -> bytes:
    """Read at most limit+1 bytes so an oversized file is refused without loading it."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        _fail(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.")
    return data


def _dry_run(data: bytes, filename: str, fmt: str, meta: dict):
    from app.importers.plan import parse_plan
    from app.services.plans import unit_resolver as directory
    try:
        known = directory.known_names()
    except SQLAlchemyError:  # no database yet: the built-in common names are used
        db.session.rollback()
        known = []
    parsed = parse_plan(data, filename, known_unit_names=known or None)
    if fmt == "json":
        output = parsed.to_json_dict()
        if meta:
            output["plan"] = {**parsed.meta, **meta}
        click.echo(json.dumps(output, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{filename}: {len(parsed.tasks)} nhiệm vụ, {len(parsed.warnings)} cảnh báo chung.")
    for task in parsed.tasks:
        due = task["due_date"] or task["recurrence"] or "-"
        click.echo(f"  {task['ref'] or '-':>4}  {due:<12} {task['content'][:80]}")
        for warning in task["warnings"]:
            click.echo(f"        ! {warning}")


@plans_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan-number", default=None, help="Số hiệu, ví dụ 1295/KH-SGDĐT.")
@click.option("--title", default=None)
@click.option("--date", "issued_on", default=None, help="Ngày ban hành (YYYY-MM-DD hoặc dd/mm/yyyy).")
@click.option("--school-year", default=None, help="Năm học, ví dụ 2025-2026.")
@click.option("--dry-run", is_flag=True, help="Chỉ đọc và in kết quả, không ghi vào cơ sở dữ liệu.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def import_command(path, plan_number, title, issued_on, school_year, dry_run, fmt):
    """Import a plan appendix (.docx, .xlsx, .csv) as tasks, in one transaction."""
    from flask import current_app

    if not path.exists():
        _fail(f"Không tìm thấy tệp: {path}")
    data = _read_bounded(path, current_app.config["IMPORT_MAX_BYTES"])
    try:
        parsed_date = _parse_cli_date(issued_on)
    except ValueError:
        _fail(f"Ngày không hợp lệ: {issued_on} (dùng dd/mm/yyyy hoặc YYYY-MM-DD).")
    meta = {k: v for k, v in {"number": plan_number, "title": title, "date": parsed_date,
                              "school_year": school_year}.items() if v}
    try:
        if dry_run:
            _dry_run(data, path.name, fmt, meta)
            return
        from app.services.plans.plan_import import import_plan

        plan = import_plan(None, data, path.name, meta=meta)
        db.session.commit()
    except (ImportFileError, DomainError) as error:
        db.session.rollback()
        _fail(str(error))
    unresolved = sum(len(t.unresolved_units) for t in plan.tasks)
    summary = {"plan_id": plan.id, "tasks": len(plan.tasks),
               "assignments": sum(len(t.assignments) for t in plan.tasks), "unresolved_names": unresolved}
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        click.echo(f"Đã nhập kế hoạch #{plan.id}: {summary['tasks']} nhiệm vụ, "
                   f"{summary['assignments']} lượt giao, {unresolved} tên đơn vị chưa xác định.")


def _parse_cli_date(value: str | None) -> date | None:
    if not value:
        return None
    if "/" in value:
        day, month, year = (int(x) for x in value.split("/"))
        return date(year, month, day)
    return date.fromisoformat(value)
