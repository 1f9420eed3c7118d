"""Load and fault test: gunicorn on PostgreSQL, many clients of mixed reads and writes, the database
cut off for a while in the middle; then every acknowledged write is looked for in the database.

    python bench/load_test.py                                 # 100 clients × 300 s, a 10 s outage
    python bench/load_test.py --clients 20 --seconds 30        # the short run (CI runs one like it)

The outage is a TCP relay between gunicorn and PostgreSQL that refuses new connections for --outage
seconds, so nothing else on the machine loses its database. At the cut it drops the app's end of
every connection but leaves the server's end open and silent, as a real network failure does: a
backend that was inside a transaction keeps its row locks until the server's idle-in-transaction
timeout ends it, and the app must answer 503 meanwhile (its lock timeout), never hang. Traffic goes to
127.0.0.1 only; every loop is bounded by --seconds. Prints requests, throughput, p50/p95, the answers
by kind and the write check, and exits 1 when a request failed outside the outage, a write
acknowledged with 201 is missing, or the app did not recover.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from base64 import b64encode
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
USERS = ("thpt.tranphu.hieutruong", "qlcl.truongphong", "gdpt.truongphong", "khtc.truongphong")
NOTE_PREFIX = "tai-thu"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """A TCP relay to the database that can be cut (every connection dropped, new ones refused)."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.cut = threading.Event()
        self.stopped = threading.Event()
        self.pairs: set[tuple[socket.socket, socket.socket]] = set()
        self.held: set[socket.socket] = set()  # the server's ends the cut left open, until close()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.cut.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)  # an idle pooled connection must live as long as the pool keeps it
            client.settimeout(None)
            with self.lock:
                self.pairs.add((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        with suppress(OSError):
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        for sock in (src, dst):
            if sock not in self.held:
                with suppress(OSError):
                    sock.close()

    def set_cut(self, cut: bool) -> None:
        """Cut: the app's ends are dropped, the server's are held open and silent (until close());
        uncut: new connections pass again."""
        if cut:
            self.cut.set()
            with self.lock:
                for client, upstream in self.pairs:
                    self.held.add(upstream)
                    with suppress(OSError):
                        client.shutdown(socket.SHUT_RDWR)
                self.pairs.clear()
        else:
            self.cut.clear()

    def _release_held(self) -> None:
        with self.lock:
            held, self.held = self.held, set()
        for sock in held:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with suppress(OSError):
                sock.close()

    def close(self) -> None:
        self.stopped.set()
        self.set_cut(True)
        self._release_held()
        self.listener.close()


# the app's guards while under test (app/db_options.py): a lost backend inside a transaction is ended
# by the server after IDLE_IN_TRANSACTION_SECONDS; a write waiting for its lock gives up (503) after
# LOCK_TIMEOUT_SECONDS. After the outage a request may be a 503 until both have passed (and the pool
# has reconnected), never a hang.
IDLE_IN_TRANSACTION_SECONDS = 5
LOCK_TIMEOUT_SECONDS = 2
RECOVERY_SECONDS = IDLE_IN_TRANSACTION_SECONDS + LOCK_TIMEOUT_SECONDS + 3


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    # writes that got no definite answer (503 or no answer, around the cut): the server may or may not
    # have committed them before the answer was lost, so either outcome is right
    uncertain: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, note: str | None = None, *, certain: bool = True) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.answers[kind] += 1
            if note:
                (self.acknowledged if certain else self.uncertain).append(note)


def _call(base: str, method: str, path: str, token: str, body: dict | None = None,
          timeout: float = 30) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        with suppress(ValueError):
            return error.code, json.loads(error.read() or b"{}")
        return error.code, {}


def create_token(base: str, username: str, password: str) -> str:
    credentials = b64encode(f"{username}:{password}".encode()).decode()
    request = urllib.request.Request(base + "/api/v1/tokens", data=b'{"name": "tai thu"}', method="POST",
                                     headers={"Authorization": f"Basic {credentials}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["token"]


def _client(base: str, token: str, ids: list[int], deadline: float, outage: tuple[float, float],
            results: Results, name: str, seed: int) -> None:
    """One client: reads (lists, one assignment) and writes (an update against the version read)."""
    rng = random.Random(seed)
    count = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        assignment_id = rng.choice(ids)
        note = None
        try:
            if rng.random() < 0.7:
                path = rng.choice(("/api/v1/assignments?per_page=25", f"/api/v1/assignments/{assignment_id}"))
                status, _ = _call(base, "GET", path, token)
            else:
                status, body = _call(base, "GET", f"/api/v1/assignments/{assignment_id}", token)
                if status == 200:
                    count += 1
                    note = f"{NOTE_PREFIX}-{name}-{count}"
                    status, _ = _call(base, "POST", f"/api/v1/assignments/{assignment_id}/updates", token, {
                        "expected_version": body["version"], "status": "in_progress",
                        "progress": rng.randint(1, 90), "note": note})
        except OSError as error:
            status, _ = 0, str(error)
        ended = time.monotonic()
        elapsed = ended - started
        # a request that overlaps the outage or the RECOVERY_SECONDS after it may be a 503; only one in
        # flight at the moment of the cut may get no answer (its connection dropped under it)
        in_outage = started <= outage[1] + RECOVERY_SECONDS and ended >= outage[0]
        at_cut = started <= outage[0] <= ended
        # http 0: no HTTP answer (connection dropped or timed out)
        kind = {200: "ok", 201: "written", 409: "conflict", 503: "unavailable"}.get(status, f"http {status}")
        if status == 201 or (note and status in (0, 503)):
            results.record(kind, elapsed, note, certain=status == 201)
        else:
            results.record(kind, elapsed)
        allowed = ["ok", "written", "conflict"]
        if in_outage:
            allowed.append("unavailable")
        if at_cut:
            allowed.append("http 0")
        if kind not in allowed:
            with results.lock:
                results.failures.append(f"{kind} at +{started - outage[0]:.1f}s")


def _prepare_database(url: str, env: dict) -> None:
    python = sys.executable
    for args in (["db", "upgrade"], ["demo", "seed"]):
        done = subprocess.run([python, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {(done.stderr or done.stdout)[-2000:]}")


def _unit_assignment_ids(base: str, token: str) -> list[int]:
    status, body = _call(base, "GET", "/api/v1/assignments?per_page=100", token)
    assert status == 200, body
    return [a["id"] for a in body["items"] if a["status"] in ("not_started", "in_progress")]


def _recovered(base: str, token: str, within: float = 60) -> bool:
    """The app answers again without a restart: polled, since the pool reconnects lazily."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with suppress(OSError):
            if _call(base, "GET", "/api/v1/assignments?per_page=1", token, timeout=10)[0] == 200:
                return True
        time.sleep(1)
    return False


def _stored_notes(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT note FROM assignment_updates WHERE note LIKE %s", (f"{NOTE_PREFIX}-%",))
        return {note for (note,) in rows}


def _wait_for(base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(OSError), urllib.request.urlopen(base + "/healthz", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz")


def run(server_url: str = SERVER, *, clients: int = 100, seconds: int = 300, outage_seconds: int = 10,
        workers: int = 2, password: str = "tdnv-demo") -> dict:
    """Create a database, seed the demo, serve it through the relay, load it, check the writes."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"tdnv_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    direct = make_url(server_url).set(database=name)
    relay = Relay((direct.host or "127.0.0.1", direct.port or 5432))
    through_relay = direct.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": through_relay, "TDNV_CONFIG": "development", "FLASK_DEBUG": "0",
           "DEMO_PASSWORD": password, "PYTHONUTF8": "1", "DB_LOCK_TIMEOUT_SECONDS": str(LOCK_TIMEOUT_SECONDS),
           "DB_IDLE_IN_TRANSACTION_SECONDS": str(IDLE_IN_TRANSACTION_SECONDS)}
    server = None
    log = open(os.environ.get("LOAD_TEST_LOG", os.devnull), "w")  # noqa: SIM115 - closed in finally
    try:
        _prepare_database(through_relay, env)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4", "--bind",
             f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
        base = f"http://127.0.0.1:{port}"
        _wait_for(base)
        tokens = [create_token(base, user, password) for user in USERS]
        ids = {token: _unit_assignment_ids(base, token) for token in tokens}
        results = Results()
        start = time.monotonic()
        cut_at = start + max(0.0, (seconds - outage_seconds) / 2)
        outage = (cut_at, cut_at + outage_seconds) if outage_seconds else (float("inf"), float("inf"))
        threads = []
        for number in range(clients):
            token = tokens[number % len(tokens)]
            thread = threading.Thread(target=_client, args=(
                base, token, ids[token], start + seconds, outage, results, f"c{number}", number), daemon=True)
            thread.start()
            threads.append(thread)
        if outage_seconds:
            time.sleep(max(0.0, cut_at - time.monotonic()))
            relay.set_cut(True)
            time.sleep(outage_seconds)
            relay.set_cut(False)
        for thread in threads:
            thread.join(seconds + 60)
        elapsed = time.monotonic() - start
        recovered = _recovered(base, tokens[0])
        stored = _stored_notes(direct.render_as_string(hide_password=False))
        lost = [note for note in results.acknowledged if note not in stored]
        # a stored note must be one the client sent and was told about, or one whose answer was lost
        unexpected = sorted(stored - set(results.acknowledged) - set(results.uncertain))
        latencies = sorted(results.latencies)
        return {
            "clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
            "req_per_s": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
            "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
            "answers": dict(results.answers), "failures": results.failures[:20],
            "failure_count": len(results.failures), "acknowledged_writes": len(results.acknowledged),
            "stored_writes": len(stored), "lost_writes": lost[:20], "recovered": recovered,
            "uncertain_writes": len(results.uncertain), "unexpected_stored": unexpected[:20],
            "outage_seconds": outage_seconds,
        }
    finally:
        if server is not None:
            server.terminate()
            with suppress(subprocess.TimeoutExpired):
                server.wait(30)
        relay.close()
        log.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default=SERVER, help="a PostgreSQL server (a database is created)")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--outage", type=int, default=10, help="seconds the database is cut off (0: none)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    figures = run(args.server_url, clients=args.clients, seconds=args.seconds, outage_seconds=args.outage,
                  workers=args.workers)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    ok = not figures["failure_count"] and not figures["lost_writes"] and figures["recovered"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
