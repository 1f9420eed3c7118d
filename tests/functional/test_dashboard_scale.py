"""The directors' dashboard at scale: the same statements on 5× the data, and overview() gives what
statistics() gives dimension by dimension (its units in the page's order)."""
import pytest
from sqlalchemy import func, select

from app.models import Assignment
from app.services.clock import today_local
from app.services.demo.generate import generate
from app.services.reporting import dashboard as stats
from tests.conftest import login
from tests.query_counter import statements_of

DASHBOARD_URLS = ["/dashboard/?scope=all", "/dashboard/?scope=all&kind=school",
                  "/dashboard/?scope=all&plan=1", "/dashboard/", "/dashboard/?scope=all&basis=original"]


def _province(app, db, assignments: int) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
    generate(units=40, plans=2, assignments=assignments, seed=5, today=today_local(app.config["TIMEZONE"]),
             password=app.config["DEMO_PASSWORD"])
    db.session.commit()


def _counts(app, client) -> dict[str, int]:
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    return {url: len(statements_of(client, url)) for url in DASHBOARD_URLS}


def test_dashboard_sends_the_same_statements_on_5x_the_data(app, db, client):
    _province(app, db, 400)
    small = _counts(app, client)
    _province(app, db, 2000)
    assert db.session.scalar(select(func.count(Assignment.id))) == 2000
    assert _counts(app, app.test_client()) == small


@pytest.mark.parametrize("basis", [stats.BASIS_IN_FORCE, stats.BASIS_ORIGINAL])
def test_overview_matches_statistics_per_dimension(app, db, basis):
    _province(app, db, 1200)
    today, tz = today_local(app.config["TIMEZONE"]), app.config["TIMEZONE"]
    for scope in (stats.Scope(), stats.Scope(unit_kind="school"), stats.Scope(group="")):
        figures = stats.overview(scope, today=today, timezone=tz, basis=basis, units_per_page=10**6)

        def dump(rows):
            return [(r.key, r.label, r.extra, r.counts.as_dict()) for r in rows]

        def each(dimension, scope=scope):
            return stats.statistics(scope, today=today, timezone=tz, dimension=dimension, basis=basis)

        assert dump(figures.by_unit) == dump(sorted(each("unit"), key=stats.unit_order_key))
        assert figures.unit_count == len(figures.by_unit)
        assert dump(figures.by_plan) == dump(each("plan"))
        assert dump(figures.by_group) == dump(each("group"))
        overall = each(None)[0].counts if each(None) else stats.Counts()
        assert figures.totals.as_dict() == overall.as_dict()
        assert sum(r.counts.total for r in figures.by_unit) == figures.totals.total


DOCUMENT_URLS = ["/dashboard/plans/1/evaluation.docx", "/dashboard/plans/2/evaluation.docx"]


def test_evaluation_report_sends_the_same_statements_on_5x_the_data(app, db, client):
    _province(app, db, 400)
    login(client, "giamdoc", app.config["DEMO_PASSWORD"])
    small = {url: len(statements_of(client, url)) for url in DOCUMENT_URLS}
    _province(app, db, 2000)
    large_client = app.test_client()
    login(large_client, "giamdoc", app.config["DEMO_PASSWORD"])
    assert {url: len(statements_of(large_client, url)) for url in DOCUMENT_URLS} == small
    for url in DOCUMENT_URLS:
        response = large_client.get(url)
        assert response.status_code == 200 and response.data[:2] == b"PK"  # a .docx (zip) document
