"""Migrations: one head, they build the models' schema, and `flask db upgrade` works on an empty DB."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app import create_app
from app.extensions import db as _db
from app.services.health import migration_heads


def test_one_head(app):
    assert len(migration_heads(app.extensions["migrate"].directory)) == 1


def test_models_match_migrations(app, db):
    """The session database was built by running the migrations: the models must agree with it."""
    with _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == []


def test_flask_db_upgrade_on_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"units", "users", "plans", "tasks", "assignments", "notifications", "audit_logs"} <= tables
    with app.app_context():
        health = app.test_client().get("/healthz").get_json()
    assert health["migrations"] == "head"
