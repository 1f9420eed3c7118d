"""Server-side sessions, hashed calendar tokens, one pending extension request per assignment.

Revision ID: 7c3e5a91d2b4
Revises: c41f0a9d2b17
Create Date: 2026-12-01 23:10:00

"""
import hashlib

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3e5a91d2b4'
down_revision = 'c41f0a9d2b17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=255), nullable=True),
    sa.Column('ip_address', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_sessions_last_seen_at'), ['last_seen_at'], unique=False)

    # A second pending request could only come from a race; keep the oldest one pending.
    op.execute(
        "UPDATE extension_requests SET status = 'refused', decision_note = 'Trùng đề nghị đang chờ' "
        "WHERE status = 'pending' AND id NOT IN (SELECT MIN(id) FROM extension_requests "
        "WHERE status = 'pending' GROUP BY assignment_id)"
    )
    op.create_index('uq_extension_requests_one_pending', 'extension_requests', ['assignment_id'], unique=True,
                    sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    # Calendar feed secrets were stored as they are: store their SHA-256 instead (feeds keep working).
    conn = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('calendar_token', sa.String))
    rows = conn.execute(sa.select(users.c.id, users.c.calendar_token).where(users.c.calendar_token.is_not(None)))
    for user_id, token in rows.fetchall():
        digest = hashlib.sha256(token.encode('utf-8')).hexdigest()
        conn.execute(users.update().where(users.c.id == user_id).values(calendar_token=digest))


def downgrade():
    # Hashed calendar tokens cannot be turned back: the feeds must be created again.
    users = sa.table('users', sa.column('calendar_token', sa.String))
    op.execute(users.update().values(calendar_token=None))
    op.drop_index('uq_extension_requests_one_pending', table_name='extension_requests')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_last_seen_at'))
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
