"""Data: fill assignments.last_update_at from the journal (newest assignment_updates.created_at).

Revision ID: c41f0a9d2b17
Revises: b2e8dd7a5eeb
Create Date: 2026-12-01 23:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c41f0a9d2b17'
down_revision = 'b2e8dd7a5eeb'
branch_labels = None
depends_on = None


def upgrade():
    # one set-based UPDATE; the (assignment_id, created_at) index of the previous revision serves it
    op.execute(
        "UPDATE assignments SET last_update_at = ("
        " SELECT MAX(assignment_updates.created_at) FROM assignment_updates"
        " WHERE assignment_updates.assignment_id = assignments.id)"
    )


def downgrade():
    op.execute("UPDATE assignments SET last_update_at = NULL")
