"""`python dev.py serve`: the daily jobs once, the scheduler as a second process started and stopped
with the server (never inside it)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import dev  # noqa: E402


class FakeProcess:
    def __init__(self, args, **kwargs):
        self.args, self.terminated = args, False

    def poll(self):
        return 0 if self.terminated else None

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


def test_serve_runs_the_jobs_then_the_scheduler_beside_the_server(monkeypatch):
    calls, started = [], []
    monkeypatch.setattr(dev, "ensure_venv", lambda requirements: Path("python"))
    monkeypatch.setattr(dev, "run", lambda *args, **kwargs: calls.append([str(a) for a in args]) or 0)

    def popen(args, **kwargs):
        started.append(FakeProcess(args))
        return started[-1]

    monkeypatch.setattr(dev.subprocess, "Popen", popen)
    monkeypatch.delenv("TDNV_DEMO_SCHEDULER", raising=False)
    dev.serve()
    commands = [" ".join(c[2:]) for c in calls]
    assert commands[:2] == ["flask db upgrade", "flask demo seed"]
    assert [c.split()[-1] for c in commands if "run-job" in c] == list(dev.DEMO_CATCH_UP_JOBS)
    assert commands[-1].startswith("flask run")
    (scheduler,) = started
    assert scheduler.args[-3:] == ["flask", "scheduler", "run"] and scheduler.terminated
