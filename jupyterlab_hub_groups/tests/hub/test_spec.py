"""Reading and checking the YAML file: every mistake with its place (hub/spec.py)."""

import pytest

from jupyterlab_hub_groups.hub import HubGroupsConfigError, load_spec


@pytest.mark.parametrize(
    "data, place, words",
    [
        ({"project": {}}, "top level", "unknown key 'project'"),
        ({"projects": {"vox": {"members": ["vex"], "colour": "red"}}}, "projects.vox", "unknown key 'colour'"),
        ({"projects": {"vox": {"members": ["vex", 7]}}}, "projects.vox.members[1]", "must be a user name"),
        ({"projects": {"vox": {"members": "vex"}}}, "projects.vox.members", "must be a list"),
        ({"projects": {"vox": {"members": ["vex", "vex"]}}}, "projects.vox.members[1]", "listed twice"),
        ({"projects": {"vox": {"members": ["vox-collab"]}}}, "projects.vox.members[0]", "collaboration account"),
        (
            {"projects": {"vox": {}, "mighty": {"members": ["vox-collab"]}}},
            "projects.mighty.members[0]",
            "collaboration account of project 'vox'",
        ),
        ({"projects": {"vox": {}}, "courses": {"VOX": {}}}, "courses.VOX", "already used by projects.vox"),
        ({"projects": {"collaborative": {}}}, "projects.collaborative", "already used"),
        ({"projects": {"<img src=x>": {}}}, "projects.<img src=x>", "not a usable name"),
        ({"courses": {"c1": {"students": [None]}}}, "courses.c1.students[0]", "must be a user name"),
        ({"courses": {"c1": {"kernels": {"k": {"argv": "python"}}}}}, "courses.c1.kernels.k.argv", "non-empty list"),
        (
            {"courses": {"c1": {"kernels": {"k": {"argv": ["python"]}}}}},
            "courses.c1.kernels.k.argv",
            "{connection_file}",
        ),
        ({"courses": {"c1": {"services": {"s": {"command": "run"}}}}}, "courses.c1.services.s.command", "list of strings"),
        ({"settings": {"authoritative": "yes"}}, "settings.authoritative", "true or false"),
        (
            {"courses": {"c1": {"instructors_get_environment": "no"}}},
            "courses.c1.instructors_get_environment",
            "true or false",
        ),
        ({"settings": {"revalidate_seconds": 1}}, "settings.revalidate_seconds", "at least 5"),
        ({"settings": {"collaboration_account": "collab"}}, "settings.collaboration_account", "{project}"),
    ],
)
def test_each_mistake_is_reported_with_its_place(data, place, words):
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(data)
    assert any(p.startswith(place + ":") and words in p for p in e.value.problems), e.value.problems


def test_all_mistakes_are_reported_at_once():
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec({"projects": {"vox": {"members": [1, 2]}}, "courses": {"c": {"x": 1}}})
    assert len(e.value.problems) == 3
    assert "3 mistake(s), nothing applied" in str(e.value)


def test_a_name_defined_twice_in_the_file_is_refused(yaml_file):
    path = yaml_file(
        """\
        projects:
          vox:
            members: [vex]
          vox:
            members: [vax]
        """
    )
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(path)
    assert "line 4" in str(e.value) and "'vox' is defined twice" in str(e.value)


def test_invalid_yaml_says_where(yaml_file):
    with pytest.raises(HubGroupsConfigError, match="line 3: not valid YAML"):
        load_spec(yaml_file("projects:\n  vox: [\n"))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(HubGroupsConfigError, match="cannot be read"):
        load_spec(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    "where, value",
    [
        ("kernels", {"k": {"argv": ["python", "{connection_file}"], "env": {"API_TOKEN": "s3cr3t"}}}),
        ("kernels", {"k": {"argv": ["python", "{connection_file}"], "env": {"DB_PASSWORD": "x"}}}),
        ("services", {"s": {"command": ["run"], "environment": {"AWS_SECRET_ACCESS_KEY": "x"}}}),
    ],
)
def test_secrets_in_generated_files_are_refused(where, value):
    """Every member can read a kernel's environment (and the generated folder
    is mounted in every server): a secret there is not a secret."""
    with pytest.raises(HubGroupsConfigError, match="looks like a secret"):
        load_spec({"courses": {"c1": {where: value}}})


def test_a_name_with_a_trailing_newline_is_refused():
    with pytest.raises(HubGroupsConfigError, match="not a usable name"):
        load_spec({"projects": {"vox\n": {"members": ["vex"]}}})


@pytest.mark.parametrize("value", ["on", "restart!", True, None])
def test_on_member_removed_is_one_of_three(value):
    with pytest.raises(HubGroupsConfigError, match="settings.on_member_removed: must be"):
        load_spec({"settings": {"on_member_removed": value}})


def test_instructors_get_the_environment_unless_the_course_says_not():
    spec = load_spec(
        {"courses": {"c1": {}, "c2": {"instructors_get_environment": False}}}
    )
    assert [c.instructors_get_environment for c in spec.courses] == [True, False]


# --- Requests to join courses -----------------------------------------------------------

SMTP = {"host": "smtp.example.org", "from": "hub@example.org"}


def test_courses_are_closed_unless_they_say_otherwise():
    spec = load_spec(
        {
            "courses": {
                "c1": {},
                "c2": {"enrolment": "request", "notify": ["prof@example.org"]},
                "c3": {"enrolment": "open"},
            }
        }
    )
    assert [c.enrolment for c in spec.courses] == ["closed", "request", "open"]
    assert spec.courses[1].notify == ("prof@example.org",)
    assert [c.name for c in spec.enrolment_courses] == ["c2", "c3"]


def test_enrolment_settings_have_defaults():
    settings = load_spec({}).settings
    assert settings.service_url == "http://127.0.0.1:10101"
    assert settings.enrolment_rate_limit == 5
    assert settings.public_url is None and settings.smtp is None
    assert settings.db_url == f"sqlite:///{settings.state_dir / 'enrolment.sqlite'}"


def test_enrolment_settings_as_given():
    settings = load_spec(
        {
            "settings": {
                "service_url": "http://10.0.0.5:9000/",
                "enrolment_db_url": "postgresql+psycopg://hub@db/hub_groups",
                "enrolment_rate_limit": 0,
                "public_url": "https://hub.example.org/jupyter",
                "smtp": {
                    **SMTP,
                    "security": "ssl",
                    "username": "hub",
                    "password_env": "HUB_GROUPS_SMTP_PASSWORD",
                },
            }
        }
    ).settings
    assert settings.service_url == "http://10.0.0.5:9000"
    assert settings.db_url == "postgresql+psycopg://hub@db/hub_groups"
    assert settings.enrolment_rate_limit == 0
    assert settings.public_url == "https://hub.example.org/jupyter/", "ends with /"
    assert settings.smtp.port == 465, "the port of its security by default"
    assert settings.smtp.as_config() == {
        "host": "smtp.example.org",
        "port": 465,
        "from": "hub@example.org",
        "security": "ssl",
        "username": "hub",
        "password_env": "HUB_GROUPS_SMTP_PASSWORD",
    }


@pytest.mark.parametrize(
    "data, place, words",
    [
        ({"courses": {"c1": {"enrolment": "maybe"}}}, "courses.c1.enrolment", "closed, request, open"),
        ({"courses": {"c1": {"enrolment": True}}}, "courses.c1.enrolment", "must be one of"),
        ({"courses": {"c1": {"notify": "prof@example.org"}}}, "courses.c1.notify", "list of e-mail"),
        ({"courses": {"c1": {"notify": ["prof"]}}}, "courses.c1.notify[0]", "one e-mail address"),
        (
            {"courses": {"c1": {"notify": ["a@example.org", "A@example.org"]}}},
            "courses.c1.notify[1]",
            "listed twice",
        ),
        ({"courses": {"c1": {"notify": [f"p{i}@x.org" for i in range(21)]}}}, "courses.c1.notify", "at most 20"),
        ({"settings": {"service_url": "127.0.0.1:10101"}}, "settings.service_url", "http(s) URL"),
        ({"settings": {"service_url": "http://127.0.0.1:10101/api"}}, "settings.service_url", "without a path"),
        ({"settings": {"service_url": "http://127.0.0.1:port"}}, "settings.service_url", "port"),
        ({"settings": {"public_url": "ftp://hub.example.org/"}}, "settings.public_url", "http(s) URL"),
        ({"settings": {"public_url": "https://hub.example.org/?x=1"}}, "settings.public_url", "no query"),
        ({"settings": {"enrolment_db_url": "enrolment.sqlite"}}, "settings.enrolment_db_url", "SQLAlchemy"),
        ({"settings": {"enrolment_rate_limit": -1}}, "settings.enrolment_rate_limit", "from 0"),
        ({"settings": {"enrolment_rate_limit": True}}, "settings.enrolment_rate_limit", "whole number"),
        ({"settings": {"enrolment_rate_limit": 2.5}}, "settings.enrolment_rate_limit", "whole number"),
        ({"settings": {"smtp": "smtp.example.org"}}, "settings.smtp", "must be a mapping"),
        ({"settings": {"smtp": {}}}, "settings.smtp", "needs at least host and from"),
        ({"settings": {"smtp": {"from": "hub@example.org"}}}, "settings.smtp.host", "host name"),
        ({"settings": {"smtp": {**SMTP, "port": 0}}}, "settings.smtp.port", "1-65535"),
        ({"settings": {"smtp": {**SMTP, "port": "25"}}}, "settings.smtp.port", "port number"),
        ({"settings": {"smtp": {**SMTP, "security": "tls"}}}, "settings.smtp.security", "none, starttls, ssl"),
        ({"settings": {"smtp": {**SMTP, "from": "Hub <hub@example.org>"}}}, "settings.smtp.from", "one e-mail"),
        ({"settings": {"smtp": {**SMTP, "username": "hub"}}}, "settings.smtp", "go together"),
        (
            {"settings": {"smtp": {**SMTP, "password_env": "HUB_GROUPS_SMTP_PASSWORD"}}},
            "settings.smtp",
            "go together",
        ),
        ({"settings": {"smtp": {**SMTP, "retries": 3}}}, "settings.smtp", "unknown key 'retries'"),
        (
            {
                "settings": {
                    "smtp": {
                        **SMTP,
                        "security": "none",
                        "username": "hub",
                        "password_env": "HUB_GROUPS_SMTP_PASSWORD",
                    }
                }
            },
            "settings.smtp.security",
            "clear text",
        ),
    ],
)
def test_each_enrolment_mistake_is_reported_with_its_place(data, place, words):
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(data)
    assert any(p.startswith(place + ":") and words in p for p in e.value.problems), e.value.problems


def test_the_smtp_password_is_never_in_the_file():
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec({"settings": {"smtp": {**SMTP, "username": "hub", "password": "hunter2"}}})
    [problem] = e.value.problems
    assert problem.startswith("settings.smtp.password:") and "password_env" in problem
    assert "hunter2" not in str(e.value)


def test_a_database_url_with_a_mistake_is_not_echoed():
    """It may hold a password."""
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec({"settings": {"enrolment_db_url": "postgresql://hub:s3cr3t@db/x y"}})
    assert "s3cr3t" not in str(e.value)


def test_settings_given_in_python_are_checked_as_the_files():
    spec = load_spec({"settings": {"enrolment_rate_limit": 3}}, {"public_url": "http://h:1"})
    assert (spec.settings.enrolment_rate_limit, spec.settings.public_url) == (3, "http://h:1/")
    with pytest.raises(HubGroupsConfigError, match="settings.smtp.port"):
        load_spec({}, {"smtp": {**SMTP, "port": 70000}})


def test_the_yaml_is_read_with_libyaml_when_pyyaml_has_it():
    """Hub start at 1,000 projects: the pure-Python loader was most of the
    helper's own time (bench/README.md)."""
    import yaml

    from jupyterlab_hub_groups.hub.reader import _loader

    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("this PyYAML has no libyaml")
    assert issubclass(_loader(), yaml.CSafeLoader)
