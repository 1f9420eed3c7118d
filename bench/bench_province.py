"""Province-scale benchmark: generate 1.700 units / 150.000 assignments, then time the heavy pages.

    python bench/bench_province.py --database-url sqlite:////tmp/province.sqlite3
    python bench/bench_province.py --database-url postgresql://postgres@127.0.0.1:5432/tdnv_bench --drop
    python bench/bench_province.py --database-url ... --reuse --http      # + gunicorn (2 workers) and wrk

In process (Flask test client, logged in as the demo office, director and school head): p50/p95 of
N requests per page, the SQL statements per request and their summed time (cursor events). With
--http: gunicorn with 2 workers on 127.0.0.1 and wrk at 8 connections for a few seconds per page.
--app-root runs the same cases against another checkout of the code (the "before" figures).
Every run is bounded: N requests per case in process, --seconds per case over HTTP.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import suppress
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = {"office": "vanphong", "director": "giamdoc", "school": "thpt.tranphu.hieutruong"}
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d %.1f %.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def _prepare_database(url: str, reuse: bool) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        path = Path(parsed.database)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database})
        if exists and not reuse:
            conn.execute(text(f'DROP DATABASE "{parsed.database}" WITH (FORCE)'))
            exists = False
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _drop_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


class SqlCounter:
    """Statements and their summed time, from the engine's cursor events."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements, self.seconds = 0, 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.statements += 1
        self.seconds += time.perf_counter() - conn.info["bench_started"].pop()

    def reset(self):
        self.statements, self.seconds = 0, 0.0


def _generate(app, args) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Unit

    with app.app_context():
        upgrade()
        if db.session.scalar(select(func.count(Unit.id))):
            print("Database already holds units: generation skipped.")
            return
        from app.services.clock import today_local
        from app.services.demo.generate import generate

        summary = generate(units=args.units, plans=args.plans, assignments=args.assignments, seed=args.seed,
                           today=today_local(app.config["TIMEZONE"]), password=app.config["DEMO_PASSWORD"])
        db.session.commit()
        print(summary.report())


def _targets(app) -> dict:
    """Ids the cases need: an assignment with 10 updates, the biggest (CSGD) task, a ~500-row filter."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Assignment, AssignmentUpdate, Plan, Task

    with app.app_context():
        journal = (select(AssignmentUpdate.assignment_id).group_by(AssignmentUpdate.assignment_id)
                   .having(func.count() >= 10).order_by(AssignmentUpdate.assignment_id).limit(1))
        biggest = (select(Assignment.task_id).group_by(Assignment.task_id)
                   .order_by(func.count().desc(), Assignment.task_id).limit(1))
        combos = db.session.execute(
            select(Task.plan_id, Task.group_name, Assignment.status, func.count())
            .join(Task, Assignment.task_id == Task.id)
            .group_by(Task.plan_id, Task.group_name, Assignment.status)
        ).all()
        plan, group, status, rows = min(combos, key=lambda c: (abs(c[3] - 500), c[0], c[1], c[2]))
        big_plan = (select(Task.plan_id).join(Assignment, Assignment.task_id == Task.id)
                    .group_by(Task.plan_id).order_by(func.count().desc(), Task.plan_id).limit(1))
        return {"assignment": db.session.scalar(journal), "task": db.session.scalar(biggest),
                "big_plan": db.session.scalar(big_plan),
                "plan": db.session.scalar(select(func.min(Plan.id))),
                "export": {"plan": plan, "group": group, "status": status, "rows": rows}}


def cases(targets: dict) -> list[tuple[str, str, str, dict]]:
    """(name, user, url, extra headers); "api" user means the office's API token."""
    export = urllib.parse.urlencode({k: targets["export"][k] for k in ("plan", "group", "status")})
    return [
        ("overdue list, page 1", "director", "/dashboard/overdue", {}),
        ("overdue JSON API", "api", "/api/v1/assignments?overdue=1", {}),
        ("assignment with 10 updates", "office", f"/assignments/{targets['assignment']}", {}),
        ("CSGD task page", "office", f"/tasks/{targets['task']}", {}),
        ("Việc của đơn vị (school)", "school", "/work", {}),
        ("Việc của đơn vị (office)", "office", "/work", {}),
        ("dashboard", "director", "/dashboard/?scope=all", {}),
        ("matrix page", "office", f"/dashboard/plans/{targets['plan']}/matrix", {}),
        ("search, no diacritics", "office", "/work?q=chu+ky+so", {}),
        (f"export {targets['export']['rows']} rows", "office", f"/work/export.xlsx?{export}", {}),
        ("export of the biggest plan", "office", f"/work/export.xlsx?plan={targets['big_plan']}", {}),
        ("export of every overdue row", "director", "/dashboard/overdue.xlsx?scope=all", {}),
        ("manage page of the CSGD task", "office", f"/manage/tasks/{targets['task']}", {}),
        ("plan page (bulk assign panel)", "office", f"/plans/{targets['plan']}", {}),
        ("drill-down export, overdue", "director", "/dashboard/list.xlsx?scope=all&bucket=open_overdue", {}),
        ("unfiltered JSON API, page 3", "api", "/api/v1/assignments?page=3", {}),
    ]


def _login(client, username: str, password: str) -> None:
    import re

    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code in (302, 303), f"log-in of {username} failed ({response.status_code})"


def _api_token(app) -> str:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User
    from app.services.accounts import tokens

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == USERS["office"]))
        _, secret = tokens.create_token(user, f"bench {time.time():.0f}")
        db.session.commit()
        return secret


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_in_process(app, targets: dict, requests: int, only: str = "") -> list[dict]:
    from app.extensions import db

    clients, results = {}, []
    for role, username in USERS.items():
        clients[role] = app.test_client()
        _login(clients[role], username, app.config["DEMO_PASSWORD"])
    token = _api_token(app)
    with app.app_context():
        counter = SqlCounter(db.engine)
    for name, role, url, headers in cases(targets):
        if only not in name:
            continue
        client = clients["office"] if role == "api" else clients[role]
        if role == "api":
            headers = {**headers, "Authorization": f"Bearer {token}"}
        times, sql_times, statements, size, status = [], [], 0, 0, 0
        for i in range(requests + 1):  # the first one warms caches and is not counted
            counter.reset()
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            elapsed = time.perf_counter() - started
            status, size = response.status_code, len(response.get_data())
            if i:
                times.append(elapsed * 1000)
                sql_times.append(counter.seconds * 1000)
                statements = counter.statements
        results.append({"name": name, "url": url, "status": status, "p50": _percentile(times, 0.5),
                        "p95": _percentile(times, 0.95), "sql": statements,
                        "sql_ms": statistics.median(sql_times), "kb": size / 1024})
        print(f"  {name:<30} {status} p50 {results[-1]['p50']:8.1f} ms  p95 {results[-1]['p95']:8.1f} ms  "
              f"{statements:3d} SQL {results[-1]['sql_ms']:8.1f} ms  {size / 1024:7.1f} KB", flush=True)
    return results


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _drain(base: str, p95_ms: float) -> None:
    """Wait until gunicorn has worked off what wrk left queued when it stopped (8 connections on 2
    sync workers: up to 4 requests per worker), so one case's backlog is not timed as the next's."""
    time.sleep(min(60.0, 4 * p95_ms / 1000))
    with suppress(OSError):
        urllib.request.urlopen(f"{base}/healthz", timeout=60).read()


def measure_http(args, targets: dict, seconds: int) -> list[dict]:
    """gunicorn (2 workers) on loopback, wrk with 8 connections, `seconds` per case."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    from http.cookiejar import CookieJar

    port = _free_port()
    env = {**os.environ, "DATABASE_URL": args.database_url, "TDNV_CONFIG": "development",
           "SECRET_KEY": "bench-secret-key-0123456789abcdef", "PYTHONPATH": str(args.app_root)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=args.app_root,
        env=env,
        start_new_session=True,
    )
    base, results = f"http://127.0.0.1:{port}", []
    try:
        for _ in range(100):
            with suppress(OSError):
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            time.sleep(0.2)
        cookies = {}
        for role, username in USERS.items():
            jar = CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            import re

            page = opener.open(f"{base}/auth/login").read().decode()
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode({"username": username, "password": "tdnv-demo",
                                           "csrf_token": token}).encode()
            opener.open(f"{base}/auth/login", data=body)
            cookies[role] = "; ".join(f"{c.name}={c.value}" for c in jar)
        from app import create_app

        api_token = _api_token(create_app("development", SQLALCHEMY_DATABASE_URI=args.database_url))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        for name, role, url, _headers in cases(targets):
            header = (f"Authorization: Bearer {api_token}" if role == "api" else f"Cookie: {cookies[role]}")
            out = subprocess.run([wrk, "-t", "2", "-c", "8", "-d", f"{seconds}s", "--timeout", "30s", "-s",
                                  script.name, "-H", header, f"{base}{url}"], capture_output=True, text=True,
                                 timeout=seconds + 60).stdout
            line = next((x for x in out.splitlines() if x.startswith("BENCH ")), "BENCH 0 0 1 0 0")
            count, errors, duration, p50, p95 = line.split()[1:]
            _drain(base, float(p95) if int(count) else seconds * 1000.0)
            rate = int(count) / (int(duration) / 1e6)
            if not int(count):  # nothing finished inside the window (a page slower than --seconds)
                print(f"  {name:<30} no request completed in {seconds} s", flush=True)
            results.append(
                {"name": name, "p50": float(p50), "p95": float(p95), "rps": rate, "errors": int(errors)}
            )
            print(f"  {name:<30} p50 {float(p50):8.1f} ms  p95 {float(p95):8.1f} ms  {rate:6.1f} req/s  "
                  f"{errors} errors", flush=True)
        os.unlink(script.name)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return results


def markdown(results: list[dict], http: list[dict] | None, label: str) -> str:
    lines = [f"#### {label}", "", "| Page | p50 ms | p95 ms | SQL statements | SQL ms | KB |",
             "|---|---:|---:|---:|---:|---:|"]
    lines += [
        f"| {r['name']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['sql']} | {r['sql_ms']:.0f} | {r['kb']:.0f} |"
        for r in results
    ]
    if http:
        lines += ["", "HTTP (gunicorn 2 workers, wrk 8 connections):", "",
                  "| Page | p50 ms | p95 ms | req/s | errors |", "|---|---:|---:|---:|---:|"]
        lines += [
            f"| {r['name']} | {r['p50']:.0f} | {r['p95']:.0f} | {r['rps']:.1f} | {r['errors']} |"
            for r in http
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.gettempdir()}/tdnv_province.sqlite3")
    parser.add_argument("--units", type=int, default=1700)
    parser.add_argument("--plans", type=int, default=5)
    parser.add_argument("--assignments", type=int, default=150000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (in process)")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database, skip generation")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database at the end")
    parser.add_argument("--http", action="store_true", help="also serve with gunicorn and load with wrk")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per page")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="checkout of the code to measure")
    parser.add_argument("--markdown", type=Path, help="append the figures as a Markdown table")
    parser.add_argument("--label", default="")
    parser.add_argument("--only", default="", help="time only the cases whose name contains this text")
    args = parser.parse_args()
    args.app_root = args.app_root.resolve()
    sys.path.insert(0, str(args.app_root))
    os.chdir(args.app_root)

    from app import create_app

    _prepare_database(args.database_url, args.reuse)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=args.database_url, DEBUG=False)
    started = time.perf_counter()
    if not args.reuse:
        _generate(app, args)
        print(f"generation: {time.perf_counter() - started:.1f} s")
    targets = _targets(app)
    print(f"{args.database_url.split(':')[0]}, {args.requests} requests per page:")
    results = measure_in_process(app, targets, args.requests, args.only)
    http = measure_http(args, targets, args.seconds) if args.http else None
    if args.markdown:
        label = args.label or f"{args.database_url.split(':')[0]}, {date.today():%d/%m/%Y}"
        machine = f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
        with args.markdown.open("a", encoding="utf-8") as out:
            out.write(markdown(results, http, f"{label} ({machine})") + "\n")
    if args.drop:
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
        _drop_database(args.database_url)


if __name__ == "__main__":
    main()
