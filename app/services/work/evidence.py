"""Evidence files: type checked by content, stored once under their SHA-256 outside static/."""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.extensions import db
from app.models.assignments import STATUS_DONE, STATUS_SUBMITTED, EvidenceFile
from app.permissions import can_update_assignment, can_view_evidence
from app.services import audit
from app.services.errors import DomainError, PermissionDenied
from app.services.filenames import clean_filename, with_extension

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsupportedFileType(DomainError):
    """The content is not one of the accepted kinds (an HTTP API answers 415)."""


class FileTooLarge(DomainError):
    """Above the configured limit (an HTTP API answers 413)."""


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


# (mime type, usual extension, label)
KINDS = {
    "pdf": ("application/pdf", ".pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx",
             "PowerPoint"),
    "ole": ("application/x-ole-storage", ".doc", "Word/Excel/PowerPoint 97-2003"),
    "png": ("image/png", ".png", "Ảnh PNG"),
    "jpeg": ("image/jpeg", ".jpg", "Ảnh JPEG"),
    "gif": ("image/gif", ".gif", "Ảnh GIF"),
    "webp": ("image/webp", ".webp", "Ảnh WEBP"),
    "zip": ("application/zip", ".zip", "ZIP"),
}
_OLE_BY_EXTENSION = {".doc": "application/msword", ".xls": "application/vnd.ms-excel",
                     ".ppt": "application/vnd.ms-powerpoint"}
ACCEPTED_TEXT = "PDF, Word, Excel, PowerPoint, ảnh (PNG, JPEG, GIF, WEBP) hoặc ZIP"


def _zip_kind(data: bytes) -> str:
    """An OOXML file is a zip whose members say which application wrote it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsupportedFileType("Tệp ZIP/Office bị hỏng hoặc không đọc được.") from None
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
    return "zip"


def detect_kind(data: bytes) -> str:
    """Name the kind from the magic bytes; the file name is never trusted."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_kind(data)
    raise UnsupportedFileType(f"Loại tệp không được chấp nhận: chỉ nhận {ACCEPTED_TEXT}.")


def mime_type_for(kind: str, filename: str) -> str:
    if kind == "ole":
        return _OLE_BY_EXTENSION.get(Path(filename).suffix.lower(), "application/msword")
    return KINDS[kind][0]


# Extensions a download may carry for each stored type; the first is the one given when the name lies.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    KINDS["docx"][0]: (".docx",),
    KINDS["xlsx"][0]: (".xlsx",),
    KINDS["pptx"][0]: (".pptx",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "application/x-ole-storage": (".doc", ".xls", ".ppt"),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/zip": (".zip",),
}


def safe_name(filename: str) -> str:
    """Keep the user's (Vietnamese) name for the download, without any path, control or bidi
    characters."""
    return clean_filename(filename, default="minh-chung")


def download_name(filename: str, mime_type: str) -> str:
    """The name a download carries: safe, and ending as the detected type does (a PDF sent as
    x.html is x.pdf), so the browser never opens it as something else."""
    name = safe_name(filename)
    accepted = EXTENSIONS.get(mime_type)
    return with_extension(name, accepted) if accepted else name


def storage_path(upload_folder: str, digest: str) -> Path:
    return Path(upload_folder) / "evidence" / digest[:2] / digest


def check(upload: Upload, max_bytes: int) -> tuple[str, str]:
    """Validate one upload; returns (kind, mime type) or raises a DomainError subclass."""
    if not upload.data:
        raise DomainError(f"Tệp {safe_name(upload.filename)} rỗng.")
    if len(upload.data) > max_bytes:
        raise FileTooLarge(f"Tệp {safe_name(upload.filename)} quá lớn: tối đa "
                           f"{max_bytes // (1024 * 1024) or 1} MB.")
    try:
        kind = detect_kind(upload.data)
    except UnsupportedFileType as error:
        raise UnsupportedFileType(f"Tệp {safe_name(upload.filename)}: {error}") from None
    return kind, mime_type_for(kind, upload.filename)


def _write_once(path: Path, data: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def store(actor, assignment, uploads: list[Upload], *, upload_folder: str, max_bytes: int,
          update=None) -> list[EvidenceFile]:
    """Check every file first (all or nothing), then write them and add their rows."""
    if not can_update_assignment(actor, assignment):
        raise PermissionDenied("Bạn không có quyền nộp minh chứng cho đơn vị này.")
    if assignment.status in {STATUS_SUBMITTED, STATUS_DONE}:
        # accepted (or awaiting sign-off) work must not change under the signer's eyes
        raise DomainError("Việc đang chờ xác nhận hoặc đã hoàn thành: không bổ sung minh chứng được nữa.")
    checked = [(upload, *check(upload, max_bytes)) for upload in uploads]
    rows = []
    for upload, _kind, mime in checked:
        digest = hashlib.sha256(upload.data).hexdigest()
        _write_once(storage_path(upload_folder, digest), upload.data)
        row = EvidenceFile(assignment_id=assignment.id, update_id=getattr(update, "id", None),
                           uploaded_by_id=actor.id, original_name=download_name(upload.filename, mime),
                           content_sha256=digest, size_bytes=len(upload.data), mime_type=mime)
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    for row in rows:
        audit.record(actor, "evidence_uploaded", row, details={
            "assignment_id": assignment.id, "name": row.original_name, "sha256": row.content_sha256,
            "size": row.size_bytes})
    return rows


def open_for_download(actor, evidence: EvidenceFile, *, upload_folder: str) -> Path:
    """The stored path, only for users who may see the assignment's evidence."""
    from app.models.assignments import Assignment

    assignment = db.session.get(Assignment, evidence.assignment_id)
    if assignment is None or not can_view_evidence(actor, assignment):
        raise PermissionDenied("Bạn không có quyền tải minh chứng của đơn vị khác.")
    path = storage_path(upload_folder, evidence.content_sha256)
    if not path.is_file():
        raise DomainError("Tệp minh chứng không còn trên máy chủ. Vui lòng báo quản trị.")
    return path
