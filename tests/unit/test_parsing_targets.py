"""Targets of the Sản phẩm/Chỉ tiêu cell and suggestions from task content."""

import pytest

from app.parsing import parse_targets, suggest_targets


def t(op, value, unit, high=None):
    return {"op": op, "value": value, "max": high, "unit": unit}


TARGETS = [
    # DOMAIN.md examples
    ("≥98,5%", [t(">=", 98.5, "%")]),
    ("100%", [t(">=", 100, "%")]),
    ("≥02 cuộc diễn tập; báo cáo ATTT", [t(">=", 2, "cuộc diễn tập")]),
    ("10 mô hình thí điểm", [t(">=", 10, "mô hình thí điểm")]),
    ("3-5 trường thí điểm", [t("between", 3, "trường thí điểm", 5)]),
    ("3 – 5 trường thí điểm", [t("between", 3, "trường thí điểm", 5)]),
    ("từ 3 đến 5 trường", [t("between", 3, "trường", 5)]),
    ("30-50% đơn vị", [t("between", 30, "%", 50)]),
    ("tối thiểu 30%", [t(">=", 30, "%")]),
    ("ít nhất 70%", [t(">=", 70, "%")]),
    ("trên 50%", [t(">", 50, "%")]),
    ("hơn 50%", [t(">", 50, "%")]),
    ("tối đa 2 học sinh/máy", [t("<=", 2, "học sinh/máy")]),
    ("≤ 5%", [t("<=", 5, "%")]),
    ("<= 5%", [t("<=", 5, "%")]),
    (">= 80%", [t(">=", 80, "%")]),
    ("không quá 3 lần", [t("<=", 3, "lần")]),
    ("dưới 5%", [t("<", 5, "%")]),
    ("không dưới 90%", [t(">=", 90, "%")]),
    ("1.700 trường", [t(">=", 1700, "trường")]),
    ("99.82% học sinh", [t(">=", 99.82, "%")]),
    ("≥ 30", [t(">=", 30, "")]),
    # seeds
    ("Triển khai đến 100% cán bộ, giáo viên, nhân viên, người lao động và học sinh", [t(">=", 100, "%")]),
    ("100% trường triển khai học bạ số; hệ thống liên thông IOC", [t(">=", 100, "%")]),
    ("100% DVCTT mức 4 vận hành", [t(">=", 100, "%")]),
    ("≥50% trường THCS, THPT có CLB STEM", [t(">=", 50, "%")]),
    ("SSO tích hợp CSDL ngành, học bạ, VBCC…", []),
    ("Kế hoạch triển khai", []),
    ("Bộ dữ liệu VBCC số hóa, ký số; cổng tra cứu vận hành", []),
    ("(1) 100% cơ quan; (2) từ năm 2022 trở đi, phấn đấu trên 50% cuộc họp",
     [t(">=", 100, "%"), t(">", 50, "%")]),
    ("13.670/14.569 học viên (chiếm 93.83%)", [t(">=", 93.83, "%")]),
    ("Có 09/12 mục tiêu hoàn thành, đạt 75%", [t(">=", 75, "%")]),
    ("02 đợt tập huấn AI, CĐS cho CBQL, GV; ≥70% GV đạt chuẩn năng lực số",
     [t(">=", 2, "đợt tập huấn AI"), t(">=", 70, "%")]),
]


@pytest.mark.parametrize(("text", "expected"), TARGETS)
def test_parse_targets(text, expected):
    assert parse_targets(text) == expected


def test_integral_values_are_ints():
    (target,) = parse_targets("100% đơn vị")
    assert type(target["value"]) is int
    (target,) = parse_targets("≥98,5%")
    assert type(target["value"]) is float


NOT_TARGETS = [
    "DVCTT mức 4", "cấp độ 3", "bảo mật theo tiêu chuẩn cấp độ 3", "mức độ 2", "mô hình 21",
    "Chuẩn bị điều kiện mô hình 21 (thi trực tuyến xác thực CCCD)",
    "2025", "năm 2026", "sổ gốc 2000-2025", "giai đoạn 2022 - 2025",
    "Nghị quyết 57-NQ/TW", "Nghị quyết số 57-NQ/TW ngày 22/12/2024", "số 02/2025/TT-BGDĐT",
    "Quyết định số 3849/QĐ-UBND", "15/11/2025", "ngày 20 tháng 10 năm 2025", "Quý IV/2025",
    "Đề án 06", "Windows 10", "Giáo dục 4.0", "IPv6", "5G", "Hải Phòng1", "Có 09/12 mục tiêu",
    "ít nhất họp 01/tháng", "VNeID mức 2", "",
]


@pytest.mark.parametrize("text", NOT_TARGETS)
def test_not_targets(text):
    assert parse_targets(text) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Hoàn thiện cổng SSO, 100% CBQL, GV, HS đăng nhập bằng SSO", [t(">=", 100, "%")]),
        ("Triển khai quản trị nhà trường số tại 100% cơ sở", [t(">=", 100, "%")]),
        (
            "Tổ chức tối thiểu 02 đợt tập huấn về trí tuệ nhân tạo",
            [t(">=", 2, "đợt tập huấn về trí tuệ nhân tạo")],
        ),
        (
            "tích hợp VNeID; phấn đấu ≥80% cán bộ quản lý, giáo viên, học sinh có tài khoản VNeID mức 2",
            [t(">=", 80, "%")],
        ),
        ("Số hóa văn bằng năm học 2025; quét sổ gốc 2000-2025; ký số", []),
        ("Tham mưu, triển khai Nghị quyết số 57-NQ/TW ngày 22/12/2024", []),
    ],
)
def test_suggest_targets_from_content(content, expected):
    assert suggest_targets(content) == expected
