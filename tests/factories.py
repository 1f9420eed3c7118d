"""factory-boy factories for the models; rows are flushed into the test session."""
import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from app.models import Assignment, Plan, Task, Unit, UnitGroup, User
from app.models.units import KIND_DIVISION, KIND_SCHOOL

PASSWORD = "secret-pass-1"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UnitFactory(BaseFactory):
    class Meta:
        model = Unit

    kind = KIND_DIVISION
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Phòng thử nghiệm {n}")
    is_active = True


class SchoolFactory(UnitFactory):
    kind = KIND_SCHOOL
    name = factory.Sequence(lambda n: f"Trường THPT Số {n}")


class UnitGroupFactory(BaseFactory):
    class Meta:
        model = UnitGroup

    name = factory.Sequence(lambda n: f"Nhóm {n}")
    member_kinds = [KIND_SCHOOL]


class UserFactory(BaseFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    role = "unit_staff"
    unit = factory.SubFactory(UnitFactory)
    must_change_password = False
    is_active_account = True
    password_hash = ""

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            db.session.flush()


class PlanFactory(BaseFactory):
    class Meta:
        model = Plan

    number = factory.Sequence(lambda n: f"{100 + n}/KH-SGDĐT")
    title = "Kế hoạch thử nghiệm"
    school_year = "2025-2026"


class TaskFactory(BaseFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    ref = factory.Sequence(lambda n: str(n + 1))
    content = factory.Sequence(lambda n: f"Nhiệm vụ số {n}")
    targets = []


class AssignmentFactory(BaseFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "lead"
