"""A course's kernels and jupyter-server-proxy services: reading and
checking them.

Why a module of its own: what a course gives its people is written to a
folder every server mounts (or a ConfigMap), so it is checked for what
would leak there: variables named like secrets are refused.

Imports only the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .checker import AnyKey, Checker, kind

# Every pattern is used with ``fullmatch``: ``re.match`` with ``$`` accepts a
# trailing newline ("vox\n"), which would end up in a path or a command line.

#: Kernel and service names: folder names and URL parts.
ITEM_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}")
#: Environment variable names that look like they hold a secret. The
#: generated folder is readable by every server that mounts it, and a
#: kernel's environment is readable by everyone who runs the kernel.
SECRET_NAME = re.compile(
    r"secret|token|passw(or)?d|credential|api_?key|private_?key|access_?key", re.IGNORECASE
)


def read_kernels(check: Checker, value: Any, where: str) -> dict[str, dict]:
    kernels: dict[str, dict] = {}
    for kname, kbody in check.mapping(value, where, AnyKey()).items():
        kwhere = f"{where}.{kname}"
        if not check.name(kname, kwhere, ITEM_PATTERN):
            continue
        body = check.mapping(
            kbody, kwhere, {"display_name", "argv", "language", "env", "metadata", "logo"}
        )
        argv = body.get("argv")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            check.fail(f"{kwhere}.argv", "must be a non-empty list of strings")
            continue
        if not any("{connection_file}" in a for a in argv):
            check.fail(f"{kwhere}.argv", "must contain '{connection_file}'")
        display = body.get("display_name", kname)
        if not isinstance(display, str):
            check.fail(f"{kwhere}.display_name", "must be a string")
        env = body.get("env", {})
        if not isinstance(env, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in env.items()
        ):
            check.fail(f"{kwhere}.env", "must map names to strings")
        else:
            _refuse_secrets(check, env, f"{kwhere}.env")
        spec = {"argv": argv, "display_name": display, "language": body.get("language", "python")}
        if env:
            spec["env"] = dict(env)
        if body.get("metadata"):
            spec["metadata"] = body["metadata"]
        kernels[kname] = spec
    return kernels


#: The largest kernel logo, in characters.
MAX_LOGO = 100_000
#: What an SVG kernel logo may not hold: the logo is served from every
#: member's server (``kernelspecs/<kernel>/logo-svg.svg``), where opening
#: it as a page would run a script in it.
UNSAFE_LOGO = re.compile(
    r"<\s*(script|foreignObject|iframe|object|embed)\b|\bon[a-z]+\s*=|javascript:|<!DOCTYPE|<!ENTITY",
    re.IGNORECASE,
)


def read_kernel_logos(check: Checker, value: Any, where: str) -> dict[str, str]:
    """The kernels' ``logo``: an SVG document (its text), by kernel, shown
    on the kernel's launcher cards (written as ``logo-svg.svg`` beside its
    ``kernel.json``). The rest of each kernel is :func:`read_kernels`'s."""
    logos: dict[str, str] = {}
    if not isinstance(value, Mapping):
        return logos  # read_kernels says what is wrong
    for kname, kbody in value.items():
        if not isinstance(kbody, Mapping) or "logo" not in kbody:
            continue
        logo = kbody["logo"]
        lwhere = f"{where}.{kname}.logo"
        if not isinstance(logo, str) or not logo.lstrip().startswith("<svg"):
            check.fail(lwhere, "must be an SVG document (its text, starting with <svg)")
        elif len(logo) > MAX_LOGO:
            check.fail(lwhere, f"must be at most {MAX_LOGO} characters")
        elif UNSAFE_LOGO.search(logo):
            check.fail(
                lwhere,
                "must hold no script, event handler, embedded document or DTD "
                "(it is served from every member's server)",
            )
        else:
            logos[str(kname)] = logo.strip() + "\n"
    return logos


def read_services(check: Checker, value: Any, where: str) -> dict[str, dict]:
    services: dict[str, dict] = {}
    for sname, sbody in check.mapping(value, where, AnyKey()).items():
        swhere = f"{where}.{sname}"
        if not check.name(sname, swhere, ITEM_PATTERN):
            continue
        if not isinstance(sbody, Mapping):
            check.fail(swhere, f"must be a mapping, not {kind(sbody)}")
            continue
        # Passed to jupyter-server-proxy as it is (c.ServerProxy.servers);
        # only what every entry needs is checked here.
        command = sbody.get("command")
        if not isinstance(command, list) or not all(isinstance(a, str) for a in command):
            check.fail(f"{swhere}.command", "must be a list of strings")
            continue
        environment = sbody.get("environment")
        if isinstance(environment, Mapping):
            _refuse_secrets(check, environment, f"{swhere}.environment")
        services[sname] = dict(sbody)
    return services


def _refuse_secrets(check: Checker, env: Mapping[str, Any], where: str) -> None:
    """Refuse environment variables named like secrets.

    Refused rather than warned about: a warning scrolls by in the hub's log,
    while the exposure is certain. The value is written to the generated
    folder, which every single-user server mounts, and every member who runs
    the kernel or service can read its environment anyway. A secret belongs
    in the members' spawner environment or a secret store.
    """
    for name in env:
        if isinstance(name, str) and SECRET_NAME.search(name):
            check.fail(
                f"{where}.{name}",
                "looks like a secret: it would be readable in the generated folder "
                "(mounted in every server) and by every member; pass it another way",
            )
