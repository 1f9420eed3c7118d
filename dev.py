#!/usr/bin/env python3
"""One entry point for people and CI, on Linux, macOS and Windows (no shell scripts needed).

    python dev.py serve   set up .venv, install, migrate, seed the demo, run the daily jobs once, serve on
                          http://127.0.0.1:5000 with the scheduler (`flask scheduler run`) beside it
    python dev.py setup   set up .venv with the test tools only (used by CI before linting)
    python dev.py test    set up .venv, install test tools, run the whole suite (SQLite, PostgreSQL,
                          browser) and name every group that was skipped, with its reason
"""
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
# One worker per core (pytest-xdist; a module's tests stay on one worker so its shared world is built
# once), and the 15 slowest tests printed at the end of each pass.
PYTEST_ARGS = ("-n", os.environ.get("TEST_WORKERS", "auto"), "--dist", "loadscope", "--durations=15")


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*args, env=None, check=True) -> int:
    print("$", " ".join(str(a) for a in args), flush=True)
    code = subprocess.call([str(a) for a in args], cwd=ROOT, env=env)
    if check and code != 0:
        sys.exit(code)
    return code


def ensure_venv(requirements: str) -> Path:
    """Create .venv once and install the requirements when they changed since the last install."""
    python = venv_python()
    if not python.exists():
        print("Tạo môi trường ảo .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{requirements}"
    wanted = "".join((ROOT / name).read_text(encoding="utf-8") for name in ("requirements.txt", requirements))
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != wanted:
        run(python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", ROOT / requirements)
        stamp.write_text(wanted, encoding="utf-8")
    return python


def flask_env(**extra) -> dict:
    env = dict(os.environ, FLASK_APP="wsgi.py", PYTHONUTF8="1", **extra)
    env.setdefault("TDNV_CONFIG", "development")
    return env


# The daily jobs run once at start, so a fresh demo already has its check-ins of "Thường xuyên"
# tasks, reminders and the overdue follow-up (they are idempotent: a second start adds nothing).
DEMO_CATCH_UP_JOBS = ("periodic_checkins", "deadline_reminders", "overdue_followup", "build_matrices")


def serve() -> None:
    """Migrate, seed, run the daily jobs once, then serve with `flask scheduler run` beside the server
    (started and stopped with it), so the demo shows reminders, digests and check-ins as they happen."""
    python = ensure_venv("requirements.txt")
    env = flask_env()
    (ROOT / "instance").mkdir(exist_ok=True)
    run(python, "-m", "flask", "db", "upgrade", env=env)
    # The seed refuses to run twice; a second start just serves the existing data.
    run(python, "-m", "flask", "demo", "seed", env=env, check=False)
    for job_id in DEMO_CATCH_UP_JOBS:
        run(python, "-m", "flask", "scheduler", "run-job", job_id, env=env, check=False)
    scheduler = start_scheduler(python, env)
    try:
        run(python, "-m", "flask", "run", "--host", "127.0.0.1", "--port", os.environ.get("PORT", "5000"),
            env=env, check=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop_scheduler(scheduler)


def start_scheduler(python: Path, env: dict) -> subprocess.Popen | None:
    """The scheduler is its own process (never inside the web server); TDNV_DEMO_SCHEDULER=0 skips it."""
    if os.environ.get("TDNV_DEMO_SCHEDULER", "1") == "0":
        return None
    print("$ flask scheduler run  (tiến trình lập lịch chạy cùng máy chủ demo)", flush=True)
    return subprocess.Popen([str(python), "-m", "flask", "scheduler", "run"], cwd=ROOT, env=env)


def stop_scheduler(process: subprocess.Popen | None) -> None:
    """Stop the scheduler started by serve(), and only that process."""
    if process is None or process.poll() is not None:
        return
    process.terminate()  # SIGTERM: the scheduler lets a running job finish, then releases its lock
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def postgres_reason(url: str, python: Path) -> str | None:
    """None when the server answers, else why the PostgreSQL pass cannot run."""
    probe = (
        "import sys, psycopg\n"
        "try:\n"
        "    psycopg.connect(sys.argv[1], connect_timeout=3).close()\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else ''); sys.exit(1)\n"
    )
    result = subprocess.run([str(python), "-c", probe, url], capture_output=True, text=True)
    return None if result.returncode == 0 else (result.stdout.strip() or result.stderr.strip()[-200:])


def test(extra_args: list[str]) -> None:
    python = ensure_venv("requirements-dev.txt")
    in_ci = os.environ.get("CI", "").lower() == "true"
    results = {}
    env = flask_env()
    env.pop("TEST_DATABASE_URL", None)
    # PostgreSQL-only tests (advisory locks) belong to the PostgreSQL pass, SQLite-only ones to this one
    results["SQLite (unit, functional, browser; PostgreSQL-only tests run in the next pass)"] = run(
        python, "-m", "pytest", *PYTEST_ARGS, "-m", "not postgres", *extra_args, env=env, check=False)

    pg_url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_URL
    reason = postgres_reason(pg_url, python)
    skipped = []
    if reason is None:
        pg_env = flask_env(TEST_DATABASE_URL=pg_url)
        results["PostgreSQL (unit, functional; the browser group runs in the SQLite pass)"] = run(
            python, "-m", "pytest", *PYTEST_ARGS, "-m", "not e2e and not sqlite", *extra_args,
            env=pg_env, check=False)
    else:
        skipped.append(f"PostgreSQL: skipped ({pg_url} unreachable: {reason})")

    print("\n==== Tổng kết / Summary ====")
    for name, code in results.items():
        print(f"{name}: {'PASSED' if code == 0 else f'FAILED (exit {code})'}")
    for line in skipped:
        print(line)
    failed = any(code != 0 for code in results.values()) or (in_ci and skipped)
    if in_ci and skipped:
        print("CI=true: a skipped PostgreSQL pass counts as a failure.")
    sys.exit(1 if failed else 0)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"serve", "setup", "test"}:
        print(__doc__)
        sys.exit(2)
    if argv[0] == "serve":
        serve()
    elif argv[0] == "setup":
        ensure_venv("requirements-dev.txt")
    else:
        test(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
