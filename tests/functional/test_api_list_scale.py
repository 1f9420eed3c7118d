"""GET /api/v1/assignments at province scale: the screens' fast page (a few statements whatever the data),
the screens' order, a capped count said so by `total_capped`, and pages past the end that stay empty."""
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Assignment, Plan, Unit, User
from app.services.accounts import tokens
from app.services.clock import today_local
from app.services.reporting import dashboard_lists
from app.services.work import assignments as assignment_service
from app.services.work.assignments import AssignmentFilters
from tests.functional.test_overdue_scale import _province
from tests.query_counter import statements_of

SCHOOL_HEAD = "thpt.tranphu.hieutruong"


def _bearer(username: str) -> dict:
    user = _db.session.scalar(select(User).where(User.username == username))
    _, secret = tokens.create_token(user, "list scale")
    _db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _queries(db) -> dict[str, list[str]]:
    plan = db.session.scalar(select(func.min(Plan.id)))
    school = db.session.scalar(select(Unit.id).where(Unit.code == "THPT-001"))
    return {
        "vanphong": ["", "?page=2&per_page=5", "?overdue=1", "?status=in_progress", f"?plan={plan}",
                     f"?plan={plan}&status=in_progress&per_page=5&page=2", f"?unit={school}",
                     "?overdue=true&per_page=5&page=3"],
        SCHOOL_HEAD: ["", "?per_page=5&page=2", "?overdue=1"],
    }


def _counts(app, db) -> dict[str, int]:
    counts = {}
    for username, queries in _queries(db).items():
        client, headers = app.test_client(), _bearer(username)
        for query in queries:
            url = f"/api/v1/assignments{query}"
            counts[f"{username} {query}"] = len(statements_of(client, url, headers=headers))
            assert client.get(url, headers=headers).get_json()["items"], url  # a real page, not an empty one
    return counts


def test_the_api_list_sends_the_same_statements_on_5x_the_data(app, db):
    counts = {}
    for size in (400, 2000):
        _province(app, db, size)
        assert db.session.scalar(select(func.count(Assignment.id))) == size
        counts[size] = _counts(app, db)
    assert counts[400] == counts[2000]


def _screen_ids(viewer, filters: AssignmentFilters, today, pages: int, per_page: int) -> list[int]:
    return [a.id for page in range(1, pages + 1)
            for a in assignment_service.assignments_page(viewer, filters, today=today, page=page,
                                                         per_page=per_page).items]


def test_the_api_pages_follow_the_screen_list_order(app, db, client):
    _province(app, db, 2000)
    today = today_local(app.config["TIMEZONE"])
    plan = db.session.scalar(select(func.min(Plan.id)))
    cases = [("vanphong", "", AssignmentFilters()),
             ("vanphong", "&overdue=1", AssignmentFilters(overdue=True)),
             ("vanphong", "&status=in_progress", AssignmentFilters(status="in_progress")),
             ("vanphong", f"&plan={plan}", AssignmentFilters(plan_id=plan)),
             (SCHOOL_HEAD, "", AssignmentFilters())]
    for username, query, filters in cases:
        viewer = db.session.scalar(select(User).where(User.username == username))
        headers = _bearer(username)
        ids = [item["id"] for page in (1, 2, 3)
               for item in client.get(f"/api/v1/assignments?per_page=7&page={page}{query}",
                                      headers=headers).get_json()["items"]]
        assert len(ids) == 21, (username, query)
        assert ids == _screen_ids(viewer, filters, today, 3, 7), (username, query)
        # and the order the API had before (the joined query with its CASE sort)
        old = assignment_service.filtered_assignments(viewer, filters, today=today).limit(21)
        assert ids == [a.id for a in db.session.scalars(old).unique()], (username, query)


def test_a_capped_total_is_said_and_later_pages_still_hold_rows(app, db, client, monkeypatch):
    _province(app, db, 400)
    monkeypatch.setattr(dashboard_lists, "COUNT_CAP", 30)
    headers = _bearer("vanphong")
    body = client.get("/api/v1/assignments?per_page=10", headers=headers).get_json()
    assert (body["total"], body["pages"], body["total_capped"], len(body["items"])) == (30, 3, True, 10)
    past = client.get("/api/v1/assignments?per_page=10&page=5", headers=headers).get_json()
    assert len(past["items"]) == 10 and past["page"] == 5 and past["total_capped"] is True
    assert not {i["id"] for i in past["items"]} & {i["id"] for i in body["items"]}


def test_an_exact_total_and_an_empty_page_past_the_end(app, db, client):
    _province(app, db, 400)
    headers = _bearer(SCHOOL_HEAD)
    school_head = db.session.scalar(select(User).where(User.username == SCHOOL_HEAD))
    own = db.session.scalar(select(func.count(Assignment.id))
                            .where(Assignment.unit_id == school_head.unit_id))
    body = client.get("/api/v1/assignments?per_page=100", headers=headers).get_json()
    assert body["total_capped"] is False and body["total"] == len(body["items"]) <= own
    assert {i["unit"]["id"] for i in body["items"]} == {school_head.unit_id}
    past = client.get(f"/api/v1/assignments?per_page=5&page={body['pages'] * 20 + 1}", headers=headers)
    assert past.get_json() == {"items": [], "page": body["pages"] * 20 + 1, "per_page": 5,
                               "total": body["total"], "pages": -(-body["total"] // 5), "total_capped": False}
