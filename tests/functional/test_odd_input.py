"""Odd input never gives a 500: NUL bytes, integers no column can hold, over-long names, CR/LF in
file names and in mail subjects."""
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app import create_app
from app.jobs.scheduler import execute
from app.models import EvidenceFile, LoginAttempt, OutboxMessage
from app.services.notify import mail
from app.services.notify.notifications import Alert, create_notifications
from tests import smtp_helpers
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.workflow_helpers import build_world

smtp_server = smtp_helpers.smtp_server
mail_config = smtp_helpers.mail_config

HUGE = str(10**20)  # beyond any integer column (and beyond SQLite's 64 bits)
QUERY_ARGS = ("page", "per_page", "upage", "cpage", "unit", "plan", "year", "month", "kind", "group", "due",
              "status", "q", "role", "bucket", "period", "sort", "dir", "basis", "scope", "area", "unread",
              "name", "next", "due_from", "due_to", "only", "unit_id", "plan_id", "task_id", "school_year")
# variant: (value for <int:> parts, value for other parts, value for every query parameter)
VARIANTS = {
    "huge-ids": (HUGE, "x", None),
    "huge-query": ("1", "x", HUGE),
    "negative-huge-query": ("1", "x", "-" + HUGE),
    "largest-int": (str(2**31 - 1), "x", str(2**31 - 1)),  # passes the checks: the pages must cope
    "nul": ("1", "a%00b", "a%00b"),
}
_ARG = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _get_rules():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    return sorted((rule.rule, rule.endpoint) for rule in app.url_map.iter_rules() if "GET" in rule.methods)


GET_RULES = _get_rules()


def _url(rule: str, int_value: str, text_value: str, query: str | None) -> str:
    path = _ARG.sub(lambda m: int_value if m.group(1) == "int" else text_value, rule)
    if query is not None:
        path += "?" + "&".join(f"{name}={query}" for name in QUERY_ARGS)
    return path


def test_the_sweep_sees_the_app():
    endpoints = {endpoint for _rule, endpoint in GET_RULES}
    assert {"workflow.assignment", "main.index", "dashboard.ical_feed", "api.list_plans"} <= endpoints


@pytest.mark.parametrize("role", ["admin", "office", "coop_staff"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_get_routes_never_fail_on_odd_values(app, client, db, role, variant):
    world = build_world()
    db.session.commit()
    login(client, world.users[role].username, PASSWORD)
    int_value, text_value, query = VARIANTS[variant]
    failures = []
    for rule, endpoint in GET_RULES:
        url = _url(rule, int_value, text_value, query)
        status = client.get(url).status_code
        if status >= 500:
            failures.append(f"{endpoint} {url[:120]} -> {status}")
    assert failures == []


def test_huge_ids_and_pages_are_404_or_400(client, db):
    world = build_world()
    db.session.commit()
    login(client, world.users["office"].username, PASSWORD)
    assert client.get(f"/assignments/{HUGE}").status_code == 404
    assert client.get(f"/?page={10**30}").status_code == 400
    assert client.get("/?page=-99999999999").status_code == 400
    assert client.get("/?q=09123456789012").status_code == 200  # a long number typed into search is text


def test_nul_bytes_in_forms_and_json_are_refused(client, db):
    UserFactory(username="chuyenvien")
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login", data={"username": "chuyen\x00vien", "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 400
    assert db.session.scalar(select(LoginAttempt)) is None
    api = client.post("/api/v1/assignments/1/updates", data=b'{"note": "a\\u0000b"}',
                      content_type="application/json", headers={"Authorization": "Bearer tdnv_x"})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "bad_request"


def test_cr_lf_in_an_uploaded_file_name_is_cleaned(app, client, db):
    from app.services.work import workflow

    world = build_world()
    # as an API client or a script may send it (browsers percent-encode line breaks themselves)
    workflow.record_update(
        world.users["coop_staff"],
        world.coop,
        expected_version=world.coop.version,
        status="in_progress",
        progress=10,
        files=[("bao\r\ncao\u202e.pdf", b"%PDF-1.4 test")],
        upload_folder=app.config["UPLOAD_FOLDER"],
        max_bytes=10_000,
    )
    db.session.commit()
    row = db.session.scalar(select(EvidenceFile))
    assert row.original_name == "bao cao.pdf"
    login(client, "tranphu.canbo")
    download = client.get(f"/evidence/{row.id}")
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and 'filename="bao cao.pdf"' in disposition


def test_a_line_break_in_task_text_never_breaks_the_mail(app, db, mail_config, smtp_server):
    unit = UnitFactory()
    first, second = UserFactory(unit=unit), UserFactory(unit=unit)
    create_notifications(
        [
            Alert(
                user_id=first.id,
                key="t:1",
                kind="deadline_reminder",
                title="Nhắc hạn\r\nBcc: ke-xau@example.com",
                body="Nội dung",
                link="/assignments/1",
            ),
            Alert(
                user_id=second.id,
                key="t:2",
                kind="deadline_reminder",
                title="Nhắc hạn thường",
                body="x",
                link="/assignments/2",
            ),
        ]
    )
    db.session.commit()
    execute(app, "send_mail", datetime(2025, 12, 24, 1, 0, tzinfo=UTC))
    received = smtp_server.wait_for(2)
    assert sorted(smtp_server.recipients()) == sorted([first.email, second.email])
    for email in received:
        assert "Bcc" not in email and "\n" not in str(email["Subject"])
    assert all(m.status == "sent" for m in db.session.scalars(select(OutboxMessage)))


def test_one_unbuildable_message_does_not_stop_the_others(app, db, mail_config, smtp_server):
    good_before = mail.queue_email("a@example.vn", "[TDNV] Trước", "x")
    bad = mail.queue_email("b@example.vn", "[TDNV] Hỏng", "x")
    good_after = mail.queue_email("c@example.vn", "[TDNV] Sau", "x")
    db.session.flush()
    bad.subject = "Dòng một\nDòng hai"  # written around queue_email, e.g. by an older version
    bad.to_address = "b@example.vn\r\nBcc: ke-xau@example.com"
    db.session.commit()
    summary = mail.deliver_due(mail.smtp_settings(app.config))
    assert summary["sent"] >= 2
    assert sorted(smtp_server.recipients())[:2] == ["a@example.vn", "c@example.vn"] or \
        {"a@example.vn", "c@example.vn"} <= set(smtp_server.recipients())
    db.session.expire_all()
    assert db.session.get(OutboxMessage, good_before.id).status == "sent"
    assert db.session.get(OutboxMessage, good_after.id).status == "sent"
    assert all("ke-xau" not in r for r in smtp_server.recipients())
