"""Benchmark of the directory import: 1.700 schools and 2.000 accounts from one .xlsx (preview + write).

    python bench/bench_directory_import.py [--units 1700] [--users 2000]

Prints the wall time of the preview and of the write and the number of SQL statements of each,
on a fresh SQLite database under the production hash method (scrypt).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402
from app.services.directory import directory_import  # noqa: E402
from app.services.plans.unit_resolver import ensure_root_unit  # noqa: E402
from tests.functional.test_admin_import import big_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1700)
    parser.add_argument("--users", type=int, default=2000)
    args = parser.parse_args()
    data = big_file(args.units, args.users)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.sqlite3",
                         PASSWORD_HASH_METHOD="scrypt", UPLOAD_FOLDER=folder)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            root = ensure_root_unit()
            admin = User(username="admin", full_name="Quản trị", role="admin", unit=root, password_hash="")
            db.session.add(admin)
            db.session.commit()
            statements = []
            event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
            started = time.perf_counter()
            preview = directory_import.build_preview(admin, data)
            preview_time, preview_statements = time.perf_counter() - started, len(statements)
            started = time.perf_counter()
            directory_import.import_directory(admin, data)
            db.session.commit()
            write_time = time.perf_counter() - started
            print(f"rows: {args.units} units, {args.users} users; preview errors: {preview.error_count}")
            print(f"preview: {preview_time * 1000:.0f} ms, {preview_statements} statements")
            print(f"write:   {write_time * 1000:.0f} ms, {len(statements) - preview_statements} statements")


if __name__ == "__main__":
    main()
