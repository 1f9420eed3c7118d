"""Files the importer must refuse quickly, with one line of Vietnamese and no traceback."""
from __future__ import annotations

import contextlib
import io
import os
import random
import struct
import zipfile
from pathlib import Path

import pytest

from app.importers import ImportFileError, parse_plan
from app.importers.plan import MAX_UPLOAD_BYTES
from tests.unit.test_importers_builders import add_table, docx_bytes, new_document, xlsx_bytes

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "haiphong_phuluc_2025-2026.docx"
VIETNAMESE = set("ăâđêôơưàáảãạếềểễệốồổỗộớờởỡợ")


def refuse(data: bytes, filename: str) -> str:
    with pytest.raises(ImportFileError) as info:
        parse_plan(data, filename)
    message = str(info.value)
    assert message == info.value.message
    assert "\n" not in message and VIETNAMESE & set(message.lower()), message
    return message


def test_random_bytes():
    data = random.Random(3).randbytes(50_000)
    assert "Không nhận ra định dạng" in refuse(data, "kehoach.docx")


def test_truncated_docx():
    data = FIXTURE.read_bytes()
    assert refuse(data[: len(data) // 2], "haiphong.docx") == (
        "Tệp không phải là .docx hợp lệ (có thể bị hỏng hoặc bị cắt).")


def test_docx_with_a_corrupt_document_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p>")
    assert ".docx hợp lệ" in refuse(buffer.getvalue(), "a.docx")


def test_old_word_document():
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "WordDocument".encode("utf-16-le")
    assert refuse(header + bytes(2048), "kehoach.doc").startswith(".doc (Word 97-2003) chưa đọc được")


def test_old_excel_workbook():
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le")
    assert ".xls (Excel 97-2003)" in refuse(header + bytes(2048), "kehoach.xls")


def test_broken_pdf():
    message = refuse(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "kehoach.pdf")
    assert message.startswith("Tệp không phải là .pdf")


def test_docx_without_tables():
    doc = new_document()
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Không có bảng nào.")
    assert refuse(docx_bytes(doc), "a.docx").startswith("Không tìm thấy bảng nhiệm vụ")


def test_docx_with_only_unrelated_tables():
    doc = new_document()
    add_table(doc, [["STT", "Tên văn bản", "Ngày ban hành"], ["1", "Luật Dữ liệu", "30/11/2024"]])
    assert refuse(docx_bytes(doc), "a.docx").startswith("Không tìm thấy bảng nhiệm vụ")


def test_task_table_header_without_rows():
    data = xlsx_bytes({"S": [["STT", "Nội dung", "Thời gian", "Chủ trì"]]})
    assert "không có dòng nhiệm vụ" in refuse(data, "a.xlsx")


def test_empty_file():
    assert refuse(b"", "a.docx").startswith("Tệp rỗng")


def test_over_size_upload():
    assert "quá lớn" in refuse(b"\0" * (MAX_UPLOAD_BYTES + 1), "big.docx")


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A docx-looking zip whose document part inflates to 300 MB (about 1 MB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (4 << 20)
            for _ in range(75):
                member.write(chunk)
    return buffer.getvalue()


def test_zip_bomb(zip_bomb):
    assert "dung lượng giải nén bất thường" in refuse(zip_bomb, "bomb.docx")


def test_zip_with_forged_small_sizes_cannot_inflate_past_them():
    """A central directory that understates the size: zipfile stops at the declared size."""
    payload = b"<w:document/>" + b" " * (5 << 20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", payload)
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)  # uncompressed size in the central directory
    local = data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, 100)
    message = refuse(bytes(data), "forged.docx")
    assert ".docx hợp lệ" in message or "Không tìm thấy" in message


def test_many_members_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for i in range(2500):
            archive.writestr(f"word/media/{i}.bin", b"")
    assert "bất thường" in refuse(buffer.getvalue(), "a.docx")


def test_opendocument_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument" in refuse(buffer.getvalue(), "a.odt")


def test_broken_xlsx():
    data = xlsx_bytes({"S": [["STT", "Nội dung", "Thời gian"], ["1", "Việc", "2025"]]})
    assert refuse(data[: len(data) - 200], "a.xlsx") == (
        "Tệp không phải là .xlsx hợp lệ (có thể bị hỏng hoặc bị cắt).")


def test_binary_garbage_with_text_extension():
    assert "Không nhận ra định dạng" in refuse(os.urandom(4096) + b"\x00", "a.csv")


def test_damaged_files_raise_only_import_file_error():
    """Random byte flips and cuts in real files: either a result or ImportFileError, nothing else."""
    rng = random.Random(7)
    sources = [
        ("a.docx", FIXTURE.read_bytes()),
        (
            "a.xlsx",
            xlsx_bytes({"S": [["STT", "Nội dung", "Thời gian", "Chủ trì"], [1, "Việc", "2025", "VP"]]}),
        ),
    ]
    for _ in range(150):
        name, data = rng.choice(sources)
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(len(damaged))]
        with contextlib.suppress(ImportFileError):
            parse_plan(bytes(damaged), name)
