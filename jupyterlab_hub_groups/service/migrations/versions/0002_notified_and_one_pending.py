"""When the instructors' e-mail was handled (so that one the service could
not send before it stopped is sent at its next start), the rate limit's
index, and at most one pending request per person and course.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Databases with partial indexes; elsewhere the service's single writer
#: keeps the rule alone.
PARTIAL_INDEXES = ("sqlite", "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("hub_groups_requests") as batch:
        batch.add_column(sa.Column("notified", sa.DateTime, nullable=True))
    # requests made before: their e-mail, if any, is long handled
    op.execute(
        "UPDATE hub_groups_requests SET notified = created WHERE notified IS NULL"
    )
    # the rate limit: one person's requests of the last hour
    op.create_index("ix_hub_groups_requests_user_created", "hub_groups_requests", ["user", "created"])
    dialect = op.get_bind().dialect.name
    if dialect in PARTIAL_INDEXES:
        # a pending request twice (two processes racing) would be one
        # person asking twice; older databases may hold such duplicates
        # only if written by hand, so they are not cleaned up here
        op.create_index(
            "uq_hub_groups_requests_one_pending",
            "hub_groups_requests",
            ["group", "user"],
            unique=True,
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect in PARTIAL_INDEXES:
        op.drop_index("uq_hub_groups_requests_one_pending", table_name="hub_groups_requests")
    op.drop_index("ix_hub_groups_requests_user_created", table_name="hub_groups_requests")
    with op.batch_alter_table("hub_groups_requests") as batch:
        batch.drop_column("notified")
