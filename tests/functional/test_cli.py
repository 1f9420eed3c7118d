"""Command-line entry points: demo seed, create-admin, and the production guards."""
import pytest
from sqlalchemy import func, select

from app import create_app
from app.models import Assignment, Plan, Unit, UnitGroup, User
from app.models.units import KIND_CENTRE, KIND_COMMUNE, KIND_SCHOOL
from config import DEFAULT_SECRET_KEY
from tests.conftest import login


def test_demo_seed_creates_a_realistic_department(runner, app, db, client):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    count = lambda stmt: db.session.scalar(stmt)  # noqa: E731
    schools = count(select(func.count(Unit.id)).where(Unit.kind.in_([KIND_SCHOOL, KIND_CENTRE])))
    communes = count(select(func.count(Unit.id)).where(Unit.kind == KIND_COMMUNE))
    # the demo is deterministic: 34 THPT + 6 centres, 12 communes (README, "Tài khoản demo")
    assert (schools, communes) == (40, 12)
    assert {g.name for g in db.session.scalars(select(UnitGroup))} >= {"CSGD", "Các phòng", "UBND xã",
                                                                        "Các trường", "Các đơn vị"}
    users = {u.username: u.role for u in db.session.scalars(select(User))}
    for name, role in [("admin", "admin"), ("vanphong", "office"), ("giamdoc", "director"),
                       ("qlcl.truongphong", "unit_head"), ("qlcl.chuyenvien", "unit_staff")]:
        assert users[name] == role
        assert name in result.output
    assert "tdnv-demo" in result.output
    plan = db.session.scalar(select(Plan))
    assert plan.number == "1295/KH-SGDĐT" and len(plan.tasks) == 25
    # CSGD expands to every school and centre: task 20 is led by the office, with all CSGD
    task20 = next(t for t in plan.tasks if t.ref == "20")
    assert len(task20.assignments) == schools + 1
    assert count(select(func.count(Assignment.id))) == 958

    page = login(client, "giamdoc", "tdnv-demo").get_data(as_text=True)
    assert "Nguyễn Văn Hải" in page
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code != 0 and "đã có đơn vị" in again.output


def test_demo_school_head_sees_the_school_assignments(runner, client, db):
    runner.invoke(args=["demo", "seed"])
    page = login(client, "thpt.tranphu.hieutruong", "tdnv-demo").get_data(as_text=True)
    assert "Trường THPT chuyên Trần Phú" in page
    assert "Chuẩn hóa mã định danh GV, HS" in page  # task 6 cooperates with CSGD


def test_create_admin(runner, db, client):
    result = runner.invoke(args=["users", "create-admin", "--username", "quantri", "--email", "qt@so.vn"],
                           input="mat-khau-rat-dai\nmat-khau-rat-dai\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "quantri"))
    assert user.role == "admin" and user.must_change_password and user.unit.kind == "so"
    response = login(client, "quantri", "mat-khau-rat-dai", follow_redirects=False)
    assert response.headers["Location"].endswith("/auth/password")
    duplicate = runner.invoke(args=["users", "create-admin", "--username", "quantri"],
                              input="mat-khau-rat-dai\nmat-khau-rat-dai\n")
    assert duplicate.exit_code != 0 and "đã được sử dụng" in duplicate.output


def test_production_refuses_default_secret_key(monkeypatch):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=DEFAULT_SECRET_KEY)


def test_production_never_seeds_demo_users(tmp_path):
    app = create_app("production", SECRET_KEY="x" * 40,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0 and "production" in result.output
    with app.app_context():
        from app.extensions import db

        assert db.session.scalar(select(func.count(User.id))) == 0
