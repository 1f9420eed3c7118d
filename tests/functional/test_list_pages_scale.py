"""The task page, "Việc của đơn vị" (with search and the unit filter), the matrix and assignment pages at
province scale: statements do not grow with the data, the task page counts in SQL and pages its units,
the list's index-ordered parts give the same order as its export, counts are capped, and the unit filter
is a type-ahead that stays in the URL."""
import re

import pytest
from sqlalchemy import func, select

from app.models import Assignment, AssignmentUpdate, Plan, Task, Unit, User
from app.permissions import visible_assignments_clause
from app.services.clock import today_local
from app.services.reporting import dashboard_lists
from app.services.work import assignments as assignment_service
from app.services.work import pages, workflow
from app.services.work.assignments import AssignmentFilters
from tests.conftest import login
from tests.functional.test_overdue_scale import _province
from tests.query_counter import statements_of

SCHOOL_HEAD = "thpt.tranphu.hieutruong"


def _targets(db) -> dict:
    biggest = db.session.scalar(select(Assignment.task_id).group_by(Assignment.task_id)
                                .order_by(func.count().desc(), Assignment.task_id).limit(1))
    journal = db.session.scalar(
        select(AssignmentUpdate.assignment_id).group_by(AssignmentUpdate.assignment_id)
        .order_by(func.count().desc(), AssignmentUpdate.assignment_id).limit(1))
    school = db.session.scalar(select(Unit.id).where(Unit.code == "THPT-001"))
    return {"task": biggest, "assignment": journal, "plan": db.session.scalar(select(func.min(Plan.id))),
            "school": school}


def _urls(targets: dict) -> dict[str, list[str]]:
    task = f"/tasks/{targets['task']}"
    # the director's unit (the Sở) has no assignments: whether a page's rows bring the viewer's unit into
    # the session (sparing base.html a look-up) never depends on the data
    return {
        "giamdoc": [task, f"{task}?status=in_progress&page=2", "/work", "/work?page=3", "/work?q=chu+ky+so",
                     f"/work?unit={targets['school']}", "/work?sort=updated", "/work?sort=due_desc&page=2",
                     f"/dashboard/plans/{targets['plan']}/matrix", f"/assignments/{targets['assignment']}"],
        SCHOOL_HEAD: ["/work", "/work?overdue=y", task],
    }


def _counts(app, db) -> dict[str, int]:
    counts = {}
    for username, urls in _urls(_targets(db)).items():
        client = app.test_client()
        login(client, username, app.config["DEMO_PASSWORD"])
        counts.update({f"{username} {url}": len(statements_of(client, url)) for url in urls})
    return counts


def test_list_pages_send_the_same_statements_on_5x_the_data(app, db):
    _province(app, db, 400)
    small = _counts(app, db)
    _province(app, db, 2000)
    assert db.session.scalar(select(func.count(Assignment.id))) == 2000
    assert _counts(app, db) == small


def test_the_task_page_counts_in_sql_and_pages_its_units(app, db, client):
    _province(app, db, 2000)
    office = db.session.scalar(select(User).where(User.username == "vanphong"))
    for task in db.session.scalars(select(Task).order_by(Task.id).limit(12)):
        view = pages.task_page(office, task, page=1)
        # the SQL roll-up and the Python rule agree (workflow.task_state reads every part)
        assert (view.state, view.progress) == (workflow.task_state(task), workflow.task_progress(task))
        assert view.status_counts == dict(db.session.execute(
            select(Assignment.status, func.count()).where(Assignment.task_id == task.id)
            .group_by(Assignment.status)).all())
        assert view.units_page.total == len(task.assignments) and len(view.units_page.items) <= 50
    task_id = _targets(db)["task"]
    task = db.session.get(Task, task_id)
    for viewer in (office, db.session.scalar(select(User).where(User.username == SCHOOL_HEAD))):
        # the journal read through last_update_at is the task's newest 50 updates the viewer may see
        expected = db.session.execute(
            select(AssignmentUpdate.created_at, AssignmentUpdate.note).join(Assignment)
            .where(Assignment.task_id == task_id, visible_assignments_clause(viewer))
            .order_by(AssignmentUpdate.created_at.desc(), AssignmentUpdate.id.desc()).limit(50)).all()
        journal = pages.task_page(viewer, task, page=1).journal
        assert [(j.created_at, j.note) for j in journal] == [tuple(row) for row in expected]
    assert len(journal) >= 1
    login(client, "vanphong", app.config["DEMO_PASSWORD"])
    done = db.session.scalar(select(func.count()).where(Assignment.task_id == task_id,
                                                        Assignment.status == "done"))
    html = client.get(f"/tasks/{task_id}?status=done").get_data(as_text=True)
    assert f"Hoàn thành ({done})" in html
    assert html.count('data-label="Đánh giá"') == min(done, 50)
    assert html.count("Hoàn thành</span>") >= min(done, 50)  # every row shown is done


@pytest.mark.parametrize("fetch", ["sorted whole", "walked part by part"])
@pytest.mark.parametrize("sort", ["due", "due_desc", "task", "progress", "updated", "overdue", "search"])
def test_the_pages_follow_the_export_order(app, db, monkeypatch, sort, fetch):
    _province(app, db, 400)
    if fetch == "walked part by part":  # as beyond SORTED_ROWS rows, with SQLite's index hints
        monkeypatch.setattr(assignment_service, "SORTED_ROWS", 0)
        monkeypatch.setattr(assignment_service, "DENSE_ROWS", 0)
    viewers = [db.session.scalar(select(User).where(User.username == name))
               for name in ("vanphong", SCHOOL_HEAD)]
    today = today_local(app.config["TIMEZONE"])
    filters = AssignmentFilters(sort="due" if sort in ("overdue", "search") else sort,
                                overdue=sort == "overdue", q="chu ky so" if sort == "search" else None)
    totals = []
    for viewer in viewers:
        expected = [a.id for a in db.session.scalars(
            assignment_service.filtered_assignments(viewer, filters, today=today)).unique()]
        shown, page = [], 1
        while True:
            result = assignment_service.assignments_page(viewer, filters, today=today, page=page, per_page=7)
            shown += [a.id for a in result.items]
            if not result.has_next:
                break
            page += 1
        assert shown == expected and result.total == len(expected)
        totals.append(len(expected))
    assert max(totals) > 7  # several pages walked


def test_the_list_count_is_capped(app, db, client, monkeypatch):
    _province(app, db, 400)
    monkeypatch.setattr(dashboard_lists, "COUNT_CAP", 30)
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    html = client.get("/work").get_data(as_text=True)
    assert "hơn 30 dòng" in html and "Trang 1/2+" in html
    assert html.count('data-label="Đơn vị"') == 25


def test_the_work_list_unit_filter_is_a_type_ahead_in_the_url(app, db, client):
    _province(app, db, 400)
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])  # leads nothing: only the filtered rows show
    school = db.session.scalar(select(Unit).where(Unit.code == "THPT-001"))
    html = client.get(f"/work?unit={school.id}").get_data(as_text=True)
    assert 'data-unit-search="/units/search"' in html and "js/unit-typeahead.js" in html
    assert f'name="unit" id="f-unit-id" value="{school.id}"' in html and f'value="{school.name}"' in html
    assert html.count("<option") < 60  # plans, groups, statuses, roles, sorts: no 1.700 units
    rows = db.session.scalar(select(func.count()).select_from(Assignment).join(Task).join(Plan).where(
        Assignment.unit_id == school.id, Task.status == "active", Plan.status == "active"))
    assert html.count('data-label="Đơn vị"') == min(rows, 25)
    assert set(re.findall(r'<td data-label="Đơn vị">([^<]+)</td>', html)) == {school.display_name}
    if rows > 25:  # the pager keeps the filter
        assert re.search(rf'href="/work\?[^"]*unit={school.id}[^"]*page=2', html.replace("&amp;", "&"))
