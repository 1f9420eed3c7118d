"""Assignment.last_update_at (the journal's latest entry, on the row) and indexes for the lists' filters.

The backfill of last_update_at is its own data migration (the next revision).

Revision ID: b2e8dd7a5eeb
Revises: 49720aead8a0
Create Date: 2026-12-01 22:46:02.510528

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2e8dd7a5eeb'
down_revision = '49720aead8a0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment_updates', schema=None) as batch_op:
        batch_op.create_index('ix_assignment_updates_assignment_id_created_at', ['assignment_id', 'created_at'], unique=False)

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_update_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_assignments_due_date_status', ['due_date', 'status'], unique=False)
        batch_op.create_index('ix_assignments_task_id_status', ['task_id', 'status'], unique=False)
        batch_op.create_index('ix_assignments_unit_id_status', ['unit_id', 'status'], unique=False)

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index('ix_units_kind_name', ['kind', 'name'], unique=False)


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_kind_name')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_unit_id_status')
        batch_op.drop_index('ix_assignments_task_id_status')
        batch_op.drop_index('ix_assignments_due_date_status')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite >= 3.35 drops the column in place; a batch copy of the table would drop the old one,
        # and with foreign keys on, ON DELETE CASCADE would empty the journal and the evidence.
        op.execute('ALTER TABLE assignments DROP COLUMN last_update_at')
    else:
        op.drop_column('assignments', 'last_update_at')

    with op.batch_alter_table('assignment_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_updates_assignment_id_created_at')

