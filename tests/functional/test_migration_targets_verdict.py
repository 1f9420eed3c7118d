"""The targets_verdict migration fills the verdict of the actuals already reported."""
import json

from sqlalchemy import create_engine, text

from app import create_app


def test_upgrade_backfills_the_verdicts(tmp_path):
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade", "5d9f2c7a1e36"])
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    targets = json.dumps([{"op": ">=", "value": 90, "max": None, "unit": "%"}])
    rows = [(11, 1, "[95]"), (12, 1, '["80,5"]'), (13, 1, "[]"), (14, 1, "null"), (25, 2, "[95]")]
    with engine.begin() as conn:
        for unit_id in range(1, 6):
            conn.execute(text("INSERT INTO units (id, code, name, kind, is_active, search_text, created_at) "
                              "VALUES (:id, :id, 'Trường THPT', 'school', 1, '', '2026-01-01')"),
                         {"id": unit_id})
        conn.execute(text("INSERT INTO plans (id, title, status, created_at) "
                          "VALUES (1, 'Kế hoạch', 'active', '2026-01-01')"))
        for task_id, task_targets in ((1, targets), (2, "[]")):
            conn.execute(text("INSERT INTO tasks (id, plan_id, position, content, targets, unresolved_units, "
                              "extra, warnings, status, search_text, created_at) VALUES (:id, 1, :id, "
                              "'Nhiệm vụ', :targets, '[]', '{}', '[]', 'active', '', '2026-01-01')"),
                         {"id": task_id, "targets": task_targets})
        for assignment_id, task_id, actuals in rows:
            conn.execute(text("INSERT INTO assignments (id, task_id, unit_id, role, status, progress, "
                              "target_actuals, version, created_at, updated_at) VALUES (:id, :task, :unit, "
                              "'lead', 'done', 100, :actuals, 1, '2026-01-01', '2026-01-01')"),
                         {"id": assignment_id, "task": task_id, "unit": assignment_id % 10,
                          "actuals": actuals})
    engine.dispose()

    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT id, targets_verdict FROM assignments")).all())
    # every row is still there: a batch migration that rebuilds a table must not cascade-delete children
    assert stored == {11: "met", 12: "not_met", 13: None, 14: None, 25: None}
