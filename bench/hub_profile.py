"""Where the hub helper's time goes at hub start, against the recipe.

Run with `make bench-hub-profile` (or `python bench/hub_profile.py
--projects 1000 --rounds 3`). It reports, for N projects of 5 members:

1. the helper's import (``python -X importtime``);
2. ``configure_hub`` alone (no hub): wall time over a few runs, and a
   cProfile of one run by function of the helper (and PyYAML);
3. what the helper puts in the config against the recipe: groups,
   memberships, roles, scopes, services, hooks;
4. hub first starts (or restarts, ``--kind restart``) of the recipe, the
   helper, and what-ifs of the helper made by the bench's config (never by
   changing the helper; see bench/hub_config.py): ``helper-noservice``
   (without its managed service and its role) and ``helper-fewscopes``
   (the service's role with 3 group-filtered scopes instead of 3 per
   project); interleaved, medians, ratio to the recipe with a bootstrap
   95 % interval, and the hub's steps per mode;
5. a cProfile of one hub start of the recipe and one of the helper
   (``--profile-modes``): the work done, counted (users created, role
   grants, commits, SQL statements: the same on any machine), and the
   functions whose cumulative time differs most.

Timings depend on the machine: run it on a quiet one. The counts (3) and
the shares (2, 5) do not.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hub_start import HERE, _start, bootstrap_ratio, fmt, write_projects

PY = sys.executable


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def import_time() -> None:
    section("1. importing the helper (python -X importtime, microseconds)")
    out = subprocess.run(
        [PY, "-X", "importtime", "-c", "import jupyterlab_hub_groups.hub"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    rows = []
    for line in out.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m[2]), int(m[1]), len(m[3]), m[4]))
    total = sum(self for _, self, _, _ in rows)
    print(f"  everything imported: {total / 1000:.1f} ms (in a fresh interpreter)")
    for cumulative, self, depth, name in sorted(rows, reverse=True)[:12]:
        print(f"  {cumulative / 1000:8.1f} ms cumulative {self / 1000:7.1f} ms self  {name}")


def configure_alone(yaml_path: Path, runs: int) -> None:
    section(f"2. configure_hub alone ({yaml_path.name}), no hub")
    from traitlets.config import Config

    from jupyterlab_hub_groups.hub import configure_hub

    times = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="bench-configure-"))
        try:
            c = Config()
            started = time.perf_counter()
            configure_hub(c, yaml_path, generated_dir=folder / "gen", state_dir=folder / "state")
            times.append(time.perf_counter() - started)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(
        f"  first start of its folders (fresh): median {statistics.median(times) * 1000:.0f} ms"
        f" (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over {runs} runs"
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-configure-"))
    try:
        configure_hub(Config(), yaml_path, generated_dir=folder / "gen", state_dir=folder / "state")
        started = time.perf_counter()
        configure_hub(Config(), yaml_path, generated_dir=folder / "gen", state_dir=folder / "state")
        print(f"  again on the same folders (a restart): {(time.perf_counter() - started) * 1000:.0f} ms")
        profile = cProfile.Profile()
        profile.enable()
        configure_hub(Config(), yaml_path, generated_dir=folder / "gen", state_dir=folder / "state")
        profile.disable()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    stats = pstats.Stats(profile)
    total = max(v[3] for v in stats.stats.values())
    print(f"  cProfile of one run (total {total * 1000:.0f} ms with the profiler's overhead), cumulative:")
    rows = []
    for (file, line, func), (_, calls, _, cum, _) in stats.stats.items():
        if "jupyterlab_hub_groups" in file or (file.endswith("yaml/__init__.py") and func == "load"):
            rows.append((cum, calls, f"{Path(file).parent.name}/{Path(file).name}:{func}"))
        elif file == "~" and any(k in func for k in ("chmod", "mkdir", "open", "write", "stat", "replace", "rename")):
            rows.append((cum, calls, func))
    for cum, calls, name in sorted(rows, reverse=True)[:22]:
        print(f"  {cum * 1000:8.1f} ms {cum / total * 100:5.1f} %  {calls:>7} calls  {name}")


def what_it_makes(yaml_path: Path) -> None:
    section("3. what goes into the hub config")
    from traitlets.config import Config

    from jupyterlab_hub_groups.hub import configure_hub

    folder = Path(tempfile.mkdtemp(prefix="bench-configure-"))
    try:
        helper = Config()
        configure_hub(helper, yaml_path, generated_dir=folder / "gen", state_dir=folder / "state")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    recipe = Config()
    env = {"BENCH_MODE": "recipe", "BENCH_YAML": str(yaml_path), "BENCH_DATA_DIR": str(folder)}
    env.update(BENCH_PORT="1", BENCH_HUB_PORT="2", BENCH_PROXY_API_PORT="3", BENCH_CHP="x")
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        namespace = {"get_config": lambda: recipe}
        exec(compile((HERE / "hub_config.py").read_text(), "hub_config.py", "exec"), namespace)
    finally:
        os.environ.clear()
        os.environ.update(saved)

    def counts(c: Config) -> dict:
        groups = c.JupyterHub.load_groups if "load_groups" in c.JupyterHub else {}
        roles = c.JupyterHub.load_roles if "load_roles" in c.JupyterHub else []
        services = c.JupyterHub.services if "services" in c.JupyterHub else []
        biggest = max(roles, key=lambda r: len(r.get("scopes", [])), default={})
        return {
            "groups": len(groups),
            "memberships": sum(len(g.get("users", [])) for g in groups.values()),
            "users named": len({u for g in groups.values() for u in g.get("users", [])}),
            "roles": len(roles),
            "scopes in roles": sum(len(r.get("scopes", [])) for r in roles),
            "largest role": f"{biggest.get('name')} ({len(biggest.get('scopes', []))} scopes)",
            "role assignments": sum(
                len(r.get(k, [])) for r in roles for k in ("users", "groups", "services")
            ),
            "managed services": len([s for s in services if s.get("command")]),
            "hooks": ", ".join(
                f"{section}.{key}"
                for section in ("Spawner", "Authenticator")
                for key in ("pre_spawn_hook", "server_token_scopes", "post_auth_hook")
                if section in c and key in c[section]
            )
            or "none",
        }

    h, r = counts(helper), counts(recipe)
    print(f"  {'':<18} {'recipe':>26} {'helper':>30}")
    for key in h:
        print(f"  {key:<18} {str(r[key]):>26} {str(h[key]):>30}")


def hub_starts(yaml_path: Path, modes: list[str], rounds: int, kind: str) -> None:
    section(
        f"4. hub {'restarts' if kind == 'restart' else 'first starts'} at {yaml_path.stem},"
        f" {rounds} round(s), interleaved (order rotated each round)"
    )
    times: dict[str, list[float]] = {m: [] for m in modes}
    steps: dict[str, list[dict[str, float]]] = {m: [] for m in modes}
    order_of: dict[str, float] = {}
    for r in range(rounds):
        rotated = modes[r % len(modes) :] + modes[: r % len(modes)]
        for mode in rotated:
            data = Path(tempfile.mkdtemp(prefix="bench-hub-"))
            try:
                if kind == "restart":
                    _start(mode, yaml_path, data)
                elapsed, phases = _start(mode, yaml_path, data)
            finally:
                shutil.rmtree(data, ignore_errors=True)
            times[mode].append(elapsed)
            per: dict[str, float] = {}
            for name, begun, seconds in phases:
                per[name] = per.get(name, 0) + seconds
                order_of.setdefault(name, begun)
            steps[mode].append(per)
        print(f"  round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    print(f"  {'':<18} {'seconds':>8}  {'÷ recipe [95 % CI]':>20}")
    for mode in modes:
        ratio = bootstrap_ratio(times[mode], times["recipe"]) if "recipe" in times else None
        print(
            f"  {mode:<18} {statistics.median(times[mode]):8.2f}  {fmt(ratio) if ratio else '':>20}"
            f"   ({', '.join(f'{t:.2f}' for t in times[mode])})"
        )
    names = sorted(order_of, key=order_of.get)
    print("  steps (median seconds):")
    width = max(18, *(len(m) + 2 for m in modes))
    print("  " + f"{'':<36}" + "".join(f"{m:>{width}}" for m in modes))
    for name in names:
        values = [statistics.median([s.get(name, 0) for s in steps[m]]) for m in modes]
        if max(values) >= 0.01:
            label = ("  " + name.split(": ", 1)[1]) if ": " in name else name
            print("  " + f"{label:<36}" + "".join(f"{v:{width}.3f}" for v in values))


def profiled_starts(yaml_path: Path, modes: list[str]) -> None:
    section("5. cProfile of one hub first start each (config file → end of start)")
    stats: dict[str, pstats.Stats] = {}
    for mode in modes:
        data = Path(tempfile.mkdtemp(prefix="bench-hub-"))
        try:
            out = data / "hub.prof"
            elapsed, _ = _start(mode, yaml_path, data, {"BENCH_CPROFILE": str(out)})
            deadline = time.time() + 30
            while not out.exists() and time.time() < deadline:
                time.sleep(0.1)
            stats[mode] = pstats.Stats(str(out), stream=io.StringIO())
            print(f"  {mode}: {elapsed:.2f} s to the API (slowed by the profiler)")
        finally:
            shutil.rmtree(data, ignore_errors=True)

    def cumulative(s: pstats.Stats) -> dict[str, tuple[float, int]]:
        out: dict[str, tuple[float, int]] = {}
        for (file, line, func), (_, calls, _, cum, _) in s.stats.items():
            where = file.split("site-packages/")[-1] if "site-packages/" in file else Path(file).name
            out[f"{where}:{line}({func})"] = (cum, calls)
        return out

    # Work done, counted (the same on any machine, unlike times).
    counted = [
        ("jupyterhub/app.py", "_get_or_create_user", "users created one by one"),
        ("jupyterhub/roles.py", "grant_role", "role grants"),
        ("jupyterhub/roles.py", "create_role", "roles created or checked"),
        ("jupyterhub/scopes.py", "_check_scopes_exist", "scope checks"),
        ("sqlalchemy/orm/session.py", "commit", "Session.commit (all levels)"),
        ("sqlalchemy/engine/base.py", "_execute_context", "SQL statements"),
    ]
    print("  work done, counted (calls):")
    width = max(16, *(len(m) + 2 for m in modes))
    print("  " + f"{'':<30}" + "".join(f"{m:>{width}}" for m in modes))
    for suffix, func, label in counted:
        row = []
        for mode in modes:
            calls = sum(
                v[1]
                for (file, _, name), v in stats[mode].stats.items()
                if name == func and file.endswith(suffix)
            )
            row.append(calls)
        print("  " + f"{label:<30}" + "".join(f"{n:>{width}}" for n in row))

    base = cumulative(stats[modes[0]])
    for mode in modes[1:]:
        other = cumulative(stats[mode])
        diffs = []
        for key in set(base) | set(other):
            b, o = base.get(key, (0, 0)), other.get(key, (0, 0))
            diffs.append((o[0] - b[0], key, b, o))
        print(f"  functions whose cumulative time grew most, {mode} − {modes[0]} (seconds, calls):")
        for diff, key, b, o in sorted(diffs, reverse=True)[:20]:
            if diff < 0.05:
                break
            print(f"  {diff:+8.2f}  {b[0]:7.2f} ({b[1]:>6}) → {o[0]:7.2f} ({o[1]:>6})  {key}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kind", choices=["first", "restart"], default="first")
    parser.add_argument(
        "--modes",
        default="recipe,helper,helper-noservice,helper-fewscopes,helper-lazyaccounts",
    )
    parser.add_argument(
        "--profile-modes",
        default="recipe,helper",
        help="section 5: the first is the baseline the others are compared with",
    )
    parser.add_argument(
        "--skip", default="", help="sections to skip, e.g. 4,5 (the hub starts)"
    )
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    folder = Path(tempfile.mkdtemp(prefix="bench-yaml-"))
    try:
        yaml_path = write_projects(folder, args.projects)
        print(
            f"hub helper profile, {args.projects} projects of 5 members;"
            f" {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}"
        )
        if "1" not in skip:
            import_time()
        if "2" not in skip:
            configure_alone(yaml_path, runs=5)
        if "3" not in skip:
            what_it_makes(yaml_path)
        if "4" not in skip:
            hub_starts(yaml_path, args.modes.split(","), args.rounds, args.kind)
        if "5" not in skip:
            profiled_starts(yaml_path, args.profile_modes.split(","))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
