"""The personal iCal feed: secret URL, visible deadlines only, RFC 5545 escaping and folding."""
from datetime import date

import pytest

from app.services.reporting.calendar_feed import escape_text, fold
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, AssignmentFactory, PlanFactory, TaskFactory, UnitFactory, UserFactory

LONG = ("Triển khai hệ thống quản lý hồ sơ, văn bản điện tử; kết nối liên thông với Cổng dịch vụ công "
        "của thành phố\\ báo cáo kết quả")


def unfold(body: str) -> list[str]:
    """Undo RFC 5545 folding (CRLF followed by a space) and split into content lines."""
    assert "\n" not in body.replace("\r\n", "")  # every line ends with CRLF
    return body.replace("\r\n ", "").split("\r\n")


def unescape(value: str) -> str:
    out, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out += "\n" if value[i + 1] in "nN" else value[i + 1]
            i += 2
        else:
            out += value[i]
            i += 1
    return out


def events(body: str) -> list[dict]:
    found, current = [], None
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None and ":" in line:
            name, value = line.split(":", 1)
            current[name] = value
    return found


@pytest.fixture()
def deadlines(db):
    plan = PlanFactory(number="1295/KH-SGDĐT")
    mine, other = UnitFactory(name="Phòng Giáo dục phổ thông"), UnitFactory(name="Phòng Tổ chức cán bộ")
    today = date.today()
    soon = date(today.year + 1, 3, 31)
    AssignmentFactory(task=TaskFactory(plan=plan, content=LONG, ref="7"), unit=mine, due_date=soon)
    AssignmentFactory(task=TaskFactory(plan=plan, content="Việc của phòng khác"), unit=other, due_date=soon)
    return {"mine": mine, "due": soon}


def _feed_url(client, user=None):
    if user is not None:
        login(client, user.username, PASSWORD)
    token = csrf_token(client, "/dashboard/calendar")
    page = client.post("/dashboard/calendar/token", data={"csrf_token": token}, follow_redirects=True)
    text = page.get_data(as_text=True)
    start = text.index("http://localhost/dashboard/ical/")
    return text[start:text.index('"', start)].removeprefix("http://localhost")


def test_unit_user_feed_has_only_own_deadlines_escaped_and_folded(client, deadlines):
    user = UserFactory(role="unit_staff", unit=deadlines["mine"])
    url = _feed_url(client, user)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    response = client.get(url)  # no session: calendar apps cannot log in
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    for line in body.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    found = events(body)
    assert len(found) == 1
    event = found[0]
    assert event["DTSTART;VALUE=DATE"] == deadlines["due"].strftime("%Y%m%d")
    assert unescape(event["SUMMARY"]) == f"Hạn: {LONG}"
    assert "\\;" in event["SUMMARY"] and "\\," in event["SUMMARY"] and "\\\\" in event["SUMMARY"]
    assert "Việc của phòng khác" not in body
    assert unfold(body)[0] == "BEGIN:VCALENDAR" and "END:VCALENDAR" in unfold(body)


def test_director_feed_has_every_deadline(client, deadlines):
    director = UserFactory(role="director")
    body = client.get(_feed_url(client, director)).get_data(as_text=True)
    summaries = [unescape(e["SUMMARY"]) for e in events(body)]
    assert "Hạn: Việc của phòng khác" in summaries and len(summaries) == 2


def test_bad_or_regenerated_token_is_404(client, deadlines):
    user = UserFactory(role="unit_head", unit=deadlines["mine"])
    old = _feed_url(client, user)
    new = _feed_url(client)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/dashboard/ical/not-a-real-token-at-all-xxxxxxxx.ics").status_code == 404
    assert client.get("/dashboard/ical/x.ics").status_code == 404


def test_escape_and_fold_units():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("SUMMARY:" + "Đ" * 100)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines) and all(line.startswith(" ") for line in lines[1:])
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "Đ" * 100


def test_feed_parsed_by_a_calendar_library(app, client, db, monkeypatch):
    """icalendar reads the feed: stable UIDs from BASE_URL's host, a URL to the assignment, a VALARM
    the day before, and an overdue item kept (older than the window) until it is done."""
    from datetime import timedelta

    import icalendar

    monkeypatch.setitem(app.config, "BASE_URL", "https://tdnv.sogd.example.vn")
    unit = UnitFactory(name="Trường THPT Ngô Quyền")
    plan = PlanFactory(number="88/KH-SGDĐT")
    today = date.today()
    late = AssignmentFactory(task=TaskFactory(plan=plan, content="Báo cáo chuyển đổi số"), unit=unit,
                             due_date=today - timedelta(days=400))
    done = AssignmentFactory(task=TaskFactory(plan=plan, content="Việc đã xong"), unit=unit,
                             due_date=today - timedelta(days=400), status="done")
    coming = AssignmentFactory(task=TaskFactory(plan=plan, content="Kiểm tra hồ sơ"), unit=unit,
                               due_date=today + timedelta(days=10))
    user = UserFactory(role="unit_staff", unit=unit)
    url = _feed_url(client, user)
    bodies = [client.get(url, headers={"Host": host}).data for host in ("localhost", "evil.example.com")]
    calendars = [icalendar.Calendar.from_ical(body) for body in bodies]
    events_by_uid = [{str(e["UID"]): e for e in cal.walk("VEVENT")} for cal in calendars]
    assert set(events_by_uid[0]) == set(events_by_uid[1])  # the request's Host changes nothing
    assert all(uid.endswith("@tdnv.sogd.example.vn") for uid in events_by_uid[0])
    by_summary = {str(e["SUMMARY"]): e for e in events_by_uid[0].values()}
    assert "Quá hạn – Hạn: Báo cáo chuyển đổi số" in by_summary
    assert not any("Việc đã xong" in s for s in by_summary)
    overdue, upcoming = by_summary["Quá hạn – Hạn: Báo cáo chuyển đổi số"], by_summary["Hạn: Kiểm tra hồ sơ"]
    assert str(overdue["URL"]) == f"https://tdnv.sogd.example.vn/assignments/{late.id}"
    assert str(upcoming["URL"]) == f"https://tdnv.sogd.example.vn/assignments/{coming.id}"
    assert upcoming.decoded("DTSTART") == coming.due_date
    alarms = upcoming.walk("VALARM")
    assert len(alarms) == 1 and alarms[0]["TRIGGER"].dt == timedelta(days=-1)
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert done.id not in {int(str(e["URL"]).rsplit("/", 1)[1]) for e in events_by_uid[0].values()}
