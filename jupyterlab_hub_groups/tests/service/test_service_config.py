"""``service.json``: what the hub helper writes is what the service reads
(jupyterlab_hub_groups/service/config.py), and a file that is not one is
refused with what is wrong in it."""

import json

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import configure_hub, load_spec
from jupyterlab_hub_groups.hub.managed_service import make_service
from jupyterlab_hub_groups.service.__main__ import main
from jupyterlab_hub_groups.service.config import (
    CourseConfig,
    ServiceConfig,
    ServiceConfigError,
)

from ..hub.world import dirs, state_dir, world

SMTP = {
    "host": "smtp.example.org",
    "from": "hub@example.org",
    "username": "hub",
    "password_env": "HUB_GROUPS_SMTP_PASSWORD",
}


def every_job(tmp_path):
    """A file that gives the service all its jobs: sync, watch, enrolment."""
    data = world(
        settings={
            **dirs(tmp_path),
            "authoritative": True,
            "public_url": "https://hub.example.org/",
            "smtp": SMTP,
        }
    )
    data["courses"]["Open101"] = {"enrolment": "open"}
    data["courses"]["Ask9"] = {"enrolment": "request", "notify": ["prof@example.org"]}
    return data


def test_the_file_the_hub_writes_reads_back_equal(tmp_path):
    c = Config()
    spec = configure_hub(c, every_job(tmp_path))
    _, _, written = make_service(spec)
    read = ServiceConfig.from_json((state_dir(tmp_path) / "service.json").read_text())
    assert read == written
    assert read.sync and read.projects and read.db_url
    assert read.enrolment.courses == {
        "Open101": CourseConfig("open"),
        "Ask9": CourseConfig("request", ("prof@example.org",)),
    }
    assert read.enrolment.smtp["password_env"] == "HUB_GROUPS_SMTP_PASSWORD"


def test_a_config_without_enrolment_reads_back_equal(tmp_path):
    spec = load_spec(world(settings={**dirs(tmp_path), "authoritative": True}))
    _, _, written = make_service(spec)
    assert written.enrolment is None
    assert ServiceConfig.from_json(written.to_json()) == written


@pytest.mark.parametrize(
    "text, problem",
    [
        ("{", "not JSON"),
        ("[]", "the config must be a JSON object"),
        ('{"projcts": {}}', "the config has unknown keys: projcts"),
        ('{"interval": "20"}', "interval has the wrong type (str)"),
        ('{"interval": true}', "interval has the wrong type (bool)"),
        ('{"projects": ["vox"]}', "projects has the wrong type (list)"),
        ('{"enrolment": {"courses": {}}}', "enrolment needs rate_limit"),
        (
            '{"enrolment": {"courses": {"c": {"enrolment": "closed"}}, "rate_limit": 5, '
            '"listen": "http://127.0.0.1:10101"}}',
            "enrolment.courses.c.enrolment must be request or open",
        ),
        (
            '{"enrolment": {"courses": {}, "rate_limit": "5", "listen": "http://x:1"}}',
            "enrolment.rate_limit has the wrong type (str)",
        ),
        (
            '{"enrolment": {"courses": {}, "rate_limit": 5, "listen": "http://x:1", '
            '"smtp": {"host": "h", "from": "a@b.c", "password": "p"}}}',
            "enrolment.smtp has unknown keys: password",
        ),
    ],
)
def test_a_malformed_file_says_what_is_wrong(text, problem):
    with pytest.raises(ServiceConfigError) as e:
        ServiceConfig.from_json(text, "/srv/state/service.json")
    assert e.value.problem.startswith(problem)
    assert str(e.value).startswith(f"/srv/state/service.json: {problem}")


def test_the_service_process_refuses_a_malformed_file(tmp_path):
    path = tmp_path / "service.json"
    path.write_text(json.dumps({"interval": "soon"}))
    with pytest.raises(SystemExit) as e:
        main([str(path)])
    assert str(e.value).startswith(f"hub-groups: {path}: interval has the wrong type")


def test_the_service_process_says_a_missing_file(tmp_path):
    with pytest.raises(SystemExit) as e:
        main([str(tmp_path / "nowhere.json")])
    assert "nowhere.json" in str(e.value)
