"""``python -m jupyterlab_hub_groups.service STATE_DIR/service.json``: the
managed service's process, as JupyterHub runs it (``c.JupyterHub.services``).

Reads its config (written by the hub helper), its hub API URL and token from
the environment JupyterHub gives it, and runs until SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
from pathlib import Path

from . import run
from .hubapi import hub_api


def main(argv: list[str]) -> None:
    """``python -m jupyterlab_hub_groups.service SERVICE_JSON``."""
    if len(argv) != 1:
        raise SystemExit("usage: python -m jupyterlab_hub_groups.service SERVICE_JSON")
    logging.basicConfig(
        level=logging.INFO,
        format="[%(levelname)1.1s %(asctime)s hub-groups] %(message)s",
        stream=sys.stderr,
    )
    config = json.loads(Path(argv[0]).read_text())

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        call = hub_api(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"])
        await run(config, call, stop)

    asyncio.run(serve())


if __name__ == "__main__":
    main(sys.argv[1:])
