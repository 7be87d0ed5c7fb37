"""Tests of :mod:`jupyterlab_hub_groups.service`."""
