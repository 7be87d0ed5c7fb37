"""Who was added to or removed from a group in the Course members panel,
and by whom: the course's history (with the requests' own states and
deciders, which the requests table already keeps).

Downgrading drops the table: the history of adds and removes is lost, the
requests' stay.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_groups_member_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group", sa.Unicode(255), nullable=False),
        sa.Column("user", sa.Unicode(255), nullable=False),
        sa.Column("kind", sa.Unicode(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.Unicode(255), nullable=False),
    )
    op.create_index(
        "ix_hub_groups_member_changes_group_at",
        "hub_groups_member_changes",
        ["group", "at"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_hub_groups_member_changes_group_at", table_name="hub_groups_member_changes"
    )
    op.drop_table("hub_groups_member_changes")
