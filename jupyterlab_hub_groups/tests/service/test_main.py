"""The service's process (jupyterlab_hub_groups/service/__main__.py)."""

import subprocess
import sys


def test_the_service_says_how_to_run_it():
    out = subprocess.run(
        [sys.executable, "-m", "jupyterlab_hub_groups.service"], capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "usage: python -m jupyterlab_hub_groups.service SERVICE_JSON" in out.stderr
