"""Benchmark: ingesting Service Ping payloads vs plain ``json.load`` over the same files, same run.

    python benchmarks/bench_ingest.py                        # 10,000 payloads, 3 repeats
    python benchmarks/bench_ingest.py --payloads 2000 --repeats 5 --workers 2

The input: ``--payloads`` demo payloads (``adoptscore.demo.service_ping.write_payloads``: one JSON file
per instance-month, about 2,000 metrics each, ~70 KB), generated once into ``--data-dir``
(``benchmarks/.data/service-ping-<N>/``, with a ``meta.json`` saying what made it) and reused.

Variants, timed in this process with a monotonic clock, interleaved (A B C, A B C, ...) so drift on a
shared machine hits all of them, after one untimed pass that warms the page cache:

* ``json_load``: the baseline, what a user would write: ``for f in files: json.load(open(f))``, one
  process, results thrown away;
* ``ingest_1``: ``read_payloads(folder, workers=1)``: the product in one process: list the folder,
  read and decode every file, extract the mapped columns, keep the latest payload per
  instance-month, build the Arrow table;
* ``ingest_N``: the same with ``--workers`` processes (the default on a machine with that many cores).

Prints the median wall time of each variant and its ratio to ``json_load``'s median, checks that the
two ingest variants produced the same table, and writes ``benchmarks/results/ingest-<N>.json``.
The target (issue 7): ingest within 2x of ``json_load``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = "adoptscore.demo.service_ping.write_payloads v1"


def ensure_payloads(count: int, data_dir: Path, seed: int = 42) -> Path:
    """The folder of ``count`` demo payload files, generated unless a matching one is cached."""
    from adoptscore.demo.service_ping import write_payloads

    folder = data_dir / f"service-ping-{count}"
    meta_path = folder / "meta.json"
    meta = {"generator": GENERATOR, "payloads": count, "seed": seed}
    if meta_path.exists() and json.loads(meta_path.read_text()) == meta \
            and sum(1 for p in folder.glob("*.json") if p.name != "meta.json") == count:
        return folder
    if folder.exists():
        for path in folder.glob("*.json"):
            path.unlink()
    # ~19 files per customer over 12 months (1.5 instances, weekly extras); generate enough, keep `count`
    started = time.perf_counter()
    written = write_payloads(folder / "payloads", accounts=max(10, count // 15 + 10), months=12, seed=seed,
                             limit=count)
    if written < count:
        raise SystemExit(f"the generator gave {written} payloads, fewer than {count}")
    for path in (folder / "payloads").iterdir():
        path.rename(folder / path.name)
    (folder / "payloads").rmdir()
    print(f"generated {count:,} payloads in {time.perf_counter() - started:.1f} s into {folder}")
    meta_path.write_text(json.dumps(meta))
    return folder


def payload_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.name != "meta.json")


def run_json_load(files: list[Path]) -> int:
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as handle:
            json.load(handle)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payloads", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes for the parallel variant (default: 2, or 1 on a one-core machine)")
    parser.add_argument("--data-dir", default=str(HERE / ".data"))
    parser.add_argument("--results", default=str(HERE / "results"))
    args = parser.parse_args(argv)

    from adoptscore.ingest.mapping import load_mapping
    from adoptscore.ingest.service_ping import read_payloads

    folder = ensure_payloads(args.payloads, Path(args.data_dir).resolve())
    files = payload_files(folder)
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files):,} payload files, {size / 1e6:,.0f} MB, in {folder}")
    mapping = load_mapping()
    # only the payload files: the folder also holds meta.json, which is not a payload
    paths = [str(p) for p in files]

    variants = {"json_load": lambda: run_json_load(files),
                "ingest_1": lambda: read_payloads(paths, mapping, workers=1)}
    if args.workers > 1:
        variants[f"ingest_{args.workers}"] = lambda: read_payloads(paths, mapping, workers=args.workers)

    run_json_load(files)  # warm the page cache: every variant reads from memory
    times: dict[str, list[float]] = {name: [] for name in variants}
    results: dict[str, object] = {}
    for repeat in range(args.repeats):
        for name, fn in variants.items():
            started = time.perf_counter()
            results[name] = fn()
            elapsed = time.perf_counter() - started
            times[name].append(elapsed)
            print(f"  repeat {repeat + 1}: {name:10} {elapsed:8.2f} s", flush=True)

    ingests = [r for n, r in results.items() if n != "json_load"]
    if any(not ingests[0].table.equals(other.table) for other in ingests[1:]):
        print("the ingest variants produced different tables", file=sys.stderr)
        return 1
    ingest = ingests[0]
    if ingest.payloads + len(ingest.skipped) != len(files):
        print("the ingest did not account for every file", file=sys.stderr)
        return 1
    baseline = statistics.median(times["json_load"])
    print(f"\n{'variant':12} {'median s':>9} {'ratio':>7}   (per file: ms)")
    summary = {}
    for name, samples in times.items():
        median = statistics.median(samples)
        summary[name] = {"median_s": median, "runs_s": samples, "ratio_to_json_load": median / baseline,
                         "ms_per_file": 1000 * median / len(files)}
        print(f"{name:12} {median:9.2f} {median / baseline:7.2f}   ({1000 * median / len(files):.2f})")
    print(f"\n{ingest.summary()}")
    target = summary["ingest_1"]["ratio_to_json_load"]
    verdict = "within" if target <= 2.0 else "NOT within"
    print(f"\ningest in one process is {verdict} 2x of json.load ({target:.2f}x)")

    out = Path(args.results)
    out.mkdir(parents=True, exist_ok=True)
    report = {"benchmark": "ingest", "payloads": len(files), "bytes": size, "repeats": args.repeats,
              "workers": args.workers, "variants": summary, "rows": ingest.rows, "skipped": len(ingest.skipped),
              "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
              "date": time.strftime("%Y-%m-%d")}
    (out / f"ingest-{len(files)}.json").write_text(json.dumps(report, indent=2))
    return 0 if target <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
