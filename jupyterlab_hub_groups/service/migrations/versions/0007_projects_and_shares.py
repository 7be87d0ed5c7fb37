"""Projects made at runtime, and the groups people shared their own server
with (issue 20): what the hub-groups service made must outlive it and the
hub, so that a new service process keeps their shares in step.

- ``hub_groups_projects``: one row per project made through the service's
  API (its group, its collaboration account, who made it, when).
- ``hub_groups_group_shares``: one row per owner and group they shared
  their default server with; the service keeps one user share per member.
- ``hub_groups_share_grants``: the user shares the service made for those
  groups, so that a leaver's share is deleted and a share the owner gave
  by name is not.

Downgrading drops the three tables: the hub keeps the groups, accounts and
shares already made, which nobody keeps in step any more.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_groups_projects",
        sa.Column("name", sa.Unicode(255), nullable=False),
        sa.Column("account", sa.Unicode(255), nullable=False),
        sa.Column("creator", sa.Unicode(255), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_hub_groups_projects"),
        sa.UniqueConstraint("account", name="uq_hub_groups_projects_account"),
    )
    op.create_index("ix_hub_groups_projects_creator", "hub_groups_projects", ["creator"])
    op.create_table(
        "hub_groups_group_shares",
        sa.Column("owner", sa.Unicode(255), nullable=False),
        sa.Column("group", sa.Unicode(255), nullable=False),
        sa.PrimaryKeyConstraint("owner", "group", name="pk_hub_groups_group_shares"),
    )
    op.create_table(
        "hub_groups_share_grants",
        sa.Column("owner", sa.Unicode(255), nullable=False),
        sa.Column("user", sa.Unicode(255), nullable=False),
        sa.PrimaryKeyConstraint("owner", "user", name="pk_hub_groups_share_grants"),
    )


def downgrade() -> None:
    op.drop_table("hub_groups_share_grants")
    op.drop_table("hub_groups_group_shares")
    op.drop_index("ix_hub_groups_projects_creator", table_name="hub_groups_projects")
    op.drop_table("hub_groups_projects")
