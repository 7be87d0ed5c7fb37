"""The hub helper's two folders: what it writes, with which modes, and what
it cleans up.

Why a module of its own: the two folders have opposite rules. ``generated_dir``
(course kernels and jupyter-server-proxy config) is mounted in single-user
servers, so everything there is public (folders 0755, files 0644, marked as
ours so that stale ones can be deleted, never anything else), and it holds
no member lists and no secrets. ``state_dir`` (the managed service's
config and, by default, the hub side's SQLite database: who was added, what
the service saw, requests to join) is the hub's only: folder 0700, files
0600, written atomically. Keeping both here keeps their rules in one place.

Imports only the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

from ..contract import RTC_OFF_PAGE_CONFIG, RTC_OFF_SERVER_CONFIG
from .spec import Course, HubGroupsSpec

#: Marks a folder of ``generated_dir`` as ours, so that it may be deleted
#: when its course leaves the file (and nothing else ever is).
MARKER = ".hub-groups-generated"
#: A course's server config: its jupyter-server-proxy services.
SERVER_CONFIG = "jupyter_server_config.py"



def check_folders(spec: HubGroupsSpec) -> list[str]:
    """Mistakes in where the two folders are: the state folder (hub only)
    inside the generated one (mounted in servers), or the other way round.

    Parameters
    ----------
    spec : HubGroupsSpec

    Returns
    -------
    list of str
        One line per mistake, starting with its place in the file.
    """
    generated = spec.settings.generated_dir.resolve()  # type: ignore[union-attr]
    state = spec.settings.state_dir.resolve()  # type: ignore[union-attr]
    if state.is_relative_to(generated) or generated.is_relative_to(state):
        return [
            f"settings.state_dir: {str(state)!r} must be apart from generated_dir "
            f"{str(generated)!r}: servers see the generated folder, only the hub the state"
        ]
    return []


def group_folder(generated_dir: Path, group: str) -> Path:
    """The folder of one group's kernels and server config.

    Group names may hold characters that are awkward in paths; the folder
    name is a readable part plus a digest, so it is unique and safe.
    """
    readable = re.sub(r"[^A-Za-z0-9_.-]", "_", group)[:60]
    digest = hashlib.sha256(group.encode("utf8")).hexdigest()[:8]
    return generated_dir / f"{readable}-{digest}"



# --- Files: generated (public) and state (hub-only) ------------------------------------


def _public_tree(folder: Path) -> None:
    """Folders 0755 and files 0644 under ``folder``, whatever the hub's umask:
    single-user servers may run as other users, and nothing here is secret.
    Symbolic links are skipped (chmod would follow them out of the folder)."""
    os.chmod(folder, 0o755)
    for root, dirs, files in os.walk(folder):
        for name, mode in [(d, 0o755) for d in dirs] + [(f, 0o644) for f in files]:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, mode)


def _write_marker(folder: Path, what: str) -> None:
    (folder / MARKER).write_text(
        f"Written by jupyterlab_hub_groups.hub ({what}). This folder is deleted\n"
        "at a hub start when the YAML file no longer asks for it.\n"
    )


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def course_files(course: Course) -> dict[str, str]:
    """What a course's folder holds: its kernels (``share/jupyter/kernels``,
    with their logos) and its jupyter-server-proxy services (``etc/jupyter``), as relative
    path → text. The same files whether written to ``generated_dir`` or
    rendered as a ConfigMap (:mod:`.kubernetes`).

    Parameters
    ----------
    course : Course

    Returns
    -------
    dict
        Relative path → file content; empty for a course with neither.
    """
    files = {
        f"share/jupyter/kernels/{kname}/kernel.json": json.dumps(kspec, indent=1) + "\n"
        for kname, kspec in course.kernels.items()
    }
    for kname, logo in course.kernel_logos.items():
        if kname in course.kernels:
            # JupyterLab's launcher shows it on the kernel's cards
            files[f"share/jupyter/kernels/{kname}/logo-svg.svg"] = logo
    if course.services:
        # A Python config file, so that the services of several groups
        # add up (`.update`) instead of the last file replacing the rest.
        files[f"etc/jupyter/{SERVER_CONFIG}"] = (
            f"# Written by jupyterlab_hub_groups.hub for group {course.name!r}.\n"
            "import json\n"
            "c.ServerProxy.servers.update(json.loads("
            f"{json.dumps(json.dumps(dict(course.services)))}))\n"
        )
    return files


def rtc_off_files() -> dict[str, str]:
    """What the folder that turns collaboration off holds (relative path →
    text): JupyterLab's page config, and the server config matching the
    hook's ``RTC_OFF_ARGS`` for servers started without them."""
    return {
        "labconfig/page_config.json": json.dumps(RTC_OFF_PAGE_CONFIG, indent=1) + "\n",
        "jupyter_server_config.json": json.dumps(RTC_OFF_SERVER_CONFIG, indent=1) + "\n",
    }


def write_group_folders(spec: HubGroupsSpec) -> dict[str, Path]:
    """Write each course's kernels and proxy services to its group's folder.

    Kernels that left a course are deleted from its folder (the folder is
    ours: it has our marker).

    Returns
    -------
    dict
        Group name → folder, for the groups that have one.
    """
    folders: dict[str, Path] = {}
    generated = spec.settings.generated_dir
    assert generated is not None
    for c in spec.courses:
        files = course_files(c)
        if not files:
            continue
        folder = group_folder(generated, c.name)
        folder.mkdir(parents=True, exist_ok=True)
        _write_marker(folder, f"group {c.name!r}")
        kernels = folder / "share" / "jupyter" / "kernels"
        kernels.mkdir(parents=True, exist_ok=True)
        for old in kernels.iterdir():
            if old.name not in c.kernels:
                _remove(old)
        for kname in c.kernels:
            if kname not in c.kernel_logos:
                # a logo taken out of the file
                (kernels / kname / "logo-svg.svg").unlink(missing_ok=True)
        server_config = folder / "etc" / "jupyter" / SERVER_CONFIG
        server_config.parent.mkdir(parents=True, exist_ok=True)
        if not c.services and server_config.exists():
            server_config.unlink()
        _write_files(folder, files)
        _public_tree(folder)
        folders[c.name] = folder
    return folders


def group_folders(spec: HubGroupsSpec) -> dict[str, Path]:
    """Where each course's folder is, written or not (with ConfigMaps, it is
    where the pods mount them): group name → folder."""
    generated = spec.settings.generated_dir
    assert generated is not None
    return {c.name: group_folder(generated, c.name) for c in spec.courses if course_files(c)}


def rtc_off_folder(spec: HubGroupsSpec) -> Path:
    """Where the folder that turns collaboration off is, written or not."""
    return spec.settings.generated_dir / "rtc-off"  # type: ignore[operator]


def write_rtc_off_folder(spec: HubGroupsSpec) -> Path:
    """Write the config folder that turns collaboration off on a server.

    Returns
    -------
    Path
        The folder, to put first on the server's ``JUPYTER_CONFIG_PATH``.
    """
    folder = rtc_off_folder(spec)
    folder.mkdir(parents=True, exist_ok=True)
    _write_marker(folder, "real-time collaboration off")
    _write_files(folder, rtc_off_files())
    _public_tree(folder)
    return folder


def _write_files(folder: Path, files: Mapping[str, str]) -> None:
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def remove_stale_folders(generated_dir: Path, keep: list[Path]) -> list[Path]:
    """Delete the folders of courses that left the file (or have no kernels
    or services any more): those with our marker only, never anything else
    someone put in ``generated_dir``.

    Returns
    -------
    list of Path
        The folders deleted.
    """
    removed = []
    for child in generated_dir.iterdir():
        if child in keep or child.is_symlink() or not child.is_dir():
            continue
        if (child / MARKER).is_file():
            shutil.rmtree(child)
            removed.append(child)
    return removed


def _private_dir(folder: Path) -> Path:
    """The hub-only state folder: made (or tightened to) 0700."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def write_private(path: Path, text: str) -> None:
    """Write a state file readable by the hub's user only (0600), atomically:
    a hub stopped halfway leaves the old file, not half of a new one."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the file may have existed with another mode
        os.write(fd, text.encode("utf8"))
    finally:
        os.close(fd)
    os.replace(tmp, path)
