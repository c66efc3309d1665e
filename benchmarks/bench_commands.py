"""End-to-end time of the lifecycle commands on the demo data: validate, diff, explain.

Each command runs as a fresh process, as a user runs it, interleaved with the others and with the
floor (``adoptscore --help``: the interpreter and the command line, no data) so drift on a shared
machine hits them all. Two cache states per command:

- ``warm``: compiled rubrics read from the cache folder (the second and later runs on a machine);
- ``cold``: ``ADOPTSCORE_COMPILE_CACHE=off``, every rubric compiled through Ibis (a first run).

Wall time is measured around the process; CPU time (user + system) comes from the kernel
(``RUSAGE_CHILDREN``). Medians are printed with each command's ratio to the floor::

    python benchmarks/bench_commands.py [--repeat 7] [--demo DIR] [--json out.json]

``--demo`` is a folder written by ``adoptscore demo`` (made in a temporary folder when not given).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ADOPTSCORE = [str(Path(sys.executable).parent / "adoptscore")]


FLOOR = "floor (--help)"


def commands(demo: Path) -> dict[str, list[str]]:
    usage = str(demo / "usage.parquet")
    return {
        "validate": ["validate", usage, "--labels", str(demo / "labels.csv")],
        "diff": ["diff", usage, "--old", "gitlab-2022", "--new", "gitlab"],
        "explain": ["explain", usage, "--account", "A000001"],
    }


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--demo", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="adoptscore-bench-commands-"))
    demo = args.demo
    if demo is None:
        demo = scratch / "demo"
        subprocess.run([*ADOPTSCORE, "demo", "--out", str(demo)], check=True, stdout=subprocess.DEVNULL)
    cache = scratch / "cache"
    warm_env = {**os.environ, "ADOPTSCORE_CACHE": str(cache)}
    cold_env = {**warm_env, "ADOPTSCORE_COMPILE_CACHE": "off"}
    variants = {FLOOR: ([*ADOPTSCORE, "--help"], warm_env)}
    for name, argv in commands(demo).items():
        variants[f"{name} warm"] = ([*ADOPTSCORE, *argv], warm_env)
        variants[f"{name} cold"] = ([*ADOPTSCORE, *argv], cold_env)
    for argv, env in variants.values():  # fills the cache, warms the page cache
        run(argv, env)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for _ in range(args.repeat):
        for name, (argv, env) in variants.items():
            runs[name].append(run(argv, env))
    floor = statistics.median(w for w, _ in runs[FLOOR])
    print(f"{'command':18s} {'wall s':>7s} {'min s':>7s} {'cpu s':>7s} {'x floor':>8s}")
    report = {}
    for name, samples in runs.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        report[name] = {"wall_median": wall, "wall_min": min(w for w, _ in samples), "cpu_median": cpu,
                        "ratio_to_floor": wall / floor, "runs": samples}
        print(f"{name:18s} {wall:7.2f} {report[name]['wall_min']:7.2f} {cpu:7.2f} {wall / floor:8.1f}")
    print(f"(medians of {args.repeat}; load average {os.getloadavg()[0]:.1f})")
    if args.json:
        args.json.write_text(json.dumps({"repeat": args.repeat, "loadavg": os.getloadavg(), "results": report}, indent=2))


if __name__ == "__main__":
    main()
