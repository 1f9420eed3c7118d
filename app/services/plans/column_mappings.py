"""The office's column mappings, remembered per appendix layout (folded header signature), so the
next file with the same headers is read the way the office corrected the last one."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.importers.column_scoring import TASK_FIELDS
from app.models.plans import ColumnMapping
from app.parsing.text import fold
from app.services import audit


def saved_mapping(signature: str) -> ColumnMapping | None:
    if not signature:
        return None
    return db.session.scalar(select(ColumnMapping).where(ColumnMapping.signature == signature))


def fields_for(mapping: ColumnMapping, headers: list[str]) -> dict[str, str]:
    """The saved fields under this file's spelling of the headers (the key is folded, so "Người theo
    dõi" and "NGƯỜI THEO DÕI" are one layout)."""
    spelled = {fold(header): header for header in headers}
    return {spelled[fold(header)]: value for header, value in mapping.fields.items()
            if fold(header) in spelled}


def changed_fields(chosen: dict[str, str] | None, automatic: dict[str, str]) -> dict[str, str]:
    """The office's choices that differ from the automatic reading, for headers of this file and
    fields that exist ("" keeps a column as an extra); anything else is dropped."""
    return {header: field for header, field in (chosen or {}).items()
            if header in automatic and (field == "" or field in TASK_FIELDS) and automatic[header] != field}


def remember(actor, signature: str, headers: list[str], fields: dict[str, str]) -> ColumnMapping | None:
    """Keep the office's changes for this layout (replacing the last ones); no change forgets them."""
    mapping = saved_mapping(signature)
    if not fields:
        if mapping is not None:
            forget(actor, signature)
        return None
    if mapping is None:
        mapping = ColumnMapping(signature=signature)
        db.session.add(mapping)
    elif mapping.fields == fields:
        return mapping
    mapping.headers, mapping.fields = list(headers), dict(fields)
    mapping.created_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(actor, "column_mapping_saved", mapping, details={"fields": fields})
    return mapping


def forget(actor, signature: str) -> bool:
    """Undo: the next file with these headers is read by the scores again."""
    mapping = saved_mapping(signature)
    if mapping is None:
        return False
    audit.record(actor, "column_mapping_forgotten", mapping, details={"fields": mapping.fields})
    db.session.delete(mapping)
    db.session.flush()
    return True
