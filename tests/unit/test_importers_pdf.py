"""PDF appendices import like the Word files they were printed from; scans and broken files are refused."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from app.importers import parse_plan
from app.importers.errors import MSG_BAD_PDF, MSG_PDF_NO_TEXT, ImportFileError
from app.importers.tables import read_document

DATA = Path(__file__).resolve().parent.parent / "data"
APPENDICES = DATA / "appendices"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Ten columns on a portrait page: LibreOffice breaks words inside ("Nhiệ" / "m vụ"), so the
# header words are no longer words. Not read yet (docs/import.md).
UNREADABLE_AS_PDF = {"d07_stt_hai_cot_bo_phan_tham_muu"}


def result_of(path: Path) -> dict:
    result = parse_plan(path.read_bytes(), path.name).to_json_dict()
    result.pop("source")
    return result


def tasks_and_warnings(path: Path) -> tuple[list[dict], list[str]]:
    """What the office imports; the layout may differ (a table the Word file splits, the PDF joins)."""
    result = result_of(path)
    return result["tasks"], result["warnings"]


def test_haiphong_pdf_imports_like_the_docx():
    pdf, docx = DATA / "haiphong_phuluc_2025-2026.pdf", DATA / "haiphong_phuluc_2025-2026.docx"
    assert result_of(pdf) == result_of(docx)


@pytest.mark.parametrize("name", ["d01_ubnd_tinh_ke_hoach", "d05_bang_tach_trang",
                                  "h01_nhom_dong_dau_in_dam"])
def test_committed_pdfs_import_like_their_docx(name):
    assert tasks_and_warnings(DATA / "pdf" / f"{name}.pdf") == tasks_and_warnings(APPENDICES / f"{name}.docx")


def test_table_over_pages_is_one_grid_with_the_split_row_joined():
    document = read_document((DATA / "haiphong_phuluc_2025-2026.pdf").read_bytes(), "x.pdf")
    (table,) = document.tables
    assert len(table.rows) == 26 and table.rows[0][0] == "STT"
    row3 = table.rows[3]
    assert row3[0] == "3." and "giải pháp cho giai đoạn" in row3[2] and row3[1] == "Thể chế"
    # "Quản lý - điều hành" is merged down over the page break: rows 11 to 13 keep it.
    assert [table.rows[r][1] for r in (8, 11, 13)] == ["Quản lý - điều hành"] * 3
    assert table.rows[21][1] == "Truyền thông & ATTT"  # a wrapped line joins with a space


def test_prose_lines_are_paragraphs():
    document = read_document((DATA / "haiphong_phuluc_2025-2026.pdf").read_bytes(), "x.pdf")
    assert document.lines[1].startswith("Thực hiện nhiệm vụ") and document.lines[1].endswith("Hải Phòng")
    assert document.lines[-1].startswith("2. Nghị định số 13/2023/NĐ-CP")


def scanned_pdf() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, "PDF")
    return buffer.getvalue()


def test_scanned_pdf_has_no_text_layer():
    with pytest.raises(ImportFileError) as caught:
        parse_plan(scanned_pdf(), "scan.pdf")
    assert caught.value.message == MSG_PDF_NO_TEXT and "không có lớp chữ" in MSG_PDF_NO_TEXT


@pytest.mark.parametrize("data", [b"%PDF-1.7\n1 0 obj\n", b"%PDF-1.4\n" + b"\x00" * 500])
def test_broken_pdf(data):
    with pytest.raises(ImportFileError) as caught:
        parse_plan(data, "hong.pdf")
    assert caught.value.message == MSG_BAD_PDF


def to_pdf(tmp_path: Path, source: Path) -> bytes:
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (tmp_path / f"{source.stem}.pdf").read_bytes()


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("source", sorted(APPENDICES.glob("*.docx")), ids=lambda p: p.stem)
def test_docx_printed_by_libreoffice_imports_alike(tmp_path, source):
    if source.stem in UNREADABLE_AS_PDF:
        pytest.xfail("words broken inside narrow columns")
    pdf = tmp_path / f"{source.stem}.pdf"
    pdf.write_bytes(to_pdf(tmp_path, source))
    assert tasks_and_warnings(pdf) == tasks_and_warnings(source)
