"""Scheduler jobs over the whole province: time, SQL statements and peak memory of each job, run twice.

    python bench/bench_jobs.py                                   # a fresh copy of the province (SQLite)
    python bench/bench_jobs.py --database-url postgresql://postgres@127.0.0.1:5432/bench_jobs --reuse
    python bench/bench_jobs.py --app-root /work/main            # the same against another checkout

Each job runs in its own child process through the scheduler's `execute` (its own app context,
commit at the end, as `flask scheduler run-job` does), in the day's order: the first run does the
day's work, the second shows what idempotency costs (it must create nothing). Peak RSS is the
child's high-water mark (reset between the two runs), so one job's memory does not hide another's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the province bench/bench_province.py builds by default (`flask demo generate`, migrated to head)
PROVINCE = Path(tempfile.gettempdir()) / "tdnv_province.sqlite3"
DAY_ORDER = ("sweep_stale", "periodic_checkins", "deadline_reminders", "overdue_followup", "send_mail")


def _copy_province(source_db: Path, target: Path) -> None:
    """Copy the read-only province database with its write-ahead log (the last writes live there)."""
    if not source_db.exists():
        sys.exit(f"{source_db} is missing: build it with bench/bench_province.py (or pass --province)")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = Path(f"{source_db}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as handle:  # "5": reset the peak RSS (VmHWM), Linux ≥ 4.0
        handle.write("5")


def _fingerprint(app) -> str:
    """A digest of what the jobs wrote (notifications, check-ins, outbox mail without its random
    Message-ID and times): the same figure before and after a change means the same results."""
    import hashlib

    from sqlalchemy import text

    from app.extensions import db

    queries = (
        "SELECT user_id, key, kind, title, body, link, assignment_id, emailed_outbox_id IS NULL "
        "FROM notifications ORDER BY key",
        "SELECT assignment_id, period_key, period_start, due_date, status FROM checkins "
        "ORDER BY assignment_id, period_key",
        "SELECT to_address, user_id, subject, body_text, body_html, status FROM outbox_messages "
        "ORDER BY user_id, subject, body_text",
    )
    digest = hashlib.sha256()
    with app.app_context():
        for query in queries:
            for row in db.session.execute(text(query)):
                digest.update(repr(tuple(row)).encode())
        db.session.remove()
    return digest.hexdigest()[:12]


def child(args) -> None:
    """Run one job twice and print one JSON line per run."""
    sys.path.insert(0, str(args.app_root))
    os.chdir(args.app_root)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app import create_app
    from app.extensions import db
    from app.jobs.scheduler import execute
    from bench.bench_province import SqlCounter

    app = create_app("development", SQLALCHEMY_DATABASE_URI=args.database_url, DEBUG=False,
                     MAIL_SERVER=None, UPLOAD_FOLDER=args.upload_folder)
    tz = ZoneInfo(app.config["TIMEZONE"])
    now = datetime.fromisoformat(args.now).replace(tzinfo=tz) if args.now else datetime.now(tz)
    with app.app_context():
        counter = SqlCounter(db.engine)
    for run in (1, 2):
        counter.reset()
        _reset_peak()
        base = _rss_kb("VmRSS")
        started = time.perf_counter()
        summary = execute(app, args.job, now, raise_errors=True)
        seconds = time.perf_counter() - started
        row = {"job": args.job, "run": run, "seconds": round(seconds, 2), "statements": counter.statements,
               "sql_seconds": round(counter.seconds, 2), "peak_mb": round(_rss_kb("VmHWM") / 1024),
               "growth_mb": round((_rss_kb("VmHWM") - base) / 1024), "summary": summary}
        row["result"] = _fingerprint(app) if args.fingerprint else "-"
        print(json.dumps(row, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--province", type=Path, default=PROVINCE, help="SQLite province to copy")
    parser.add_argument("--copy-to", type=Path, default=Path("/tmp/bench-jobs-province.sqlite3"),
                        help="where the SQLite copy of the province goes (without --database-url)")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is (no fresh copy)")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="checkout of the code to measure")
    parser.add_argument("--only", default="", help="comma-separated job ids (default: the day's jobs)")
    parser.add_argument("--now", default="", help="local time of the run, e.g. 2026-12-02T07:30")
    parser.add_argument("--upload-folder", default="/tmp/bench-jobs-uploads")
    parser.add_argument("--fingerprint", action="store_true",
                        help="print a digest of the rows written after each run (compare two checkouts)")
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.app_root = args.app_root.resolve()
    if not args.database_url:
        if not args.reuse:
            _copy_province(args.province, args.copy_to)
        args.database_url = f"sqlite:///{args.copy_to}"
    if args.job:
        child(args)
        return
    jobs = [j for j in args.only.split(",") if j] or list(DAY_ORDER)
    print(f"{args.database_url.split(':')[0]} ({args.app_root}), {os.cpu_count()} cores")
    print(f"{'job':<20} {'run':>3} {'time s':>7} {'SQL s':>6} {'stmts':>7} {'peak MB':>8} {'+MB':>5} "
          f"{'result':>12}  summary")
    for job in jobs:
        command = [sys.executable, str(Path(__file__).resolve()), "--job", job, "--reuse",
                   "--database-url", args.database_url, "--app-root", str(args.app_root),
                   "--now", args.now, "--upload-folder", args.upload_folder]
        command += ["--fingerprint"] if args.fingerprint else []
        output = subprocess.run(command, check=True, capture_output=True, text=True,
                                env={**os.environ, "TDNV_CONFIG": "development"}).stdout
        for line in output.splitlines():
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            print(f"{row['job']:<20} {row['run']:>3} {row['seconds']:>7.2f} {row['sql_seconds']:>6.2f} "
                  f"{row['statements']:>7} {row['peak_mb']:>8} {row['growth_mb']:>5} {row['result']:>12}  "
                  f"{row['summary']}")


if __name__ == "__main__":
    main()
