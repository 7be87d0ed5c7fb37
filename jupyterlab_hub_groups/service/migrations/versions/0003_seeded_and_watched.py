"""Who the hub helper added to each group (``seeded.json`` before), and the
project members the service saw last (``watch.json`` before): in the
database, which outlives ``state_dir`` where the hub's own database is
external (Zero to JupyterHub).

The files of older versions are imported by the hub helper at its next
start (:mod:`jupyterlab_hub_groups.hub.seeding`), not here: this revision
does not know ``state_dir``. Downgrading drops both tables: an older
version then adds the file's members once more (a runtime removal is
undone) and starts watching afresh.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_groups_seeded",
        sa.Column("group", sa.Unicode(255), nullable=False),
        sa.Column("user", sa.Unicode(255), nullable=False),
        sa.PrimaryKeyConstraint("group", "user", name="pk_hub_groups_seeded"),
    )
    op.create_table(
        "hub_groups_watched",
        sa.Column("project", sa.Unicode(255), nullable=False),
        sa.Column("user", sa.Unicode(255), nullable=False),
        sa.PrimaryKeyConstraint("project", "user", name="pk_hub_groups_watched"),
    )


def downgrade() -> None:
    op.drop_table("hub_groups_watched")
    op.drop_table("hub_groups_seeded")
