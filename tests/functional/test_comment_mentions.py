"""@mentions: the autocomplete offers units by name and short name with a token that find_mentions
knows, and the author (and every reader) sees who was told."""
import pytest

from app.extensions import db as _db
from app.services.work import comments
from tests.conftest import login
from tests.workflow_helpers import any_token, build_world


@pytest.fixture()
def world(db):
    return build_world()


def test_suggestions_by_name_and_short_name_insert_a_known_token(client, world):
    login(client, "qlcl.truongphong")
    by_name = client.get("/comments/mentions?q=tran phu").get_json()
    assert by_name == [{"name": "Trường THPT chuyên Trần Phú", "mention": "THPT_chuyên_Trần_Phú"}]
    by_short = client.get("/comments/mentions?q=QLCL").get_json()
    assert {"name": "Phòng Quản lý chất lượng", "mention": "QLCL"} in by_short
    # every offered token is read back as that unit
    for item in by_name + by_short:
        assert [u.name for u in comments.find_mentions(f"Đề nghị @{item['mention']} xem")] == [item["name"]]
    assert client.get("/comments/mentions?q=").get_json() == []


def test_suggestions_need_a_login(client, world):
    assert client.get("/comments/mentions?q=qlcl").status_code in (302, 401)


def test_the_author_sees_who_was_told(client, world):
    login(client, "qlcl.truongphong")
    head = world.users["coop_head"]
    response = client.post(f"/tasks/{world.task.id}/comments", follow_redirects=True, data={
        "csrf_token": any_token(client), "body": "Đề nghị @THPT_chuyên_Trần_Phú và @GDPT bổ sung số liệu"})
    html = response.get_data(as_text=True)
    # GDPT has no part in the task: it cannot read the comment, so it is not told (nor listed)
    assert f"Đã gửi ý kiến. Đã báo cho: THPT chuyên Trần Phú ({head.full_name})." in html
    assert '<div class="text-muted" data-notified>Đã báo cho: THPT chuyên Trần Phú</div>' in html
    assert "Phòng GDPT (" not in html


def test_a_comment_without_mentions_says_nothing_more(client, world):
    login(client, "qlcl.truongphong")
    response = client.post(f"/tasks/{world.task.id}/comments", follow_redirects=True,
                           data={"csrf_token": any_token(client), "body": "Đã nhận"})
    html = response.get_data(as_text=True)
    assert "Đã gửi ý kiến." in html and "Đã báo cho" not in html


def test_the_comment_list_names_the_units_in_one_more_query(world):
    from tests.query_counter import count_queries

    for n in range(5):
        comments.add_comment(world.users["lead_head"], world.task, f"Lần {n}: @THPT-001 @QLCL")
    _db.session.commit()
    _db.session.expire_all()
    assert world.task.id  # loaded again before counting
    with count_queries() as statements:
        listed = comments.comments_for(world.task)
    assert [sorted(c.notified_units) for c in listed] == [["Phòng QLCL", "THPT chuyên Trần Phú"]] * 5
    assert len(statements) == 2
