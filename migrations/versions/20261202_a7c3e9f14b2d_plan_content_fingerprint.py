"""Plans keep a fingerprint of their content, so the same appendix in another format is a duplicate.

Revision ID: a7c3e9f14b2d
Revises: 8a4c6e2f1b57
Create Date: 2026-12-02 05:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e9f14b2d'
down_revision = '8a4c6e2f1b57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_fingerprint', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_plans_content_fingerprint'), ['content_fingerprint'], unique=False)


def downgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_content_fingerprint'))
        batch_op.drop_column('content_fingerprint')
