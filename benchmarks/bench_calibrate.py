"""Benchmark: `adoptscore calibrate` on the `gitlab` rubric vs a hand-written DuckDB query, same run.

    python benchmarks/bench_calibrate.py                      # 10M account-months, 3 repeats
    python benchmarks/bench_calibrate.py --rows 1000000 --repeats 5

Variants, each a fresh process timed from the outside (wall clock, what a user waits):

* ``handwritten``: benchmarks/baselines/calibrate_duckdb.py, one SQL query computing every
  metric's exact quantiles (min, p1, p10, p25, p50, p75, p90, p99, max) over the latest six
  periods (the baseline);
* ``calibrate``: ``adoptscore calibrate --no-preview --no-write --json``: the same quantiles plus
  the data checks, current and proposed color counts, values near each cut, exact histograms,
  proposals and the JSON report;
* ``calibrate_preview``: the same with the default preview (both rubric versions scored over the
  window, use-case colors counted).

The variants run interleaved (A B C, A B C, ...) so drift on a shared machine hits all of them.
Every run's quantiles are compared with the baseline's (within 1e-9); a mismatch fails the run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOLERANCE = 1e-9


def _bench_score():
    spec = importlib.util.spec_from_file_location("_bench_score", HERE / "bench_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def commands(variant: str, data: Path, out: Path) -> list[str]:
    if variant == "handwritten":
        return [sys.executable, str(HERE / "baselines" / "calibrate_duckdb.py"), str(data), str(out)]
    cli = Path(sys.executable).parent / "adoptscore"
    cmd = [str(cli), "calibrate", str(data), "--rubric", "gitlab", "--strategy", "quartiles", "--no-write",
           "--json", str(out), "--quiet"]
    return cmd + (["--no-preview"] if variant == "calibrate" else [])


def quantiles_of(variant: str, out: Path) -> dict[str, list[float]]:
    document = json.loads(out.read_text())
    if variant == "handwritten":
        return document["quantiles"]
    return {f"{m['use_case']}.{m['metric']}" + (f" [{m['case']}]" if m["case"] else ""):
            [v for _p, v in m["quantiles_exact"]] for m in document["metrics"]}


def compare(reference: dict[str, list[float]], other: dict[str, list[float]]) -> list[str]:
    problems = []
    for label, values in reference.items():
        mine = other.get(label)
        if mine is None:
            problems.append(f"{label}: missing")
        elif len(mine) != len(values) or any(abs(a - b) > TOLERANCE * max(1.0, abs(a)) for a, b in zip(values, mine)):
            problems.append(f"{label}: quantiles differ")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="account-months in the input")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data-dir", default=str(HERE / ".data"), help="where the input is generated and cached")
    parser.add_argument("--variants", default="handwritten,calibrate,calibrate_preview")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    data, meta = _bench_score().ensure_input(args.rows, data_dir)
    out_dir = data_dir / "calibrate"
    out_dir.mkdir(parents=True, exist_ok=True)
    variants = args.variants.split(",")
    print(f"input: {data} ({meta['rows']:,} account-months, {meta['accounts']:,} accounts)")
    print(f"machine: {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}")
    times: dict[str, list[float]] = {v: [] for v in variants}
    reference = None
    for repeat in range(args.repeats):
        for variant in variants:
            out = out_dir / f"{variant}-{repeat}.json"
            out.unlink(missing_ok=True)
            start = time.perf_counter()
            run = subprocess.run(commands(variant, data, out), capture_output=True, text=True)
            seconds = time.perf_counter() - start
            if run.returncode != 0:
                print(f"{variant} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
                return 1
            quantiles = quantiles_of(variant, out)
            if variant == "handwritten":
                reference = quantiles
            elif reference is not None:
                problems = compare(reference, quantiles)
                if problems:
                    print(f"{variant}: results differ from the baseline: " + "; ".join(problems[:5]))
                    return 1
            times[variant].append(seconds)
            print(f"  run {repeat + 1}: {variant:18} {seconds:8.2f} s")
    base = statistics.median(times["handwritten"]) if times.get("handwritten") else None
    print(f"\n{'variant':18} {'median s':>9} {'min s':>8} {'ratio':>7}")
    summary = {}
    for variant, values in times.items():
        median = statistics.median(values)
        ratio = median / base if base else None
        summary[variant] = {"median_s": round(median, 3), "min_s": round(min(values), 3), "runs": values,
                            "ratio": round(ratio, 3) if ratio else None}
        print(f"{variant:18} {median:9.2f} {min(values):8.2f} {ratio:7.3f}" if ratio else f"{variant:18} {median:9.2f}")
    print("quantiles identical to the baseline (within 1e-9) in every run")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"calibrate-{meta['rows']}.json").write_text(json.dumps(
        {"rows": meta["rows"], "repeats": args.repeats, "summary": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
