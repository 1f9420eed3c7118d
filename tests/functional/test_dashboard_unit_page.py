"""The dashboard's page of units (ordered by two counts per unit, the full figures read for the page
alone) against the full per-unit computation, statistics(scope, dimension="unit"), on varied data."""
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db as _db
from app.models import CheckIn
from app.models.plans import PLAN_ARCHIVED, TASK_CANCELLED
from app.models.units import KIND_CENTRE, KIND_COMMUNE, KIND_DIVISION, KIND_SCHOOL
from app.services.reporting import dashboard as stats
from tests.factories import AssignmentFactory, PlanFactory, TaskFactory, UnitFactory

TODAY = date(2025, 11, 20)
TZ = "Asia/Ho_Chi_Minh"
STATUSES = ["not_started", "in_progress", "submitted", "paused", "done", "not_done"]
TARGETS = [{"op": ">=", "value": 90, "max": None, "unit": "%"}]


def _local_moment(rng: random.Random, around: date) -> datetime:
    """A completion time near a day, often right at a local midnight (17:00 UTC) to test the day's edge."""
    day = around + timedelta(days=rng.randint(-3, 3))
    if rng.random() < 0.4:
        edge = datetime(day.year, day.month, day.day, 16, 59, tzinfo=UTC)
        return edge + timedelta(minutes=rng.choice([0, 2]))
    return datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), tzinfo=UTC)


@pytest.fixture()
def world(db):
    """Units of four kinds (two share a short name), two active plans and an archived one, dated,
    ongoing, targeted and cancelled tasks, every status, extensions (original deadline earlier), due
    dates on both sides of today, completions on local-day edges, check-ins of every bucket."""
    rng = random.Random(20261202)
    kinds = [KIND_DIVISION, KIND_SCHOOL, KIND_CENTRE, KIND_COMMUNE]
    units = [UnitFactory(kind=kinds[i % 4], name=f"Đơn vị {i:02d}",
                         short_name="Trùng tên" if i in (3, 4) else None) for i in range(30)]
    plans = [PlanFactory(), PlanFactory(), PlanFactory(status=PLAN_ARCHIVED)]
    tasks = []
    for i in range(12):
        plan = plans[i % 3]
        group = [None, "Hạ tầng số", "Dữ liệu số"][i % 3 if i < 9 else 1]
        ongoing = i in (2, 7)
        tasks.append(TaskFactory(plan=plan, group_name=group, recurrence="ongoing" if ongoing else None,
                                 due_date=None if ongoing else TODAY + timedelta(days=rng.randint(-20, 20)),
                                 targets=TARGETS if i in (1, 5, 10) else [],
                                 status=TASK_CANCELLED if i == 11 else "active"))
    for task in tasks:
        for unit in rng.sample(units, rng.randint(8, 24)):
            status = rng.choice(STATUSES)
            due = TODAY + timedelta(days=rng.randint(-15, 15))
            if task.recurrence and rng.random() < 0.8:
                due = None
            original = due
            if due is not None and rng.random() < 0.3:  # an approved extension
                original = due - timedelta(days=rng.randint(1, 20))
            elif due is None and rng.random() < 0.3:  # ongoing all the same: no deadline in force
                original = TODAY - timedelta(days=rng.randint(1, 20))
            completed = _local_moment(rng, due or TODAY) if status == "done" and rng.random() < 0.95 else None
            actuals = None
            if task.targets and rng.random() < 0.7:
                actuals = [rng.choice([80, 90, 95, "91,5", "abc"])]
            assignment = AssignmentFactory(task=task, unit=unit, status=status, due_date=due,
                                           original_due_date=original, completed_at=completed,
                                           target_actuals=actuals)
            if task.recurrence and due is None:
                for month in (9, 10, 11):
                    cstatus = rng.choice(STATUSES)
                    last = date(2025, month, 28)
                    _db.session.add(CheckIn(
                        assignment=assignment, period_key=f"2025-{month:02d}",
                        period_start=last.replace(day=1), due_date=last, status=cstatus,
                        completed_at=_local_moment(rng, last) if cstatus == "done" else None))
    _db.session.commit()
    return {"units": units, "plans": plans}


def _dump(rows):
    return [(r.key, r.label, r.extra, r.counts.as_dict()) for r in rows]


def _scopes(world):
    units, plans = world["units"], world["plans"]
    return [
        stats.Scope(),
        stats.Scope(unit_kind=KIND_SCHOOL),
        stats.Scope(plan_id=plans[0].id),
        stats.Scope(plan_id=plans[2].id),  # archived: nothing
        stats.Scope(group="Hạ tầng số"),
        stats.Scope(group=""),
        stats.Scope(area_unit_ids=tuple(u.id for u in units[:7]), area_groups=("Dữ liệu số",)),
        stats.Scope(area_unit_ids=tuple(u.id for u in units[5:9]), unit_kind=KIND_DIVISION),
    ]


@pytest.mark.parametrize("basis", [stats.BASIS_IN_FORCE, stats.BASIS_ORIGINAL])
def test_unit_pages_equal_the_full_per_unit_computation(world, basis):
    checked = 0
    for scope in _scopes(world):
        full = stats.statistics(scope, today=TODAY, timezone=TZ, dimension="unit", basis=basis)
        expected = sorted(full, key=stats.unit_order_key)
        pages = []
        for page in range(1, 6):
            figures = stats.overview(scope, today=TODAY, timezone=TZ, basis=basis, unit_page=page,
                                     units_per_page=7)
            assert figures.unit_count == len(full)
            assert len(figures.by_unit) <= 7
            pages.extend(figures.by_unit)
        assert _dump(pages) == _dump(expected)
        overall = stats.statistics(scope, today=TODAY, timezone=TZ, basis=basis)
        assert figures.totals.as_dict() == (overall[0].counts if overall else stats.Counts()).as_dict()
        assert sum(r.counts.total for r in full) == figures.totals.total
        checked += len(full)
    assert checked > 60


def test_the_world_has_every_bucket_and_an_order_that_depends_on_both_keys(world):
    """Guards the guard: the data above exercises what the page's order and figures depend on."""
    for basis in (stats.BASIS_IN_FORCE, stats.BASIS_ORIGINAL):
        totals = stats.statistics(stats.Scope(), today=TODAY, timezone=TZ, basis=basis)[0].counts
        for name in ("done_on_time", "done_late", "open_in_time", "open_overdue", "ongoing", "not_done",
                     "checkins", "targets_met", "targets_not_met", "targets_unreported"):
            assert getattr(totals, name) > 0, (basis, name)
    in_force = stats.statistics(stats.Scope(), today=TODAY, timezone=TZ, dimension="unit")
    original = stats.statistics(stats.Scope(), today=TODAY, timezone=TZ, dimension="unit",
                                basis=stats.BASIS_ORIGINAL)
    assert [r.counts.open_overdue for r in in_force] != [r.counts.open_overdue for r in original]
    overdue = [r.counts.open_overdue for r in in_force]
    assert len(set(overdue)) > 3
    # units tied on open-and-overdue are told apart by their totals, and some by their names alone
    assert any(a.counts.open_overdue == b.counts.open_overdue and a.counts.total != b.counts.total
               for a in in_force for b in in_force if a is not b)


def test_a_page_past_the_end_is_empty_and_still_counts_the_units(world):
    figures = stats.overview(stats.Scope(), today=TODAY, timezone=TZ, unit_page=99, units_per_page=7)
    assert figures.by_unit == []
    assert figures.unit_count == len(stats.statistics(stats.Scope(), today=TODAY, timezone=TZ,
                                                      dimension="unit"))
