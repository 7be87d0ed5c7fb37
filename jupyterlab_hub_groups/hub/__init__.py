"""Set up JupyterHub from one YAML file of projects and courses.

Why this exists: the JupyterHub documentation's recipe "Real-time
collaboration without impersonation" and the course-kernel recipes people
share are hand-written ``jupyterhub_config.py`` code, partly outdated for
JupyterLab 4. Here they are one YAML file and one line of hub config::

    from jupyterlab_hub_groups.hub import configure_hub
    configure_hub(c, "groups.yaml")

What it sets up:

- ``projects``: per project a group of its members, a collaboration account
  ``<project>-collab`` (in group ``collaborative``) and a role
  ``collab-access-<project>`` that lets the members use, start and stop that
  account's server (the seed recipe's scopes).
- ``courses``: per course a group of its students, a role letting its
  instructors manage that group, and the course's kernels and
  jupyter-server-proxy services, written to a folder per group that only the
  members' and instructors' servers see (``JUPYTER_PATH`` /
  ``JUPYTER_CONFIG_PATH``).
- a ``pre_spawn_hook``, composed with any hook already configured, that turns
  real-time collaboration off on every server but the collaboration
  accounts', refuses named servers of collaboration accounts (only the
  default one is the shared server), and adds the user's groups' folders
  to the server's paths; on
  Kubernetes also a ``modify_pod_hook`` that applies the same after
  KubeSpawner's profiles and mounts the courses' ConfigMaps
  (``course_environments: configmaps``), and ``KubeSpawner.profile_list``
  filtered by group (``profiles`` of a course or project). Every server's
  environment carries the start's report (a hook of ours replaced later
  in the config is said in the hub's log and the server's groups report).
- ``Spawner.server_token_scopes``, per spawn: a server's own token may see
  and stop the shared servers of its owner's projects, and nothing more.
- ``Spawner.oauth_client_allowed_scopes``, per spawn: on the own server of
  someone who may manage a group (``groups!group=<g>``, from the file's
  instructor role or any other), the page's token may manage that group
  and list users, so that the course panel works with no hand-made token;
  nothing on anyone else's server. Instructors also get their courses'
  kernels and services (``instructors_get_environment``, default true).
- an ``Authenticator.post_auth_hook`` refusing any login named like a
  collaboration account (nobody may claim ``vox-collab``, nor the account
  of a project that does not exist yet).
- a managed service ``hub-groups`` (:mod:`jupyterlab_hub_groups.service`)
  that restarts a project's shared server when a member leaves the project
  (its token, which members could copy, dies with it), in authoritative
  mode makes the groups' members the file's, and, for courses with
  ``enrolment: request`` or ``open``, takes people's requests to join
  (kept in the hub side's database), tells the instructors by e-mail
  and adds those approved. Every user, and the page of one's own server,
  may call it (``access:services!service=hub-groups``).

Hooks and scopes are composed with what the config already has, on
``c.Spawner`` / ``c.Authenticator`` and on every more specific section
(``c.KubeSpawner``...), since traitlets gives a class its most specific one.

Two folders and a database: ``generated_dir`` (course kernels and proxy
config, mounted in every single-user server, so nothing secret and nothing
about people; with ConfigMaps, only where pods mount them), ``state_dir``
(the service's config and, by default, the database: hub-only, 0700/0600)
and the database of ``enrolment_db_url`` (who was added, what the service
saw, requests to join; PostgreSQL on Kubernetes).

The whole file is checked before anything is applied: every mistake is
reported with its place in the file, and on a mistake nothing is changed.

The package, one module per job:

- :mod:`.reader`: reading the file and checking it whole (:func:`load_spec`),
  with :mod:`.checker` (mistakes with their place), :mod:`.settings` (the
  ``settings:`` section) and :mod:`.kernels` (a course's kernels and services);
- :mod:`.spec`: what a checked file says (:class:`HubGroupsSpec`);
- :mod:`.hubconfig`: applying it all to ``c`` (:func:`configure_hub`), with
  :mod:`.roles` (``load_roles``) and :mod:`.managed_service` (the service's
  entry, role and ``service.json``);
- :mod:`.files`: the generated and state folders;
- :mod:`.seeding`: who was added from the file, in the database;
- :mod:`.spawn`: the spawn hook and its plan; :mod:`.spawn_report`: the
  start's report; :mod:`.token_scopes`: server and page token scopes;
  :mod:`.login`: the login hook;
- :mod:`.kubernetes`: ConfigMaps and the ``modify_pod_hook`` (KubeSpawner);
- :mod:`.profiles`: KubeSpawner profiles by group;
- ``python -m jupyterlab_hub_groups.hub check|configmaps groups.yaml`` (:mod:`.__main__`).

It must stay importable in a hub image without JupyterLab or Jupyter
Server: it imports only the standard library and PyYAML (and
:mod:`jupyterlab_hub_groups.contract`, standard library only), plus, when
they are used, what a hub has anyway (SQLAlchemy and alembic for the
database, traitlets for the log, KubeSpawner's models in its hooks).
"""

from __future__ import annotations

from .hubconfig import configure_hub
from .reader import load_spec
from .spec import HubGroupsConfigError, HubGroupsSpec

__all__ = ["HubGroupsConfigError", "HubGroupsSpec", "configure_hub", "load_spec"]
