"""What the service last saw of the course groups, and changes nobody
reported: a course's history shows adds and removes made outside the
Course members panel too (the hub's admin page, its REST API), with no
author (``by`` may be empty now).

Downgrading drops the table and the changes without an author.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_groups_courses_seen",
        sa.Column("group", sa.Unicode(255), nullable=False),
        sa.Column("user", sa.Unicode(255), nullable=False),
        sa.PrimaryKeyConstraint("group", "user", name="pk_hub_groups_courses_seen"),
    )
    # SQLite alters a column by copying the table: batch mode does that
    with op.batch_alter_table("hub_groups_member_changes") as batch:
        batch.alter_column("by", existing_type=sa.Unicode(255), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM hub_groups_member_changes WHERE by IS NULL")
    with op.batch_alter_table("hub_groups_member_changes") as batch:
        batch.alter_column("by", existing_type=sa.Unicode(255), nullable=False)
    op.drop_table("hub_groups_courses_seen")
