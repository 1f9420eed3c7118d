"""The 2 × 2 over a hand-built dataset: due-day completion, late completion, extensions, check-ins."""
from datetime import UTC, date, datetime

import pytest

from app.extensions import db as _db
from app.models import CheckIn, ExtensionRequest
from app.services.reporting import dashboard as stats
from app.services.reporting import dashboard_lists as lists
from app.services.work import rules
from tests.factories import AssignmentFactory, PlanFactory, SchoolFactory, TaskFactory, UnitFactory

TODAY = date(2025, 11, 20)
TZ = "Asia/Ho_Chi_Minh"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture()
def dataset(db):
    plan = PlanFactory()
    u = [UnitFactory(name=f"Phòng {i}") for i in range(1, 7)]
    school = SchoolFactory(name="Trường THPT Ngô Quyền")
    a = TaskFactory(plan=plan, group_name="Hạ tầng số", due_date=date(2025, 11, 10))
    due = date(2025, 11, 10)
    rows = {
        # completed at 23:30 local time on the due day: on time
        "on_due_day": AssignmentFactory(task=a, unit=u[0], due_date=due, original_due_date=due, status="done",
                                        completed_at=utc(2025, 11, 10, 16, 30)),
        # 00:30 local time the next day: late
        "late": AssignmentFactory(task=a, unit=u[1], due_date=due, original_due_date=due, status="done",
                                  completed_at=utc(2025, 11, 10, 17, 30), role="cooperating"),
        "overdue": AssignmentFactory(task=a, unit=u[2], due_date=due, original_due_date=due,
                                     status="in_progress", role="cooperating"),
        # an approved extension moved the deadline in force to 30/11
        "extended_open": AssignmentFactory(task=a, unit=u[3], due_date=date(2025, 11, 30),
                                           original_due_date=due, status="in_progress", role="cooperating"),
        "extended_done": AssignmentFactory(task=a, unit=u[4], due_date=date(2025, 11, 15),
                                           original_due_date=due, status="done", role="cooperating",
                                           completed_at=utc(2025, 11, 12, 3, 0)),
        "not_done": AssignmentFactory(task=a, unit=u[5], due_date=due, status="not_done", role="cooperating"),
    }
    ongoing = TaskFactory(plan=plan, group_name="Dữ liệu số", recurrence="ongoing", due_date=None)
    rows["ongoing"] = AssignmentFactory(task=ongoing, unit=u[0], status="in_progress")
    rows["ongoing_school"] = AssignmentFactory(task=ongoing, unit=school, status="in_progress",
                                               role="cooperating")
    _db.session.add_all([
        CheckIn(assignment=rows["ongoing"], period_key="2025-09", period_start=date(2025, 9, 1),
                due_date=date(2025, 9, 30), status="done", completed_at=utc(2025, 9, 30, 9)),
        CheckIn(assignment=rows["ongoing"], period_key="2025-10", period_start=date(2025, 10, 1),
                due_date=date(2025, 10, 31), status="done", completed_at=utc(2025, 11, 2, 9)),
        CheckIn(assignment=rows["ongoing"], period_key="2025-11", period_start=date(2025, 11, 1),
                due_date=date(2025, 11, 30), status="not_started"),
        CheckIn(assignment=rows["ongoing_school"], period_key="2025-10", period_start=date(2025, 10, 1),
                due_date=date(2025, 10, 31), status="in_progress"),
    ])
    target = TaskFactory(plan=plan, group_name="Hạ tầng số", due_date=date(2025, 12, 31),
                         targets=[{"op": ">=", "value": 98.5, "max": None, "unit": "%"}])
    rows["target_met"] = AssignmentFactory(task=target, unit=u[0], due_date=date(2025, 12, 31),
                                           target_actuals=[99])
    rows["target_missed"] = AssignmentFactory(task=target, unit=u[1], due_date=date(2025, 12, 31),
                                              target_actuals=[{"value": 90}], role="cooperating")
    rows["target_unreported"] = AssignmentFactory(task=target, unit=u[2], due_date=date(2025, 12, 31),
                                                  role="cooperating")
    _db.session.add(ExtensionRequest(assignment=rows["overdue"], requested_due_date=date(2025, 12, 5),
                                     reason="Chờ kinh phí", status="pending"))
    _db.session.commit()
    return {"plan": plan, "units": u, "school": school, "rows": rows}


def test_two_by_two_against_deadline_in_force(dataset):
    counts = stats.totals(stats.Scope(), today=TODAY, timezone=TZ)
    assert (counts.done_on_time, counts.done_late, counts.open_in_time, counts.open_overdue) == (3, 2, 5, 2)
    assert counts.ongoing == 2 and counts.not_done == 1 and counts.checkins == 4
    assert counts.total == 12 and counts.completion_rate == round(500 / 12, 1)
    assert (counts.targets_met, counts.targets_not_met, counts.targets_unreported) == (1, 1, 1)


def test_two_by_two_against_original_deadline(dataset):
    counts = stats.totals(stats.Scope(), today=TODAY, timezone=TZ, basis=stats.BASIS_ORIGINAL)
    # the extended items are judged against 10/11: one becomes late, the other overdue
    assert (counts.done_on_time, counts.done_late, counts.open_in_time, counts.open_overdue) == (2, 3, 4, 3)


def test_completion_on_due_day_is_on_time_and_next_local_day_is_late(dataset):
    page = lists.bucket_assignments(stats.Scope(), stats.DONE_ON_TIME, today=TODAY, timezone=TZ)
    ids = {a.id for a in page.items}
    assert dataset["rows"]["on_due_day"].id in ids and dataset["rows"]["late"].id not in ids
    late = lists.bucket_assignments(stats.Scope(), stats.DONE_LATE, today=TODAY, timezone=TZ)
    assert [a.id for a in late.items] == [dataset["rows"]["late"].id]


def test_by_unit_group_and_plan(dataset):
    by_group = {r.label: r.counts for r in stats.statistics(stats.Scope(), today=TODAY, timezone=TZ,
                                                             dimension="group")}
    assert by_group["Hạ tầng số"].open_overdue == 1 and by_group["Hạ tầng số"].total == 8
    assert by_group["Dữ liệu số"].ongoing == 2 and by_group["Dữ liệu số"].total == 4
    by_unit = {r.key: r.counts for r in stats.statistics(stats.Scope(), today=TODAY, timezone=TZ,
                                                          dimension="unit")}
    first = dataset["units"][0].id
    assert (by_unit[first].done_on_time, by_unit[first].done_late, by_unit[first].open_in_time) == (2, 1, 2)
    assert by_unit[dataset["school"].id].open_overdue == 1
    by_plan = stats.statistics(stats.Scope(), today=TODAY, timezone=TZ, dimension="plan")
    assert len(by_plan) == 1 and by_plan[0].counts.total == 12


def test_scope_filters_kind_and_area(dataset):
    schools = stats.totals(stats.Scope(unit_kind="school"), today=TODAY, timezone=TZ)
    assert schools.total == 1 and schools.open_overdue == 1
    area = stats.Scope(area_unit_ids=(dataset["units"][1].id,), area_groups=("Dữ liệu số",))
    counts = stats.totals(area, today=TODAY, timezone=TZ)
    # unit 2's two assignments + every check-in of the "Dữ liệu số" group
    assert counts.total == 6 and counts.done_late == 2


def test_overdue_list_has_lead_unit_extension_and_days(dataset):
    page = lists.overdue_page(stats.Scope(), today=TODAY)
    assert page.total == 1
    item = page.items[0]
    assert item.assignment.id == dataset["rows"]["overdue"].id
    assert item.days_overdue == 10
    assert item.lead_units == ["Phòng 1"]
    assert item.requested_due_date == date(2025, 12, 5)


def test_checkins_behind_the_overdue_number(dataset):
    page = lists.bucket_checkins(stats.Scope(), stats.OPEN_OVERDUE, today=TODAY, timezone=TZ)
    assert [c.assignment.unit.name for c in page.items] == ["Trường THPT Ngô Quyền"]


def test_targets_lists(dataset):
    met = lists.bucket_assignments(stats.Scope(), stats.TARGETS_MET, today=TODAY, timezone=TZ)
    assert [a.id for a in met.items] == [dataset["rows"]["target_met"].id]
    missed = lists.bucket_assignments(stats.Scope(), stats.TARGETS_NOT_MET, today=TODAY, timezone=TZ)
    assert [a.id for a in missed.items] == [dataset["rows"]["target_missed"].id]


@pytest.mark.parametrize("target,value,met", [
    ({"op": ">=", "value": 98.5}, 98.5, True), ({"op": ">", "value": 50}, 50, False),
    ({"op": "<=", "value": 2}, 2, True), ({"op": "between", "value": 3, "max": 5}, 6, False),
])
def test_target_met(target, value, met):
    assert rules.target_met(target, value) is met


def test_completions_over_time(dataset):
    series = lists.completions_over_time(stats.Scope(), today=TODAY, timezone=TZ)
    by_key = {key: count for key, _label, count in series}
    assert by_key["2025-11"] == 3 and series[-1][1] == "11/2025"


def test_weekly_digest_shows_the_dashboard_figures(dataset):
    """The directors' e-mail and the dashboard count with the same (single) implementation."""
    from app.services.notify.digests import weekly_digest_text

    ours = stats.totals(stats.Scope(), today=TODAY, timezone=TZ)
    title, body = weekly_digest_text([], TODAY, TZ)
    for key in stats.TWO_BY_TWO:
        assert f"- {stats.BUCKETS[key]}: {getattr(ours, key)}" in body
    assert f"{ours.open_overdue} việc chưa hoàn thành quá hạn" in title
