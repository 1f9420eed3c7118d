"""The streamed sheet and CSV: rows from a generator, text stays text (never a formula), dates
dd/mm/yyyy, Vietnam time, a print layout, bounded shared strings."""
import csv
import datetime as dt
import io
import zipfile
from io import BytesIO

import pytest
from openpyxl import load_workbook

from app.exporters import xlsx_stream
from app.exporters.csv_stream import csv_file, write_csv
from app.exporters.xlsx_stream import write_xlsx, xlsx_file


def _rows(n):
    for i in range(n):
        yield [i, "=SUM(A1)", dt.date(2026, 1, 31), dt.datetime(2026, 1, 31, 20, 0), None, True, "a\x01b"]


def test_a_generator_of_rows_is_written_whole_with_its_cells_as_in_the_table_exporter():
    out = BytesIO()
    assert write_xlsx(out, "Nhiệm vụ: quá hạn", ["STT", "Công thức", "Hạn", "Lúc", "Trống", "Có?", "Lạ"],
                      _rows(2500), widths=[6, 20]) == 2500
    sheet = load_workbook(BytesIO(out.getvalue())).active
    assert sheet.title == "Nhiệm vụ  quá hạn"
    assert sheet.max_row == 2501 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:G2501"
    formula, due, moment = sheet["B2"], sheet["C2"], sheet["D2"]
    assert formula.value == "=SUM(A1)" and formula.data_type == "s"
    assert due.value == dt.datetime(2026, 1, 31) and due.number_format == "dd/mm/yyyy"
    assert moment.value == dt.datetime(2026, 2, 1, 3, 0)  # 20:00 UTC is 03:00 the next day in Vietnam
    assert [c.value for c in sheet[2500][4:]] == [None, "Có", "ab"]
    assert sheet.column_dimensions["A"].width == 6


def test_the_file_is_rewound_and_a_note_says_what_is_left_out():
    with xlsx_file("T", ["A"], iter([[1], [2]]), note="Chỉ 2 dòng đầu") as out:
        sheet = load_workbook(out).active
    assert [r[0] for r in sheet.iter_rows(values_only=True)] == ["A", 1, 2, "Chỉ 2 dòng đầu"]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_user_text_that_looks_like_a_formula_stays_text(prefix):
    out = BytesIO()
    text = f'{prefix}HYPERLINK("http://evil.example","Bấm")'
    write_xlsx(out, "T", [f"{prefix}cột"], iter([[text], [f"{prefix}1+1"]]))
    with zipfile.ZipFile(BytesIO(out.getvalue())) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()  # no formula element at all
    sheet = load_workbook(BytesIO(out.getvalue())).active
    cells = [sheet["A1"], sheet["A2"], sheet["A3"]]
    assert [c.value for c in cells] == [f"{prefix}cột", text, f"{prefix}1+1"]
    assert all(c.data_type == "s" for c in cells)


def test_past_the_shared_table_strings_are_written_inline_and_read_back_the_same(monkeypatch):
    monkeypatch.setattr(xlsx_stream, "SHARED_MAX", 3)
    rows = [[f"dòng {i} <&> \"x\"", "chung", f"a\nb {i}"] for i in range(50)]
    out = BytesIO()
    write_xlsx(out, "T", ["A", "B", "C"], iter(rows))
    with zipfile.ZipFile(BytesIO(out.getvalue())) as package:
        assert package.read("xl/sharedStrings.xml").decode().count("<si>") == 3
        assert 't="inlineStr"' in package.read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(BytesIO(out.getvalue())).active
    assert [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == rows


def test_a_wide_sheet_prints_landscape_one_page_wide_with_its_header_repeated():
    out = BytesIO()
    write_xlsx(out, "Rộng", [f"Cột {i}" for i in range(12)], iter([[1] * 12]), widths=[20] * 12)
    sheet = load_workbook(BytesIO(out.getvalue())).active
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    widths = sheet.column_dimensions["A"]  # equal neighbours share one <col>
    assert sheet["A1"].font.bold and (widths.width, widths.min, widths.max) == (20, 1, 12)
    narrow = BytesIO()
    write_xlsx(narrow, "Hẹp", ["A", "B"], iter([[1, 2]]))
    assert load_workbook(BytesIO(narrow.getvalue())).active.page_setup.orientation == "portrait"


def test_the_csv_keeps_formulas_as_text_and_writes_days_the_vietnamese_way():
    out = BytesIO()
    rows = [["=SUM(A1)", "+84 912", "-5 trường", "@x", "Bình thường", dt.date(2026, 1, 31),
             dt.datetime(2026, 1, 31, 20, 0), True, 1700, 98.5, None]]
    assert write_csv(out, ["=Tiêu đề", "B"], iter(rows)) == 1
    data = out.getvalue()
    assert data.startswith("\ufeff".encode())
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == ["'=Tiêu đề", "B"]
    assert row == ["'=SUM(A1)", "'+84 912", "'-5 trường", "'@x", "Bình thường", "31/01/2026",
                   "01/02/2026 03:00", "Có", "1700", "98.5", ""]
    with csv_file(["A"], iter([[1], [2]])) as streamed:
        assert streamed.read().decode("utf-8-sig").splitlines() == ["A", "1", "2"]
