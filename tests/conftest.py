"""Shared fixtures: app, db, client, runner, a login helper that goes through the real form.

The database is built once per session by running the migrations (SQLite file by default; a
fresh PostgreSQL database, created and dropped here, when TEST_DATABASE_URL names a server).
"""
import os
import re
import uuid
from collections import defaultdict
from pathlib import Path

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db as _db

DATA_DIR = Path(__file__).parent / "data"
IN_CI = os.environ.get("CI", "").lower() == "true"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _postgres_database(url: str):
    """Create a throw-away database on the server; CI's server keeps what earlier runs left."""
    server = make_url(url)
    name = f"tdnv_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return server.set(database=name).render_as_string(hide_password=False), admin, name


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        test_url, admin, name = _postgres_database(url)
        yield test_url
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


class FreshUserClient(FlaskClient):
    """Tests hold an app context open, which Flask reuses for each request; forget the cached
    user and CSRF token so that each request reads its own session cookie, as in production."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    from flask_migrate import upgrade

    application = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")),
    )
    application.test_client_class = FreshUserClient
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    """The database, emptied after each test so tests never see each other's rows."""
    with app.app_context():
        yield _db
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def login(client, username: str, password: str = "secret-pass-1", follow_redirects=True):
    """Log in through the real form, CSRF token included."""
    token = csrf_token(client, "/auth/login")
    return client.post(
        "/auth/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=follow_redirects,
    )


@pytest.fixture()
def login_as(client):
    def _login(user, password: str = "secret-pass-1"):
        response = login(client, user.username, password)
        assert response.status_code == 200
        return response

    return _login


def pytest_terminal_summary(terminalreporter):
    """Name every skipped group with its reason, so nothing is skipped silently."""
    groups = defaultdict(set)
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        group = next((m for m in ("postgres", "e2e", "libreoffice") if m in report.keywords), "other")
        groups[group].add(reason.removeprefix("Skipped: "))
    if groups:
        terminalreporter.section("skipped groups")
        for group, reasons in sorted(groups.items()):
            terminalreporter.write_line(f"{group}: {'; '.join(sorted(reasons))}")
