"""`flask backup create` / `flask backup restore`: create, change, restore into an empty database
and folder, compare; a damaged archive or a non-empty target is refused."""
import io
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import User
from app.services.work.evidence import storage_path
from tests.factories import UserFactory

EVIDENCE = b"%PDF-1.4 minh chung\n"
DIGEST = "ab" * 32


def _app(tmp_path: Path, name: str):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / name}.sqlite3",
                      UPLOAD_FOLDER=str(tmp_path / f"{name}-uploads"))


def _users(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(select(User.username, User.full_name, User.password_hash)
                                  .order_by(User.username)).all()


@pytest.fixture()
def source(tmp_path):
    app = _app(tmp_path, "source")
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        UserFactory(username="hieutruong", full_name="Nguyễn Thị Hoà")
        UserFactory(username="chuyenvien")
        db.session.commit()
        path = storage_path(app.config["UPLOAD_FOLDER"], DIGEST)
        path.parent.mkdir(parents=True)
        path.write_bytes(EVIDENCE)
        pending = Path(app.config["UPLOAD_FOLDER"]) / "pending-imports" / "x.bin"
        pending.parent.mkdir()
        pending.write_bytes(b"not kept")
    yield app
    with app.app_context():
        db.engine.dispose()


def _create(app, archive: Path):
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu CSDL sqlite và 1 tệp" in result.output
    return archive


def test_create_change_restore_and_compare(source, tmp_path):
    before = _users(source)
    archive = _create(source, tmp_path / "tdnv.tar.gz")
    with source.app_context():  # life goes on after the backup
        db.session.scalar(select(User).where(User.username == "hieutruong")).full_name = "Đã đổi"
        db.session.add(User(username="moi", full_name="Mới", role="unit_staff", password_hash="x"))
        db.session.commit()
        storage_path(source.config["UPLOAD_FOLDER"], DIGEST).write_bytes(b"changed")
    assert _users(source) != before

    target = _app(tmp_path, "target")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert _users(target) == before
    assert storage_path(target.config["UPLOAD_FOLDER"], DIGEST).read_bytes() == EVIDENCE
    assert not (Path(target.config["UPLOAD_FOLDER"]) / "pending-imports").exists()
    with target.app_context():
        assert target.test_client().get("/healthz").get_json()["migrations"] == "head"
        db.engine.dispose()


def test_restore_refuses_a_damaged_archive(source, tmp_path):
    archive = _create(source, tmp_path / "tdnv.tar.gz")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as original, tarfile.open(damaged, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name.startswith("files/"):
                data = b"tampered"
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    target = _app(tmp_path, "target")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
    assert result.exit_code != 0 and "SHA-256" in result.output
    assert not (tmp_path / "target.sqlite3").exists()


def test_restore_refuses_a_database_or_folder_that_is_not_empty(source, tmp_path):
    archive = _create(source, tmp_path / "tdnv.tar.gz")
    result = source.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code != 0 and "CSDL đích đã có dữ liệu" in result.output
    target = _app(tmp_path, "target")
    Path(target.config["UPLOAD_FOLDER"]).mkdir()
    (Path(target.config["UPLOAD_FOLDER"]) / "old.txt").write_text("x")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code != 0 and "không trống" in result.output


@pytest.mark.postgres
def test_postgres_backup_and_restore_with_pg_dump(tmp_path):
    import os
    import shutil

    from sqlalchemy import text

    from tests.conftest import _postgres_database

    server = os.environ.get("TEST_DATABASE_URL", "")
    if not server.startswith("postgresql") or shutil.which("pg_dump") is None:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL=postgresql://…) and pg_dump")
    created = [_postgres_database(server) for _ in range(2)]
    (source_url, admin, _), (target_url, _, _) = created
    try:
        source = create_app(
            "testing", SQLALCHEMY_DATABASE_URI=source_url, UPLOAD_FOLDER=str(tmp_path / "src")
        )
        assert source.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
        with source.app_context():
            UserFactory(username="hieutruong", full_name="Nguyễn Thị Hoà")
            db.session.commit()
        before = _users(source)
        archive = tmp_path / "pg.tar.gz"
        result = source.test_cli_runner().invoke(args=["backup", "create", "--output", str(archive)])
        assert result.exit_code == 0, result.output
        target = create_app(
            "testing", SQLALCHEMY_DATABASE_URI=target_url, UPLOAD_FOLDER=str(tmp_path / "dst")
        )
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert _users(target) == before
        for app in (source, target):
            with app.app_context():
                db.engine.dispose()
    finally:
        with admin.connect() as conn:
            for _url, _admin, name in created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for _url, engine, _name in created:
            engine.dispose()
