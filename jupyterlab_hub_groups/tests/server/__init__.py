"""Tests of :mod:`jupyterlab_hub_groups.server`."""
