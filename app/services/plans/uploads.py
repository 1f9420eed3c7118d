"""Holding an uploaded plan file between the preview and the confirmation."""
import re
import time
from pathlib import Path

from app.services.errors import DomainError
from app.services.plans.plan_import import file_digest

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def _pending_dir(upload_folder: str) -> Path:
    path = Path(upload_folder) / "pending-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_pending(upload_folder: str, data: bytes) -> str:
    """Store under the content hash: the same file twice is one file, and the name is unguessable."""
    digest = file_digest(data)
    target = _pending_dir(upload_folder) / f"{digest}.bin"
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return digest


def load_pending(upload_folder: str, digest: str) -> bytes:
    if not _DIGEST.match(digest or ""):
        raise DomainError("Mã tệp tải lên không hợp lệ.")
    path = _pending_dir(upload_folder) / f"{digest}.bin"
    if not path.exists():
        raise DomainError("Tệp tải lên đã hết hạn hoặc không tồn tại. Vui lòng tải lên lại.")
    return path.read_bytes()


def discard_pending(upload_folder: str, digest: str) -> None:
    if _DIGEST.match(digest or ""):
        (_pending_dir(upload_folder) / f"{digest}.bin").unlink(missing_ok=True)


def sweep_pending(upload_folder: str, *, max_age_seconds: float, now: float | None = None) -> int:
    """Delete held files (and crashed writes) older than max_age_seconds: an upload never confirmed
    must not stay on the server. Returns how many went."""
    folder = Path(upload_folder) / "pending-imports"
    if not folder.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - max_age_seconds
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.suffix in (".bin", ".tmp") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
