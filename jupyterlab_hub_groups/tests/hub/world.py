"""The demo world as the hub helper's tests use it, and stand-ins for what
JupyterHub hands the hooks (a spawner, an authenticator)."""

import asyncio
import inspect
import itertools
import stat
from types import SimpleNamespace

def world(**extra):
    data = {
        "projects": {
            "vox": {"members": ["vex", "vax", "pike"]},
            "mighty": {"members": ["fjord", "beau", "jester"]},
        },
        "courses": {
            "Class1234_Semester02": {
                "students": ["mmuster", "alice"],
                "instructors": ["prof"],
                "kernels": {
                    "class1234_semester02": {
                        "display_name": "Python 3 (Class 1234)",
                        "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    }
                },
                "services": {
                    "course-dashboard": {
                        "command": ["python", "-m", "http.server", "{port}"],
                        "launcher_entry": {"title": "Course dashboard"},
                    }
                },
            }
        },
    }
    data.update(extra)
    return data


def dirs(tmp_path):
    """Settings for a test's own folders: generated files in ``tmp_path``,
    the hub-only state beside it (never inside: it must not be mounted)."""
    return {
        "generated_dir": str(tmp_path),
        "state_dir": str(tmp_path.parent / f"{tmp_path.name}-state"),
    }


def state_dir(tmp_path):
    return tmp_path.parent / f"{tmp_path.name}-state"


def spawner(name, groups, args=(), environment=None, roles=(), group_roles=None, server=""):
    """A spawner as the hooks see it, its owner in ``groups``.

    The owner's roles are JupyterHub's own ORM objects, never added to a
    database: what the hooks read through ``jupyterhub.roles`` is then
    exactly what a running hub gives them.

    Parameters
    ----------
    roles : list of lists of str
        The scopes of each of the owner's own roles.
    group_roles : dict, optional
        Group name → the scopes of each role of that group.
    server : str
        The server's name (``""``: the default server).
    """
    from jupyterhub import orm

    orm_user = orm.User(name=name)
    for i, scopes in enumerate(roles):
        orm_user.roles.append(orm.Role(name=f"{name}-role-{i}", scopes=list(scopes)))
    for g in groups:
        group = orm.Group(name=g)
        for i, scopes in enumerate((group_roles or {}).get(g, ())):
            group.roles.append(orm.Role(name=f"{g.lower()}-role-{i}", scopes=list(scopes)))
        orm_user.groups.append(group)
    warnings = []
    errors = []
    return SimpleNamespace(
        user=SimpleNamespace(name=name, groups=list(orm_user.groups), orm_user=orm_user),
        name=server,
        args=list(args),
        environment=dict(environment or {}),
        # JupyterHub gives a server a new API token at every start
        api_token=f"token-{next(_starts)}",
        log=SimpleNamespace(
            info=lambda *a: None,
            warning=lambda *a: warnings.append(a),
            error=lambda *a: errors.append(a),
        ),
        warnings=warnings,
        errors=errors,
    )


_starts = itertools.count()


def new_start(spawner):
    """What JupyterHub does before the hooks of a new start: a new token."""
    spawner.api_token = f"token-{next(_starts)}"
    return spawner


#: The scopes of the role the hub helper gives a course's instructors.
INSTRUCTOR_SCOPES = ["groups!group=Class1234_Semester02", "list:users"]


DEFAULT_SERVER_SCOPES = ["users:activity!user", "access:servers!server"]


def resolve(value):
    """What JupyterHub does with a hook's or a callable's result (maybe_future)."""

    async def run():
        return (await value) if inspect.isawaitable(value) else value

    return asyncio.run(run())


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


class FakeAuthenticator:
    def __init__(self):
        self.warnings = []
        self.log = SimpleNamespace(warning=lambda *a: self.warnings.append(a))
