"""Evidence checked by content, stored under its hash outside static/, refused above the limit."""
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.errors import PermissionDenied
from app.services.work import evidence, workflow
from tests.workflow_helpers import EXE, PDF, PNG, build_world, docx_bytes


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data,kind",
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        (b"GIF89a" + b"\x00" * 10, "gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8, "webp"),
        (evidence.OLE_MAGIC + b"\x00" * 100, "ole"),
        (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "xlsx"),
        (_zip({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"}), "pptx"),
        (_zip({"bao-cao/anh.jpg": b"123"}), "zip"),
    ],
)
def test_detect_kind_by_content(data, kind):
    assert evidence.detect_kind(data) == kind


def test_detect_docx_from_a_real_document():
    assert evidence.detect_kind(docx_bytes()) == "docx"


@pytest.mark.parametrize(
    "data", [EXE, b"<html><script>alert(1)</script>", b"plain text", b"PK\x03\x04broken"]
)
def test_other_content_is_refused_whatever_the_name(data):
    with pytest.raises(evidence.UnsupportedFileType):
        evidence.check(evidence.Upload("bao-cao.pdf", data), 1024 * 1024)


def test_size_limit_and_empty_file():
    with pytest.raises(evidence.FileTooLarge):
        evidence.check(evidence.Upload("lon.pdf", PDF + b"0" * 2000), 1000)
    with pytest.raises(evidence.DomainError):
        evidence.check(evidence.Upload("rong.pdf", b""), 1000)


def test_legacy_office_mime_follows_the_extension():
    assert evidence.check(evidence.Upload("so-lieu.xls", evidence.OLE_MAGIC + b"\0" * 50), 10_000)[1] == \
        "application/vnd.ms-excel"


def test_store_under_hash_once_and_refuse_other_units(db, tmp_path):
    world = build_world()
    staff = world.users["coop_staff"]
    folder = str(tmp_path)
    workflow.record_update(staff, world.coop, expected_version=world.coop.version, status="in_progress",
                           progress=40, files=[("../../báo cáo.pdf", PDF), ("anh.png", PNG)],
                           upload_folder=folder, max_bytes=10_000)
    db.session.commit()
    digest = hashlib.sha256(PDF).hexdigest()
    stored = Path(folder) / "evidence" / digest[:2] / digest
    assert stored.read_bytes() == PDF
    rows = db.session.scalars(
        select(evidence.EvidenceFile).order_by(evidence.EvidenceFile.original_name)
    ).all()
    assert [r.original_name for r in rows] == ["anh.png", "báo cáo.pdf"]
    assert {r.mime_type for r in rows} == {"application/pdf", "image/png"}
    row = db.session.get(evidence.EvidenceFile, rows[1].id)
    assert evidence.open_for_download(world.users["lead_head"], row, upload_folder=folder) == stored
    with pytest.raises(PermissionDenied):
        evidence.open_for_download(world.users["other_head"], row, upload_folder=folder)


def test_a_refused_file_leaves_the_assignment_unchanged(db, tmp_path):
    world = build_world()
    a = world.coop
    with pytest.raises(evidence.UnsupportedFileType):
        workflow.record_update(world.users["coop_staff"], a, expected_version=a.version, status="in_progress",
                               progress=40, files=[("ok.pdf", PDF), ("virus.pdf", EXE)],
                               upload_folder=str(tmp_path), max_bytes=10_000)
    db.session.rollback()
    assert a.progress == 0 and a.status == "not_started"
    assert not (tmp_path / "evidence").exists()
