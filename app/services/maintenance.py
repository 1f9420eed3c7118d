"""Planner statistics. SQLite keeps none until ANALYZE runs, and without them it picks index plans
that scan a whole table (a school's list: 110 ms instead of 1 ms on 150.000 assignments); a bulk load
on PostgreSQL is planned blind until autovacuum gets to it."""
from __future__ import annotations

from sqlalchemy import text

from app.extensions import db


def refresh_planner_statistics(tables: tuple[str, ...] = ()) -> str:
    """ANALYZE the given tables (all of them when none): on SQLite always, on PostgreSQL only for the
    named tables just bulk-loaded (autovacuum keeps the rest). Returns the dialect's name."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        db.session.execute(text("ANALYZE"))
    elif tables:
        for table in tables:
            db.session.execute(text(f'ANALYZE "{table}"'))
    return dialect
