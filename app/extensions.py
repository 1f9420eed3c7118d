"""Flask extensions, created unbound and initialised by the app factory."""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def rows_changed(stmt) -> int:
    """Run an UPDATE or DELETE in the session; how many rows it changed (a conditional UPDATE that
    changed none lost a race). Session.execute is typed as a plain Result; DML gives a CursorResult."""
    result = db.session.execute(stmt)
    assert isinstance(result, CursorResult)
    return result.rowcount or 0
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite needs foreign keys switched on per connection; WAL lets readers and a writer coexist."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_from_hint(compiler, table, text):
    """SQLAlchemy drops select().with_hint(..., "sqlite"); render it after the table name, so a list
    can say `INDEXED BY <index>` where SQLite's planner would sort the whole table (PostgreSQL and
    other dialects never see these hints)."""
    return text


SQLiteCompiler.get_from_hint_text = _sqlite_from_hint
