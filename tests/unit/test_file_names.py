"""File names from users: safe to store and to send back, and downloads named after their type."""
import pytest

from app.services.filenames import clean_filename
from app.services.work.evidence import download_name


@pytest.mark.parametrize(("raw", "expected"), [
    ("bao\r\ncao.pdf", "bao cao.pdf"),
    ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),  # RIGHT-TO-LEFT OVERRIDE: shown as "hoa-donexe.pdf"
    ("a\u2066b\u2069\u200bc.docx", "abc.docx"),
    ("x\x00y\x07.png", "xy.png"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\an\\Báo cáo.docx", "Báo cáo.docx"),
    ("Báo cáo.docx", "Báo cáo.docx"),  # decomposed Vietnamese is composed (NFC)
    ("  ...  ", "tep"),
    (None, "tep"),
])
def test_clean_filename(raw, expected):
    assert clean_filename(raw) == expected


def test_long_names_keep_their_extension():
    name = clean_filename("a" * 500 + ".xlsx")
    assert len(name) == 200 and name.endswith(".xlsx")


@pytest.mark.parametrize(("name", "mime", "expected"), [
    ("x.html", "application/pdf", "x.pdf"),
    ("anh.svg", "image/png", "anh.png"),
    ("anh.JPEG", "image/jpeg", "anh.JPEG"),
    ("bang-tinh.xls", "application/vnd.ms-excel", "bang-tinh.xls"),
    ("bao-cao", "application/pdf", "bao-cao.pdf"),
    ("v1.2 báo cáo", "application/pdf", "v1.2 báo cáo.pdf"),
    ("hoa-don\u202efdp.exe", "application/pdf", "hoa-donfdp.pdf"),
])
def test_download_name_follows_the_detected_type(name, mime, expected):
    assert download_name(name, mime) == expected
