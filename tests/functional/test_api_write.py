"""JSON API writes: updates with optimistic locking, submission, evidence; stable error codes."""
import io
from datetime import date

import pytest
from sqlalchemy import select

from app.models import AssignmentUpdate, EvidenceFile
from tests.factories import AssignmentFactory, TaskFactory, UnitFactory, UserFactory
from tests.functional.test_api_read import bearer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture()
def setup(db):
    unit, other_unit = UnitFactory(name="Trường THPT Ngô Quyền"), UnitFactory(name="Trường THPT Lê Chân")
    task = TaskFactory(content="Tỷ lệ bản ghi xác thực", targets=[{"op": ">=", "value": 98.5, "max": None,
                                                                   "unit": "%"}])
    mine = AssignmentFactory(task=task, unit=unit, role="cooperating", due_date=date(2999, 12, 31))
    theirs = AssignmentFactory(task=task, unit=other_unit, role="cooperating", due_date=date(2999, 12, 31))
    staff = UserFactory(role="unit_staff", unit=unit)
    head = UserFactory(role="unit_head", unit=unit)
    return mine, theirs, staff, head


def test_update_with_target_actual_and_version(client, setup, db):
    mine, _, staff, _ = setup
    headers = bearer(staff)
    body = {"status": "in_progress", "progress": 60, "note": "Đã đối soát 3 khối",
            "target_actuals": ["96,2"], "expected_version": mine.version}
    response = client.post(f"/api/v1/assignments/{mine.id}/updates", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "in_progress" and data["progress"] == 60
    assert data["target_actuals"] == [96.2] and data["version"] == body["expected_version"] + 1
    assert data["updates"][0]["note"] == "Đã đối soát 3 khối"
    # the same (now stale) version again: 409 and nothing overwritten
    stale = client.post(f"/api/v1/assignments/{mine.id}/updates", headers=headers,
                        json={**body, "progress": 10})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"
    db.session.refresh(mine)
    assert mine.progress == 60
    assert len(db.session.scalars(select(AssignmentUpdate)).all()) == 1


def test_update_validation_errors_are_422(client, setup):
    mine, _, staff, _ = setup
    headers = bearer(staff)
    bad = client.post(f"/api/v1/assignments/{mine.id}/updates", headers=headers,
                      json={"status": "in_progress", "progress": 150, "expected_version": mine.version})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "validation_error"
    no_version = client.post(f"/api/v1/assignments/{mine.id}/updates", headers=headers, json={"progress": 5})
    assert no_version.status_code == 422
    not_json = client.post(f"/api/v1/assignments/{mine.id}/updates", headers=headers, data="x")
    assert not_json.status_code == 400


def test_forged_update_to_another_units_assignment_is_403(client, setup, db):
    _, theirs, staff, _ = setup
    response = client.post(f"/api/v1/assignments/{theirs.id}/updates", headers=bearer(staff),
                           json={"status": "in_progress", "progress": 50, "expected_version": theirs.version})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    db.session.refresh(theirs)
    assert theirs.progress == 0 and theirs.status == "not_started"


def test_director_cannot_report_for_a_unit(client, setup):
    mine, _, _, _ = setup
    response = client.post(
        f"/api/v1/assignments/{mine.id}/updates",
        headers=bearer(UserFactory(role="director")),
        json={"status": "in_progress", "progress": 50, "expected_version": mine.version},
    )
    assert response.status_code == 403


def test_only_heads_submit(client, setup, db):
    mine, _, staff, head = setup
    start = client.post(f"/api/v1/assignments/{mine.id}/updates", headers=bearer(staff),
                        json={"status": "in_progress", "progress": 100, "expected_version": mine.version})
    version = start.get_json()["version"]
    refused = client.post(f"/api/v1/assignments/{mine.id}/submit", headers=bearer(staff),
                          json={"expected_version": version})
    assert refused.status_code == 403
    done = client.post(f"/api/v1/assignments/{mine.id}/submit", headers=bearer(head),
                       json={"expected_version": version, "note": "Đề nghị xác nhận"})
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"


def test_evidence_upload_checked_by_content(client, setup, db, app):
    mine, theirs, staff, _ = setup
    headers = bearer(staff)
    ok = client.post(f"/api/v1/assignments/{mine.id}/evidence", headers=headers,
                     data={"files": [(io.BytesIO(PDF), "bien-ban.pdf")]}, content_type="multipart/form-data")
    assert ok.status_code == 201 and ok.get_json()["items"][0]["mime_type"] == "application/pdf"
    fake = client.post(f"/api/v1/assignments/{mine.id}/evidence", headers=headers,
                       data={"files": [(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "bao-cao.pdf")]},
                       content_type="multipart/form-data")
    assert fake.status_code == 415 and fake.get_json()["error"]["code"] == "unsupported_media_type"
    app.config["EVIDENCE_MAX_BYTES"] = 100
    try:
        big = client.post(
            f"/api/v1/assignments/{mine.id}/evidence",
            headers=headers,
            data={"files": [(io.BytesIO(PDF * 10), "lon.pdf")]},
            content_type="multipart/form-data",
        )
    finally:
        app.config["EVIDENCE_MAX_BYTES"] = 20 * 1024 * 1024
    assert big.status_code == 413 and big.get_json()["error"]["code"] == "payload_too_large"
    forged = client.post(f"/api/v1/assignments/{theirs.id}/evidence", headers=headers,
                         data={"files": [(io.BytesIO(PDF), "a.pdf")]}, content_type="multipart/form-data")
    assert forged.status_code == 403
    assert [e.original_name for e in db.session.scalars(select(EvidenceFile))] == ["bien-ban.pdf"]
    empty = client.post(f"/api/v1/assignments/{mine.id}/evidence", headers=headers, data={},
                        content_type="multipart/form-data")
    assert empty.status_code == 400


def test_openapi_file_documents_every_api_route(app):
    import re
    from pathlib import Path

    spec = (Path(__file__).parents[2] / "docs" / "openapi.yaml").read_text(encoding="utf-8")
    documented = set(re.findall(r"^  (/\S+):$", spec, flags=re.MULTILINE))
    routes = {re.sub(r"<(?:int:)?\w+>", "{id}", rule.rule.removeprefix("/api/v1"))
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert routes == documented


def _schema_properties(spec: dict, schema: dict) -> tuple[dict, dict]:
    """(properties, the property -> sub-schema map) of a schema, $ref and allOf resolved."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return _schema_properties(spec, spec["components"]["schemas"][name])
    props: dict = dict(schema.get("properties") or {})
    for part in schema.get("allOf", []):
        props.update(_schema_properties(spec, part)[0])
    return props, schema


def _undocumented(spec: dict, schema: dict, value, where: str) -> list[str]:
    """Every key of a JSON answer that its OpenAPI schema does not list, recursively."""
    if "$ref" in schema or "allOf" in schema:
        props, _ = _schema_properties(spec, schema)
        schema = {"type": "object", "properties": props} if props else schema
    missing = []
    if isinstance(value, dict):
        props = _schema_properties(spec, schema)[0]
        if schema.get("additionalProperties") is True:
            return []
        for key, item in value.items():
            if key not in props:
                missing.append(f"{where}.{key}")
            else:
                missing += _undocumented(spec, props[key], item, f"{where}.{key}")
    elif isinstance(value, list):
        items = schema.get("items") or {}
        for index, item in enumerate(value[:3]):
            missing += _undocumented(spec, items, item, f"{where}[{index}]")
    return missing


def test_openapi_lists_every_field_the_api_returns(client, setup, db):
    """Every serializer field (app/api/serializers.py), nested ones included, is in the schema of the
    operation that returns it; timestamps carry their offset; every operation documents the errors that
    any call can meet."""
    from datetime import datetime
    from pathlib import Path

    import yaml

    from app.models import CheckIn

    spec = yaml.safe_load((Path(__file__).parents[2] / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    mine, _, staff, head = setup
    db.session.add(CheckIn(assignment=mine, period_key="2025-11", period_start=date(2025, 11, 1),
                           due_date=date(2025, 11, 30)))
    db.session.commit()
    headers = bearer(head)
    post = client.post(f"/api/v1/assignments/{mine.id}/updates", headers=headers,
                       json={"status": "in_progress", "progress": 5, "expected_version": mine.version})
    assert post.status_code == 201
    calls = {
        ("/plans", "get"): client.get("/api/v1/plans", headers=headers),
        ("/tasks", "get"): client.get("/api/v1/tasks", headers=headers),
        ("/tasks/{id}", "get"): client.get(f"/api/v1/tasks/{mine.task_id}", headers=headers),
        ("/assignments", "get"): client.get("/api/v1/assignments", headers=headers),
        ("/assignments/{id}", "get"): client.get(f"/api/v1/assignments/{mine.id}", headers=headers),
        ("/assignments/{id}/updates", "post"): post,
    }
    for (path, method), response in calls.items():
        answer = spec["paths"][path][method]["responses"][str(response.status_code)]
        schema = answer["content"]["application/json"]["schema"]
        body = response.get_json()
        assert body.get("items", [body]), path
        assert _undocumented(spec, schema, body, path) == []
    detail = calls[("/assignments/{id}", "get")].get_json()
    assert detail["checkins"] and detail["updates"] and "status_reason" in detail and detail["targets"]
    stamp = detail["updates"][0]["created_at"]
    assert datetime.fromisoformat(stamp).utcoffset() is not None and stamp.endswith("+07:00")
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "403", "405", "503"} | ({"404"} if "{id}" in path else set())
            assert expected <= set(operation["responses"]), (method, path)


def test_405_is_json_and_keeps_allow(client, db):
    for method, url, allowed in (("DELETE", "/api/v1/plans", {"GET", "HEAD", "OPTIONS"}),
                                 ("GET", "/api/v1/tokens", {"POST", "OPTIONS"})):
        response = client.open(url, method=method)
        assert response.status_code == 405
        assert response.get_json()["error"]["code"] == "method_not_allowed"
        assert set(response.headers["Allow"].split(", ")) == allowed
    page = client.delete("/auth/login")
    assert page.status_code == 405 and "POST" in page.headers["Allow"] and page.mimetype == "text/html"
