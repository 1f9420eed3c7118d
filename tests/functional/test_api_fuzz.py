"""Schemathesis against the live app: every operation of docs/openapi.yaml, valid and invalid data,
bounded examples, and every answer must pass schemathesis's response checks: no 5xx, only documented
status codes, content types and headers, and a body that matches the documented schema (errors
included). Callers: a unit head on its own and on another unit's work, no token, a token whose owner
must change the password, Basic credentials right and wrong (401 then 429), and a database that is
down (503). Runs in the SQLite pass."""
import base64
from datetime import date
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from app.extensions import db
from app.models import Assignment, CheckIn
from tests.factories import PASSWORD, AssignmentFactory, TaskFactory, UnitFactory, UserFactory
from tests.functional.test_api_read import bearer

SPEC = Path(__file__).parents[2] / "docs" / "openapi.yaml"
MAX_EXAMPLES = 8
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
BOTH_MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

pytestmark = pytest.mark.sqlite


def _schema():
    return schemathesis.openapi.from_path(SPEC)


def _operations() -> list:
    return [result.ok() for result in _schema().get_all_operations()]


def _failures(operation, app, headers: dict, *, modes=BOTH_MODES, examples: int = MAX_EXAMPLES,
              statuses: list | None = None, checks: list = CHECKS, **fixed) -> list[str]:
    """Every failed check of a bounded run of one operation (all of them, not only the first)."""
    failures: list[str] = []
    for mode in modes:
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(mode, **fixed))
        def check(case):
            response = case.call(app=app, headers=headers)
            if statuses is not None:
                statuses.append(response.status_code)
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except BaseExceptionGroup as group:  # schemathesis's FailureGroup: one per failed check
                label = _label(case, response)
                failures.extend(f"{label}: {str(failure).splitlines()[0]}" for failure in group.exceptions)

        check()
    return failures


def _label(case, response) -> str:
    mode = case.meta.generation.mode.value if case.meta else ""
    return f"{mode} {case.method} {case.formatted_path} → {response.status_code}"


@pytest.fixture()
def work(db):
    unit = UnitFactory(name="Trường THPT Ngô Quyền")
    task = TaskFactory(content="Triển khai chữ ký số", recurrence="monthly",
                       targets=[{"op": ">=", "value": 98.5, "max": None, "unit": "%"}])
    mine = AssignmentFactory(task=task, unit=unit, role="lead")
    AssignmentFactory(task=task, role="cooperating")
    theirs = AssignmentFactory(task=TaskFactory(plan=task.plan), role="lead")
    checkin = CheckIn(assignment=mine, period_key="2025-11", period_start=date(2025, 11, 1),
                      due_date=date(2025, 11, 30))
    db.session.add(checkin)
    db.session.commit()
    head = UserFactory(username="thutruong", role="unit_head", unit=unit)
    return {"head": head, "unit": unit, "mine": mine.id, "theirs": theirs.id, "checkin": checkin.id}


def _own_id(operation, work) -> int:
    return work["checkin"] if operation.path.startswith("/checkins") else work["mine"]


def test_every_operation_passes_the_checks_for_a_unit_head(app, work):
    headers = bearer(work["head"])
    failures: list[str] = []
    statuses: list[int] = []
    operations = _operations()
    for operation in operations:
        failures += _failures(operation, app, headers, statuses=statuses)
        if "{id}" in operation.path:  # real ids: its own unit's work, and another unit's (403)
            failures += _failures(operation, app, headers, statuses=statuses,
                                  path_parameters={"id": _own_id(operation, work)})
            failures += _failures(operation, app, headers, modes=(GenerationMode.POSITIVE,), examples=3,
                                  statuses=statuses, path_parameters={"id": work["theirs"]})
        for body in _fixed_bodies(operation, work):  # writes the generator hardly ever gets right
            failures += _failures(operation, app, headers, modes=(GenerationMode.POSITIVE,), examples=1,
                                  statuses=statuses, path_parameters={"id": work["mine"]}, body=body)
    assert len(operations) == 10
    assert failures == []
    assert {200, 201, 400, 403, 404, 409, 415, 422} <= set(statuses)  # the run reached them all


def _fixed_bodies(operation, work) -> list:
    """A refused (422: pausing needs a reason) and an accepted update at the current version; a PDF."""
    if operation.path == "/assignments/{id}/updates":
        version = db.session.get(Assignment, work["mine"]).version
        accepted = {"status": "in_progress", "progress": 40, "note": "Đã triển khai"}
        return [{"status": "paused", "expected_version": version}, {**accepted, "expected_version": version}]
    if operation.path == "/assignments/{id}/evidence":
        return [{"files": [PDF]}]
    return []


def test_refusals_pass_the_checks(app, db, work):
    forced = UserFactory(role="unit_head", unit=work["unit"])
    forced_headers = bearer(forced)
    forced.must_change_password = True  # after the token was made: the old token is refused too
    db.session.commit()
    failures: list[str] = []
    for operation in _operations():
        for headers in ({}, {"Authorization": "Bearer tdnv_khong-co"}, forced_headers):
            failures += _failures(operation, app, headers, modes=(GenerationMode.POSITIVE,), examples=3)
    assert failures == []


def _basic(username: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_token_creation_passes_the_checks_when_allowed_refused_and_throttled(app, work):
    tokens_operation = next(op for op in _operations() if op.path == "/tokens")
    statuses: list[int] = []
    failures = _failures(tokens_operation, app, _basic("thutruong", PASSWORD), statuses=statuses)
    failures += _failures(tokens_operation, app, _basic("thutruong", "doan-mo"), statuses=statuses,
                          examples=app.config["LOGIN_MAX_FAILURES"] + 2)
    assert failures == []
    assert {201, 400, 401, 429} <= set(statuses)


def test_every_operation_passes_the_checks_while_the_database_is_down(tmp_path):
    down = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/none.sqlite3")
    failures: list[str] = []
    statuses: list[int] = []
    for operation in _operations():
        auth = _basic("thutruong", PASSWORD) if operation.path == "/tokens" else {
            "Authorization": "Bearer tdnv_nothing-can-check-it"}
        # a documented 503 is the right answer here, so every check but not_a_server_error
        failures += _failures(operation, down, auth, modes=(GenerationMode.POSITIVE,), examples=3,
                              statuses=statuses, checks=CHECKS[1:])
    assert failures == []
    assert 503 in statuses and {s for s in statuses if s >= 500} == {503}
