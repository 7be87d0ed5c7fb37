"""The hub side's tables, as the newest revision makes them, and the
record of one request to join a course.

Why a module of its own: the migrations (``migrations/``) make these
tables, and the stores (:mod:`.request_store`, :mod:`.member_records`,
:mod:`.project_store`) query them; the names are prefixed (``hub_groups_requests``,
``hub_groups_alembic_version``) because the database may be shared with
other applications, JupyterHub's own included, which has an
``alembic_version`` table of its own. Times are stored in UTC without a
time zone (not every database keeps time zones).

Imports SQLAlchemy only (the hub helper imports it at config load).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

#: Alembic's record of the revision, named apart from JupyterHub's.
VERSION_TABLE = "hub_groups_alembic_version"
#: The requests' table.
TABLE = "hub_groups_requests"
#: Who the hub helper added to each group (revision 3).
SEEDED_TABLE = "hub_groups_seeded"
#: The project members the service saw last (revision 3).
WATCHED_TABLE = "hub_groups_watched"
#: Who was added to or removed from a group in the Course members panel,
#: and by whom (revision 5; :mod:`.history`).
CHANGES_TABLE = "hub_groups_member_changes"
#: The members of the course groups at the service's last look (revision 6;
#: :mod:`.course_watch`).
COURSES_SEEN_TABLE = "hub_groups_courses_seen"

#: The states a request goes through: ``pending`` until an instructor
#: approves or declines it, or its author withdraws it. An open course's
#: join is recorded as ``approved`` at once.
STATES = ("pending", "approved", "declined", "withdrawn")

metadata = sa.MetaData()

#: The requests, as the newest revision makes them (see ``migrations/``).
requests = sa.Table(
    TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("group", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.Column("state", sa.Unicode(16), nullable=False),
    sa.Column("message", sa.UnicodeText, nullable=True),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("decided", sa.DateTime, nullable=True),
    sa.Column("decided_by", sa.Unicode(255), nullable=True),
    # revision 2: when the instructors' e-mail was handled (sent or given up)
    sa.Column("notified", sa.DateTime, nullable=True),
    # revision 4: why a request was declined, for its author (optional)
    sa.Column("reason", sa.UnicodeText, nullable=True),
    # revision 4: when the student's e-mail of the decision was handled
    # (sent, not to be sent, or given up); None while one may be due
    sa.Column("student_notified", sa.DateTime, nullable=True),
)

#: The file's members the hub helper added to a group, once each: one row
#: per group and person (revision 3).
seeded = sa.Table(
    SEEDED_TABLE,
    metadata,
    sa.Column("group", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.PrimaryKeyConstraint("group", "user", name=f"pk_{SEEDED_TABLE}"),
)

#: The members of each project group at the service's last look: one row
#: per project and person (revision 3). A project without rows had nobody
#: (or was never seen): nobody can have left it.
watched = sa.Table(
    WATCHED_TABLE,
    metadata,
    sa.Column("project", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.PrimaryKeyConstraint("project", "user", name=f"pk_{WATCHED_TABLE}"),
)

#: What the Course members panel changed, as its manager reported it and
#: the hub confirmed (:mod:`.history`): one row per person and change
#: (revision 5). ``kind`` is ``added`` or ``removed``; ``by`` the manager,
#: or None for a change the service saw and nobody reported (revision 6:
#: made outside the panel, :mod:`.course_watch`).
member_changes = sa.Table(
    CHANGES_TABLE,
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("group", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.Column("kind", sa.Unicode(16), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("by", sa.Unicode(255), nullable=True),
    sa.Index(f"ix_{CHANGES_TABLE}_group_at", "group", "at"),
)

courses_seen = sa.Table(
    COURSES_SEEN_TABLE,
    metadata,
    sa.Column("group", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.PrimaryKeyConstraint("group", "user", name=f"pk_{COURSES_SEEN_TABLE}"),
)

#: Projects made through the service's API (revision 7).
PROJECTS_TABLE = "hub_groups_projects"
#: The groups people shared their default server with (revision 7).
GROUP_SHARES_TABLE = "hub_groups_group_shares"
#: The user shares the service made for those groups (revision 7).
GRANTS_TABLE = "hub_groups_share_grants"

#: One row per project: its group's name, its collaboration account, who
#: made it and when.
projects = sa.Table(
    PROJECTS_TABLE,
    metadata,
    sa.Column("name", sa.Unicode(255), nullable=False),
    sa.Column("account", sa.Unicode(255), nullable=False),
    sa.Column("creator", sa.Unicode(255), nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.PrimaryKeyConstraint("name", name=f"pk_{PROJECTS_TABLE}"),
    sa.UniqueConstraint("account", name=f"uq_{PROJECTS_TABLE}_account"),
    sa.Index(f"ix_{PROJECTS_TABLE}_creator", "creator"),
)

#: One row per owner and group their default server is shared with.
group_shares = sa.Table(
    GROUP_SHARES_TABLE,
    metadata,
    sa.Column("owner", sa.Unicode(255), nullable=False),
    sa.Column("group", sa.Unicode(255), nullable=False),
    sa.PrimaryKeyConstraint("owner", "group", name=f"pk_{GROUP_SHARES_TABLE}"),
)

#: One row per user share the service made because of a group share.
share_grants = sa.Table(
    GRANTS_TABLE,
    metadata,
    sa.Column("owner", sa.Unicode(255), nullable=False),
    sa.Column("user", sa.Unicode(255), nullable=False),
    sa.PrimaryKeyConstraint("owner", "user", name=f"pk_{GRANTS_TABLE}"),
)


def utcnow() -> datetime:
    """Now, in UTC without a time zone: what the table stores (not every
    database keeps time zones)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(moment: datetime | None) -> str | None:
    """A stored time as ISO 8601 with its UTC offset, for the API."""
    return None if moment is None else moment.replace(tzinfo=timezone.utc).isoformat()


@dataclass(frozen=True)
class Request:
    """One request of one person to join one course."""

    id: int
    group: str
    user: str
    state: str
    message: str | None
    created: datetime
    decided: datetime | None = None
    decided_by: str | None = None
    notified: datetime | None = None
    reason: str | None = None
    student_notified: datetime | None = None

    @classmethod
    def of(cls, row: Any) -> Request:
        return cls(**{k: row._mapping[k] for k in cls.__dataclass_fields__})

    def mine(self) -> dict[str, Any]:
        """As its author sees it (``GET courses``, ``POST .../requests``)."""
        return {
            "state": self.state,
            "message": self.message,
            "created": iso(self.created),
            "decided": iso(self.decided),
            "reason": self.reason,
        }

    def managed(self) -> dict[str, Any]:
        """As the course's instructors see it (``GET .../requests``)."""
        return {
            "user": self.user,
            "state": self.state,
            "message": self.message,
            "created": iso(self.created),
            "decided": iso(self.decided),
            "decided_by": self.decided_by,
            "reason": self.reason,
        }
