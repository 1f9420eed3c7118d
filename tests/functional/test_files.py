"""Evidence downloads are named after the detected type; unconfirmed import uploads are swept."""
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from app.jobs.scheduler import execute
from app.models import EvidenceFile
from app.services.plans import uploads
from app.services.work import workflow
from tests.conftest import login
from tests.workflow_helpers import build_world

PDF = b"%PDF-1.4\n% test\n"


def test_a_pdf_uploaded_as_html_downloads_as_pdf(app, client, db):
    world = build_world()
    workflow.record_update(world.users["coop_staff"], world.coop, expected_version=world.coop.version,
                           status="in_progress", progress=10, files=[("trang.html", PDF)],
                           upload_folder=app.config["UPLOAD_FOLDER"], max_bytes=10_000)
    db.session.commit()
    row = db.session.scalar(select(EvidenceFile))
    assert row.original_name == "trang.pdf"
    row.original_name = "cu\u202elmth.html"  # a row stored before names were checked
    db.session.commit()
    login(client, "tranphu.canbo")
    response = client.get(f"/evidence/{row.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename=culmth.pdf'


def test_pending_import_files_older_than_a_day_are_swept(app, db):
    folder = app.config["UPLOAD_FOLDER"]
    old = uploads.save_pending(folder, b"old plan")
    fresh = uploads.save_pending(folder, b"fresh plan")
    pending = Path(folder) / "pending-imports"
    day_and_a_bit = time.time() - 25 * 3600
    os.utime(pending / f"{old}.bin", (day_and_a_bit, day_and_a_bit))
    summary = execute(app, "sweep_stale", datetime.now(UTC))
    assert summary["pending_files"] == 1
    assert not (pending / f"{old}.bin").exists()
    assert uploads.load_pending(folder, fresh) == b"fresh plan"
    uploads.discard_pending(folder, fresh)
