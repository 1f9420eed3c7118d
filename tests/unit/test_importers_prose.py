"""Guidance letters in prose: suggested tasks and reports, scored against lists written by hand from
the three letters (tests/data/letters/*.expected.json)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.importers import parse_plan
from app.importers.plan import TASK_KEYS
from app.importers.prose import outline, paragraphs_from_wrapped
from app.parsing.duties import lead_of, suggestions_from
from app.parsing.text import fold

LETTERS = Path(__file__).resolve().parent.parent / "data" / "letters"
NAMES = sorted(p.name[: -len(".expected.json")] for p in LETTERS.glob("*.expected.json"))
# Item-level thresholds: an item counts only when its kind, deadline, units and sentence are right.
PRECISION, RECALL = 0.85, 0.85
PER_LETTER = 0.75


def _unit_key(name: str) -> str:
    key = fold(name).replace("–", "-").replace("uy ban nhan dan", "ubnd")
    return re.sub(r"^(?:cac\s+)+", "", re.sub(r"\s+", " ", key)).strip()


def _units_match(expected: list[str], got: list[str]) -> bool:
    """Every expected unit is named, and every name given is an expected unit (a name written as one
    piece, "UBND cấp xã, trường có cấp THPT", may hold several expected ones)."""
    want, have = [_unit_key(n) for n in expected], [_unit_key(n) for n in got]
    if not want:
        return not have
    return all(any(w in h or h in w for h in have) for w in want) and all(
        any(w in h or h in w for w in want) for h in have)


def matches(expected: dict, task: dict) -> bool:
    if task["kind"] != expected["kind"] or task["due_date"] != expected["due_date"]:
        return False
    if fold(expected["mentions"]) not in fold(task["source_text"]):
        return False
    if not _units_match(expected["lead"], task["lead"]):
        return False
    if "cooperating" in expected and not _units_match(expected["cooperating"], task["cooperating"]):
        return False
    report = task["report"] or {}
    for key in ("recipient", "then_to"):
        if key in expected and not _units_match(expected[key], report.get(key, [])):
            return False
    return all(fold(expected[key]) == fold(report.get(key, ""))
               for key in ("via", "outline") if key in expected)


def score(name: str) -> tuple[int, int, int]:
    """(matched, predicted, expected) for one letter; each expected item is matched once."""
    expected = json.loads((LETTERS / f"{name}.expected.json").read_text(encoding="utf-8"))["items"]
    tasks = parse_plan((LETTERS / f"{name}.txt").read_bytes(), f"{name}.txt").tasks
    left = list(tasks)
    matched = 0
    for want in expected:
        hit = next((t for t in left if matches(want, t)), None)
        if hit is not None:
            left.remove(hit)
            matched += 1
    return matched, len(tasks), len(expected)


@pytest.fixture(scope="module")
def scores() -> dict[str, tuple[int, int, int]]:
    return {name: score(name) for name in NAMES}


def test_three_letters_are_scored():
    assert len(NAMES) == 3


def test_precision_and_recall_over_the_letters(scores):
    matched = sum(s[0] for s in scores.values())
    predicted = sum(s[1] for s in scores.values())
    expected = sum(s[2] for s in scores.values())
    assert matched / predicted >= PRECISION, scores
    assert matched / expected >= RECALL, scores


@pytest.mark.parametrize("name", NAMES)
def test_each_letter(scores, name):
    matched, predicted, expected = scores[name]
    assert matched / predicted >= PER_LETTER and matched / expected >= PER_LETTER, scores[name]


@pytest.mark.parametrize("name", NAMES)
def test_every_dated_report_is_found(name):
    expected = json.loads((LETTERS / f"{name}.expected.json").read_text(encoding="utf-8"))["items"]
    tasks = parse_plan((LETTERS / f"{name}.txt").read_bytes(), f"{name}.txt").tasks
    for want in (e for e in expected if e["kind"] == "report" and e["due_date"]):
        assert any(matches(want, t) for t in tasks), want


def test_letter_tasks_keep_the_contract():
    result = parse_plan((LETTERS / f"{NAMES[0]}.txt").read_bytes(), f"{NAMES[0]}.txt").to_json_dict()
    assert list(result)[:3] == ["source", "warnings", "tasks"]
    assert "gợi ý" in result["warnings"][0]
    for task in result["tasks"]:
        assert tuple(task) == TASK_KEYS
        assert task["kind"] in ("task", "report") and task["source_text"]
    json.dumps(result, ensure_ascii=False)


def test_two_level_reporting():
    """Schools and communes report to the Sở, and the Sở to the Bộ, each by its own date."""
    name = "quangninh_huong_dan_cntt_2025-2026"
    reports = [t for t in parse_plan((LETTERS / f"{name}.txt").read_bytes(), f"{name}.txt").tasks
               if t["kind"] == "report"]
    by_due = {t["due_date"]: t["report"] for t in reports}
    assert by_due["2026-01-10"]["recipient"] == ["Sở GDĐT"]
    assert by_due["2026-01-30"]["recipient"] == ["Bộ GDĐT"]
    assert by_due["2026-01-10"]["outline"] == "Phụ lục 1, Phụ lục 2"
    assert by_due["2026-01-10"]["via"] == "phòng Giáo dục phổ thông"


# --- the classes of sentences, on sentences written for these tests ---------------------------

@pytest.mark.parametrize("sentence,lead", [
    ("Phòng Kế hoạch - Tài chính: Chủ trì rà soát kinh phí.", ["Phòng Kế hoạch - Tài chính"]),
    ("Đề nghị UBND cấp xã chỉ đạo các trường cập nhật dữ liệu.", ["UBND cấp xã"]),
    ("Các đơn vị trực thuộc Sở tổ chức tập huấn cho giáo viên.", ["Các đơn vị trực thuộc Sở"]),
    ("Tăng cường ứng dụng AI trong dạy học.", []),
])
def test_lead_of(sentence, lead):
    assert lead_of(sentence)[0] == lead


def test_deadlines_and_recurrence_in_a_task():
    (task,) = suggestions_from("Phòng Tổ chức cán bộ: Định kỳ hằng tháng rà soát hồ sơ, hoàn thành "
                               "trước ngày 15/3/2026.", [])
    assert task.kind == "task" and task.due_date == "2026-03-15" and task.recurrence == "monthly"


def test_report_with_recipient_via_and_outline():
    items = suggestions_from("Các trường gửi báo cáo về Sở GDĐT (qua Văn phòng Sở) chậm nhất ngày "
                             "05/12/2025 (theo Phụ lục 3 đính kèm).", [])
    (report,) = items
    assert report.kind == "report" and report.due_date == "2025-12-05" and report.lead == ["Các trường"]
    assert report.report and report.report["recipient"] == ["Sở GDĐT"]
    assert report.report["via"] == "Văn phòng Sở" and report.report["outline"] == "Phụ lục 3"


def test_a_document_number_is_not_a_deadline():
    (task,) = suggestions_from("Phòng GDPT: Triển khai Thông tư số 09/2021/TT-BGDĐT ngày 30/03/2021.", [])
    assert task.due_date is None and task.time_text == ""


def test_wrapped_lines_footnotes_and_outline():
    lines = ["IV. TỔ CHỨC THỰC HIỆN", "1. Phòng Tổ chức cán bộ",
             "- Phối hợp Phòng Giáo dục phổ thông rà soát, đề xuất khen thưởng tập thể, cá nhân có",
             "thành tích xuất sắc trong năm học1.", "", "1 Thông tư số 01/2025/TT-BGDĐT về thi đua.",
             "- Tổ chức sơ kết, tổng kết và báo cáo Sở GDĐT trước ngày 10/01/2026."]
    paragraphs = paragraphs_from_wrapped(lines)
    assert len(paragraphs) == 4 and paragraphs[2].endswith("trong năm học1.")
    items = outline(paragraphs)
    assert [p.style for p in items] == ["roman", "arabic", "dash", "dash"]
    assert items[3].parents == [items[0], items[1]]


@pytest.mark.parametrize("extension", [".docx", ".pdf"])
def test_word_and_pdf_copies_of_a_letter_give_the_same_suggestions(extension):
    """tests/data/letters/build.py writes them from the text copy (the PDF through LibreOffice)."""
    name = "tayninh_huong_dan_cntt_2025-2026"

    def items(ext: str) -> list[tuple]:
        tasks = parse_plan((LETTERS / f"{name}{ext}").read_bytes(), f"{name}{ext}").tasks
        return [(t["kind"], t["lead"], t["due_date"], t["report"]) for t in tasks]

    assert items(extension) == items(".txt")
