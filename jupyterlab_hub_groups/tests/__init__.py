"""Python unit tests for jupyterlab_hub_groups."""
