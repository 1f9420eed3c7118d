"""The streamed sheet: rows from a generator, text stays text, dates dd/mm/yyyy, Vietnam time."""
import datetime as dt
from io import BytesIO

from openpyxl import load_workbook

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
