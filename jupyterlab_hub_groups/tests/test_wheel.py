"""`pip install .` gives a prebuilt labextension and an enabled server extension.

`make test` builds the wheel first and passes its path in HUB_GROUPS_WHEEL;
without it (a plain `pytest`) this check has nothing to look at.
"""

import json
import os
import zipfile

import pytest

WHEEL = os.environ.get("HUB_GROUPS_WHEEL")

pytestmark = pytest.mark.skipif(
    not WHEEL, reason="no wheel built: run `make test-py`, which builds one first"
)


@pytest.fixture(scope="module")
def wheel():
    with zipfile.ZipFile(WHEEL) as zf:
        yield zf


def data_files(wheel):
    names = wheel.namelist()
    prefix = next(n for n in names if ".data/data/" in n).split(".data/data/")[0]
    return {n.split(".data/data/", 1)[1]: n for n in names if n.startswith(prefix + ".data/")}


def test_labextension_is_prebuilt(wheel):
    files = data_files(wheel)
    ext = "share/jupyter/labextensions/jupyterlab-hub-groups/"
    package = json.loads(wheel.read(files[ext + "package.json"]))
    assert package["name"] == "jupyterlab-hub-groups"
    assert package["jupyterlab"]["_build"]["load"].startswith("static/remoteEntry.")
    assert ext + package["jupyterlab"]["_build"]["load"] in files
    assert ext + "schemas/jupyterlab-hub-groups/groups.json" in files
    assert json.loads(wheel.read(files[ext + "install.json"]))["packageName"] == (
        "jupyterlab_hub_groups"
    )


def test_the_labextension_is_the_production_build(wheel):
    """What users get is minified, without source maps, with the bundled
    packages' licenses: the production build (``jlpm build:prod``), never the
    development build ``make setup`` leaves in the tree (the build hook must
    not take that one for its own)."""
    files = data_files(wheel)
    ext = "share/jupyter/labextensions/jupyterlab-hub-groups/"
    bundle = [name for name in files if name.startswith(ext + "static/")]
    assert [n for n in bundle if n.endswith(".map")] == [], "source maps: a development build"
    assert ext + "static/third-party-licenses.json" in bundle
    package = json.loads(wheel.read(files[ext + "package.json"]))
    entry = wheel.read(files[ext + package["jupyterlab"]["_build"]["load"]])
    # minified: a development remoteEntry has about a thousand lines, with comments
    assert entry.count(b"\n") < 20
    assert b"sourceMappingURL" not in entry
    assert ext + "build_log.json" not in files, "the builder logs development builds only"


def test_server_extension_is_enabled(wheel):
    files = data_files(wheel)
    config = json.loads(
        wheel.read(files["etc/jupyter/jupyter_server_config.d/jupyterlab_hub_groups.json"])
    )
    assert config["ServerApp"]["jpserver_extensions"] == {"jupyterlab_hub_groups": True}


def test_the_package_has_a_room_per_capability_and_no_demo(wheel):
    """The server extension, the hub helper and its service, and what they
    share, are installed; the demo's course dashboard is not (it is the
    demo's: demo/apps/course_dashboard.py)."""
    names = set(wheel.namelist())
    package = "jupyterlab_hub_groups/"
    for module in (
        "__init__.py",
        "contract.py",
        "hub_client.py",
        "group_changes.py",
        "refusal.py",
        "server/__init__.py",
        "server/config.py",
        "server/identity.py",
        "server/visitors.py",
        "server/revalidate.py",
        "server/membership.py",
        "server/handlers/__init__.py",
        "server/handlers/base.py",
        "server/handlers/me.py",
        "server/handlers/presence.py",
        "server/handlers/collaborations.py",
        "server/handlers/manage.py",
        "hub/__init__.py",
        "hub/__main__.py",
        "hub/spec.py",
        "hub/hubconfig.py",
        "hub/files.py",
        "hub/spawn.py",
        "service/__init__.py",
        "service/__main__.py",
        "service/sync.py",
        "service/watch.py",
        "service/api.py",
        "service/enrolment.py",
        "service/api_error.py",
        "service/bodies.py",
        "service/db.py",
        "service/tables.py",
        "service/request_store.py",
        "service/member_records.py",
        "service/mail.py",
        # the requests' database is migrated at every start: the migrations ship
        "service/migrations/env.py",
        "service/migrations/script.py.mako",
        "service/migrations/versions/0001_requests.py",
        "service/migrations/versions/0002_notified_and_one_pending.py",
    ):
        assert package + module in names, module
    for old in ("hub.py", "hub_service.py", "routes.py", "collaborations.py", "hub_identity.py"):
        assert package + old not in names, old
    assert not [n for n in names if "dashboard" in n], "the demo's dashboard is not installed"
