"""What ``GET me?startup=1`` carries besides the groups: the first answer
each other plugin of the page needs.

Why: a page load made five requests to this server and the hub service
(``me``, ``presence``, ``collaborations``, ``manage``, the service's
``courses``), and two hub lookups of the page's token. The page's first
``me`` asks with ``startup=1``; the answer then holds, under ``startup``,
what those plugins read first, from the one lookup ``me`` makes anyway:

- ``manage``: the body of ``GET manage`` (the groups the requester may
  manage: from the lookup's scopes, no hub request);
- ``presence``: the body of ``GET presence``, or None where the requester
  may not see who is here (``GET presence`` would answer 403);
- ``collaborations``: the body of ``GET collaborations`` (hub requests
  with this server's own token, not lookups of the page's);
- ``courses_to_join``: the courses that take new members (by request or
  open) which the requester is not in, from the list the hub helper gave
  this server (:data:`~jupyterlab_hub_groups.contract.OPEN_COURSES_ENV`):
  ``[]`` tells the page that its Join cards need not ask the hub service
  at start; None (no list: a server the helper did not start) that they
  must;
- ``project_access`` (``roles`` or ``shares``) and, when people may make
  projects at runtime, ``projects_service`` (``{"allowed": group or None,
  "max_per_person": N}``), from what the hub helper gave this server
  (:data:`~jupyterlab_hub_groups.contract.PROJECTS_ENV`): the page then
  offers "New Project…"; with either, ``service_projects``: whether the
  owner may be in a project the service keeps (the hub helper's word at
  the server's start), without which the page does not ask the service's
  ``GET projects`` at start.

A part that fails is None: the page then asks its endpoint, as without
``startup``. Later reads go to each endpoint, on its own interval.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import contract
from .config import HubGroupsConfig
from .identity import HubIdentity
from .membership import manage_answer
from .projects import ProjectServers
from .visitors import VisitorLog, may_see_presence, presence_answer

__all__ = ["courses_to_join", "startup_answer"]


def courses_to_join(
    open_courses: list[contract.OpenCourse] | None, groups: Iterable[str]
) -> list[dict[str, str]] | None:
    """The courses taking new members that the requester is not in.

    Parameters
    ----------
    open_courses : list or None
        What the hub helper listed (None: unknown).
    groups : iterable of str
        The requester's groups now.

    Returns
    -------
    list of dict or None
        ``[{"group", "enrolment"}]`` in the list's order; None when unknown.
    """
    if open_courses is None:
        return None
    mine = set(groups)
    return [course.to_json() for course in open_courses if course.group not in mine]


async def startup_answer(
    config: HubGroupsConfig,
    identity: HubIdentity,
    *,
    me: str,
    visitors: VisitorLog | None,
    projects: ProjectServers,
    log: Any,
) -> dict[str, Any]:
    """The ``startup`` part of ``me``'s answer (see the module's docstring).

    Parameters
    ----------
    config : HubGroupsConfig
        The server extension's configuration.
    identity : HubIdentity
        The requester, as ``me`` has just looked them up.
    me : str
        The requester's name in this server's session.
    visitors : VisitorLog or None
        Who is here (None: not tracked).
    projects : ProjectServers
        Lists the requester's projects' shared servers.
    log
        A logger.
    """
    try:
        collaborations = await projects.answer(identity.groups)
    except Exception:  # the page asks the endpoint, which says what failed
        log.exception("hub-groups: the start-up answer's collaborations failed")
        collaborations = None
    presence = None
    if visitors is not None and may_see_presence(config, identity.name, identity.groups):
        presence = presence_answer(config, visitors, me)
    access, service = config.projects or ("roles", None)
    answer = {
        "manage": manage_answer(identity, config.course_titles),
        "presence": presence,
        "collaborations": collaborations,
        "courses_to_join": courses_to_join(config.open_courses, identity.groups),
        "project_access": access,
    }
    if service is not None:
        answer["projects_service"] = service
    if service is not None or access == "shares":
        answer["service_projects"] = config.service_projects
    return answer
