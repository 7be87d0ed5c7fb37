"""The hub and the server read each other: what the hub helper writes for a
server (command-line arguments, the account pattern, RTC off) is what the
server extension and Jupyter Server read back (jupyterlab_hub_groups/contract.py)."""

import asyncio
import json

import pytest
from jupyter_server.serverapp import ServerApp
from traitlets.config import Config

from jupyterlab_hub_groups import contract
from jupyterlab_hub_groups.hub import configure_hub, load_spec
from jupyterlab_hub_groups.server.config import HubGroupsConfig

from .hub.world import dirs, spawner, world


def server_config(args):
    """What a single-user server started with ``args`` configures: parsed by
    Jupyter Server's own command line, read by our config class."""
    app = ServerApp()
    app.parse_command_line(list(args))
    return app, HubGroupsConfig(config=app.config)


def spawned(tmp_path, name, groups, settings=None, args=()):
    c = Config()
    configure_hub(c, world(settings={**dirs(tmp_path), **(settings or {})}))
    s = spawner(name, groups, args=args)
    asyncio.run(c.Spawner.pre_spawn_hook(s))
    return s


def test_the_hub_sets_only_settings_the_server_has():
    assert HubGroupsConfig.__name__ == contract.CONFIG_CLASS
    assert set(contract.SPAWN_TRAITS) <= set(HubGroupsConfig.class_trait_names(config=True))


def test_a_collaboration_servers_arguments_configure_the_server_extension(tmp_path):
    s = spawned(tmp_path, "vox-collab", ["collaborative"], {"revalidate_seconds": 7.5})
    _, config = server_config(s.args)
    assert config.revalidate_seconds == 7.5
    assert config.presence_groups == ["vox"]
    assert config.collaboration_account == contract.DEFAULT_ACCOUNT_PATTERN


def test_a_personal_servers_arguments_turn_collaboration_off(tmp_path):
    s = spawned(tmp_path, "vex", ["vox"])
    app, config = server_config(s.args)
    assert app.jpserver_extensions == contract.RTC_OFF_SERVER_CONFIG["ServerApp"]["jpserver_extensions"]
    assert config.revalidate_seconds == 0 and config.presence_groups == []
    # the folder for servers started without the arguments says the same
    written = json.loads((tmp_path / "rtc-off" / "jupyter_server_config.json").read_text())
    assert written == contract.RTC_OFF_SERVER_CONFIG


@pytest.mark.parametrize("pattern", ["{project}-collab", "shared-{project}", "team.{project}_x"])
def test_hub_and_server_name_the_same_accounts(tmp_path, pattern):
    spec = load_spec(world(settings={"collaboration_account": pattern}))
    s = spawned(tmp_path, "vex", ["vox"], {"collaboration_account": pattern})
    _, config = server_config(s.args)
    for project in spec.projects:
        assert contract.account_name(config.collaboration_account, project.name) == project.account


def test_a_deployments_own_settings_survive_every_spawn(tmp_path):
    """The hook takes back its own arguments at each spawn (groups change),
    not a deployment's: --HubGroupsConfig.presence_timeout is not
    --HubGroupsConfig.presence_groups."""
    own = ["--HubGroupsConfig.presence_timeout=30", "--HubGroupsConfig.cache_seconds=2"]
    s = spawned(tmp_path, "vox-collab", ["collaborative"], args=own)
    assert s.args[:2] == own
    _, config = server_config(s.args)
    assert (config.presence_timeout, config.cache_seconds) == (30, 2)
    assert config.presence_groups == ["vox"]


@pytest.mark.parametrize(
    "arg, ours",
    [
        ("--HubGroupsConfig.presence_groups=vox", True),
        ("--HubGroupsConfig.revalidate_seconds=20", True),
        ("--HubGroupsConfig.collaboration_account=x-{group}", True),
        ("--HubGroupsConfig.presence_timeout=30", False),
        ("--HubGroupsConfig.revalidate_seconds", False),
        ("--HubGroupsConfig.cache_seconds=1", False),
        ("--allow-root", False),
    ],
)
def test_which_arguments_are_the_hooks(arg, ours):
    assert contract.is_spawn_arg(arg) is ours


def test_spawn_args_are_only_for_the_settings_the_hub_passes():
    assert contract.spawn_arg("revalidate_seconds", 20) == "--HubGroupsConfig.revalidate_seconds=20"
    with pytest.raises(ValueError):
        contract.spawn_arg("cache_seconds", 1)


def test_the_contract_needs_the_standard_library_only():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import jupyterlab_hub_groups.contract\n"
        "third = {m.split('.')[0] for m in sys.modules} & {'tornado', 'traitlets', 'yaml', "
        "'jupyter_server', 'jupyterhub'}\n"
        "print(sorted(third))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- Who manages a group: the hub's page token, the server's check -------------------------


@pytest.mark.parametrize(
    "held, managed",
    [
        (["groups!group=Class1234_Semester02", "list:users"], {"Class1234_Semester02"}),
        (["admin:groups!group=a!b"], {"a!b"}),
        (["groups!group=ünïcødé", "groups!group=x"], {"ünïcødé", "x"}),
        (["admin:groups", "groups", "list:users"], set()),
        (["read:groups!group=x", "groups!user=x"], set()),
    ],
)
def test_the_server_reads_the_page_token_the_hub_gives_as_the_hub_meant(tmp_path, held, managed):
    """The hub gives an owner's page token scopes for the groups it finds in
    the owner's roles; JupyterHub expands them in its /hub/api/user answer;
    the server reads the groups back from that answer: the same groups."""
    from jupyterhub.scopes import expand_scopes

    from jupyterlab_hub_groups.hub.token_scopes import page_token_scopes

    spec = load_spec(world(settings={**dirs(tmp_path)}))
    given = page_token_scopes(spec, spawner("prof", [], roles=[held]))
    assert contract.managed_groups(held) == managed
    assert contract.managed_groups(expand_scopes(set(given))) == managed
    assert contract.managed_groups(expand_scopes(set(held))) == managed


def test_a_scope_that_names_no_group_manages_none():
    assert contract.managed_groups(["groups!group=", "groups!", "groups", 7, None]) == set()


# --- What went wrong with a server's start: the hub writes, the server reads -----------


@pytest.mark.parametrize(
    "problems",
    [
        [],
        ["The hub's pre_spawn_hook was replaced after configure_hub: courses get no kernels."],
        ["ünïcødé ‮ right-to-left", "<img src=x onerror=alert(1)>", 'a "quoted" \\ path'],
    ],
)
def test_the_server_reads_the_problems_the_hub_writes(problems):
    value = contract.spawn_problems_value(problems)
    assert value.isascii()  # an environment variable on every platform, Kubernetes too
    assert contract.read_spawn_problems(value) == problems


@pytest.mark.parametrize("value", [None, "", "  ", "[]", '["", "  "]'])
def test_no_problems(value):
    assert contract.read_spawn_problems(value) == []


@pytest.mark.parametrize(
    "value",
    ["not json", "{", '{"a": 1}', '"one sentence"', "7", "null", '["ok", 7]', '[["nested"]]', "[null]"],
)
def test_a_value_the_server_cannot_read_is_said_not_dropped(value):
    assert contract.read_spawn_problems(value) == [contract.UNREADABLE_SPAWN_PROBLEMS]
    assert contract.SPAWN_PROBLEMS_ENV in contract.UNREADABLE_SPAWN_PROBLEMS


def test_long_and_many_problems_are_cut_and_counted():
    long = "x" * 5000
    many = [f"problem {i}" for i in range(50)]
    (one,) = contract.read_spawn_problems(json.dumps([long]))
    assert len(one) == contract.MAX_SPAWN_PROBLEM_LENGTH and one.endswith("\u2026")
    read = contract.read_spawn_problems(json.dumps(many))
    assert len(read) == contract.MAX_SPAWN_PROBLEMS
    assert read[:-1] == many[: contract.MAX_SPAWN_PROBLEMS - 1]
    assert read[-1].startswith("31 more problems")
    # the hub writes no more than the server keeps
    assert json.loads(contract.spawn_problems_value(many)) == read
    assert json.loads(contract.spawn_problems_value(["ok", long])) == ["ok", one]


def test_each_problem_is_one_line_of_text():
    value = json.dumps(["  line one\nline two\r\n\tthree\x1b[31m\x85  "])
    assert contract.read_spawn_problems(value) == ["line one line two   three [31m"]


def test_the_hub_writes_sentences_only():
    with pytest.raises(TypeError):
        contract.spawn_problems_value(["ok", None])


@pytest.mark.parametrize("seconds", [contract.MIN_REVALIDATE_SECONDS - 1, 0.5, -1])
def test_both_sides_refuse_a_revalidate_seconds_alike(seconds, tmp_path):
    """One minimum, said in the same words by the hub's checker and the
    server's validator: a value the file may give is one the server takes."""
    from traitlets import TraitError

    from jupyterlab_hub_groups.hub import HubGroupsConfigError

    with pytest.raises(HubGroupsConfigError) as hub_side:
        load_spec(world(settings={**dirs(tmp_path), "revalidate_seconds": seconds}))
    with pytest.raises(TraitError) as server_side:
        HubGroupsConfig(revalidate_seconds=seconds)
    assert contract.REVALIDATE_SECONDS_RULE in str(hub_side.value)
    assert contract.REVALIDATE_SECONDS_RULE in str(server_side.value)


@pytest.mark.parametrize("seconds", [0, contract.MIN_REVALIDATE_SECONDS, 7.5])
def test_a_revalidate_seconds_the_file_takes_the_server_takes(seconds, tmp_path):
    spec = load_spec(world(settings={**dirs(tmp_path), "revalidate_seconds": seconds}))
    assert HubGroupsConfig(revalidate_seconds=spec.settings.revalidate_seconds)
