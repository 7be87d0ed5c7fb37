"""Hub start time with the hub helper, for 10, 100 and 1,000 projects of 5
members, as ratios to a hub with none, measured in one run.

Run with `make bench-hub` (add `--warm` for restarts). Each start uses a
fresh folder: a new database, so every group, user and role is created (the
slowest start); with --warm the hub is started once before, and the restart
is measured. Runs are
interleaved (none, recipe, helper for each size, round after round), so
that the noise of a busy machine falls on all of them alike; medians are
reported. "recipe" is the same groups and roles written by hand as in the
JupyterHub documentation's recipe: helper/recipe is what the helper itself
costs, helper/none what 1,000 projects cost a hub at all.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_projects(folder: Path, n: int) -> Path:
    projects = {f"p{i:04d}": [f"u{i:04d}m{j}" for j in range(5)] for i in range(n)}
    path = folder / f"projects-{n}.yaml"
    path.write_text(yaml.safe_dump({"projects": {k: {"members": v} for k, v in projects.items()}}))
    path.with_suffix(".json").write_text(json.dumps(projects))
    return path


def start_time(mode: str, yaml_path: Path | None, warm: bool = False) -> float:
    data = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    if warm:
        # A restart: the database already has every group, user and role.
        _start(mode, yaml_path, data, keep=True)
    return _start(mode, yaml_path, data, keep=False)


def _start(mode: str, yaml_path: Path | None, data: Path, keep: bool) -> float:
    port = free_port()
    env = dict(
        os.environ,
        BENCH_MODE=mode,
        BENCH_YAML=str(yaml_path or ""),
        BENCH_DATA_DIR=str(data),
        BENCH_PORT=str(port),
        BENCH_HUB_PORT=str(free_port()),
        BENCH_PROXY_API_PORT=str(free_port()),
        BENCH_CHP=str(PROJECT / "node_modules" / ".bin" / "configurable-http-proxy"),
    )
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HERE / "hub_config.py")],
        cwd=data,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(data / "log", "wb"),
        start_new_session=True,
    )
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError((data / "log").read_text()[-3000:])
            try:
                if requests.get(f"http://127.0.0.1:{port}/hub/api/", timeout=2).ok:
                    return time.perf_counter() - started
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(60)
        if not keep:
            shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--warm", action="store_true", help="measure restarts (database already filled)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="bench-yaml-"))
    files = {n: write_projects(folder, n) for n in sizes}
    times: dict[str, list[float]] = {}
    for r in range(args.rounds):
        times.setdefault("none", []).append(start_time("none", None, args.warm))
        for n in sizes:
            for mode in ("recipe", "helper"):
                times.setdefault(f"{mode} {n}", []).append(
                    start_time(mode, files[n], args.warm)
                )
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    none = statistics.median(times["none"])
    kind = "restart (database already filled)" if args.warm else "first start (fresh database)"
    print(f"hub {kind}, median of {args.rounds}")
    print(f"{'':>14} {'seconds':>8} {'÷ none':>8} {'÷ recipe':>9}")
    print(f"{'none':>14} {none:8.2f} {1:8.2f}")
    for n in sizes:
        recipe = statistics.median(times[f"recipe {n}"])
        helper = statistics.median(times[f"helper {n}"])
        print(f"{'recipe ' + str(n):>14} {recipe:8.2f} {recipe / none:8.2f}")
        print(f"{'helper ' + str(n):>14} {helper:8.2f} {helper / none:8.2f} {helper / recipe:9.2f}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
