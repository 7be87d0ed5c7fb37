"""What went wrong with a server's start, in the hub's log and in the
server's own report: a hook of ours replaced later in the hub's config.

Why a module of its own: the report is a value of every server's
environment (:data:`~..contract.SPAWN_PROBLEMS_ENV`) that JupyterHub calls
at the start, after the hooks, to see whether ours ran
(:func:`.spawn.current_plan`); it is put back at each start by the
per-spawn scopes (:mod:`.token_scopes`) when a later config dropped it.

Imports only the standard library.
"""

from __future__ import annotations

from typing import Any

from .. import contract
from .spawn import current_plan
from .spec import HubGroupsSpec

#: The ``pre_spawn_hook`` in force is not ours and did not call ours.
HOOK_REPLACED = (
    "The hub-groups pre_spawn_hook did not run for this server: a pre_spawn_hook set "
    "after configure_hub replaced it. Collaboration was not turned off here and no "
    "course kernels or services were added. Call configure_hub last in the hub's "
    "config (in Zero to JupyterHub, give its hub.extraConfig key a name that sorts "
    "last), or call the hook it set from yours."
)
#: On Kubernetes, when our ``modify_pod_hook`` made up for it.
HOOK_REPLACED_REPAIRED = (
    "The hub-groups pre_spawn_hook did not run for this server (a pre_spawn_hook set "
    "after configure_hub replaced it); its changes were applied by the hub-groups "
    "modify_pod_hook instead. Call configure_hub last in the hub's config (in Zero to "
    "JupyterHub, give its hub.extraConfig key a name that sorts last)."
)
#: KubeSpawner's ``modify_pod_hook`` in force is not ours.
POD_HOOK_REPLACED = (
    "The hub-groups modify_pod_hook is not the one in force (a modify_pod_hook set "
    "after configure_hub replaced it): a profile may have undone what hub-groups set, "
    "and with course_environments: configmaps no course environment is mounted. Call "
    "configure_hub last, or "
    "call the hook it set from yours (with functools.wraps)."
)


def is_ours(hook: Any) -> bool:
    """Whether ``hook`` is one of the hub helper's, or wraps one
    (``functools.wraps`` sets ``__wrapped__``)."""
    seen = 0
    while hook is not None and seen < 20:
        if getattr(hook, "hub_groups_spec", None) is not None:
            return True
        hook, seen = getattr(hook, "__wrapped__", None), seen + 1
    return False


def is_kubespawner(spawner: Any) -> bool:
    """KubeSpawner (or a subclass): the one spawner with ``modify_pod_hook``."""
    return hasattr(spawner, "modify_pod_hook") and hasattr(spawner, "get_pod_manifest")


class SpawnReport:
    """The value of :data:`~..contract.SPAWN_PROBLEMS_ENV` in every server's
    environment: JupyterHub calls it with the spawner when the server
    starts, after the hooks. It says what went wrong with this start (a
    hook of ours replaced later in the config), logs it as an error in the
    hub's log, and the server's groups report shows it.

    On Kubernetes, the ``modify_pod_hook`` writes the variable again after
    it (it runs last and knows best).

    Parameters
    ----------
    spec : HubGroupsSpec
    """

    def __init__(self, spec: HubGroupsSpec):
        self.hub_groups_spec = spec

    def __call__(self, spawner: Any) -> str:
        plan = current_plan(spawner)
        problems = []
        kube = is_kubespawner(spawner)
        if plan is None and not (kube and is_ours(spawner.modify_pod_hook)):
            problems.append(HOOK_REPLACED)
        if kube and not is_ours(spawner.modify_pod_hook):
            problems.append(POD_HOOK_REPLACED)
        for problem in problems:
            spawner.log.error("hub-groups: %s: %s", spawner.user.name, problem)
        return contract.spawn_problems_value(problems)

    def __repr__(self) -> str:
        return "<the hub helper's report of this start>"


def every_server_environment(spec: HubGroupsSpec) -> dict[str, Any]:
    """What the hub helper puts in every server's environment: the start's
    report (:class:`SpawnReport`), the courses taking new members
    (:data:`~..contract.OPEN_COURSES_ENV`, for the page's Join cards) and
    the courses' titles (:data:`~..contract.COURSE_TITLES_ENV`, when any),
    and how projects are kept (:data:`~..contract.PROJECTS_ENV`: the page
    reads the service's projects and offers "New Project…" from it)."""
    runtime = spec.settings.runtime_projects
    environment: dict[str, Any] = {
        contract.PROJECTS_ENV: contract.projects_value(
            spec.settings.project_access,
            runtime.allowed if runtime else None,
            runtime.max_per_person if runtime else None,
        ),
        contract.SPAWN_PROBLEMS_ENV: SpawnReport(spec),
        contract.OPEN_COURSES_ENV: contract.open_courses_value(
            contract.OpenCourse(course.name, course.enrolment)
            for course in spec.enrolment_courses
        ),
    }
    titles = {course.name: course.title for course in spec.courses if course.title}
    if titles:
        environment[contract.COURSE_TITLES_ENV] = contract.course_titles_value(titles)
    return environment


def with_report(spec: HubGroupsSpec, spawner: Any) -> None:
    """Make sure this start's environment carries :class:`SpawnReport` (and
    the rest of :func:`every_server_environment`).

    ``configure_hub`` puts them in every ``environment`` the config has, but
    a config that sets ``c.Spawner.environment`` after it would drop them;
    the per-spawn scopes, which JupyterHub resolves at every start before
    any hook, put them back.
    """
    if not isinstance(spawner.environment.get(contract.SPAWN_PROBLEMS_ENV), SpawnReport):
        spawner.environment = {**spawner.environment, **every_server_environment(spec)}
