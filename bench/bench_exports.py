"""Time and peak memory of the large exports and the matrices on the province database.

    python bench/bench_exports.py --database-url sqlite:////tmp/province-copy.sqlite3
    python bench/bench_exports.py --database-url ... --app-root /tmp/old-checkout   # "before" figures
    python bench/bench_exports.py --database-url ... --only matrix

Each case runs in a fresh child process (the app built and the user logged in first, untimed), so
the peak resident memory printed (ru_maxrss) is that export's alone plus the app's baseline, which
is printed beside it, and the CPU seconds beside the wall time (on a shared machine the wall time
is mostly waiting). Exports are read from the response in chunks, as a browser would. Use a COPY
of the province database: the matrix job writes its snapshot rows.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = {"office": "vanphong", "director": "giamdoc"}
CASES = [
    ("work export, biggest plan (.xlsx)", "office", "/work/export.xlsx?plan={big_plan}"),
    ("work export, biggest plan (.csv)", "office", "/work/export.csv?plan={big_plan}"),
    ("every overdue row (.xlsx)", "director", "/dashboard/overdue.xlsx?scope=all"),
    ("every overdue row (.csv)", "director", "/dashboard/overdue.csv?scope=all"),
    ("matrix of the biggest plan (.xlsx)", "director", "/dashboard/plans/{big_plan}/matrix.xlsx"),
    ("matrix of the biggest plan (.docx)", "director", "/dashboard/plans/{big_plan}/matrix.docx"),
    ("build_matrices job (every active plan)", "job", ""),
]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process: on a shared, loaded machine closer to an idle run than wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _big_plan(app) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Assignment, Task

    with app.app_context():
        return db.session.scalar(select(Task.plan_id).join(Assignment, Assignment.task_id == Task.id)
                                 .group_by(Task.plan_id).order_by(func.count().desc(), Task.plan_id).limit(1))


def _login(client, username: str, password: str) -> None:
    import re

    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"username": username, "password": password,
                                                "csrf_token": token})
    assert response.status_code in (302, 303), f"log-in of {username} failed"


def _run_job(app) -> dict:
    from datetime import UTC, datetime

    from app.jobs.matrices import build_matrices

    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        baseline, cpu = _rss_mb(), _cpu()
        started = time.perf_counter()
        summary = build_matrices(datetime.now(UTC), {**app.config, "UPLOAD_FOLDER": folder})
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
        size = sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())
    return {"status": 200 if not summary["failed_plans"] else 500, "seconds": elapsed, "cpu": cpu,
            "bytes": size, "baseline_mb": baseline, "note": f"{summary['files']} files"}


def _run_request(app, role: str, url: str) -> dict:
    client = app.test_client()
    _login(client, USERS[role], app.config["DEMO_PASSWORD"])
    client.get("/work")  # warm the templates and the session
    baseline, cpu = _rss_mb(), _cpu()
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    return {"status": response.status_code, "seconds": time.perf_counter() - started, "cpu": _cpu() - cpu,
            "bytes": size,
            "baseline_mb": baseline, "note": ""}


def run_case(args) -> None:
    """In the child: one case, its figures as one JSON line."""
    from app import create_app

    app = create_app("development", SQLALCHEMY_DATABASE_URI=args.database_url, DEBUG=False)
    name, role, url = next(case for case in CASES if case[0] == args.case)
    result = _run_job(app) if role == "job" else _run_request(app, role, url.format(big_plan=_big_plan(app)))
    print("RESULT " + json.dumps({**result, "peak_mb": _rss_mb()}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--app-root", type=Path, default=ROOT, help="checkout of the code to measure")
    parser.add_argument("--only", default="", help="only the cases whose name contains this text")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # the child's one case
    args = parser.parse_args()
    args.app_root = args.app_root.resolve()
    sys.path.insert(0, str(args.app_root))
    os.chdir(args.app_root)
    if args.case:
        run_case(args)
        return
    print(f"{'case':<42} {'status':>6} {'seconds':>8} {'CPU s':>7} {'MB file':>8} {'RSS MB':>7} "
          f"{'app MB':>7}")
    for name, _role, _url in CASES:
        if args.only not in name:
            continue
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--database-url", args.database_url,
             "--app-root", str(args.app_root), "--case", name],
            capture_output=True, text=True, check=False)
        lines = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
        if not lines:
            print(f"{name:<42} failed: {child.stderr.strip().splitlines()[-1:]}", flush=True)
            continue
        r = json.loads(lines[-1][len("RESULT "):])
        print(f"{name:<42} {r['status']:>6} {r['seconds']:8.2f} {r.get('cpu', 0):7.2f} "
              f"{r['bytes'] / 1e6:8.1f} {r['peak_mb']:7.0f} {r['baseline_mb']:7.0f} {r['note']}", flush=True)


if __name__ == "__main__":
    main()
