"""Who the hub helper added, in the hub side's database (hub/seeding.py):
the file's members are added once, whatever happens to ``state_dir``, and
the files of older versions move into the database once.

On SQLite and on a real PostgreSQL server (``db_url``, tests/conftest.py),
given as ``enrolment_db_url``: a database outside ``state_dir``, as Zero to
JupyterHub's external database is.
"""

import json
import logging
import subprocess
import sys

from alembic.script import ScriptDirectory
from traitlets.config import Config

from jupyterlab_hub_groups.hub import configure_hub
from jupyterlab_hub_groups.service.db import (
    MemberRecords,
    RequestStore,
    alembic_config,
    make_engine,
)

from .. import records
from .world import dirs, mode, state_dir, world

COURSE = "Class1234_Semester02"


def start(tmp_path, db_url, **settings):
    """One hub start: configure_hub on a fresh ``c``, the database at
    ``db_url``; what ``load_groups`` asks JupyterHub to add."""
    c = Config()
    configure_hub(
        c, world(settings={**dirs(tmp_path), "enrolment_db_url": db_url, **settings})
    )
    return {g: v["users"] for g, v in c.JupyterHub.load_groups.items()}


def test_the_files_members_are_added_once(tmp_path, db_url):
    added = start(tmp_path, db_url)
    assert added["vox"] == ["vex", "vax", "pike"], "all of them, in the file's order"
    assert added["collaborative"] == ["vox-collab", "mighty-collab"]
    assert records.seeded(db_url)[COURSE] == {"mmuster", "alice"}
    # the next start adds nobody: a removal made at runtime stays
    assert all(users == [] for users in start(tmp_path, db_url).values())


def test_a_new_member_of_the_file_is_added_at_the_next_start(tmp_path, db_url):
    start(tmp_path, db_url)
    data = world(settings={**dirs(tmp_path), "enrolment_db_url": db_url})
    data["projects"]["vox"]["members"].insert(1, "newbie")
    data["projects"]["fresh"] = {"members": ["kim"]}
    c = Config()
    configure_hub(c, data)
    added = {g: v["users"] for g, v in c.JupyterHub.load_groups.items()}
    assert added["vox"] == ["newbie"] and added["fresh"] == ["kim"]
    assert added["mighty"] == []


def test_authoritative_mode_asks_for_every_member_and_keeps_the_record(tmp_path, db_url):
    """The service makes the groups exactly the file's; the record stays
    right for a return to the default mode."""
    assert start(tmp_path, db_url, authoritative=True)["vox"] == ["vex", "vax", "pike"]
    assert start(tmp_path, db_url, authoritative=True)["vox"] == ["vex", "vax", "pike"]
    assert start(tmp_path, db_url)["vox"] == []


def test_a_hub_restart_that_lost_state_dir_adds_nobody_and_keeps_requests(
    tmp_path_factory, db_url
):
    """Zero to JupyterHub with an external database: /srv/jupyterhub is new
    at every hub start, the database is the same."""
    first = tmp_path_factory.mktemp("first-pod")
    data = world(settings={**dirs(first), "enrolment_db_url": db_url})
    data["courses"][COURSE]["enrolment"] = "request"
    c = Config()
    configure_hub(c, data)
    assert c.JupyterHub.load_groups["vox"] == {"users": ["vex", "vax", "pike"]}
    # meanwhile: a request, and what the service saw
    engine = make_engine(db_url)
    RequestStore(engine).submit(COURSE, "mmuster2", "let me in", 5, 3600)
    MemberRecords(engine).set_watched({"vox": ["vex", "vax", "pike"]})
    engine.dispose()

    second = tmp_path_factory.mktemp("second-pod")
    assert not state_dir(second).exists()
    data = world(settings={**dirs(second), "enrolment_db_url": db_url})
    data["courses"][COURSE]["enrolment"] = "request"
    c = Config()
    configure_hub(c, data)
    assert all(v["users"] == [] for v in c.JupyterHub.load_groups.values())
    engine = make_engine(db_url)
    request = RequestStore(engine).latest(COURSE, "mmuster2")
    engine.dispose()
    assert (request.state, request.message) == ("pending", "let me in")
    assert records.watched(db_url) == {"vox": {"vex", "vax", "pike"}}
    # and the service of the new pod is told where the database is
    config = json.loads((state_dir(second) / "service.json").read_text())
    assert config["db_url"] == db_url


def test_seeded_json_of_the_state_folder_is_imported_once_and_deleted(tmp_path, db_url):
    """The record of the version before: people it added and an
    instructor removed since stay removed."""
    state = state_dir(tmp_path)
    state.mkdir(mode=0o700)
    (state / "seeded.json").write_text(json.dumps({"vox": ["vex", "vax"], "gone": ["x"]}))
    added = start(tmp_path, db_url)
    assert added["vox"] == ["pike"]
    assert not (state / "seeded.json").exists()
    assert records.seeded(db_url)["vox"] == {"vex", "vax", "pike"}
    assert records.seeded(db_url)["gone"] == {"x"}, "kept, as the file kept it"
    # an older version run in between wrote it again: what it added counts
    (state / "seeded.json").write_text(json.dumps({"mighty": ["later"]}))
    start(tmp_path, db_url)
    assert "later" in records.seeded(db_url)["mighty"]
    assert not (state / "seeded.json").exists()


def test_a_broken_seeded_json_adds_the_members_again_and_goes(tmp_path, db_url, caplog):
    state = state_dir(tmp_path)
    state.mkdir(mode=0o700)
    (state / "seeded.json").write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="JupyterHub"):
        assert start(tmp_path, db_url)["vox"] == ["vex", "vax", "pike"]
    assert "seeded.json is unreadable, ignored" in caplog.text
    assert not (state / "seeded.json").exists()
    (state / "seeded.json").write_text(json.dumps({"vox": "vex", "mighty": [1, "beau"]}))
    start(tmp_path, db_url)
    assert not (state / "seeded.json").exists()


def test_the_generated_folders_record_is_imported_while_the_database_has_none(
    tmp_path, db_url
):
    """The record of versions older still, in the generated folder; and
    their roster, deleted."""
    (tmp_path / "seeded.json").write_text(json.dumps({"vox": ["vex", "vax", "pike"]}))
    (tmp_path / "members.json").write_text(json.dumps({"vox": ["vex"]}))
    assert start(tmp_path, db_url)["vox"] == []
    assert not (tmp_path / "seeded.json").exists()
    assert not (tmp_path / "members.json").exists()


def test_then_a_record_in_the_generated_folder_is_deleted_unread(tmp_path, db_url):
    """Servers see the generated folder: one that could write there must
    not keep anyone out of a group."""
    start(tmp_path, db_url)
    (tmp_path / "seeded.json").write_text(json.dumps({"vox": ["newbie"]}))
    data = world(settings={**dirs(tmp_path), "enrolment_db_url": db_url})
    data["projects"]["vox"]["members"].append("newbie")
    c = Config()
    configure_hub(c, data)
    assert c.JupyterHub.load_groups["vox"] == {"users": ["newbie"]}
    assert not (tmp_path / "seeded.json").exists()


def test_the_state_folders_record_wins_over_the_generated_folders(tmp_path, db_url):
    state = state_dir(tmp_path)
    state.mkdir(mode=0o700)
    (state / "seeded.json").write_text(json.dumps({"mighty": ["beau"]}))
    (tmp_path / "seeded.json").write_text(json.dumps({"vox": ["vex", "vax", "pike"]}))
    added = start(tmp_path, db_url)
    assert added["vox"] == ["vex", "vax", "pike"]
    assert added["mighty"] == ["fjord", "jester"]
    assert not (tmp_path / "seeded.json").exists()


def test_watch_json_of_the_state_folder_is_imported_once_and_deleted(tmp_path, db_url):
    """What the service of the version before saw: a removal made while
    the hub was down for the upgrade is still acted on."""
    state = state_dir(tmp_path)
    state.mkdir(mode=0o700)
    (state / "watch.json").write_text(json.dumps({"vox": ["pike", "vax", "vex"], "mighty": []}))
    start(tmp_path, db_url)
    assert records.watched(db_url) == {"vox": {"pike", "vax", "vex"}}
    assert not (state / "watch.json").exists()
    # the database's own snapshot is newer than any file found later
    (state / "watch.json").write_text(json.dumps({"vox": ["ghost"]}))
    start(tmp_path, db_url)
    assert records.watched(db_url) == {"vox": {"pike", "vax", "vex"}}
    assert not (state / "watch.json").exists()


def test_the_default_database_is_a_hub_only_file_of_the_state_folder(tmp_path):
    configure_hub(Config(), world(settings={**dirs(tmp_path)}))
    path = state_dir(tmp_path) / "enrolment.sqlite"
    assert mode(path) == 0o600
    assert records.seeded(f"sqlite:///{path}")["vox"] == {"vex", "vax", "pike"}


def test_the_migration_at_config_load_is_in_the_hubs_log(tmp_path, db_url, caplog):
    with caplog.at_level(logging.INFO, logger="JupyterHub"):
        start(tmp_path, db_url)
        start(tmp_path, db_url)
    said = [r.getMessage() for r in caplog.records if "hub-groups database" in r.getMessage()]
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert said == [f"hub-groups database migrated from nothing to {head}"], "once"


def test_configure_hub_records_with_no_jupyter_server_jupyterlab_or_tornado(tmp_path):
    """What a hub image without them runs at config load: the database
    needs SQLAlchemy and alembic only (JupyterHub's own dependencies)."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('jupyter_server', 'jupyterlab', 'tornado'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from traitlets.config import Config\n"
        "from jupyterlab_hub_groups.hub import configure_hub\n"
        "c = Config()\n"
        f"configure_hub(c, {{'projects': {{'vox': {{'members': ['vex']}}}}}}, "
        f"generated_dir={str(tmp_path / 'gen')!r}, state_dir={str(tmp_path / 'state')!r})\n"
        "print(c.JupyterHub.load_groups['vox'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "{'users': ['vex']}"
    assert records.seeded(f"sqlite:///{tmp_path / 'state/enrolment.sqlite'}") == {
        "vox": {"vex"},
        "collaborative": {"vox-collab"},
    }
