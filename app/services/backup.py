"""One-archive backups: a consistent copy of the database, the uploaded files and a manifest of
SHA-256 checksums; restore only into an empty database and an empty folder, after checking them.

SQLite is copied with sqlite3's online backup API (consistent while the app runs); PostgreSQL with
pg_dump's custom format (restored with pg_restore). No Flask here: the CLI passes the settings.
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from app.services.errors import DomainError

MANIFEST = "manifest.json"
FORMAT = "tdnv-backup-1"
SQLITE_MEMBER = "database/tdnv.sqlite3"
POSTGRES_MEMBER = "database/tdnv.pgdump"
FILES_PREFIX = "files/"
# held only between an import's preview and its confirmation: not worth keeping
SKIPPED_FOLDERS = {"pending-imports"}
_CHUNK = 1024 * 1024


class BackupError(DomainError):
    pass


@dataclass
class BackupSummary:
    path: Path
    database: str
    files: int
    size: int


def _sha256_stream(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256_stream(handle)


def _kind(database_url: str) -> str:
    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Không hỗ trợ sao lưu CSDL loại {backend}.")
    return backend


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("CSDL SQLite trong bộ nhớ không sao lưu được.")
    return Path(database)


def _libpq_url(database_url: str) -> str:
    """pg_dump and pg_restore read libpq URLs: no "+driver" part."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str], what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"Không tìm thấy {command[0]} (cài gói postgresql-client) để {what}.")
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} lỗi khi {what}: {result.stderr.strip()[:500]}")


def _dump_database(database_url: str, target: Path) -> str:
    if _kind(database_url) == "sqlite":
        source_path = _sqlite_path(database_url)
        if not source_path.is_file():
            raise BackupError(f"Không thấy tệp CSDL {source_path}.")
        source = sqlite3.connect(source_path)
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # page by page, a consistent snapshot even while the app writes
        finally:
            copy.close()
            source.close()
        return SQLITE_MEMBER
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
          f"--dbname={_libpq_url(database_url)}"], "sao lưu CSDL")
    return POSTGRES_MEMBER


def _upload_files(upload_folder: str) -> list[tuple[Path, str]]:
    root = Path(upload_folder)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not path.is_symlink() and relative.parts[0] not in SKIPPED_FOLDERS:
            found.append((path, FILES_PREFIX + relative.as_posix()))
    return found


def create_backup(database_url: str, upload_folder: str, output: Path, *, app_version: str,
                  migration: str | None, now: datetime) -> BackupSummary:
    """Write one .tar.gz: the database copy, every uploaded file, and manifest.json (checksums)."""
    output = Path(output)
    if output.is_dir():
        output = output / f"tdnv-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tdnv-backup-") as work:
        dump = Path(work) / "database"
        member = _dump_database(database_url, dump)
        entries = [(dump, member)] + _upload_files(upload_folder)
        checksums = {name: _sha256_file(path) for path, name in entries}
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "app_version": app_version,
                    "migration": migration, "database": _kind(database_url), "files": checksums}
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for path, name in entries:
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)  # a half-written archive never looks like a backup
    return BackupSummary(output, _kind(database_url), len(entries) - 1, output.stat().st_size)


def _member(archive: tarfile.TarFile, member: str | tarfile.TarInfo):
    """A regular file's content; a directory or link member (never written by us) is a KeyError."""
    handle = archive.extractfile(member)
    if handle is None:
        raise KeyError(member)
    return handle


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def read_manifest(archive_path: Path) -> dict:
    """The manifest, after checking that every member is listed with the right SHA-256 and nothing
    else is in the archive."""
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Không đọc được tệp sao lưu: {error}") from None
    with archive:
        try:
            manifest = json.loads(_member(archive, MANIFEST).read().decode("utf-8"))
        except (KeyError, ValueError):
            raise BackupError("Tệp sao lưu không có manifest.json hợp lệ.") from None
        if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
            raise BackupError("Tệp sao lưu không đúng định dạng TDNV.")
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_member_name(member.name):
                raise BackupError(f"Tệp sao lưu chứa mục không hợp lệ: {member.name}")
            expected = manifest["files"].get(member.name)
            if expected is None or _sha256_stream(archive.extractfile(member)) != expected:
                raise BackupError(
                    f"Sai mã kiểm tra (SHA-256) của {member.name}: tệp sao lưu bị hỏng hoặc bị sửa."
                )
            seen.add(member.name)
        missing = set(manifest["files"]) - seen
        if missing:
            raise BackupError(f"Tệp sao lưu thiếu: {', '.join(sorted(missing)[:5])}")
    return manifest


def _require_empty_database(database_url: str) -> None:
    if _kind(database_url) == "sqlite":
        path = _sqlite_path(database_url)
        if not path.exists() or path.stat().st_size == 0:
            return
    engine = create_engine(database_url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError("CSDL đích đã có dữ liệu: chỉ khôi phục vào một CSDL trống.")


def _require_empty_folder(upload_folder: str) -> None:
    root = Path(upload_folder)
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"Thư mục {root} không trống: chỉ khôi phục vào một thư mục trống.")


def restore_backup(archive_path: Path, database_url: str, upload_folder: str) -> dict:
    """Check the archive, then restore into an empty database and an empty upload folder."""
    manifest = read_manifest(archive_path)
    if manifest["database"] != _kind(database_url):
        raise BackupError(
            f"Bản sao lưu là CSDL {manifest['database']}, nơi khôi phục là {_kind(database_url)}."
        )
    _require_empty_database(database_url)
    _require_empty_folder(upload_folder)
    root = Path(upload_folder)
    files = 0
    with (
        tempfile.TemporaryDirectory(prefix="tdnv-restore-") as work,
        tarfile.open(archive_path, "r:gz") as archive,
    ):
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            source = _member(archive, member)
            if member.name in (SQLITE_MEMBER, POSTGRES_MEMBER):
                dump = Path(work) / "database"
                with dump.open("wb") as handle:
                    shutil.copyfileobj(source, handle)
                _load_database(dump, database_url)
                continue
            target = root / member.name.removeprefix(FILES_PREFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                shutil.copyfileobj(source, handle)
            files += 1
    return {"database": manifest["database"], "files": files, "created_at": manifest.get("created_at"),
            "migration": manifest.get("migration")}


def _load_database(dump: Path, database_url: str) -> None:
    if _kind(database_url) == "sqlite":
        target_path = _sqlite_path(database_url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(dump)
        target = sqlite3.connect(target_path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
          f"--dbname={_libpq_url(database_url)}", str(dump)], "khôi phục CSDL")
