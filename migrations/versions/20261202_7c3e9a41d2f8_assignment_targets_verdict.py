"""Assignment.targets_verdict (the verdict of the reported actuals, on the row) and the dashboard's
covering index; the verdicts of the rows already reported are filled here by the rules' Python form.

Revision ID: 7c3e9a41d2f8
Revises: a7c3e9f14b2d
Create Date: 2026-12-02 05:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9a41d2f8'
down_revision = 'a7c3e9f14b2d'
branch_labels = None
depends_on = None

DASHBOARD_COLUMNS = ['task_id', 'unit_id', 'status', 'due_date', 'original_due_date', 'completed_at',
                     'targets_verdict']


def _backfill():
    # the same judgement the app keeps in its flushes (app/services/work/rules.py), once per
    # distinct (task, actuals): units often type the same figures
    from app.services.work.rules import actuals_verdict

    bind = op.get_bind()
    assignments = sa.table('assignments', sa.column('id', sa.Integer), sa.column('task_id', sa.Integer),
                           sa.column('target_actuals', sa.JSON), sa.column('targets_verdict', sa.String))
    tasks = sa.table('tasks', sa.column('id', sa.Integer), sa.column('targets', sa.JSON))
    targets = dict(bind.execute(sa.select(tasks.c.id, tasks.c.targets)).all())
    rows = bind.execute(sa.select(assignments.c.id, assignments.c.task_id, assignments.c.target_actuals)
                        .where(assignments.c.task_id.in_([t for t, v in targets.items() if v]))).all()
    by_verdict = {}
    for assignment_id, task_id, actuals in rows:
        verdict = actuals_verdict(targets[task_id], actuals)
        if verdict is not None:
            by_verdict.setdefault(verdict, []).append(assignment_id)
    for verdict, ids in by_verdict.items():
        for start in range(0, len(ids), 5000):
            bind.execute(assignments.update().where(assignments.c.id.in_(ids[start:start + 5000]))
                         .values(targets_verdict=verdict))


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('targets_verdict', sa.String(length=20), nullable=True))
        batch_op.create_index('ix_assignments_dashboard', DASHBOARD_COLUMNS, unique=False)
    _backfill()


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_dashboard')
    if op.get_bind().dialect.name == 'sqlite':
        # in place (SQLite >= 3.35): a batch copy of the table would cascade deletes (see b2e8dd7a5eeb)
        op.execute('ALTER TABLE assignments DROP COLUMN targets_verdict')
    else:
        op.drop_column('assignments', 'targets_verdict')
