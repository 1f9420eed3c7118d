"""Time cells, content deadlines and the whole Hải Phòng appendix, against real examples."""

import json
from datetime import date
from pathlib import Path

import pytest

from app.parsing import (
    SchoolCalendar,
    content_deadline_warnings,
    find_content_deadlines,
    parse_targets,
    parse_time,
    split_unit_names,
)

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "haiphong_phuluc_2025-2026.expected.json"
ROWS = json.loads(EXPECTED.read_text(encoding="utf-8"))["tasks"]
D = date

DATED = [
    # quarters, Roman or Arabic, any case, compounds
    ("Quý IV/2025", D(2025, 10, 1), D(2025, 12, 31), None),
    ("quý iv/2025", D(2025, 10, 1), D(2025, 12, 31), None),
    ("QUÝ I/2026", D(2026, 1, 1), D(2026, 3, 31), None),
    ("Quý II/2026", D(2026, 4, 1), D(2026, 6, 30), None),
    ("Quý III/2025", D(2025, 7, 1), D(2025, 9, 30), None),
    ("quý 4 năm 2025", D(2025, 10, 1), D(2025, 12, 31), None),
    ("Quý\nIV/2025", D(2025, 10, 1), D(2025, 12, 31), None),
    ("Quý IV/2025 và quý I/2026", D(2025, 10, 1), D(2026, 3, 31), None),
    ("Quý\nIV/2025\nvà quý\nI/2026", D(2025, 10, 1), D(2026, 3, 31), None),
    ("Quý I, II/2026", D(2026, 1, 1), D(2026, 6, 30), None),
    ("Quý IV/2025 - Quý I/2026", D(2025, 10, 1), D(2026, 3, 31), None),
    # months and month ranges
    ("10/2025", D(2025, 10, 1), D(2025, 10, 31), None),
    ("Tháng 10/2025", D(2025, 10, 1), D(2025, 10, 31), None),
    ("trong tháng 10/2025", D(2025, 10, 1), D(2025, 10, 31), None),
    ("tháng 10 năm 2025", D(2025, 10, 1), D(2025, 10, 31), None),
    ("02/2024", D(2024, 2, 1), D(2024, 2, 29), None),
    ("3/2022", D(2022, 3, 1), D(2022, 3, 31), None),
    ("11-12/2025", D(2025, 11, 1), D(2025, 12, 31), None),
    ("Tháng 11-12/2025", D(2025, 11, 1), D(2025, 12, 31), None),
    ("tháng 11 và 12/2025", D(2025, 11, 1), D(2025, 12, 31), None),
    ("12/2025-01/2026", D(2025, 12, 1), D(2026, 1, 31), None),
    ("Tháng 9/2025 đến tháng 5/2026", D(2025, 9, 1), D(2026, 5, 31), None),
    # exact dates: due only
    ("trước ngày 31/10/2024", None, D(2024, 10, 31), None),
    ("Trước ngày \n31/10/2024", None, D(2024, 10, 31), None),
    ("Trước 01/3/2024", None, D(2024, 3, 1), None),
    ("Trước 30/6/2024", None, D(2024, 6, 30), None),
    ("chậm nhất ngày 09/6/2026", None, D(2026, 6, 9), None),
    ("Chậm nhất ngày 22/10/2025", None, D(2025, 10, 22), None),
    ("15/11/2025", None, D(2025, 11, 15), None),
    ("15-11-2025", None, D(2025, 11, 15), None),
    ("15.11.2025", None, D(2025, 11, 15), None),
    ("ngày 20 tháng 10 năm 2025", None, D(2025, 10, 20), None),
    ("Từ 01/10/2025 đến 31/12/2025", D(2025, 10, 1), D(2025, 12, 31), None),
    # years, year ranges, half years
    ("2024", D(2024, 1, 1), D(2024, 12, 31), None),
    ("Năm 2024", D(2024, 1, 1), D(2024, 12, 31), None),
    ("trong năm 2024", D(2024, 1, 1), D(2024, 12, 31), None),
    ("Hết năm 2024", None, D(2024, 12, 31), None),
    ("hết 2024", None, D(2024, 12, 31), None),
    ("Cuối năm 2024", None, D(2024, 12, 31), None),
    ("Đến hết năm 2025", None, D(2025, 12, 31), None),
    ("2022-2025", D(2022, 1, 1), D(2025, 12, 31), None),
    ("2022-\n2024", D(2022, 1, 1), D(2024, 12, 31), None),
    ("2024-2025", D(2024, 1, 1), D(2025, 12, 31), None),
    ("Giai đoạn 2022 - 2025", D(2022, 1, 1), D(2025, 12, 31), None),
    ("Giai đoạn 2023 – 2025", D(2023, 1, 1), D(2025, 12, 31), None),
    ("6 tháng đầu năm 2026", D(2026, 1, 1), D(2026, 6, 30), None),
    ("6 tháng cuối năm 2025", D(2025, 7, 1), D(2025, 12, 31), None),
    ("06 tháng cuối năm 2025", D(2025, 7, 1), D(2025, 12, 31), None),
    # school calendar (defaults: opens 05/09, semester I ends 18/01, year ends 31/05)
    ("Học kỳ I năm học 2025-2026", D(2025, 9, 5), D(2026, 1, 18), None),
    ("học kì 1 năm học 2023-2024", D(2023, 9, 5), D(2024, 1, 18), None),
    ("Học kỳ II năm học 2025-2026", D(2026, 1, 19), D(2026, 5, 31), None),
    ("Năm học 2025-2026", D(2025, 9, 5), D(2026, 5, 31), None),
    ("năm học 2025 - 2026", D(2025, 9, 5), D(2026, 5, 31), None),
    # recurring
    ("Thường xuyên", None, None, "ongoing"),
    ("Thường\nxuyên", None, None, "ongoing"),
    ("Hằng năm", None, None, "yearly"),
    ("Hàng\nnăm", None, None, "yearly"),
    ("Hàng quý", None, None, "quarterly"),
    ("Hằng quý", None, None, "quarterly"),
    ("Định kỳ hàng tháng", None, None, "monthly"),
    ("Hằng tháng", None, None, "monthly"),
    ("Từ 2022", D(2022, 1, 1), None, "ongoing"),
    ("Từ năm 2022", D(2022, 1, 1), None, "ongoing"),
    ("từ năm 2022 trở đi", D(2022, 1, 1), None, "ongoing"),
    ("10/10 hằng năm", None, None, "yearly"),
    ("Thường xuyên trong năm 2024", D(2024, 1, 1), D(2024, 12, 31), "ongoing"),
    ("Quý IV/2025 (dự kiến)", D(2025, 10, 1), D(2025, 12, 31), None),
]


@pytest.mark.parametrize(("text", "start", "due", "recurrence"), DATED)
def test_parse_time_dates(text, start, due, recurrence):
    result = parse_time(text)
    assert (result.start, result.due, result.recurrence) == (start, due, recurrence)
    assert result.warnings == []


def test_yearly_day_is_kept_without_warning():
    result = parse_time("10/10 hằng năm")
    assert result.yearly_day == (10, 10)
    assert result.warnings == []


NO_DATE = [
    ("", "Chưa có thời gian"),
    ("   ", "Chưa có thời gian"),
    ("Khi có yêu cầu", "«Khi có yêu cầu» phụ thuộc điều kiện"),
    ("theo đúng thời gian quy định", "«theo đúng thời gian quy định» phụ thuộc điều kiện"),
    ("Theo kế hoạch", "«Theo kế hoạch» phụ thuộc điều kiện"),
    ("Theo KH UBND tỉnh", "«Theo KH UBND tỉnh» phụ thuộc điều kiện"),
    ("Sớm nhất có thể", "Không hiểu thời gian «Sớm nhất có thể»: chưa đặt hạn."),
    ("Có 09/12 mục tiêu", "Không hiểu thời gian «Có 09/12 mục tiêu»"),
    ("09/12", "Không hiểu thời gian «09/12»"),
    ("02/2025/TT-BGDĐT", "Không hiểu thời gian «02/2025/TT-BGDĐT»"),
    ("Nghị quyết số 57-NQ/TW", "Không hiểu thời gian"),
    ("31/02/2025", "Ngày «31/02/2025» không tồn tại"),
    ("trước ngày 30/02/2026", "Ngày «30/02/2026» không tồn tại"),
    ("13/2025", "Tháng trong «13/2025» không hợp lệ"),
    ("Quý 5/2025", "Không hiểu thời gian «Quý 5/2025»"),
    ("Năm học 2025-2027", "Năm học trong «Năm học 2025-2027» không hợp lệ"),
    ("Quý IV", "«Quý IV» thiếu năm"),
    ("Tháng 10", "«Tháng 10» thiếu năm"),
    ("Học kỳ I", "«Học kỳ I» thiếu năm học"),
    ("Trước tháng 10/2025", "Không hiểu thời gian «Trước tháng 10/2025»"),
    ("2025-2022", "ngày bắt đầu sau ngày kết thúc"),
    ("Đầu năm 2025", "Không hiểu thời gian «Đầu năm 2025»"),
]


@pytest.mark.parametrize(("text", "warning"), NO_DATE)
def test_parse_time_never_guesses(text, warning):
    result = parse_time(text)
    assert (result.start, result.due, result.recurrence) == (None, None, None)
    assert len(result.warnings) == 1
    assert warning in result.warnings[0]


def test_weekly_is_followed_as_ongoing_with_a_warning():
    result = parse_time("Hằng tuần")
    assert result.recurrence == "ongoing"
    assert "hằng tuần" in result.warnings[0]


@pytest.mark.parametrize(("text", "start", "due"), [
    ("Quý IV", D(2025, 10, 1), D(2025, 12, 31)),
    ("Tháng 10", D(2025, 10, 1), D(2025, 10, 31)),
    ("Quý IV/2026", D(2026, 10, 1), D(2026, 12, 31)),
])
def test_default_year_fills_a_missing_year(text, start, due):
    result = parse_time(text, default_year=2025)
    assert (result.start, result.due, result.warnings) == (start, due, [])


@pytest.mark.parametrize(("text", "start", "due"), [
    ("Học kỳ I năm học 2025-2026", D(2025, 9, 1), D(2026, 1, 15)),
    ("Học kỳ II năm học 2025-2026", D(2026, 1, 16), D(2026, 5, 25)),
    ("Năm học 2025-2026", D(2025, 9, 1), D(2026, 5, 25)),
])
def test_school_calendar_is_configurable(text, start, due):
    cal = SchoolCalendar(year_start=(9, 1), semester1_end=(1, 15), year_end=(5, 25))
    result = parse_time(text, calendar=cal)
    assert (result.start, result.due) == (start, due)


DEADLINES = [
    (
        "gửi về Sở GDĐT (qua Văn phòng Sở để tổng hợp) trước ngày 25/12/2026",
        [(D(2026, 12, 25), "trước ngày 25/12/2026")],
    ),
    ("gửi Sở GDĐT chậm nhất ngày 09/6/2026 để tổng hợp", [(D(2026, 6, 9), "chậm nhất ngày 09/6/2026")]),
    (
        "Báo cáo sơ kết học kì 1 năm học 2025-2026 trước ngày 30/01/2026, Báo cáo tổng kết năm học "
        "2025-2026 trước ngày 30/6/2026.",
        [(D(2026, 1, 30), "trước ngày 30/01/2026"), (D(2026, 6, 30), "trước ngày 30/6/2026")],
    ),
    ("Hạn chót: 15.11.2025", [(D(2025, 11, 15), "Hạn chót: 15.11.2025")]),
    (
        "hoàn thành trong ngày 20 tháng 10 năm 2025",
        [(D(2025, 10, 20), "hoàn thành trong ngày 20 tháng 10 năm 2025")],
    ),
    ("Trước 01/3/2024 ban hành kế hoạch", [(D(2024, 3, 1), "Trước 01/3/2024")]),
    # issue dates of cited documents are not deadlines
    ("Tham mưu, triển khai đầy đủ các nội dung của Nghị quyết số 57-NQ/TW ngày 22/12/2024", []),
    ("Quyết định số 3849/QĐ-UBND ngày 23/9/2025 của Ủy ban nhân dân thành phố", []),
    ("Thông tư số 02/2025/TT-BGDĐT ngày 24/01/2025 quy định Khung năng lực số", []),
    ("Có 09/12 mục tiêu hoàn thành", []),
    ("trước ngày 31/02/2025", []),
]


@pytest.mark.parametrize(("content", "expected"), DEADLINES)
def test_find_content_deadlines(content, expected):
    assert find_content_deadlines(content) == expected


@pytest.mark.parametrize(("content", "time_text", "expected"), [
    ("Sơ kết … gửi về Sở GDĐT trước ngày 25/12/2026", "Quý IV/2025",
     ["Nội dung nêu hạn «trước ngày 25/12/2026» khác với cột Thời gian (01/10/2025 - 31/12/2025)."]),
    ("Sơ kết … gửi về Sở GDĐT trước ngày 25/12/2025", "Quý IV/2025", []),
    ("Nộp trước ngày 15/12/2025", "20/12/2025",
     ["Nội dung nêu hạn «trước ngày 15/12/2025» khác với cột Thời gian (20/12/2025)."]),
    ("Nộp trước ngày 20/12/2025", "trước ngày 20/12/2025", []),
    ("Nộp trước ngày 15/12/2025", "Khi có yêu cầu",
     ["Nội dung nêu hạn «trước ngày 15/12/2025» nhưng cột Thời gian chưa có hạn."]),
    ("Nộp trước ngày 15/12/2025", "Thường xuyên", []),
    ("Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Quý IV/2025", []),
])
def test_content_deadline_warnings(content, time_text, expected):
    assert content_deadline_warnings(content, parse_time(time_text)) == expected


def _iso(d):
    return d.isoformat() if d else None


@pytest.mark.parametrize("row", ROWS, ids=[r["ref"] for r in ROWS])
def test_haiphong_appendix_rows(row):
    parsed = parse_time(row["time_text"])
    assert _iso(parsed.start) == row["start_date"]
    assert _iso(parsed.due) == row["due_date"]
    assert parsed.recurrence == row["recurrence"]
    assert parsed.warnings == []
    assert parse_targets(row["product"]) == row["targets"]
    assert split_unit_names(", ".join(row["lead"])) == row["lead"]
    assert split_unit_names(", ".join(row["cooperating"])) == row["cooperating"]
    warnings = content_deadline_warnings(row["content"], parsed)
    mentions = row.get("warning_mentions", [])
    assert len(warnings) == len(mentions)
    for mention in mentions:
        assert any(mention in w for w in warnings)


def test_appendix_has_all_rows():
    assert len(ROWS) == 25


@pytest.mark.parametrize("text,start,due", [
    ("Tháng 3", date(2026, 3, 1), date(2026, 3, 31)),
    ("tháng 10", date(2025, 10, 1), date(2025, 10, 31)),
    ("Quý I", date(2026, 1, 1), date(2026, 3, 31)),
    ("Quý IV", date(2025, 10, 1), date(2025, 12, 31)),
])
def test_month_without_year_follows_the_plan_school_year(text, start, due):
    parsed = parse_time(text, SchoolCalendar(first_year=2025))
    assert (parsed.start, parsed.due) == (start, due)
