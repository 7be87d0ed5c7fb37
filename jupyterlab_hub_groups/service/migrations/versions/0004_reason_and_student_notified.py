"""A decline's reason, which the student reads, and when the student's
e-mail of a decision was handled (so that one due when the service
stopped is sent at its next start, and a decline undone within its
window is never e-mailed).

Decisions made before this revision are marked handled (their students
were never to be e-mailed). Downgrading drops both columns: the reasons
are lost, the decisions stay.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_groups_requests") as batch:
        batch.add_column(sa.Column("reason", sa.UnicodeText, nullable=True))
        batch.add_column(sa.Column("student_notified", sa.DateTime, nullable=True))
    op.execute(
        "UPDATE hub_groups_requests SET student_notified = COALESCE(decided, created) "
        "WHERE state <> 'pending'"
    )


def downgrade() -> None:
    with op.batch_alter_table("hub_groups_requests") as batch:
        batch.drop_column("student_notified")
        batch.drop_column("reason")
