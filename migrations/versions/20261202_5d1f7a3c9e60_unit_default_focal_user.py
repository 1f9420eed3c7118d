"""Units name a default focal person (cán bộ đầu mối) who hears about the unit's work.

Revision ID: 5d1f7a3c9e60
Revises: e5d1c0a7f3b9
Create Date: 2026-12-02 00:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d1f7a3c9e60'
down_revision = 'e5d1c0a7f3b9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_focal_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_units_default_focal_user_id_users', 'users',
                                    ['default_focal_user_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint('fk_units_default_focal_user_id_users', type_='foreignkey')
        batch_op.drop_column('default_focal_user_id')
