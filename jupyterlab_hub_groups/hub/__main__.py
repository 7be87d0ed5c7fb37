"""``python -m jupyterlab_hub_groups.hub check groups.yaml``: check the file
before the hub reads it; ``... configmaps groups.yaml``: the course
environments as Kubernetes ConfigMaps, for ``kubectl apply -f -``.

Why: a mistake in the file stops the hub at its next start (on purpose:
nothing is applied half-way). An admin editing the file, or a CI job
checking a change to it, wants to know before that: every mistake with its
place, or else what the file becomes in JupyterHub (groups, collaboration
accounts, roles with their scopes, the managed service, the course
folders). Nothing is written: the folders are named, not made.

``check --kubernetes`` also warns about what does not work when the hub,
the proxy and each server run in pods of their own (Zero to JupyterHub);
a file with ``course_environments: configmaps`` is checked that way anyway.

Exit status: 0 when the file is good (warnings or not), 1 when it has
mistakes, 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .. import contract
from .files import check_folders, group_folder
from .hubconfig import ONE_ORIGIN
from .kubernetes import configmap_folders, kubernetes_warnings, render_configmaps
from .managed_service import make_service
from .reader import load_spec
from .roles import SHARING_SCOPES, make_roles
from .spec import HubGroupsConfigError, HubGroupsSpec


def describe(spec: HubGroupsSpec) -> str:
    """What a checked file becomes in JupyterHub, as text for a person.

    Parameters
    ----------
    spec : HubGroupsSpec

    Returns
    -------
    str
    """
    settings = spec.settings
    lines = [f"{spec.source}: no mistakes. In JupyterHub it becomes:", ""]
    if settings.authoritative:
        lines.append(
            "membership: authoritative (at every hub start, the hub-groups service makes "
            "each group's members exactly the file's)"
        )
    else:
        lines.append(
            "membership: initial (each member is added once; changes made at runtime "
            "survive a restart)"
        )

    lines += ["", "groups:"]
    for group, members in spec.group_members().items():
        lines.append(f"  {group}: {', '.join(members) if members else '(nobody)'}")

    lines += ["", f"collaboration accounts ({settings.collaboration_account}):"]
    if not spec.projects:
        lines.append("  (none)")
    for p in spec.projects:
        revalidate = (
            f"visitors re-checked every {settings.revalidate_seconds:g} s"
            if settings.revalidate_seconds
            else "visitors not re-checked"
        )
        lines.append(
            f"  {p.account}: shared server of project {p.name} "
            f"(collaboration on, {revalidate}, \"People here\" for {p.name})"
        )

    service = make_service(spec)
    roles = make_roles(spec) + ([service[1]] if service else [])
    lines += ["", "roles:"]
    if not roles:
        lines.append("  (none)")
    for role in roles:
        holders = [
            f"{kind} {', '.join(role[kind])}"
            for kind in ("groups", "users", "services")
            if role.get(kind)
        ]
        lines.append(f"  {role['name']} (for {'; '.join(holders)}):")
        lines += [f"    {scope}" for scope in role["scopes"]]

    lines += ["", f"service {contract.SERVICE_NAME}:"]
    if service is None:
        lines.append(
            "  none (not authoritative, on_member_removed: none or no project, "
            "and every course closed)"
        )
    else:
        entry, _, config = service
        lines.append(f"  command: {' '.join(entry['command'])}")
        if config.projects:
            lines.append(
                f"  when a member leaves a project: {config.on_member_removed} its shared "
                f"server (looks every {config.interval:g} s)"
            )
        if config.sync:
            lines.append("  at start: makes every group's members the file's")
        if config.enrolment:
            lines += _describe_enrolment(spec, entry)
        runtime = settings.runtime_projects
        if runtime is not None:
            who = f"members of {runtime.allowed}" if runtime.allowed else "everyone"
            lines.append(
                f"  projects made in JupyterLab: by {who}, at most {runtime.max_per_person} "
                "each; members reach them by shares"
            )
        if config.share_projects:
            lines.append(
                f"  the file's {len(config.share_projects)} project(s): members reach them by "
                "shares it keeps in step (project_access: shares; no role per project)"
            )

    configmaps = (
        configmap_folders(spec) if settings.course_environments == "configmaps" else {}
    )
    lines += ["", "course kernels and services (only in members' and instructors' servers):"]
    courses = [c for c in spec.courses if c.kernels or c.services]
    if not courses:
        lines.append("  (none)")
    for c in courses:
        folder = group_folder(settings.generated_dir, c.name)  # type: ignore[arg-type]
        if c.name in configmaps:
            lines.append(f"  {c.name}: ConfigMap {configmaps[c.name].name}, mounted at {folder}")
        else:
            lines.append(f"  {c.name}: {folder}")
        if c.kernels:
            lines.append(f"    kernels: {', '.join(c.kernels)}")
        if c.services:
            lines.append(f"    services: {', '.join(c.services)}")
        lines.append(
            f"    also in the servers of whoever holds groups!group={c.name}"
            if c.instructors_get_environment
            else "    not in instructors' servers (instructors_get_environment: false)"
        )

    profiles = [
        (kind, owner) for kind, owners in (("project", spec.projects), ("course", spec.courses))
        for owner in owners if owner.profiles
    ]
    if profiles:
        lines += ["", "KubeSpawner profiles (only these people may pick them; the rest: everyone):"]
        for kind, owner in profiles:
            slugs = ", ".join(
                g.slug + ("" if g.definition is None else " (defined here)") for g in owner.profiles
            )
            lines.append(f"  {kind} {owner.name}: {slugs}")

    lines += ["", "folders and database:"]
    if configmaps:
        lines.append(
            f"  course environments: ConfigMaps (python -m jupyterlab_hub_groups.hub configmaps), "
            f"mounted under {settings.generated_dir} in members' pods only"
        )
    lines += [
        f"  generated_dir: {settings.generated_dir} (mounted in servers: public)",
        f"  state_dir: {settings.state_dir} (the hub's only: 0700)",
        f"  database: {_masked(settings.db_url)} (who was added, what the service saw, "
        "requests to join)",
        "",
        "every server: collaboration off except on collaboration accounts' servers;",
        "  its token may see and stop its owner's projects' shared servers only",
        "a person's own server whose owner holds groups!group=<g>: its page token may",
        "  manage <g> and list users (as the owner may); nothing on shared servers",
    ]
    if spec.service_has_api:
        sharing = " ".join(SHARING_SCOPES) if spec.keeps_projects else ""
        lines += [
            f"every user (role user) and the page token of one's own server: "
            f"{contract.SERVICE_ACCESS_SCOPE} {sharing}".rstrip(),
            "  (ask to join courses, list one's projects, share one's own server; never on "
            "shared servers)",
        ]
    lines += [
        f"logins refused: any name like {settings.collaboration_account!r}",
    ]
    return "\n".join(lines) + "\n"


def _describe_enrolment(spec: HubGroupsSpec, entry: dict) -> list[str]:
    """The service's enrolment part, for :func:`describe`."""
    settings = spec.settings
    smtp = settings.smtp
    lines = [
        f"  requests to join courses: API at {entry['url']} "
        f"(/services/{contract.SERVICE_NAME}/api/ behind the hub's proxy)"
        + (
            f", listening on {settings.service_bind_url}"
            if settings.service_bind_url and settings.service_bind_url != entry["url"]
            else ""
        ),
        "    rate limit: "
        + (
            f"{settings.enrolment_rate_limit} request(s) per user and hour"
            if settings.enrolment_rate_limit
            else "none"
        ),
    ]
    if smtp is None:
        lines.append("    e-mail: none (no settings.smtp): instructors see requests in JupyterLab")
    else:
        login = f", as {smtp.username} (password from ${smtp.password_env})" if smtp.username else ""
        lines.append(
            f"    e-mail: from {smtp.sender} through {smtp.host}:{smtp.port} "
            f"({smtp.security}{login})"
        )
        if not settings.public_url:
            lines.append("      without a link (no settings.public_url)")
    for c in spec.enrolment_courses:
        how = "people ask, its instructors approve" if c.enrolment == "request" else "people join"
        lines.append(f"    {c.name}: {c.enrolment} ({how})")
        if c.enrolment == "request" and c.notify:
            sent = "told of each new request" if smtp else "not e-mailed: no settings.smtp"
            lines.append(f"      notify {', '.join(c.notify)}: {sent}")
    return lines


def _masked(url: str) -> str:
    """A database URL without its secrets: the password after the user name,
    and the value of any query parameter named like a secret
    (``?password=``, ``?sslpassword=``...: drivers take them there too)."""
    from urllib.parse import unquote

    from .kernels import SECRET_NAME

    base, question, query = url.partition("?")
    scheme, sep, rest = base.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        base = f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"
    pairs = []
    for pair in query.split("&") if query else []:
        key, equals, value = pair.partition("=")
        pairs.append(f"{key}{equals}***" if equals and SECRET_NAME.search(unquote(key)) else pair)
    return base + question + "&".join(pairs)


def _load(path: str, err: TextIO) -> HubGroupsSpec | None:
    """The checked file, or None with its mistakes printed."""
    try:
        spec = load_spec(path)
        problems = check_folders(spec)
        if problems:
            raise HubGroupsConfigError(spec.source, problems)
    except HubGroupsConfigError as e:
        print(str(e).replace(", nothing applied:", ":"), file=err)
        return None
    return spec


def check(path: str, out: TextIO, err: TextIO, kubernetes: bool = False) -> int:
    """Check one file; print its mistakes, or what it becomes (and warnings).

    Parameters
    ----------
    path : str
        The YAML file.
    out, err : text streams
        Where the summary and the mistakes go.
    kubernetes : bool
        Also warn about what does not work in Zero to JupyterHub (on anyway
        for a file with ``course_environments: configmaps``).

    Returns
    -------
    int
        0 when the file is good, 1 when it has mistakes.
    """
    spec = _load(path, err)
    if spec is None:
        return 1
    out.write(describe(spec))
    if kubernetes or spec.settings.course_environments == "configmaps":
        for warning in kubernetes_warnings(spec):
            print(f"warning (Kubernetes): {warning}", file=err)
    if spec.projects or spec.settings.runtime_projects is not None:
        # the hub config is not read here: said whenever it matters
        print(
            "note (projects): unless the hub sets c.JupyterHub.subdomain_host (check cannot "
            f"see the hub config), {ONE_ORIGIN}",
            file=err,
        )
    return 0


def configmaps(path: str, out: TextIO, err: TextIO) -> int:
    """Print the file's course environments as ConfigMaps (YAML documents).

    Parameters
    ----------
    path : str
        The YAML file.
    out, err : text streams
        The manifests; the mistakes and notes.

    Returns
    -------
    int
        0 when the file is good, 1 when it has mistakes.
    """
    import yaml

    spec = _load(path, err)
    if spec is None:
        return 1
    if spec.settings.course_environments != "configmaps":
        print(
            "note: the file says course_environments: "
            f"{spec.settings.course_environments}; the hub mounts these ConfigMaps only "
            "with course_environments: configmaps",
            file=err,
        )
    out.write(
        f"# Course environments of {spec.source}, by jupyterlab_hub_groups.hub.\n"
        "# Apply before the hub reads the file: kubectl apply -n <namespace> -f -\n"
        "# (--prune -l app.kubernetes.io/part-of=jupyterlab-hub-groups removes old ones)\n"
    )
    out.write(
        yaml.dump_all(
            render_configmaps(spec),
            Dumper=_block_dumper(),
            sort_keys=False,
            explicit_start=True,
            allow_unicode=True,
        )
    )
    return 0


def _block_dumper():
    """A safe YAML dumper that writes files as ``|`` blocks, as one reads them."""
    import yaml

    class BlockDumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None  # PyYAML falls back where it cannot
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    BlockDumper.add_representer(str, text)
    return BlockDumper


def main(argv: list[str] | None = None) -> int:
    """The command line.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the module name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m jupyterlab_hub_groups.hub",
        description="The hub side of jupyterlab-hub-groups.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    checking = commands.add_parser(
        "check",
        help="check a projects-and-courses YAML file, and say what it becomes",
        description="Print every mistake with its place in the file (exit 1), or "
        "what the file becomes in JupyterHub. Writes nothing.",
    )
    checking.add_argument("file", help="the YAML file (groups.yaml)")
    checking.add_argument(
        "--kubernetes",
        action="store_true",
        help="also warn about what does not work in Zero to JupyterHub",
    )
    rendering = commands.add_parser(
        "configmaps",
        help="print the course environments as Kubernetes ConfigMaps",
        description="Print one ConfigMap per course with kernels or services, and the one "
        "that turns collaboration off, for kubectl apply -f -. Writes nothing.",
    )
    rendering.add_argument("file", help="the YAML file (groups.yaml)")
    args = parser.parse_args(argv)
    if args.command == "configmaps":
        return configmaps(args.file, sys.stdout, sys.stderr)
    return check(args.file, sys.stdout, sys.stderr, kubernetes=args.kubernetes)


if __name__ == "__main__":
    sys.exit(main())
