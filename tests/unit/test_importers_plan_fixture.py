"""The real Hải Phòng appendix imports to its expected JSON, field by field."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.importers import ParsedPlan, parse_plan
from app.importers.plan import TASK_KEYS

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURE = DATA / "haiphong_phuluc_2025-2026.docx"
EXPECTED = json.loads((DATA / "haiphong_phuluc_2025-2026.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_plan(FIXTURE.read_bytes(), FIXTURE.name)


@pytest.fixture(scope="module")
def result(plan) -> dict:
    return plan.to_json_dict()


def test_source_and_row_count(result):
    assert result["source"] == EXPECTED["source"]
    assert [t["ref"] for t in result["tasks"]] == [t["ref"] for t in EXPECTED["tasks"]]


def test_no_document_warnings(result):
    assert result["warnings"] == []


@pytest.mark.parametrize("expected", EXPECTED["tasks"], ids=lambda t: f"row{t['ref']}")
def test_row_matches_expected(result, expected):
    task = next(t for t in result["tasks"] if t["ref"] == expected["ref"])
    for key, value in expected.items():
        if key == "warning_mentions":
            for mention in value:
                assert any(mention in w for w in task["warnings"]), (mention, task["warnings"])
        else:
            assert task[key] == value, key
    if "warning_mentions" not in expected:
        assert task["warnings"] == [], task["warnings"]


def test_row_2_resolution_date_is_not_a_deadline(result):
    assert result["tasks"][1]["warnings"] == []


def test_task_shape(plan, result):
    assert list(result)[:3] == ["source", "warnings", "tasks"]  # the published keys; "layout" is new
    for task in plan.tasks:
        assert tuple(task) == TASK_KEYS
        assert task["extra"] == {}
    json.dumps(result, ensure_ascii=False)


def test_meta_from_prose(plan):
    assert plan.meta["school_year"] == "2025-2026"
    assert plan.meta["issuer"] == "Sở Giáo dục và Đào tạo Hải Phòng"
    assert plan.meta["title"].startswith("Thực hiện nhiệm vụ Ứng dụng công nghệ thông tin")
    assert plan.meta["title"].endswith("của Sở Giáo dục và Đào tạo Hải Phòng")
    assert "number" not in plan.meta and "date" not in plan.meta  # the appendix does not state them


def test_layout_explains_the_columns(plan, result):
    (layout,) = result["layout"]["tables"]
    fields = {c["header"]: c["field"] for c in layout["columns"]}
    assert fields["Thời gian"] == "time" and fields["Đơn vị chủ trì"] == "lead"
    assert all(c["words"] for c in layout["columns"] if c["field"])
    assert result["layout"]["unrecognised_headers"] == [] and plan.group_rows == []


def test_pilot_units_are_a_per_task_choice(result):
    task17 = next(t for t in result["tasks"] if t["ref"] == "17")
    assert "Cơ sở thí điểm" in task17["choice_units"]


def test_windows_path_keeps_file_name():
    plan = parse_plan(FIXTURE.read_bytes(), "C:\\Users\\vp\\Downloads\\phuluc.docx")
    assert plan.source == "phuluc.docx"
