"""The 30-second version of bench/load_test.py: gunicorn on PostgreSQL under 10 clients of mixed
reads and writes, the database cut off for 10 s in the middle (a TCP relay, so no other test loses
its server; the server's ends of the cut connections stay open, with their locks). Nothing fails
outside the outage, the outage and the few seconds after it answer 503 (only a request in flight at
the very moment of the cut may see its connection dropped instead), every acknowledged write is
stored, and the app recovers without a restart."""
import os

import pytest

from bench.load_test import run

pytestmark = pytest.mark.postgres


def test_load_with_a_database_outage_loses_nothing(tmp_path, monkeypatch):
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL=postgresql://…)")
    log = tmp_path / "gunicorn.log"
    monkeypatch.setenv("LOAD_TEST_LOG", str(log))
    figures = run(url, clients=10, seconds=30, outage_seconds=10)
    server_log = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    assert figures["recovered"] is True, server_log
    assert figures["failures"] == [] and figures["failure_count"] == 0, server_log
    assert figures["answers"].get("unavailable", 0) > 0  # the outage is seen as 503s, never as 500s
    assert figures["acknowledged_writes"] > 0
    assert figures["lost_writes"] == []
    # every stored write was acknowledged, or sent around the cut and its answer lost (503 / none)
    assert figures["unexpected_stored"] == []
    assert figures["acknowledged_writes"] <= figures["stored_writes"]
    assert figures["stored_writes"] <= figures["acknowledged_writes"] + figures["uncertain_writes"]
