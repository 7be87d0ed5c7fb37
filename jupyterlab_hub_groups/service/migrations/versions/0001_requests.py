"""Requests to join courses: who asked to join which course, with what
message, and what became of it.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_groups_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group", sa.Unicode(255), nullable=False),
        sa.Column("user", sa.Unicode(255), nullable=False),
        sa.Column("state", sa.Unicode(16), nullable=False),
        sa.Column("message", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("decided", sa.DateTime, nullable=True),
        sa.Column("decided_by", sa.Unicode(255), nullable=True),
    )
    # an instructor's list of a course's requests
    op.create_index("ix_hub_groups_requests_group_state", "hub_groups_requests", ["group", "state"])


def downgrade() -> None:
    op.drop_index("ix_hub_groups_requests_group_state", table_name="hub_groups_requests")
    op.drop_table("hub_groups_requests")
