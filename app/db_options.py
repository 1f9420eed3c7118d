"""Engine options that keep a request from hanging on a sick database connection.

A network cut can leave the server's end of a connection open: the backend then stays "idle in
transaction" and keeps its row locks, and every later write to those rows waits for ever. So on
PostgreSQL each connection gets a connect timeout, TCP keep-alives on both ends, a lock timeout (a
write waiting for a lost connection's lock gives up and the client is told to retry) and an
idle-in-transaction timeout (the server ends such a backend and frees its locks); the pool gives up
waiting for a free connection after DB_POOL_TIMEOUT seconds. Each value comes from the settings.
"""
from __future__ import annotations

from collections.abc import Mapping

# a dead peer is given up after KEEPALIVE_COUNT probes KEEPALIVE_INTERVAL seconds apart (both ends)
KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 10, 3
# setting -> (PostgreSQL parameter, factor to its unit); 0 leaves the server's default
_SERVER_PARAMETERS = {
    "DB_LOCK_TIMEOUT_SECONDS": ("lock_timeout", 1000),
    "DB_STATEMENT_TIMEOUT_SECONDS": ("statement_timeout", 1000),
    "DB_IDLE_IN_TRANSACTION_SECONDS": ("idle_in_transaction_session_timeout", 1000),
    "DB_KEEPALIVE_IDLE_SECONDS": ("tcp_keepalives_idle", 1),
}


def server_options(settings: Mapping) -> str:
    """The libpq `options` string: `-c name=value` for each timeout that is set."""
    parts = []
    for setting, (parameter, factor) in _SERVER_PARAMETERS.items():
        value = int(settings.get(setting) or 0)
        if value > 0:
            parts.append(f"-c {parameter}={value * factor}")
    if int(settings.get("DB_KEEPALIVE_IDLE_SECONDS") or 0) > 0:
        parts += [f"-c tcp_keepalives_interval={KEEPALIVE_INTERVAL}",
                  f"-c tcp_keepalives_count={KEEPALIVE_COUNT}"]
    return " ".join(parts)


def engine_options(uri: str, settings: Mapping, base: Mapping | None = None) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS for uri: base, plus the pool timeout and, on PostgreSQL, the
    connection's timeouts and keep-alives (left alone when the settings already pass connect_args)."""
    options = dict(base or {})
    if uri.startswith("sqlite"):
        return options
    options.setdefault("pool_timeout", int(settings.get("DB_POOL_TIMEOUT_SECONDS") or 10))
    if uri.startswith("postgresql") and "connect_args" not in options:
        idle = int(settings.get("DB_KEEPALIVE_IDLE_SECONDS") or 0)
        connect_timeout = int(settings.get("DB_CONNECT_TIMEOUT_SECONDS") or 5)
        connect_args: dict[str, object] = {"connect_timeout": connect_timeout}
        if idle > 0:  # the app's end notices a dead server, the server's end (options) a dead app
            connect_args.update(keepalives=1, keepalives_idle=idle, keepalives_interval=KEEPALIVE_INTERVAL,
                                keepalives_count=KEEPALIVE_COUNT)
        if server := server_options(settings):
            connect_args["options"] = server
        options["connect_args"] = connect_args
    return options
