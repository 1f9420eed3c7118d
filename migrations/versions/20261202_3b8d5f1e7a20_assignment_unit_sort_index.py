"""The dashboard's order of units: a covering index in unit order (open and overdue, total per unit).

Revision ID: 3b8d5f1e7a20
Revises: 7c3e9a41d2f8
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '3b8d5f1e7a20'
down_revision = '7c3e9a41d2f8'
branch_labels = None
depends_on = None

UNIT_SORT_COLUMNS = ['unit_id', 'task_id', 'status', 'due_date', 'original_due_date']


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_unit_sort', UNIT_SORT_COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_unit_sort')
