"""``python -m jupyterlab_hub_groups.service STATE_DIR/service.json``: the
managed service's process, as JupyterHub runs it (``c.JupyterHub.services``).

Why a module of its own: the process (arguments, logging, signals, the hub
client from the environment JupyterHub gives a service) is kept apart from
the jobs (:func:`jupyterlab_hub_groups.service.run`), so that the jobs are
tested without a process, and so that more can run on the same event loop
(the enrolment API: a tornado application started in :func:`serve`
beside :func:`~jupyterlab_hub_groups.service.run`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..hub_client import HubClient
from . import run, start_enrolment
from .config import ServiceConfig, ServiceConfigError
from .db import open_database

USAGE = "usage: python -m jupyterlab_hub_groups.service SERVICE_JSON"


async def serve(
    config: ServiceConfig | Mapping[str, Any],
    stop: asyncio.Event | None = None,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Run the service until SIGTERM or SIGINT.

    Parameters
    ----------
    config : ServiceConfig or mapping
        ``service.json`` (a mapping is read with :meth:`ServiceConfig.from_dict`).
    stop : asyncio.Event, optional
        Ends the service when set, instead of the signals (tests).
    environ : mapping, optional
        The service's environment for the enrolment API (``os.environ``).
    """
    if not isinstance(config, ServiceConfig):
        config = ServiceConfig.from_dict(config)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    # Made on the running loop (tornado's HTTP client belongs to one):
    # JUPYTERHUB_API_URL, JUPYTERHUB_API_TOKEN and, with internal SSL,
    # the service's certificate, as JupyterHub gives a managed service.
    client = HubClient.from_environment()
    # one database for every job that needs one (migrated to the newest
    # revision): the watch keeps what it saw there, enrolment its requests
    db = None
    if config.projects or config.enrolment or config.runtime_projects or config.share_projects:
        assert config.db_url, "the watch and the enrolment API need db_url"
        db = open_database(config.db_url)
    enrolment = None
    try:
        if config.enrolment:
            from .projects import make_projects

            projects = make_projects(config, client, db)
            enrolment = await start_enrolment(
                config.enrolment, client, db, environ=environ, projects=projects
            )
        await run(config, client, stop, db)
    finally:
        if enrolment is not None:
            await enrolment.stop()
        if db is not None:
            db.close()


def main(argv: list[str]) -> None:
    """The process: ``argv`` is the command line after the module name.

    Parameters
    ----------
    argv : list of str
        ``[SERVICE_JSON]``.
    """
    if len(argv) != 1:
        raise SystemExit(USAGE)
    logging.basicConfig(
        level=logging.INFO,
        format="[%(levelname)1.1s %(asctime)s hub-groups] %(message)s",
        stream=sys.stderr,
    )
    # alembic says a lot at INFO (its plugins, its context); the service
    # says in one line what the migrations did
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        config = ServiceConfig.from_json(Path(argv[0]).read_text(), argv[0])
    except (OSError, ServiceConfigError) as e:
        raise SystemExit(f"hub-groups: {e}") from None
    asyncio.run(serve(config))


if __name__ == "__main__":
    main(sys.argv[1:])
