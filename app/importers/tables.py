"""Read any supported file into grids of cell texts: the reader is chosen from the sniffed format."""
from __future__ import annotations

from app.importers.containers import sniff_format
from app.importers.csv_tables import read_csv
from app.importers.docx_tables import read_docx
from app.importers.pdf_tables import read_pdf
from app.importers.raw import RawDocument, RawTable
from app.importers.xlsx_tables import read_xlsx

__all__ = ["RawDocument", "RawTable", "read_document"]


def read_document(data: bytes, filename: str = "") -> RawDocument:
    """Read every table and prose line of a .docx, .xlsx, .pdf or .csv file given as bytes."""
    kind, archive = sniff_format(data, filename)
    if kind == "docx":
        assert archive is not None  # sniff_format opens the archive of a .docx
        return read_docx(archive)
    if kind == "pdf":
        return read_pdf(data)
    if kind == "xlsx":
        assert archive is not None  # and of a .xlsx
        return read_xlsx(archive, data)
    return read_csv(data)
