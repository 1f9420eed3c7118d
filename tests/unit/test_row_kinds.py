"""The office's task/group decisions on table rows read the wrong way (issue 11): a row forced to a
group opens one at its level, a row forced to a task is a task; unknown locations change nothing."""
from __future__ import annotations

from app.importers.plan_table import FORCED_REASON, scan_tables
from app.importers.raw import RawTable

ROWS = [
    ["STT", "Nội dung", "Thời gian", "Đơn vị chủ trì"],
    ["I", "Về dữ liệu số", "", ""],
    ["1", "Cập nhật cơ sở dữ liệu ngành", "Tháng 10/2025", "Văn phòng Sở"],
    ["2", "Triển khai học bạ số", "Tháng 12/2025", "Phòng Giáo dục Trung học"],
    ["", "Tập huấn giáo viên cốt cán về học bạ số", "Tháng 1/2026", "Phòng Giáo dục Trung học"],
]
GROUP_ROW, TASK_ROW = "dòng 2 của bảng 1", "dòng 4 của bảng 1"


def _read(row_kinds=None):
    scan = scan_tables([RawTable([list(r) for r in ROWS])], row_kinds=row_kinds)
    return [(t.ref, t.cells["content"], t.group_path) for t in scan.tasks], scan.group_rows


def test_without_decisions_the_roman_row_is_a_group_and_the_numbered_rows_tasks():
    tasks, groups = _read()
    assert [(g["location"], g["title"]) for g in groups] == [(GROUP_ROW, "Về dữ liệu số")]
    assert tasks == [
        ("1", "Cập nhật cơ sở dữ liệu ngành", ["Về dữ liệu số"]),
        ("2", "Triển khai học bạ số", ["Về dữ liệu số"]),
        ("", "Tập huấn giáo viên cốt cán về học bạ số", ["Về dữ liệu số"]),
    ]


def test_a_group_forced_to_a_task_and_a_task_forced_to_a_group():
    tasks, groups = _read({GROUP_ROW: "task", TASK_ROW: "group"})
    assert tasks == [
        ("I", "Về dữ liệu số", []),
        ("1", "Cập nhật cơ sở dữ liệu ngành", []),
        ("", "Tập huấn giáo viên cốt cán về học bạ số", ["Triển khai học bạ số"]),
    ]
    assert [(g["location"], g["title"], g["level"], g["reason"]) for g in groups] == [
        (TASK_ROW, "Triển khai học bạ số", 1, FORCED_REASON)]


def test_unknown_locations_and_kinds_change_nothing():
    assert _read({"dòng 99 của bảng 7": "group", GROUP_ROW: "nhóm", "": "task"}) == _read()
