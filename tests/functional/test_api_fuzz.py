"""Schemathesis against the live app: every operation of docs/openapi.yaml, bounded examples, and no
answer may be a server error (5xx). Runs in the SQLite pass (it takes a few seconds per operation)."""
from pathlib import Path

import pytest
import schemathesis

from tests.factories import AssignmentFactory, TaskFactory, UnitFactory, UserFactory
from tests.functional.test_api_read import bearer

SPEC = Path(__file__).parents[2] / "docs" / "openapi.yaml"
MAX_EXAMPLES = 50

pytestmark = pytest.mark.sqlite


@pytest.mark.parametrize("role", ["unit_head"])  # its own unit's work: reads, 403s and writes
def test_no_server_error_on_any_operation(app, db, role):
    from hypothesis import HealthCheck, given, settings

    unit = UnitFactory(name="Trường THPT Ngô Quyền")
    task = TaskFactory(content="Triển khai chữ ký số",
                       targets=[{"op": ">=", "value": 98.5, "max": None, "unit": "%"}])
    AssignmentFactory(task=task, unit=unit, role="lead")
    headers = bearer(UserFactory(role=role, unit=unit if role.startswith("unit") else None))
    schema = schemathesis.openapi.from_path(SPEC)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(app=app, headers=headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} → {response.status_code}: "
                                f"{case.as_curl_command()}")


        check()
    assert failures == []
