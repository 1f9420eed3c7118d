"""The directors' dashboard and the plan documents at province scale: wall and CPU time per request.

    python bench/bench_dashboard.py --database-url sqlite:////tmp/province.sqlite3
    python bench/bench_dashboard.py --database-url postgresql://postgres@127.0.0.1:5432/bench_x

Uses a database that bench_province.py (or `flask demo generate`) built and `flask db upgrade`d. In
process, logged in as the demo director: p50 of N requests per page, the process CPU time of the
request (on a machine shared with other work the wall time grows with the load, the CPU time much
less), and the SQL statements and their summed time (cursor events).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_province import SqlCounter, _login  # noqa: E402


def _pages(app) -> list[tuple[str, str]]:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Assignment, Task

    with app.app_context():
        big_plan = db.session.scalar(select(Task.plan_id).join(Assignment, Assignment.task_id == Task.id)
                                     .group_by(Task.plan_id).order_by(func.count().desc(), Task.plan_id)
                                     .limit(1))
    return [
        ("dashboard, whole Sở", "/dashboard/?scope=all"),
        ("dashboard, director's area", "/dashboard/"),
        ("dashboard, one plan", f"/dashboard/?scope=all&plan={big_plan}"),
        ("dashboard, THPT, original deadlines", "/dashboard/?scope=all&kind=thpt&basis=original"),
        ("evaluation report (.docx), biggest plan", f"/dashboard/plans/{big_plan}/evaluation.docx"),
        ("sơ kết report (.docx), biggest plan", f"/dashboard/plans/{big_plan}/report.docx"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--only", default="", help="time only the pages whose name contains this text")
    args = parser.parse_args()

    from app import create_app
    from app.extensions import db

    app = create_app("development", SQLALCHEMY_DATABASE_URI=args.database_url, DEBUG=False)
    pages = [p for p in _pages(app) if args.only in p[0]]
    with app.app_context():
        counter = SqlCounter(db.engine)
        client = app.test_client()
        _login(client, "giamdoc", app.config["DEMO_PASSWORD"])
        print(f"{db.engine.dialect.name}, {args.requests} requests per page")
        for name, url in pages:
            client.get(url)  # warm the caches
            walls, cpus, sql = [], [], []
            for _ in range(args.requests):
                counter.reset()
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                sql.append(counter.seconds)
            print(f"  {name:42s} {response.status_code} p50 {1000 * statistics.median(walls):7.1f} ms"
                  f"  CPU {1000 * statistics.median(cpus):7.1f} ms  {counter.statements:3d} SQL"
                  f"  {1000 * statistics.median(sql):7.1f} ms  {len(response.data) / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
