"""Which part may import which: the arrows of the package's layout point one way."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative ones resolved)."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    # the package a relative import starts from
    if path.name == "__init__.py":
        package = module.removesuffix(".__init__")
    else:
        package = module.rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            names.add(prefix)
            names |= {f"{prefix}.{a.name}" for a in node.names}
    return names


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


HANDLERS = "jupyterlab_hub_groups.server.handlers"


@pytest.mark.parametrize("path", modules("server/handlers"), ids=lambda p: p.name)
def test_handlers_import_the_base_and_never_each_other(path):
    ours = {n for n in imports_of(path) if n.startswith(HANDLERS + ".")}
    allowed = set() if path.name in ("base.py", "__init__.py") else {
        f"{HANDLERS}.base",
        f"{HANDLERS}.base.HubGroupsHandler",
    }
    assert ours <= allowed, ours - allowed


@pytest.mark.parametrize(
    "path",
    modules("hub") + modules("service") + [PACKAGE / "contract.py", PACKAGE / "hub_client.py"],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_the_hub_side_never_imports_the_server_side(path):
    names = imports_of(path)
    server_side = {
        n
        for n in names
        if n.split(".")[0] in ("jupyter_server", "jupyterlab")
        or n.startswith("jupyterlab_hub_groups.server")
    }
    assert not server_side


#: What the hub helper may use of the service: the hub side's database
#: (SQLAlchemy and alembic, JupyterHub's own dependencies), to record who it
#: added at config load, and the definition of the service's config file,
#: which it writes.
DATABASE = "jupyterlab_hub_groups.service.db"
SERVICE_CONFIG = "jupyterlab_hub_groups.service.config"


def service_modules_of(start: str) -> set[str]:
    """``start`` and every module of the service it imports, and they import."""
    found: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        path = PACKAGE.parent / (name.replace(".", "/") + ".py")
        if name in found or not path.exists():
            continue
        found.add(name)
        todo += [n for n in imports_of(path) if n.startswith("jupyterlab_hub_groups.service.")]
    return found


#: The service's modules the hub helper may import (the database's own
#: parts included: db.py is split into modules of its own).
HUB_MAY_IMPORT = service_modules_of(DATABASE) | service_modules_of(SERVICE_CONFIG)


@pytest.mark.parametrize("path", modules("hub"), ids=lambda p: p.name)
def test_the_hub_helper_needs_no_http_client(path):
    """configure_hub runs in jupyterhub_config.py: standard library and
    PyYAML, the hub side's database and the service's config file."""
    names = imports_of(path)
    names = {
        n for n in names if n not in HUB_MAY_IMPORT and n.rsplit(".", 1)[0] not in HUB_MAY_IMPORT
    }
    http = {
        n
        for n in names
        if n.split(".")[0] == "tornado"
        or n.startswith(("jupyterlab_hub_groups.hub_client", "jupyterlab_hub_groups.service"))
    }
    assert not http


def test_the_database_module_brings_no_part_of_the_service_with_it():
    """What the hub helper imports of the service at config load: its
    database and its config file's definition, not its HTTP client or its
    jobs (the package's __init__ imports them when they run)."""
    import subprocess
    import sys

    code = (
        "import sys, jupyterlab_hub_groups.hub, jupyterlab_hub_groups.service.db\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tornado', 'jupyterhub', "
        "'jupyterlab_hub_groups.service.', 'jupyterlab_hub_groups.hub_client'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout.strip()))
    assert DATABASE in loaded
    assert loaded <= HUB_MAY_IMPORT, loaded - HUB_MAY_IMPORT


def test_our_handlers_shadow_nothing_of_jupyter_servers():
    """A handler attribute named like one of Jupyter Server's replaces it for
    Jupyter Server too: a ``token`` property once made its identity provider
    compare a request's token with itself. Only the hooks meant to be
    overridden may share a name."""
    import importlib
    import inspect

    from jupyter_server.base.handlers import APIHandler

    meant = {"initialize", "prepare", "get", "post", "put", "delete", "patch"}
    for path in modules("server/handlers"):
        module = importlib.import_module(
            ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        )
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, APIHandler) and cls.__module__ == module.__name__:
                clash = {
                    name
                    for name in vars(cls)
                    if hasattr(APIHandler, name) and not name.startswith("__")
                }
                assert clash <= meant, (cls.__name__, clash - meant)
