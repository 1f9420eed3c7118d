"""Plan import: the office's saved column mappings; group path, unit roles and per-task choices on tasks.

Revision ID: 8a4c6e2f1b57
Revises: 8a4c6e2f0b13
Create Date: 2026-12-02 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8a4c6e2f1b57'
down_revision = '8a4c6e2f0b13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('column_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_column_mappings_created_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_column_mappings')),
    sa.UniqueConstraint('signature', name=op.f('uq_column_mappings_signature'))
    )
    # existing tasks get empty values: they were imported before these were kept
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_path', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('unit_roles', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('choice_units', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('choice_units')
        batch_op.drop_column('unit_roles')
        batch_op.drop_column('group_path')
    op.drop_table('column_mappings')
