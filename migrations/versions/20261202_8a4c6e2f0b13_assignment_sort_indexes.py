"""Indexes for the lists' sorts: the sign-off queue (status, updated_at) and "Cập nhật gần nhất" (updated_at).

Revision ID: 8a4c6e2f0b13
Revises: 5d9f2c7a1e36
Create Date: 2026-12-02 05:15:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '8a4c6e2f0b13'
down_revision = '5d9f2c7a1e36'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_status_updated_at', ['status', 'updated_at'], unique=False)
        batch_op.create_index('ix_assignments_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_updated_at')
        batch_op.drop_index('ix_assignments_status_updated_at')
