"""Count the SQL statements a block of code sends, for query-count tests on small and large data.

    with count_queries() as statements:
        client.get("/dashboard/overdue")
    assert len(statements) == expected

A list whose statement count grows with the data has a query in a loop (STYLE.md rules 11 and 14).
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def count_queries(engine=None):
    """Yield the list of statements sent on the engine (default: the app's) inside the block."""
    if engine is None:
        from app.extensions import db

        engine = db.engine
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def statements_of(client, url: str, **kwargs) -> list[str]:
    """The statements of one request, after a first one that warms per-process caches. Tests hold an
    app context open, so requests share its session: start the counted one on a fresh session, as
    each request in production does."""
    from app.extensions import db

    client.get(url, **kwargs)
    db.session.remove()
    with count_queries() as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return statements
