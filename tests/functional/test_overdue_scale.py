"""The overdue list at province scale: statements do not grow with the data, the pager's count is
capped, the unit filter is a type-ahead, and Assignment.last_update_at follows the journal."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import Assignment, AssignmentUpdate, Unit, User
from app.services.accounts import tokens
from app.services.clock import today_local
from app.services.demo.generate import generate
from app.services.reporting import dashboard_lists
from tests.conftest import login
from tests.factories import AssignmentFactory, UserFactory
from tests.query_counter import statements_of

OVERDUE_URLS = [
    "/dashboard/overdue",
    "/dashboard/overdue?sort=update",
    "/dashboard/overdue?kind=school&page=2",
]


def _province(app, db, assignments: int) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
    generate(units=40, plans=2, assignments=assignments, seed=3, today=today_local(app.config["TIMEZONE"]),
             password=app.config["DEMO_PASSWORD"])
    db.session.commit()


def _counts(app, db, client) -> dict[str, int]:
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    office = db.session.scalar(select(User).where(User.username == "vanphong"))
    _, secret = tokens.create_token(office, "query count")
    db.session.commit()
    counts = {url: len(statements_of(client, url)) for url in OVERDUE_URLS}
    api = "/api/v1/assignments?overdue=1"
    counts[api] = len(statements_of(client, api, headers={"Authorization": f"Bearer {secret}"}))
    return counts


def test_overdue_list_and_api_send_the_same_statements_on_5x_the_data(app, db, client):
    _province(app, db, 400)
    small = _counts(app, db, client)
    _province(app, db, 2000)
    assert db.session.scalar(select(func.count(Assignment.id))) == 2000
    assert _counts(app, db, app.test_client()) == small


def test_the_pager_count_is_capped(app, db, client, monkeypatch):
    _province(app, db, 400)
    monkeypatch.setattr(dashboard_lists, "COUNT_CAP", 30)
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    page = client.get("/dashboard/overdue").get_data(as_text=True)
    assert "hơn 30 dòng" in page
    total, capped = dashboard_lists.capped_count(select(Assignment.id), cap=10)
    assert (total, capped) == (10, True)
    assert dashboard_lists.capped_count(select(Assignment.id), cap=5000) == (400, False)


def test_the_unit_filter_is_a_type_ahead(app, db, client):
    _province(app, db, 400)
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    school = db.session.scalar(select(Unit).where(Unit.code == "THPT-001"))
    page = client.get(f"/dashboard/overdue?unit={school.id}").get_data(as_text=True)
    assert 'data-unit-search="/units/search"' in page and "js/unit-typeahead.js" in page
    assert f'value="{school.name}"' in page and page.count("<option") < 40  # plans, kinds, groups only
    found = client.get("/units/search?q=tran phu").get_json()
    assert {"id": school.id, "name": "Trường THPT chuyên Trần Phú"} in found
    assert len(client.get("/units/search?q=n").get_json()) == 20  # top 20 of 40
    assert client.get("/units/search?q=").get_json() == []
    assert [u["name"] for u in client.get("/units/search?q=van phong so gddt").get_json()] == ["Văn phòng Sở"]


def test_unit_search_needs_a_login(client):
    assert client.get("/units/search?q=tran").status_code in (302, 401)


@pytest.mark.parametrize("through_relationship", [True, False])
def test_last_update_at_follows_the_journal_without_a_version_bump(db, through_relationship):
    assignment = AssignmentFactory()
    author = UserFactory()
    db.session.commit()
    version = assignment.version
    when = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    if through_relationship:
        assignment.updates.append(AssignmentUpdate(author=author, note="một", created_at=when))
    else:
        db.session.add(
            AssignmentUpdate(assignment_id=assignment.id, author=author, note="một", created_at=when)
        )
    db.session.commit()
    older = AssignmentUpdate(assignment_id=assignment.id, note="cũ hơn", created_at=when - timedelta(days=3))
    db.session.add(older)
    db.session.commit()
    assert assignment.version == version
    db.session.expire_all()
    stored = db.session.get(Assignment, assignment.id)
    assert stored.last_update_at.replace(tzinfo=UTC) == when and stored.version == version
