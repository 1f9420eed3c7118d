"""The statements behind "Việc của đơn vị" on both databases: the search matches what the fold rule says
in Python, whether the page is sorted whole or walked part by part; the led tasks' cooperating parts come
in the order the panel promises; and the folded search column never drifts from the task's text."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.extensions import db as _db
from app.models import Assignment, Plan, Task, User
from app.models.assignments import CLOSED_STATUSES, ROLE_COOPERATING, ROLE_LEAD, STATUS_SUBMITTED
from app.models.plans import PLAN_ACTIVE, TASK_ACTIVE
from app.parsing.text import fold
from app.permissions import can_view_assignment
from app.services.clock import today_local
from app.services.work import assignments as assignment_service
from app.services.work.assignments import AssignmentFilters
from tests.factories import AssignmentFactory, PlanFactory, SchoolFactory, TaskFactory, UserFactory
from tests.functional.test_overdue_scale import _province

TEXTS = [
    ("Triển khai CHỮ KÝ SỐ cho hồ sơ công việc", "Báo cáo kết quả"),
    ("Chữ ký số trên văn bản đi", None),
    ("Đánh giá ngoài cơ sở giáo dục", "ĐỀ ÁN đánh giá"),
    ("Tổ chức hội thảo về đề án chuyển đổi số", "Biên bản"),
    ("Kiểm tra 50% hồ sơ; mã_số A-B", "Danh mục"),
    ("Cập nhật dữ liệu ngành — quý I", "Dữ liệu đã cập nhật"),
    ("Tăng cường nề nếp, kỷ cương", "Kế hoạch"),
]
QUERIES = ["chu ky so", "CHỮ KÝ SỐ", "Chữ Ký", "danh gia", "ĐÁNH GIÁ", "đề án", "DE AN", "dữ liệu", "du lieu",
           "50%", "ma_so", "a-b", "quy i", "ky", "đ", "khong co dau nao", "  số  "]


@pytest.fixture
def texts_world(app, db):
    """Tasks of varied Vietnamese text, each with three units' parts, and an office viewer."""
    plan = PlanFactory(status=PLAN_ACTIVE)
    schools = [SchoolFactory() for _ in range(3)]
    today = today_local(app.config["TIMEZONE"])
    for number, (content, product) in enumerate(TEXTS):
        task = TaskFactory(plan=plan, content=content, product=product, group_name="Nhóm Đổi mới")
        for offset, school in enumerate(schools):
            AssignmentFactory(task=task, unit=school, role=ROLE_LEAD if offset == 0 else ROLE_COOPERATING,
                              status=["not_started", "in_progress", "done"][(number + offset) % 3],
                              due_date=None if number == offset else today + timedelta(days=number - 3))
    office = UserFactory(role="office")
    db.session.commit()
    return office, today


def _expected(viewer, query: str) -> set[int]:
    """The fold rule in Python: every word of the folded query is in the folded text of the task."""
    words = fold(query).split()
    active = _db.session.scalars(select(Assignment).join(Assignment.task).join(Task.plan)
                                 .where(Task.status == TASK_ACTIVE, Plan.status == PLAN_ACTIVE))
    return {a.id for a in active if can_view_assignment(viewer, a)
            and all(w in fold(" ".join(s for s in a.task.search_sources() if s)) for w in words)}


@pytest.mark.parametrize("fetch", ["sorted whole", "walked part by part"])
def test_the_search_finds_what_the_fold_rule_finds(texts_world, monkeypatch, fetch):
    office, today = texts_world
    if fetch == "walked part by part":
        monkeypatch.setattr(assignment_service, "SORTED_ROWS", 0)
    found_any = False
    for query in QUERIES:
        page = assignment_service.assignments_page(office, AssignmentFilters(q=query), today=today, page=1,
                                                   per_page=100)
        expected = _expected(office, query)
        assert {a.id for a in page.items} == expected, query
        assert page.total == len(expected), query
        found_any |= bool(expected)
    assert found_any
    # the same words with and without diacritics or capitals find the same rows
    same = [("chu ky so", "CHỮ KÝ SỐ"), ("danh gia", "ĐÁNH GIÁ"), ("DE AN", "đề án"), ("du lieu", "dữ liệu")]
    for plain, marked in same:
        assert _expected(office, plain) == _expected(office, marked) != set()


def test_the_folded_search_column_follows_every_write_of_the_task(texts_world, db):
    office, today = texts_world
    task = db.session.scalar(select(Task).where(Task.content.like("%50%%")))
    task.content = "Rà soát Đề cương ôn tập"
    task.product = None
    db.session.commit()
    db.session.expire_all()
    for stored in db.session.scalars(select(Task)):
        assert stored.search_text == fold(" ".join(s for s in stored.search_sources() if s))
    page = assignment_service.assignments_page(office, AssignmentFilters(q="de cuong"), today=today, page=1,
                                               per_page=100)
    assert {a.task_id for a in page.items} == {task.id}
    # the only Core write of tasks changes their status, never the text the column mirrors
    db.session.execute(update(Task).where(Task.id == task.id).values(status="cancelled"))
    db.session.commit()
    assert assignment_service.assignments_page(office, AssignmentFilters(q="de cuong"), today=today, page=1,
                                               per_page=100).items == []


def _led_parts_in_python(viewer, today) -> list[int]:
    """The panel's promise: the cooperating units' parts of the tasks the viewer's unit leads (active),
    submitted first, then open ones, overdue first within each, closed ones last; by task, then id."""
    led = set(_db.session.scalars(select(Assignment.task_id).where(Assignment.unit_id == viewer.unit_id,
                                                                   Assignment.role == ROLE_LEAD)))
    rows = [a for a in _db.session.scalars(select(Assignment).where(Assignment.task_id.in_(led),
                                                                   Assignment.role == ROLE_COOPERATING))
            if a.task.status == TASK_ACTIVE and a.task.plan.status == PLAN_ACTIVE]

    def part(a: Assignment) -> int:
        overdue = a.due_date is not None and a.due_date < today
        if a.status == STATUS_SUBMITTED:
            return 0 if overdue else 1
        if a.status not in CLOSED_STATUSES:
            return 2 if overdue else 3
        return 4
    return [a.id for a in sorted(rows, key=lambda a: (part(a), a.task_id, a.id))]


def test_the_led_cooperation_panel_keeps_its_order(app, db):
    _province(app, db, 600)
    today = today_local(app.config["TIMEZONE"])
    heads = db.session.scalars(select(User).where(User.role == "unit_head", User.unit_id.is_not(None))).all()
    checked = 0
    for head in heads:
        expected = _led_parts_in_python(head, today)
        if not expected:
            continue
        checked += 1
        assert [a.id for a in assignment_service.led_cooperation(head, today=today)] == expected[:200]
        assert [a.id for a in assignment_service.led_cooperation(head, today=today, limit=5)] == expected[:5]
    assert checked >= 2


def test_a_few_tasks_are_sought_by_id_on_postgresql_and_stay_an_in_on_sqlite(app):
    """The statement the planners see: `= ANY(ARRAY(…))` on PostgreSQL, and on SQLite the plain IN its
    index hints were written for (never `(…) = 1`, which no index serves)."""
    from sqlalchemy.dialects import postgresql, sqlite

    tasks = select(Task.id).where(Task.search_text.like("%so%"))
    stmt = select(Assignment.id).where(assignment_service.in_few_tasks(Assignment.task_id, tasks))
    on_postgresql = str(stmt.compile(dialect=postgresql.dialect()))
    on_sqlite = str(stmt.compile(dialect=sqlite.dialect()))
    assert "assignments.task_id = ANY(ARRAY(SELECT tasks.id" in on_postgresql
    assert "assignments.task_id IN (SELECT tasks.id" in on_sqlite
    assert "= 1" not in on_sqlite and "ANY" not in on_sqlite
