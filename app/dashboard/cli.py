"""`flask reports`: the documents TDNV writes, from the command line (operators, scheduled exports)."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.formatting import vn_number
from app.services.errors import DomainError
from app.views import local_today

reports_cli = AppGroup("reports", help="Xuất báo cáo (.docx, .xlsx).")


def _write(out: str, data: bytes) -> None:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    click.echo(f"Đã ghi {path} ({vn_number(len(data))} byte).")


def _plan(ref):
    from app.services.reporting.dashboard_documents import find_plan

    try:
        return find_plan(ref)
    except DomainError as error:
        raise click.ClickException(str(error)) from None


@reports_cli.command("evaluation")
@click.option("--plan", "plan_ref", required=True, help="Mã số hoặc số hiệu kế hoạch (vd. 1295/KH-SGDĐT).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Tệp .docx sẽ ghi.")
def evaluation(plan_ref, out):
    """Bảng đánh giá thực hiện nhiệm vụ của một kế hoạch (mẫu Phụ lục 01/02)."""
    from app.exporters.evaluation_docx import evaluation_docx
    from app.services.reporting import dashboard_documents as documents
    plan = _plan(plan_ref)
    data = documents.evaluation(plan, today=local_today(), timezone=current_app.config["TIMEZONE"])
    _write(out, evaluation_docx(data))


@reports_cli.command("summary")
@click.option("--plan", "plan_ref", required=True, help="Mã số hoặc số hiệu kế hoạch.")
@click.option("--kind", type=click.Choice(["so_ket", "tong_ket"]), default="so_ket", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
def summary(plan_ref, kind, out):
    """Dự thảo báo cáo sơ kết/tổng kết (đề cương Phụ lục 1), số liệu điền sẵn."""
    from app.exporters.report_docx import report_docx
    from app.services.reporting import dashboard_documents as documents
    plan = _plan(plan_ref)
    data = documents.report(plan, kind=kind, today=local_today(), timezone=current_app.config["TIMEZONE"])
    _write(out, report_docx(data))


@reports_cli.command("overdue")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Tệp .docx hoặc .xlsx.")
@click.option("--plan", "plan_ref", default=None, help="Chỉ một kế hoạch (mã số hoặc số hiệu).")
def overdue(out, plan_ref):
    """Danh sách nhiệm vụ quá hạn (cho cuộc họp Lãnh đạo Sở); .xlsx nếu tên tệp kết thúc bằng .xlsx."""
    from app.services.reporting import dashboard_documents as documents
    from app.services.reporting.dashboard import Scope

    scope = Scope(plan_id=_plan(plan_ref).id if plan_ref else None)
    if out.lower().endswith(".xlsx"):
        from app.exporters.xlsx_table import table_to_xlsx

        headers, rows = documents.overdue_rows(scope, today=local_today())
        _write(out, table_to_xlsx("Quá hạn", headers, rows))
        return
    from app.exporters.overdue_docx import overdue_docx

    _write(out, overdue_docx(documents.overdue_report(scope, today=local_today(), scope_label="Toàn Sở")))


@reports_cli.command("matrix")
@click.option("--plan", "plan_ref", required=True, help="Mã số hoặc số hiệu kế hoạch.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
def matrix(plan_ref, fmt, out):
    """Ma trận giao nhiệm vụ (nhiệm vụ × đơn vị) của một kế hoạch."""
    plan = _plan(plan_ref)
    from app.services.plans.matrices import export_matrix

    _write(out, export_matrix(plan, fmt, local_today()))
