"""The generic one-sheet .xlsx exporter, reopened with openpyxl."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from app.exporters.xlsx_table import sheet_title, table_to_xlsx


def reopen(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_header_is_bold_frozen_and_filtered():
    sheet = reopen(table_to_xlsx("Đơn vị", ["Mã", "Tên", "Số"], [["A1", "Trường THPT Ngô Quyền", 1700]]))
    assert sheet.title == "Đơn vị"
    assert [c.value for c in sheet[1]] == ["Mã", "Tên", "Số"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C2"
    assert [c.value for c in sheet[2]] == ["A1", "Trường THPT Ngô Quyền", 1700]


def test_dates_are_real_dates_shown_day_first():
    rows = [
        [dt.date(2026, 1, 10), dt.datetime(2025, 10, 19, 17, 0, tzinfo=dt.UTC),
         dt.datetime(2025, 10, 20, 1, 30, tzinfo=dt.UTC), dt.datetime(2025, 10, 20, 1, 30)],
    ]
    sheet = reopen(table_to_xlsx("Hạn", ["Ngày", "Ngày giờ 0h", "Lúc", "Lúc (SQLite)"], rows))
    date_cell, midnight_cell, aware_cell, naive_cell = sheet[2]
    assert date_cell.value == dt.datetime(2026, 1, 10)
    assert date_cell.number_format == "dd/mm/yyyy"
    # local midnight (17:00 UTC the day before) is shown as a plain date
    assert midnight_cell.value == dt.datetime(2025, 10, 20)
    assert midnight_cell.number_format == "dd/mm/yyyy"
    # timestamps are shown in Vietnam time (UTC+7), without a time zone; naive ones are UTC
    assert aware_cell.value == naive_cell.value == dt.datetime(2025, 10, 20, 8, 30)
    assert aware_cell.number_format == naive_cell.number_format == "dd/mm/yyyy hh:mm"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, "Có"),
        (False, "Không"),
        (98.5, 98.5),
        (Decimal("2.5"), 2.5),
        ("=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"),
        ("+1+cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0"),
        ("-2+3", "-2+3"),
        ("@SUM(A1)", "@SUM(A1)"),
        ("a\x01b\x0bc", "abc"),
        ("Sở GDĐT\nHải Phòng", "Sở GDĐT\nHải Phòng"),
    ],
)
def test_values(value, expected):
    cell = reopen(table_to_xlsx("T", ["Giá trị"], [[value]]))["A2"]
    assert cell.value == expected
    if isinstance(expected, str):
        assert cell.data_type == "s"  # never a formula


def test_widths_given_and_measured():
    sheet = reopen(table_to_xlsx("T", ["Mã", "Tên"], [["X", "y" * 200]], widths=[30, None]))
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["B"].width == 60  # bounded


def test_empty_table_and_generator_rows():
    sheet = reopen(table_to_xlsx("T", ["A", "B"], iter([])))
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref == "A1:B1"
    generated = reopen(table_to_xlsx("T", ["A"], ([i] for i in range(3))))
    assert [r[0].value for r in generated.iter_rows(min_row=2)] == [0, 1, 2]


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Danh sách: đơn vị [2025/2026]", "Danh sách  đơn vị  2025 2026"), ("", "Sheet1"), ("x" * 40, "x" * 31)],
)
def test_sheet_title(title, expected):
    assert sheet_title(title) == expected

