"""Who is in the demo world, for the hub's config and for the banner of
`make demo` alike (demo/jupyterhub_config.py, demo/run.py).

Why a module of its own: the people come from demo/groups.yaml, plus two
the file has no place for (the hub's admin, and mmuster2, who is in no
course: the README's enrolment walk-through). The hub lets in exactly the
people the banner lists, read from one place, so neither can drift.
"""

from __future__ import annotations

from jupyterlab_hub_groups.hub.spec import Course, HubGroupsSpec

#: The hub's admin (``c.Authenticator.admin_users``).
ADMIN = "admin"
#: alice's neighbour, in no group: who asks to join the course in the
#: README's walk-through, and whom prof adds from the course panel.
OUTSIDER = "mmuster2"


def humans(spec: HubGroupsSpec) -> list[str]:
    """Everyone who may log in to the demo hub, sorted."""
    people = {m for p in spec.projects for m in p.members}
    people |= {u for c in spec.courses for u in (*c.students, *c.instructors)}
    return sorted(people | {ADMIN, OUTSIDER})


def banner(spec: HubGroupsSpec, password: str, url: str, data_dir: str) -> str:
    """What `make demo` prints once the hub answers: where it is, the
    password, and who is who.

    Parameters
    ----------
    spec : HubGroupsSpec
        The demo's file, read.
    password : str
        The one password of every demo user.
    url : str
        The hub's public address.
    data_dir : str
        Where the demo keeps everything.

    Returns
    -------
    str
    """
    lines = [
        "",
        f"JupyterHub with jupyterlab-hub-groups is up: {url}",
        "",
        f"Log in with any of these users and the password  {password}",
        "",
    ]
    for p in spec.projects:
        lines.append(
            f"  project {p.name:<8} {', '.join(p.members):<22} "
            f"shared server /user/{p.account}/lab"
        )
    joinable = ""
    for c in spec.courses:
        lines.append(f"  course {c.name}: {_people(c)}")
        takes = {"request": "takes requests to join", "open": "open to anyone"}.get(c.enrolment)
        if takes:
            lines.append(f"{'':<19}{takes}")
            joinable = joinable or c.name
        environment = _environment(c)
        if environment:
            lines.append(f"{'':<19}{environment}")
    outsider = "in no course"
    if joinable:
        outsider += f": asks to join {joinable} (README, \"The demo\")"
    lines += [
        f"  {OUTSIDER:<16} {outsider}",
        f"  {ADMIN:<16} the hub's admin ({url}hub/admin)",
        "",
        'Try the command palette (Ctrl+Shift+C): "Show My Hub Groups".',
        f"Everything the demo keeps is in {data_dir}. Stop it with Ctrl+C.",
        "",
    ]
    return "\n".join(lines)


def _people(course: Course) -> str:
    parts = []
    if course.students:
        parts.append(f"students {', '.join(course.students)}")
    if course.instructors:
        word = "instructor" if len(course.instructors) == 1 else "instructors"
        parts.append(f"{word} {', '.join(course.instructors)}")
    return "; ".join(parts) or "nobody yet"


def _environment(course: Course) -> str:
    """The course's kernels and services, and whose servers have them."""
    things = [f'kernel "{k.get("display_name") or name}"' for name, k in course.kernels.items()]
    things += [
        f'service "{(s.get("launcher_entry") or {}).get("title") or name}"'
        for name, s in course.services.items()
    ]
    if not things:
        return ""
    who = (
        "its students and instructors"
        if course.instructors_get_environment and course.instructors
        else "its students only"
    )
    return f"{' and '.join(things)}: in the servers of {who}"
