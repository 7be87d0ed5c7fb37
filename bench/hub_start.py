"""Hub start time with the hub helper, for 10, 100 and 1,000 projects of 5
members: the helper against the same groups and roles written by hand (the
"recipe"), and both against a bare hub ("none").

Run with `make bench-hub`. What is timed: from starting `jupyterhub` to its
REST API answering through the proxy (`GET /hub/api/`).

- first start: a fresh folder, so a new database where every group, user and
  role is created (the slowest start);
- restart: the hub is started once in that folder beforehand and stopped,
  then the second start is timed (the database already has everything).

Runs are interleaved: in each round, none, then for each size recipe and
helper, in the order recipe-helper in even rounds and helper-recipe in odd
ones (ABBA), so that the drift of a busy machine falls on both alike. Each
ratio is a ratio of medians with a percentile bootstrap 95 % interval (each
arm resampled on its own, 10,000 times, seeded: the same data gives the
same interval). A target "≤ x" passes when the interval's upper bound is.

With ``--shares-sizes`` (1,000 by default) a third arm, **shares**: the
helper with ``settings.project_access: shares`` (no role per project: the
hub-groups service gives each member a share at run time), in the same
rounds, the three arms of a size rotated from round to round (recipe,
helper, shares; helper, shares, recipe; ...). ``shares ÷ roles`` is shares
÷ helper (whose projects have their roles).

Each start also reports where its time went (bench/hub_config.py writes the
wall time of each of JupyterHub's start-up steps, and of the helper's import
and ``configure_hub``): medians per step, helper minus recipe.
"""

from __future__ import annotations

import argparse
import json
import os
import random
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

#: helper ÷ recipe at 1,000 projects must be at most this (upper bound of the
#: 95 % interval), first start and restart.
TARGETS = {"first": 1.0, "restart": 0.6}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_projects(folder: Path, n: int, settings: dict | None = None) -> Path:
    """projects-<n>.yaml for the helper and projects-<n>.json for the recipe."""
    projects = {f"p{i:04d}": [f"u{i:04d}m{j}" for j in range(5)] for i in range(n)}
    suffix = "" if not settings else "-" + "-".join(settings)
    path = folder / f"projects-{n}{suffix}.yaml"
    body: dict = {"projects": {k: {"members": v} for k, v in projects.items()}}
    if settings:
        body["settings"] = settings
    path.write_text(yaml.safe_dump(body))
    path.with_suffix(".json").write_text(json.dumps(projects))
    return path


# --- statistics (as bench/stats.ts) ---------------------------------------------------


def quantile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    at = q * (len(s) - 1)
    lo, hi = int(at // 1), int(-(-at // 1))
    return s[lo] + (s[hi] - s[lo]) * (at - lo)


def bootstrap(
    a: list[float], b: list[float], resamples: int = 10_000, seed: int = 13, diff: bool = False
) -> tuple[float, float, float]:
    """median(a) ÷ median(b) (or −, with ``diff``) and its percentile
    bootstrap 95 % interval: each arm resampled with replacement on its own."""
    rng = random.Random(seed)
    stat = (lambda x, y: x - y) if diff else (lambda x, y: x / y)
    values = []
    for _ in range(resamples):
        ra = [a[int(rng.random() * len(a))] for _ in a]
        rb = [b[int(rng.random() * len(b))] for _ in b]
        values.append(stat(statistics.median(ra), statistics.median(rb)))
    return (
        stat(statistics.median(a), statistics.median(b)),
        quantile(values, 0.025),
        quantile(values, 0.975),
    )


def bootstrap_ratio(a: list[float], b: list[float], seed: int = 13) -> tuple[float, float, float]:
    return bootstrap(a, b, seed=seed)


def verdict(ratio: tuple[float, float, float], target: float) -> str:
    _, low, high = ratio
    if high <= target:
        return "PASS"
    if low > target:
        return "FAIL (the whole interval is above the target)"
    return "FAIL (undecided: the interval straddles the target; more rounds or a quieter machine)"


def fmt(ratio: tuple[float, float, float]) -> str:
    return f"{ratio[0]:.2f} [{ratio[1]:.2f}, {ratio[2]:.2f}]"


# --- one start ------------------------------------------------------------------------


def start_time(
    mode: str, yaml_path: Path | None, warm: bool = False
) -> tuple[float, list[tuple[str, float, float]]]:
    """Seconds to a hub answering, and its steps (name, start, seconds)."""
    data = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    try:
        if warm:
            # A restart: the database already has every group, user and role.
            _start(mode, yaml_path, data)
        return _start(mode, yaml_path, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _start(
    mode: str, yaml_path: Path | None, data: Path, extra_env: dict | None = None
) -> tuple[float, list[tuple[str, float, float]]]:
    port = free_port()
    phases_file = data / "phases.json"
    phases_file.unlink(missing_ok=True)
    started_epoch = time.time()
    env = dict(
        os.environ,
        BENCH_MODE=mode,
        BENCH_YAML=str(yaml_path or ""),
        BENCH_DATA_DIR=str(data),
        BENCH_PORT=str(port),
        BENCH_HUB_PORT=str(free_port()),
        BENCH_PROXY_API_PORT=str(free_port()),
        BENCH_CHP=str(PROJECT / "node_modules" / ".bin" / "configurable-http-proxy"),
        BENCH_PHASES=str(phases_file),
        BENCH_T0=repr(started_epoch),
        **(extra_env or {}),
    )
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HERE / "hub_config.py")],
        cwd=data,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(data / "log", "ab"),
        start_new_session=True,
    )
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError((data / "log").read_text()[-3000:])
            try:
                if requests.get(f"http://127.0.0.1:{port}/hub/api/", timeout=2).ok:
                    elapsed = time.perf_counter() - started
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        # The hub writes its steps when its start() returns (after the
        # services' start): wait for them, outside the measured time.
        deadline = time.time() + 60
        while not phases_file.exists() and time.time() < deadline and proc.poll() is None:
            time.sleep(0.05)
        phases = json.loads(phases_file.read_text()) if phases_file.exists() else []
        return elapsed, [tuple(p) for p in phases]
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


# --- the bench ------------------------------------------------------------------------


def run(
    kind: str,
    sizes: list[int],
    rounds: int,
    files: dict[int, Path],
    share_files: dict[int, Path] | None = None,
) -> dict:
    warm = kind == "restart"
    share_files = share_files or {}
    times: dict[str, list[float]] = {}
    steps: dict[str, list[dict[str, float]]] = {}
    order_of: dict[str, float] = {}  # step → when it began (first seen)
    for r in range(rounds):
        order = [("none", None)]
        for n in sizes:
            arms = [("recipe", n), ("helper", n)]
            if n in share_files:
                # three arms: each first, second and third in turn
                arms.append(("shares", n))
                order += arms[r % 3 :] + arms[: r % 3]
            else:
                order += arms if r % 2 == 0 else arms[::-1]
        for mode, n in order:
            key = mode if n is None else f"{mode} {n}"
            # shares: the helper's own config, with the project_access: shares file
            path = share_files.get(n) if mode == "shares" else files.get(n) if n else None
            elapsed, phases = start_time("helper" if mode == "shares" else mode, path, warm)
            times.setdefault(key, []).append(elapsed)
            per_step: dict[str, float] = {}
            for name, begun, seconds in phases:
                per_step[name] = per_step.get(name, 0) + seconds
                order_of.setdefault(name, begun)
            steps.setdefault(key, []).append(per_step)
        print(f"{kind}: round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    return {"times": times, "steps": steps, "order": sorted(order_of, key=order_of.get)}


def report(kind: str, sizes: list[int], rounds: int, result: dict, seed: int) -> list[str]:
    times, steps = result["times"], result["steps"]
    lines = [
        f"hub {'restart (database already filled)' if kind == 'restart' else 'first start (fresh database)'},"
        f" {rounds} rounds, medians; ratios with a bootstrap 95 % interval",
        f"{'':>14} {'seconds':>8} {'min–max':>13}  {'÷ none':>18}  {'helper ÷ recipe':>18}  {'helper − recipe (s)':>22}",
    ]
    none = times["none"]
    lines.append(
        f"{'none':>14} {statistics.median(none):8.2f} {min(none):6.2f}–{max(none):<6.2f}  {'1.00':>18}"
    )
    verdicts = []
    for n in sizes:
        recipe, helper = times[f"recipe {n}"], times[f"helper {n}"]
        hr = bootstrap_ratio(helper, recipe, seed=seed)
        for mode, xs in (("recipe", recipe), ("helper", helper)):
            lines.append(
                f"{mode + ' ' + str(n):>14} {statistics.median(xs):8.2f} {min(xs):6.2f}–{max(xs):<6.2f}"
                f"  {fmt(bootstrap_ratio(xs, none, seed=seed)):>18}"
                + (
                    f"  {fmt(hr):>18}  {fmt(bootstrap(helper, recipe, seed=seed, diff=True)):>22}"
                    if mode == "helper"
                    else ""
                )
            )
        if f"shares {n}" in times:
            shares = times[f"shares {n}"]
            lines.append(
                f"{'shares ' + str(n):>14} {statistics.median(shares):8.2f} {min(shares):6.2f}–{max(shares):<6.2f}"
                f"  {fmt(bootstrap_ratio(shares, none, seed=seed)):>18}"
                f"  shares ÷ roles {fmt(bootstrap_ratio(shares, helper, seed=seed))},"
                f" shares − roles (s) {fmt(bootstrap(shares, helper, seed=seed, diff=True))}"
            )
        if n == 1000:
            target = TARGETS[kind]
            verdicts.append(
                f"target helper ÷ recipe ≤ {target} at 1,000 projects ({kind}): {fmt(hr)} → {verdict(hr, target)}"
            )
    lines += verdicts
    # Where the time goes: median seconds per step, largest size. Steps
    # named "a: b" are parts of step a.
    n = max(sizes)
    names = result["order"]
    lines.append(f"steps of the hub's start at {n} projects (median seconds; helper − recipe):")
    for name in names + ["other (proxy, API answering)"]:
        if name.startswith("other"):
            r = statistics.median(
                t - sum(v for k, v in s.items() if ":" not in k)
                for t, s in zip(times[f"recipe {n}"], steps[f"recipe {n}"])
            )
            h = statistics.median(
                t - sum(v for k, v in s.items() if ":" not in k)
                for t, s in zip(times[f"helper {n}"], steps[f"helper {n}"])
            )
            sh = (
                statistics.median(
                    t - sum(v for k, v in s.items() if ":" not in k)
                    for t, s in zip(times[f"shares {n}"], steps[f"shares {n}"])
                )
                if f"shares {n}" in times
                else None
            )
        else:
            r = statistics.median([s.get(name, 0) for s in steps[f"recipe {n}"]])
            h = statistics.median([s.get(name, 0) for s in steps[f"helper {n}"]])
            sh = (
                statistics.median([s.get(name, 0) for s in steps[f"shares {n}"]])
                if f"shares {n}" in steps
                else None
            )
        if max(abs(r), abs(h), abs(sh or 0)) >= 0.01:
            label = ("  " + name.split(": ", 1)[1]) if ": " in name else name
            lines.append(
                f"  {label:<36} recipe {r:7.3f}  helper {h:7.3f}  {h - r:+7.3f}"
                + ("" if sh is None else f"  shares {sh:7.3f}")
            )
    return lines


def machine() -> list[str]:
    """date, nproc, memory, uname -a, Python and JupyterHub versions, load."""
    import platform

    import jupyterhub

    try:
        mem = next(
            line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")
        )
        memory = f"{int(mem) / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    return [
        f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}",
        f"machine: {os.cpu_count()} cores, {memory}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"system: {uname}",
        f"Python {platform.python_version()}, JupyterHub {jupyterhub.__version__}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--kind",
        default="first,restart",
        help="first (fresh database), restart (database already filled), or both",
    )
    parser.add_argument(
        "--warm", action="store_true", help="same as --kind restart (older spelling)"
    )
    parser.add_argument(
        "--shares-sizes",
        default="1000",
        help="sizes that also get the shares arm (project_access: shares); empty: none",
    )
    parser.add_argument(
        "--api",
        action="store_true",
        help="every helper file also lets people make projects (runtime_projects): the "
        "service has its HTTP API in the roles arm too, as in the shares arm",
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--out",
        default=str(HERE / "results" / "hub.jsonl"),
        help="raw data: one JSON record (not .json, which `jlpm lint` would check)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ["restart"] if args.warm else [k.strip() for k in args.kind.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="bench-yaml-"))
    api = {"runtime_projects": {"allowed": "everyone"}} if args.api else {}
    files = {n: write_projects(folder, n, api) for n in sizes}
    share_sizes = [int(x) for x in args.shares_sizes.split(",") if x.strip()]
    share_files = {
        n: write_projects(folder, n, {**api, "project_access": "shares"})
        for n in share_sizes
        if n in sizes
    }
    out: dict = {"machine": machine(), "rounds": args.rounds, "seed": args.seed, "api": args.api}
    lines: list[str] = [*out["machine"], ""]
    try:
        for kind in kinds:
            out[kind] = run(kind, sizes, args.rounds, files, share_files)
            lines += report(kind, sizes, args.rounds, out[kind], args.seed) + [""]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(out) + "\n")
    print("\n".join(lines))
    Path(args.out).with_suffix(".txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
