"""`flask backup create` and `flask backup restore ARCHIVE` (wiring to app.services.backup)."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app import __version__
from app.extensions import db
from app.models.base import utcnow as now_utc
from app.services import backup

backup_cli = AppGroup("backup", help="Sao lưu và khôi phục CSDL cùng tệp minh chứng.")


def _migration() -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@backup_cli.command("create")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Tệp .tar.gz hoặc thư mục (mặc định instance/backups).")
def create(output):
    """One archive: a consistent copy of the database, the uploaded files and their SHA-256."""
    cfg = current_app.config
    output = output or Path(current_app.instance_path) / "backups"
    if output.suffix != ".gz":
        output.mkdir(parents=True, exist_ok=True)
    try:
        summary = backup.create_backup(cfg["SQLALCHEMY_DATABASE_URI"], cfg["UPLOAD_FOLDER"], output,
                                       app_version=__version__, migration=_migration(), now=now_utc())
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Đã sao lưu CSDL {summary.database} và {summary.files} tệp vào {summary.path} "
               f"({summary.size // 1024} KB).")


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(archive):
    """Restore ARCHIVE into an empty database and an empty upload folder, after checking it."""
    cfg = current_app.config
    db.engine.dispose()  # no pooled connection to the target while it is written
    try:
        result = backup.restore_backup(archive, cfg["SQLALCHEMY_DATABASE_URI"], cfg["UPLOAD_FOLDER"])
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Đã khôi phục CSDL {result['database']} (migration {result['migration']}) và "
               f"{result['files']} tệp từ bản sao lưu lúc {result['created_at']}. "
               "Chạy `flask db upgrade` nếu phiên bản mới hơn.")
