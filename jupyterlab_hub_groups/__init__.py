"""jupyterlab-hub-groups: JupyterHub groups in JupyterLab.

Why this module is small: it holds only the extension points Jupyter looks
for (the prebuilt labextension, the server extension), and imports nothing
of Jupyter Server until the server loads the extension, so that the hub side
(:mod:`.hub`, :mod:`.service`) can be imported in a hub image without it.

The package has a room per capability:

- :mod:`.server`: the single-user server extension (``hub-groups/api/``).
- :mod:`.hub`: ``configure_hub(c, "groups.yaml")`` and the ``check`` command.
- :mod:`.service`: the managed hub service ``hub-groups``.
- :mod:`.contract`: what the hub and the server must spell alike.
- :mod:`.hub_client`: the one client of the hub's REST API.
"""

try:
    from ._version import __version__
except ImportError:
    # Fallback when using the package in dev mode without installing
    # in editable mode with pip. It is highly recommended to install
    # the package from a stable release or in editable mode: https://pip.pypa.io/en/stable/topics/local-project-installs/#editable-installs
    import warnings
    warnings.warn("Importing 'jupyterlab_hub_groups' outside a proper installation.")
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{
        "src": "labextension",
        "dest": "jupyterlab-hub-groups"
    }]


def _jupyter_server_extension_points():
    return [{
        "module": "jupyterlab_hub_groups"
    }]


def _load_jupyter_server_extension(server_app):
    """Register our handlers (see :mod:`.server`) on the server.

    Parameters
    ----------
    server_app : jupyter_server.serverapp.ServerApp
        The Jupyter server application.
    """
    # Imported here so that `jupyterlab_hub_groups.hub` and `.service` stay
    # importable in a hub image that has no Jupyter Server.
    from .server import setup

    setup(server_app)
    server_app.log.info("Registered jupyterlab_hub_groups server extension")
