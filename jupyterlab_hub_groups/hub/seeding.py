"""Who the hub helper already added to each group, recorded in the hub
side's database, so that the file's members are added once.

Why: JupyterHub's ``load_groups`` only ever adds. In the default mode the
file's members are the *initial* members: each is added once, and a
removal made later at runtime stays removed after a restart. That needs a
record of who was added which lives as long as the hub's own database:
the hub side's database (``settings.db_url``, where the service keeps the
requests to join courses), not a file in ``state_dir``, which Zero to
JupyterHub loses at every hub restart unless the hub's database is the
chart's ``sqlite-pvc``. The record is written in both modes, so that
leaving authoritative mode keeps it right.

Why a module of its own: :func:`configure_hub` runs in the hub process at
config load, before the service starts and outside any event loop, so this
is synchronous and self-contained: open the database, migrate it to the
newest revision (the service's own :func:`~jupyterlab_hub_groups.service.db.upgrade`),
read and write the record, close it. It is also the one place where the
files of older versions are moved into the database, before anything reads
them: ``seeded.json`` of ``state_dir`` (or, older still, of
``generated_dir``, which every server mounts) and the service's
``watch.json`` are imported once and deleted.

SQLAlchemy and alembic are JupyterHub's own dependencies; they are
imported when :func:`seed_members` runs, so that importing the hub helper
needs the standard library and PyYAML only.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from .spec import HubGroupsSpec

#: The hub's own log (JupyterHub's application logger), where a migration
#: made at config load is told.
log = logging.getLogger("JupyterHub")

#: Files of older versions, imported into the database and then deleted:
#: in ``state_dir``, who was added and what the service saw...
STATE_FILES = ("seeded.json", "watch.json")
#: ... and in ``generated_dir``, a record and a roster of even older ones.
GENERATED_FILES = ("seeded.json", "members.json")


def _old_record(path: Path) -> dict[str, set[str]] | None:
    """An older version's record (group → names), or None when there is
    no file. What is not a record (a broken file, wrong types) counts as
    empty: the file's members are then added once more, as the older
    version itself did with such a file."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        log.warning("hub-groups: %s is unreadable, ignored: %s", path, e)
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        group: {name for name in names if isinstance(name, str)}
        for group, names in data.items()
        if isinstance(group, str) and isinstance(names, list)
    }


def seed_members(spec: HubGroupsSpec) -> dict[str, list[str]]:
    """The members ``load_groups`` should add at this start; the file's
    members are recorded as added.

    Older versions' files are imported first: ``state_dir/seeded.json``
    always (it is the hub's own), ``generated_dir/seeded.json`` only while
    the database has no record yet (servers can see that folder, and the
    record moved from there once); ``state_dir/watch.json`` while the
    database has no snapshot of its own. All of them are deleted after.

    Parameters
    ----------
    spec : HubGroupsSpec
        The checked file; its ``settings.db_url`` is the database.

    Returns
    -------
    dict
        Group → members to add, in the file's order: in authoritative mode
        all of the file's (the service then makes them exactly the file's),
        else those never added before.
    """
    from ..service.db import MemberRecords, make_engine, migrate

    settings = spec.settings
    assert settings.state_dir is not None and settings.generated_dir is not None
    wanted = spec.group_members()
    engine = make_engine(settings.db_url)
    try:
        migrate(engine, log)
        records = MemberRecords(engine)
        old = _old_record(settings.state_dir / "seeded.json")
        if old is None and not records.seeded():
            old = _old_record(settings.generated_dir / "seeded.json")
        if old:
            records.seed(old)
        snapshot = _old_record(settings.state_dir / "watch.json")
        if snapshot and not records.watched():
            records.set_watched(snapshot)
        new = records.seed(wanted)
    finally:
        engine.dispose()
    # only once the database holds them: a hub stopped before this point
    # imports them at its next start
    for name in STATE_FILES:
        (settings.state_dir / name).unlink(missing_ok=True)
    for name in GENERATED_FILES:
        (settings.generated_dir / name).unlink(missing_ok=True)
    if settings.authoritative:
        return wanted
    return {group: [u for u in users if u in new[group]] for group, users in wanted.items()}
