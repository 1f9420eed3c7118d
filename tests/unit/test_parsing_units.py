"""Splitting and resolving the Đơn vị chủ trì / phối hợp cells."""

import pytest

from app.parsing import COMMON_UNIT_NAMES, UnitResolution, resolve_unit_names, split_unit_names

SPLITS = [
    ("Văn phòng Sở", ["Văn phòng Sở"]),
    ("Văn\nphòng\nSở", ["Văn phòng Sở"]),
    ("Các phòng, CSGD", ["Các phòng", "CSGD"]),
    ("Các\nphòng,\nCSGD", ["Các phòng", "CSGD"]),
    ("Công an\nTP, CSGD", ["Công an TP", "CSGD"]),
    ("Sở Khoa học và Công nghệ, Văn phòng Sở", ["Sở Khoa học và Công nghệ", "Văn phòng Sở"]),
    ("Phòng GDNN, GDTX và mầm non; CSGD", ["Phòng GDNN, GDTX và mầm non", "CSGD"]),
    ("Phòng Giáo dục nghề nghiệp, thường xuyên và mầm non, Văn phòng",
     ["Phòng Giáo dục nghề nghiệp, thường xuyên và mầm non", "Văn phòng"]),
    ("Phòng Kế hoạch – Tài chính", ["Phòng Kế hoạch – Tài chính"]),
    ("Phòng Kế hoạch - Tài chính, Phòng Tổ chức - Hành chính",
     ["Phòng Kế hoạch - Tài chính", "Phòng Tổ chức - Hành chính"]),
    ("Phòng Kế hoạch -\nTài chính", ["Phòng Kế hoạch - Tài chính"]),
    ("Phòng QLCL - CĐS", ["Phòng QLCL - CĐS"]),
    ("- Văn phòng Sở\n- Các phòng\n+ CSGD", ["Văn phòng Sở", "Các phòng", "CSGD"]),
    ("• Văn phòng Sở\n• Phòng KHTC", ["Văn phòng Sở", "Phòng KHTC"]),
    ("Văn phòng Sở (tham mưu), Các phòng", ["Văn phòng Sở", "Các phòng"]),
    ("Văn phòng (tham mưu, tổng hợp); CSGD", ["Văn phòng", "CSGD"]),
    ("UBND các huyện,\nthị xã, thành phố; Sở TTTT", ["UBND các huyện, thị xã, thành phố", "Sở TTTT"]),
    ("Sở TTTT; \nUBND các \nhuyện, thị \nxã, thành \nphố", ["Sở TTTT", "UBND các huyện, thị xã, thành phố"]),
    ("Sở TTTT, \nCông an \ntỉnh", ["Sở TTTT", "Công an tỉnh"]),
    ("UBND xã, CSGD", ["UBND xã", "CSGD"]),
    ("UBND các xã, phường, đặc khu", ["UBND các xã, phường, đặc khu"]),
    ("Sở TTTT và các sở, ban, ngành, địa phương", ["Sở TTTT", "các sở, ban, ngành, địa phương"]),
    ("Sở KH&CN/Công an TP", ["Sở KH&CN", "Công an TP"]),
    ("Văn phòng\nSở KH&CN", ["Văn phòng", "Sở KH&CN"]),
    ("Trường A, Trường B và Trường C.", ["Trường A", "Trường B", "Trường C"]),
    ("Văn phòng Sở, văn phòng sở.", ["Văn phòng Sở"]),
    ("Uỷ ban nhân dân xã, phường", ["Uỷ ban nhân dân xã, phường"]),
    ("", []),
    (" - ", []),
]


@pytest.mark.parametrize(("cell", "expected"), SPLITS)
def test_split_unit_names(cell, expected):
    assert split_unit_names(cell) == expected


def test_split_uses_the_given_directory_names():
    known = ["Trường THPT Ngô Quyền, cơ sở 2", "Văn phòng Sở"]
    cell = "Trường THPT Ngô Quyền, cơ sở 2; Văn phòng Sở"
    assert split_unit_names(cell, known) == ["Trường THPT Ngô Quyền, cơ sở 2", "Văn phòng Sở"]
    # "cơ sở 2" cannot stand alone as a unit: the name is kept whole even without the directory.
    assert split_unit_names(cell, []) == ["Trường THPT Ngô Quyền, cơ sở 2", "Văn phòng Sở"]


@pytest.mark.parametrize(("cell", "expected"), [
    ("Sở Nông nghiệp và Môi trường, Sở Tài chính", ["Sở Nông nghiệp và Môi trường", "Sở Tài chính"]),
    ("Sở, ban, ngành", ["Sở, ban, ngành"]),
    ("Sở Giáo dục và Đào tạo; UBND các xã, phường, đặc khu", ["Sở Giáo dục và Đào tạo",
                                                             "UBND các xã, phường, đặc khu"]),
    ("Phòng GDTrH, GDPT", ["Phòng GDTrH", "GDPT"]),
    ("Sở Xây dựng và các sở, ngành liên quan", ["Sở Xây dựng", "các sở, ngành liên quan"]),
])
def test_names_are_not_cut_whatever_the_directory(cell, expected):
    assert split_unit_names(cell, []) == expected
    assert split_unit_names(cell) == expected


def test_bracketed_role_is_kept_beside_the_unit():
    from app.parsing.units import split_unit_cell

    names, roles = split_unit_cell("Sở Tài chính (thẩm định), Văn phòng Sở (tham mưu)")
    assert names == ["Sở Tài chính", "Văn phòng Sở"]
    assert roles == {"Sở Tài chính": "thẩm định", "Văn phòng Sở": "tham mưu"}


def test_split_matches_known_names_without_diacritics_or_case():
    assert split_unit_names("PHÒNG GDNN, GDTX VÀ MẦM NON; CSGD") == ["PHÒNG GDNN, GDTX VÀ MẦM NON", "CSGD"]


def test_split_returns_nfc():
    decomposed = "Va\u0306n pho\u0300ng So\u031b\u0309"
    (name,) = split_unit_names(decomposed)
    assert name == "Văn phòng Sở"


@pytest.mark.parametrize("name", [
    "Văn phòng Sở", "Phòng Kế hoạch - Tài chính", "Phòng KHTC", "Phòng Tổ chức - Hành chính",
    "Phòng GDNN, GDTX và mầm non", "Phòng Giáo dục nghề nghiệp, thường xuyên và mầm non", "Phòng QLCL",
    "Phòng QLCL - CĐS", "Sở Khoa học và Công nghệ", "Sở KH&CN", "Sở Thông tin và Truyền thông",
    "UBND các huyện, thị xã, thành phố", "UBND xã", "UBND các xã, phường, đặc khu", "Công an TP",
    "Công an tỉnh", "CSGD", "Các phòng", "Phòng chuyên môn", "Các phòng thuộc Sở", "Các trường",
    "Các đơn vị", "Các đơn vị trực thuộc", "Cơ sở thí điểm", "Đơn vị cung cấp",
])
def test_common_names_are_built_in(name):
    assert name in COMMON_UNIT_NAMES


DIRECTORY = {
    "Văn phòng Sở": "unit:1",
    "Văn phòng": "unit:1",
    "Phòng Kế hoạch - Tài chính": "unit:2",
    "Phòng KHTC": "unit:2",
    "Sở GDĐT Hải Phòng": "unit:3",
    "Ủy ban nhân dân xã": "group:UBND_XA",
    "CSGD": "group:CSGD",
    "Sở Khoa học và Công nghệ": "external:7",
}


@pytest.mark.parametrize(("name", "kind", "key"), [
    ("Văn phòng Sở", "unit", "unit:1"),
    ("văn phòng sở", "unit", "unit:1"),
    ("VĂN PHÒNG", "unit", "unit:1"),
    ("Văn phòng Sở.", "unit", "unit:1"),
    ("Phòng Kế hoạch – Tài chính", "unit", "unit:2"),
    ("Phòng Kế hoạch-Tài chính", "unit", "unit:2"),
    ("Phong Ke hoach - Tai chinh", "unit", "unit:2"),
    ("Sở GDĐT Hải Phòng1", "unit", "unit:3"),
    ("Uỷ ban nhân dân xã", "group", "group:UBND_XA"),
    ("CSGD", "group", "group:CSGD"),
    ("Sở Khoa học và Công nghệ", "unknown", "external:7"),
    ("Kế hoạch - Tài chính", "unknown", None),
    ("Sở KH&CN", "unknown", None),
    ("Văn phòng Sở GDĐT", "unknown", None),
])
def test_resolve_unit_names(name, kind, key):
    assert resolve_unit_names([name], DIRECTORY) == [UnitResolution(name, kind, key)]


def test_resolve_keeps_order_and_spelling():
    names = split_unit_names("Văn phòng Sở (tham mưu), CSGD, Trường X")
    result = resolve_unit_names(names, DIRECTORY)
    assert [(r.name, r.kind, r.key) for r in result] == [
        ("Văn phòng Sở", "unit", "unit:1"), ("CSGD", "group", "group:CSGD"), ("Trường X", "unknown", None),
    ]
