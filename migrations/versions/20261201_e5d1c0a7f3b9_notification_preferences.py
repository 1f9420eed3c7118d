"""Notification preferences (mail per kind of alert, digest hour) and the outbox's List-Unsubscribe.

Revision ID: e5d1c0a7f3b9
Revises: 7c3e5a91d2b4
Create Date: 2026-12-01 23:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5d1c0a7f3b9'
down_revision = '7c3e5a91d2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('mail_enabled', sa.Boolean(), nullable=False),
    sa.Column('deadline_reminders', sa.Boolean(), nullable=False),
    sa.Column('overdue_digests', sa.Boolean(), nullable=False),
    sa.Column('assignment_events', sa.Boolean(), nullable=False),
    sa.Column('comments', sa.Boolean(), nullable=False),
    sa.Column('digest_hour', sa.Integer(), nullable=True),
    sa.Column('last_digest_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('list_unsubscribe', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('list_unsubscribe')
    op.drop_table('notification_preferences')
