"""Hostile input to the hub helper: names that would escape a folder, break
a scope filter, smuggle a second line into a log or a config file, look
like a command-line option, or look like someone else.

Every name in the YAML file ends up somewhere that parses it: a folder
path (course kernels), a URL (``/user/<account>/``), a scope filter
(``access:servers!user=<account>``), a role name, a command line
(``--HubGroupsConfig.presence_groups=<project>``). Each case here must be
refused with its place in the file, before anything is written.
"""

import pytest
from traitlets.config import Config

from jupyterlab_hub_groups.hub import HubGroupsConfigError, configure_hub, load_spec

HOSTILE_NAMES = {
    "dot-dot-slash": "../vox",
    "bang": "vox!user=admin",
    "equals": "vox=1",
    "slash": "a/b",
    "trailing newline": "vox\n",
    "inner newline": "vox\nadmin",
    "unicode letter": "vöx",
    "right-to-left override": "vox\u202e",
    "space": "v ox",
    "leading dash": "-vox",
    "empty": "",
    "too long": "v" * 300,
}


def problems(data):
    with pytest.raises(HubGroupsConfigError) as e:
        load_spec(data)
    return e.value.problems


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_project_names_are_refused(name):
    found = problems({"projects": {name: {"members": ["vex"]}}})
    assert any(p.startswith(f"projects.{name}:") and "not a usable name" in p for p in found)


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_course_names_are_refused(name):
    found = problems({"courses": {name: {"students": ["alice"]}}})
    assert any(p.startswith(f"courses.{name}:") and "not a usable name" in p for p in found)


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
@pytest.mark.parametrize("kind", ["kernels", "services"])
def test_hostile_kernel_and_service_names_are_refused(name, kind):
    body = {"argv": ["python", "{connection_file}"]} if kind == "kernels" else {"command": ["x"]}
    found = problems({"courses": {"c1": {kind: {name: body}}}})
    assert any(p.startswith(f"courses.c1.{kind}.{name}:") for p in found), found


HOSTILE_MEMBERS = {
    "dot-dot-slash": "../vex",
    "slash": "a/b",
    "bang": "vex!",
    "equals": "a=b",
    "trailing newline": "vex\n",
    "leading dash": "-rf",
    "space": "v ex",
    "leading space": " vex",
    "right-to-left override": "\u202evex",
    "zero-width space": "ve\u200bx",
    "dots only": "..",
    "tab": "vex\t",
}


@pytest.mark.parametrize("name", HOSTILE_MEMBERS.values(), ids=HOSTILE_MEMBERS.keys())
def test_hostile_member_names_are_refused(name):
    found = problems({"projects": {"vox": {"members": [name]}}})
    assert any(p.startswith("projects.vox.members[0]:") for p in found), found


@pytest.mark.parametrize("name", ["josé", "a.b@example.org", "first.last+tag", "u_1"])
def test_real_world_member_names_are_accepted(name):
    spec = load_spec({"projects": {"vox": {"members": [name]}}})
    assert spec.projects[0].members == (name,)


HOSTILE_PATTERNS = {
    "bang": "{project}!x",
    "slash": "{project}/collab",
    "space": "collab {project}",
    "leading dash": "-{project}",
    "equals": "{project}=x",
    "newline": "{project}-collab\n",
    "unicode": "{project}-cöllab",
    "uppercase": "Collab-{project}",
    "twice": "{project}-{project}",
    "not at all": "collab",
    "nothing else": "{project}",
    "other field": "{project}-{x}",
    "positional field": "{0}-{project}",
    "attribute access": "{project.__class__}-collab",
    "stray brace": "{project}-collab}",
}


@pytest.mark.parametrize("pattern", HOSTILE_PATTERNS.values(), ids=HOSTILE_PATTERNS.keys())
def test_hostile_account_patterns_are_refused(pattern):
    found = problems(
        {"settings": {"collaboration_account": pattern}, "projects": {"vox": {"members": ["vex"]}}}
    )
    assert any(p.startswith("settings.collaboration_account:") for p in found), found


def test_a_mixed_case_project_would_give_an_account_jupyterhub_renames():
    """JupyterHub lowercases user names: 'Vox-collab' would be created as
    'vox-collab' while the role's scopes name 'Vox-collab'."""
    found = problems({"projects": {"Vox": {"members": ["vex"]}}})
    assert any(p.startswith("projects.Vox:") and "lowercase" in p for p in found), found


@pytest.mark.parametrize("name", ["vox-collab", "VOX-collab", "future-collab"])
def test_a_person_named_like_any_collaboration_account_is_refused(name):
    """Such a person could never log in (the login hook refuses the name), and
    'future-collab' would be handed a future project's shared server."""
    found = problems({"projects": {"vox": {"members": ["vex"]}}, "courses": {"c1": {"students": [name]}}})
    assert any(p.startswith("courses.c1.students[0]:") for p in found), found


def test_the_same_person_twice_in_another_case_is_refused():
    found = problems({"projects": {"vox": {"members": ["vex", "VEX"]}}})
    assert any(p.startswith("projects.vox.members[1]:") and "twice" in p for p in found)


def test_yaml_tags_that_run_code_are_refused(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text('projects: !!python/object/apply:os.system ["touch pwned"]\n')
    with pytest.raises(HubGroupsConfigError, match="not valid YAML"):
        load_spec(path)
    assert not (tmp_path / "pwned").exists()


def test_nothing_is_written_for_a_hostile_file(tmp_path):
    data = {
        "settings": {"generated_dir": str(tmp_path / "gen"), "state_dir": str(tmp_path / "state")},
        "courses": {"c1": {"kernels": {"../../escape": {"argv": ["python", "{connection_file}"]}}}},
    }
    with pytest.raises(HubGroupsConfigError):
        configure_hub(Config(), data)
    assert list(tmp_path.iterdir()) == []


# --- Requests to join courses: addresses, URLs, the SMTP settings ----------------------

HOSTILE_ADDRESSES = {
    "header injection": "prof@example.org\nBcc: everyone@example.org",
    "carriage return": "prof@example.org\r",
    "two addresses": "prof@example.org, dean@example.org",
    "display name": "Prof <prof@example.org>",
    "space": "prof @example.org",
    "no domain": "prof@",
    "no local part": "@example.org",
    "two ats": "prof@evil@example.org",
    "unicode lookalike": "prof@exаmple.org",  # Cyrillic a
    "quoted": '"prof"@example.org',
    "not a string": ["prof@example.org"],
    "too long": "p" * 65 + "@example.org",
}


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES.values(), ids=HOSTILE_ADDRESSES.keys())
def test_hostile_notify_addresses_are_refused(address):
    found = problems({"courses": {"c1": {"enrolment": "request", "notify": [address]}}})
    assert any(p.startswith("courses.c1.notify[0]:") for p in found), found


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES.values(), ids=HOSTILE_ADDRESSES.keys())
def test_hostile_sender_addresses_are_refused(address):
    found = problems({"settings": {"smtp": {"host": "smtp.example.org", "from": address}}})
    assert any(p.startswith("settings.smtp.from:") for p in found), found


HOSTILE_URLS = {
    "javascript": "javascript:alert(1)//",
    "protocol-relative": "//evil.example.org/",
    "newline": "https://hub.example.org/\nX-Evil: 1",
    "space": "https://hub.example.org/ x",
    "credentials": "https://admin:hunter2@hub.example.org/",
    "fragment": "https://hub.example.org/#x",
    "no host": "https:///path",
    "zero-width space": "https://hub.example.org\u200b/",
    "not a string": 8000,
}


@pytest.mark.parametrize("url", HOSTILE_URLS.values(), ids=HOSTILE_URLS.keys())
@pytest.mark.parametrize("key", ["public_url", "service_url"])
def test_hostile_urls_are_refused(key, url):
    found = problems({"settings": {key: url}})
    assert any(p.startswith(f"settings.{key}:") for p in found), found
    assert "hunter2" not in "\n".join(found)


@pytest.mark.parametrize(
    "host", ["smtp.example.org\n", "smtp example.org", "-smtp", "smtp.example.org:25", "", "a/b"]
)
def test_hostile_smtp_hosts_are_refused(host):
    found = problems({"settings": {"smtp": {"host": host, "from": "hub@example.org"}}})
    assert any(p.startswith("settings.smtp.host:") for p in found), found


@pytest.mark.parametrize(
    "name",
    [
        "JUPYTERHUB_API_TOKEN",  # would replace the service's own token
        "jupyterhub_api_url",
        "PATH",
        "PYTHONPATH",
        "LD_PRELOAD",
        "A=B",
        "$(reboot)",
        "SMTP PASSWORD",
        "PASS\n",
        "1PASS",
    ],
)
def test_hostile_password_variables_are_refused(name):
    found = problems(
        {
            "settings": {
                "smtp": {
                    "host": "smtp.example.org",
                    "from": "hub@example.org",
                    "username": "hub",
                    "password_env": name,
                }
            }
        }
    )
    assert any(p.startswith("settings.smtp.password_env:") for p in found), found


@pytest.mark.parametrize(
    "username", ["hub\nRCPT TO:<x@evil.example.org>", "hub user", "", "\u202ehub", "u" * 256]
)
def test_hostile_smtp_user_names_are_refused(username):
    found = problems(
        {
            "settings": {
                "smtp": {
                    "host": "smtp.example.org",
                    "from": "hub@example.org",
                    "username": username,
                    "password_env": "HUB_GROUPS_SMTP_PASSWORD",
                }
            }
        }
    )
    assert any(p.startswith("settings.smtp.username:") for p in found), found


@pytest.mark.parametrize(
    "url", ["sqlite:///x y.sqlite", "sqlite:///x\n.sqlite", "x", "://db", "sqlite:///\u200bx"]
)
def test_hostile_database_urls_are_refused(url):
    found = problems({"settings": {"enrolment_db_url": url}})
    assert any(p.startswith("settings.enrolment_db_url:") for p in found), found
