"""Assigning a task to a whole group sends the same statements for 5 schools as for 60 (no N+1)."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification
from app.services.work import assignment_admin
from tests.factories import SchoolFactory, UnitGroupFactory, UserFactory
from tests.query_counter import count_queries
from tests.workflow_helpers import build_world


def _bulk(world, schools: int, group_name: str) -> tuple[int, int, int]:
    for _ in range(schools):
        UserFactory(role="unit_head", unit=SchoolFactory())
    group = UnitGroupFactory(name=group_name, member_kinds=["school"])
    task = assignment_admin.add_task(world.users["office"], world.plan, content=f"Việc của {group_name}")
    db.session.flush()
    before = db.session.scalar(select(func.count(Notification.id)))
    with count_queries() as statements:
        created = assignment_admin.bulk_assign(world.users["office"], task, group)
    db.session.commit()
    notes = db.session.scalar(select(func.count(Notification.id))) - before
    # the notifications' writer (app/services/notify/notifications.py) sends one multi-row INSERT per
    # 1.000 rows on SQLite as on PostgreSQL: every statement counts
    return len(statements), len(created), notes


def test_bulk_assign_sends_a_constant_number_of_statements(db):
    world = build_world()
    small_statements, small_created, small_notes = _bulk(world, 5, "Nhóm nhỏ")
    large_statements, large_created, large_notes = _bulk(world, 60, "Nhóm lớn")
    assert large_created == small_created + 60
    assert large_notes >= 60 and small_notes >= 5  # every new school's head is told
    assert large_statements == small_statements
