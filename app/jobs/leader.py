"""The leader lock: only one `flask scheduler run` acts; the others wait as standbys.

PostgreSQL: a session-level advisory lock on a dedicated connection kept open (autocommit, so it is
never "idle in transaction"); the server drops it when the process or its connection dies, and a
standby's next pg_try_advisory_lock wins. Other databases (SQLite): a SchedulerLock row whose holder
renews heartbeat_at; a standby takes the row over once the heartbeat is older than the expiry.
"""
from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
import zlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, delete, insert, or_, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.models.base import as_utc
from app.models.scheduler import SchedulerLock

LOCK_NAME = "scheduler"
log = logging.getLogger(__name__)


def make_holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def advisory_key(name: str) -> int:
    """A stable 32-bit key, so every process asks for the same lock."""
    return zlib.crc32(f"tdnv:{name}".encode())


class AdvisoryLock:
    """pg_try_advisory_lock on its own connection (NullPool: never handed to anybody else)."""

    def __init__(self, url, name: str = LOCK_NAME, holder: str | None = None):
        self.engine = create_engine(url, poolclass=NullPool)
        self.key = advisory_key(name)
        self.holder = holder or make_holder_id()
        self.conn = None
        self.held = False
        self._mutex = threading.Lock()

    def _connection(self):
        if self.conn is None:
            self.conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self.conn

    def _drop_connection(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self.conn.close()
            self.conn = None

    def acquire(self) -> bool:
        with self._mutex:
            try:
                got = self._connection().execute(
                    text("SELECT pg_try_advisory_lock(CAST(:key AS bigint))"), {"key": self.key}).scalar()
            except SQLAlchemyError as error:
                log.warning("leader lock: database unreachable (%s)", error.__class__.__name__)
                self._drop_connection()
                got = False
            self.held = bool(got)
            return self.held

    def refresh(self) -> bool:
        """Still ours? The lock lives as long as the connection: check that both are alive."""
        with self._mutex:
            if not self.held:
                return False
            try:
                count = (
                    self._connection()
                    .execute(
                        text(
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                            " AND pid = pg_backend_pid() AND classid = 0 AND objid::bigint = CAST(:key "
                            "AS bigint)"
                        ),
                        {"key": self.key},
                    )
                    .scalar()
                )
            except SQLAlchemyError:
                self._drop_connection()
                count = 0
            self.held = bool(count)
            return self.held

    def release(self) -> None:
        with self._mutex:
            if self.held and self.conn is not None:
                with contextlib.suppress(SQLAlchemyError):
                    self.conn.execute(
                        text("SELECT pg_advisory_unlock(CAST(:key AS bigint))"), {"key": self.key}
                    )
            self.held = False
            self._drop_connection()
            self.engine.dispose()


class RowLock:
    """A SchedulerLock row with a heartbeat; expired rows are taken over by the next standby."""

    def __init__(self, engine: Engine, name: str = LOCK_NAME, holder: str | None = None,
                 expiry_seconds: int = 90, clock=None):
        self.engine = engine
        self.name = name
        self.holder = holder or make_holder_id()
        self.expiry = timedelta(seconds=expiry_seconds)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.held = False
        self.table = SchedulerLock.__table__

    def _now(self) -> datetime:
        return as_utc(self.clock())

    def acquire(self) -> bool:
        now, table = self._now(), self.table
        try:
            with self.engine.begin() as conn:
                taken = conn.execute(
                    update(table).where(table.c.name == self.name,
                                        or_(table.c.holder == self.holder,
                                            table.c.heartbeat_at < now - self.expiry))
                    .values(holder=self.holder, acquired_at=now, heartbeat_at=now)
                ).rowcount
            if not taken:
                with self.engine.begin() as conn:
                    conn.execute(insert(table).values(name=self.name, holder=self.holder, acquired_at=now,
                                                      heartbeat_at=now))
            self.held = True
        except IntegrityError:
            self.held = False  # the row exists and its holder is alive
        except SQLAlchemyError as error:
            log.warning("leader lock: database unreachable (%s)", error.__class__.__name__)
            self.held = False
        return self.held

    def refresh(self) -> bool:
        if not self.held:
            return False
        table = self.table
        try:
            with self.engine.begin() as conn:
                renewed = conn.execute(
                    update(table).where(table.c.name == self.name, table.c.holder == self.holder)
                    .values(heartbeat_at=self._now())
                ).rowcount
        except SQLAlchemyError:
            renewed = 0
        self.held = bool(renewed)
        return self.held

    def release(self) -> None:
        table = self.table
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(table).where(table.c.name == self.name, table.c.holder == self.holder))
        except SQLAlchemyError:
            pass
        self.held = False


def make_leader_lock(engine: Engine, config, *, holder: str | None = None):
    """The advisory lock on PostgreSQL, the heartbeat row elsewhere."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine.url, holder=holder)
    return RowLock(engine, holder=holder, expiry_seconds=int(config.get("SCHEDULER_LOCK_EXPIRY_SECONDS", 90)))
