"""Plan importers: .docx, .xlsx and .csv appendices to plan details and task rows (pure, no Flask)."""
from app.importers.errors import ImportFileError
from app.importers.raw import RawDocument, RawTable
from app.importers.tables import read_document

__all__ = [
    "MAX_UPLOAD_BYTES",
    "ImportFileError",
    "ParsedPlan",
    "RawDocument",
    "RawTable",
    "parse_plan",
    "read_document",
]


def __getattr__(name: str):
    # The plan layer needs the whole parsing package; load it only when asked for.
    if name in ("MAX_UPLOAD_BYTES", "ParsedPlan", "parse_plan"):
        from app.importers import plan

        return getattr(plan, name)
    raise AttributeError(name)
