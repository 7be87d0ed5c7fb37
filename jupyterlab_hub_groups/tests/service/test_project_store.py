"""The records of runtime projects and group shares (revision 7,
jupyterlab_hub_groups/service/project_store.py), on SQLite and PostgreSQL:
the limit per person checked where the row is written, a name or an
account recorded once, group shares and the grants made for them."""

import pytest
import sqlalchemy as sa

from jupyterlab_hub_groups.service.db import open_database
from jupyterlab_hub_groups.service.project_store import ProjectStore


@pytest.fixture
def store(db_url):
    database = open_database(db_url)
    yield ProjectStore(database.store.engine)
    database.close()


def test_the_limit_counts_what_one_has_made(store):
    assert store.add_project("orca", "orca-collab", "vex", 2)
    assert store.add_project("seal", "seal-collab", "vex", 2)
    assert not store.add_project("otter", "otter-collab", "vex", 2)
    assert store.project("otter") is None
    assert store.add_project("otter", "otter-collab", "vax", 2)
    assert store.created_by("vex") == 2
    store.remove_project("orca")
    assert store.created_by("vex") == 1
    assert [p.name for p in store.projects()] == ["otter", "seal"]
    assert store.project("seal").creator == "vex"


def test_a_name_or_an_account_is_recorded_once(store):
    assert store.add_project("orca", "orca-collab", "vex", 5)
    with pytest.raises(sa.exc.IntegrityError):
        store.add_project("orca", "other-collab", "vax", 5)
    with pytest.raises(sa.exc.IntegrityError):
        store.add_project("orca2", "orca-collab", "vax", 5)
    assert store.created_by("vax") == 0


def test_group_shares_and_their_grants(store):
    store.add_group_share("mmuster", "Class1")
    store.add_group_share("mmuster", "Class1")  # once
    store.add_group_share("mmuster", "vox")
    store.add_group_share("alice", "Class1")
    assert store.group_shares() == {"mmuster": {"Class1", "vox"}, "alice": {"Class1"}}
    store.remove_group_share("mmuster", "vox")
    assert store.group_shares()["mmuster"] == {"Class1"}
    store.set_grants("mmuster", ["alice", "pike"])
    store.set_grants("alice", ["mmuster"])
    store.set_grants("mmuster", ["pike"])
    assert store.grants() == {"mmuster": {"pike"}, "alice": {"mmuster"}}
    # one owner's rows only (what a page's call reads)
    assert store.grants("alice") == {"alice": {"mmuster"}}
    assert store.group_shares("alice") == {"alice": {"Class1"}}
    assert store.group_shares("pike") == {}
    store.set_grants("alice", [])
    assert store.grants() == {"mmuster": {"pike"}}
