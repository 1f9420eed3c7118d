"""Normalisation, comparison keys and legacy TCVN3/VNI repair."""

import unicodedata

import pytest

from app.parsing import convert_legacy, detect_legacy_encoding, fix_legacy_text, fold, normalize_text
from app.parsing.text import TCVN3_TO_UNICODE, VNI_TO_UNICODE, fold_aligned

TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE_LOWER = {
    unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in TONES
} - set("aeiouy") | {"đ"}


@pytest.mark.parametrize(("raw", "expected"), [
    ("  Quý\nIV/2025  ", "Quý IV/2025"),
    ("Văn\u00a0phòng\t Sở", "Văn phòng Sở"),
    ("Phòng Kế hoạch – Tài chính", "Phòng Kế hoạch – Tài chính"),
    ("Va\u0306n pho\u0300ng", "Văn phòng"),
    ("Kế\u200b hoạch", "Kế hoạch"),
    ("", ""),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Chữ ký số", "chu ky so"),
    ("Uỷ ban", "uy ban"),
    ("Ủy ban", "uy ban"),
    ("ĐÀO TẠO", "dao tao"),
    ("Phòng Kế hoạch – Tài chính", "phong ke hoach - tai chinh"),
    ("Phòng Kế hoạch — Tài chính", "phong ke hoach - tai chinh"),
    ("  Sở   KH&CN \n", "so kh&cn"),
    ("Va\u0306n pho\u0300ng", "van phong"),
])
def test_fold(raw, expected):
    assert fold(raw) == expected


def test_fold_aligned_keeps_offsets():
    raw = "Trước ngày\n25/12/2026 – Đợt 1"
    folded = fold_aligned(raw)
    assert len(folded) == len(raw)
    assert folded == "truoc ngay 25/12/2026 - dot 1"


def test_tcvn3_table_covers_every_letter():
    assert set(TCVN3_TO_UNICODE.values()) == VIETNAMESE_LOWER | set("ĂÂĐÊÔƠƯ")
    assert all(len(k) == 1 and 0xA0 < ord(k) <= 0xFF for k in TCVN3_TO_UNICODE)


def test_vni_table_covers_both_cases():
    upper = {c.upper() for c in VIETNAMESE_LOWER}
    assert set(VNI_TO_UNICODE.values()) == VIETNAMESE_LOWER | upper
    assert all(0xC0 <= ord(c) <= 0xFF or c.isascii() for k in VNI_TO_UNICODE for c in k)


LEGACY = [
    ("TCVN3", "KÕ ho¹ch", "Kế hoạch"),
    ("TCVN3", "Së Gi¸o dôc vµ §µo t¹o H¶i Phßng", "Sở Giáo dục và Đào tạo Hải Phòng"),
    ("TCVN3", "Th\u00adêng xuyªn", "Thường xuyên"),
    ("TCVN3", "tr\u00adíc ngµy 31/10/2024", "trước ngày 31/10/2024"),
    ("TCVN3", "Khi cã yªu cÇu", "Khi có yêu cầu"),
    ("TCVN3", "ch÷ ký sè", "chữ ký số"),
    ("VNI", "Keá hoaïch", "Kế hoạch"),
    ("VNI", "KEÁ HOAÏCH", "KẾ HOẠCH"),
    ("VNI", "Sôû Giaùo duïc vaø Ñaøo taïo Haûi Phoøng", "Sở Giáo dục và Đào tạo Hải Phòng"),
    ("VNI", "Thöôøng xuyeân", "Thường xuyên"),
    ("VNI", "ngöôøi duøng ñöôïc ñònh danh", "người dùng được định danh"),
    ("VNI", "ÖÙNG DUÏNG COÂNG NGHEÄ THOÂNG TIN", "ỨNG DỤNG CÔNG NGHỆ THÔNG TIN"),
    ("VNI", "tyû leä ñaït 98,5%", "tỷ lệ đạt 98,5%"),
]


@pytest.mark.parametrize(("encoding", "legacy", "unicode"), [
    *LEGACY,
    ("TCVN3", "¡n ¢m £m ¤ng ¥n ¦u §i", "Ăn Âm Êm Ông Ơn Ưu Đi"),
    ("VNI", "Ñi ÔÛ ÖÙ Æ Ó Ò Î", "Đi Ở Ứ Ỉ Ĩ Ị Ỵ"),
])
def test_convert_legacy(encoding, legacy, unicode):
    assert convert_legacy(legacy, encoding) == unicode


@pytest.mark.parametrize(("encoding", "legacy", "unicode"), LEGACY)
def test_detect_and_fix_legacy(encoding, legacy, unicode):
    assert detect_legacy_encoding(legacy) == encoding
    assert fix_legacy_text(legacy) == (unicode, encoding)


@pytest.mark.parametrize("text", [
    "Kế hoạch thực hiện nhiệm vụ ứng dụng công nghệ thông tin, chuyển đổi số",
    "Thông tin", "hoà", "Có", "Quý IV/2025", "KẾ HOẠCH", "Thường xuyên",
    "Nội dung nêu hạn «trước ngày 25/12/2026» khác với cột Thời gian (31/12/2025).",
    "The director reviews overdue items every Monday.", "Hello world", "2 × 2", "«Quý IV»",
    "café résumé naïve", "Müller Straße", "Peña", "", "12345",
])
def test_no_legacy_detection_on_unicode_or_english(text):
    assert detect_legacy_encoding(text) is None
    assert fix_legacy_text(text) == (text, None)


def test_convert_legacy_rejects_unknown_encoding():
    with pytest.raises(ValueError):
        convert_legacy("abc", "VISCII")
