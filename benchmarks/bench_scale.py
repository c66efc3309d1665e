"""Scale curve: `adoptscore score` on the `gitlab` rubric at 100k, 1M, 10M and 30M account-months.

One table: wall time, CPU time (user + system), CPU / wall, peak RSS and output size per input
size, each size's time per million account-months, and the ratio of that rate to the 1M rate
(1.0 is linear growth). The inputs are bench_score.py's (generated once by adoptscore.demo and
cached in `--data-dir`); each run is a fresh process under /usr/bin/time, as in bench_score.py.
The DuckDB hand-written baseline runs beside the engine at each size (`--baseline`, default on
up to 10M) so a slow machine shows in both: its rate ratio is printed too.

    python benchmarks/bench_scale.py [--sizes 100000,1000000,10000000,30000000] [--repeat 1]

Disk: the 30M input is ~0.7 GB and the outputs ~5 GB (removed after each run).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bench_score():
    spec = importlib.util.spec_from_file_location("bench_score", HERE / "bench_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.glob("*.parquet"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000,30000000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline-up-to", type=int, default=10_000_000,
                        help="run the DuckDB baseline at sizes up to this (0: never)")
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "scale.json")
    args = parser.parse_args(argv)
    bench = _bench_score()
    engine = bench.engine_command()
    if engine is None:
        print("adoptscore is not installed in this environment", file=sys.stderr)
        return 1
    sizes = [int(s) for s in args.sizes.split(",")]
    logs = args.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in sizes:
        path, meta = bench.ensure_input(size, args.data_dir)
        variants = ["engine"] + (["duckdb_sql"] if size <= args.baseline_up_to else [])
        for variant in variants:
            runs = []
            for i in range(args.repeat):
                out = args.data_dir / "out" / f"scale-{variant}"
                result = bench.run_once(bench.variant_command(variant, path, out, engine), out, logs,
                                        f"scale-{variant}-{size}-{i}")
                if result["rc"] != 0:
                    print(f"{variant} at {size:,} failed: see {logs}/scale-{variant}-{size}-{i}.err", file=sys.stderr)
                    return 1
                result["output_bytes"] = _size(out)
                shutil.rmtree(out, ignore_errors=True)
                runs.append(result)
                print(f"  {variant:10s} {meta['rows']:>12,} rows  {result['wall']:7.2f} s  cpu {result['cpu']:7.1f} s"
                      f"  peak {result['rss_mb']:6.0f} MB", flush=True)
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            rows.append({"variant": variant, "rows": meta["rows"], "wall": wall, "cpu": cpu,
                         "peak_mb": max(r["rss_mb"] for r in runs), "output_bytes": runs[0]["output_bytes"],
                         "wall_per_million": wall / meta["rows"] * 1e6, "runs": runs,
                         "loadavg": os.getloadavg()})
    print()
    print(f"{'variant':10s} {'rows':>12s} {'wall s':>8s} {'cpu s':>8s} {'cpu/wall':>8s} {'peak MB':>8s}"
          f" {'out MB':>8s} {'s per 1M':>9s} {'vs 1M':>6s}")
    for variant in dict.fromkeys(r["variant"] for r in rows):
        mine = [r for r in rows if r["variant"] == variant]
        reference = next((r for r in mine if r["rows"] >= 0.99e6 and r["rows"] <= 1.01e6), mine[0])
        for r in mine:
            r["rate_vs_1m"] = r["wall_per_million"] / reference["wall_per_million"]
            print(f"{variant:10s} {r['rows']:>12,} {r['wall']:8.2f} {r['cpu']:8.1f} {r['cpu'] / r['wall']:8.2f}"
                  f" {r['peak_mb']:8.0f} {r['output_bytes'] / 1e6:8.0f} {r['wall_per_million']:9.2f}"
                  f" {r['rate_vs_1m']:6.2f}")
    print("(s per 1M: wall seconds per million account-months; vs 1M: that rate over the 1M rate, 1.00 = linear)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"sizes": sizes, "repeat": args.repeat, "results": rows}, indent=2))
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
