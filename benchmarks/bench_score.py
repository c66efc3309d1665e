"""Benchmark: the `gitlab` rubric end to end, engine vs hand-written baselines, same run.

    python benchmarks/bench_score.py                    # 10M rows, 3 repeats
    python benchmarks/bench_score.py --rows 1000000 --only duckdb_sql,polars_lazy

Each variant reads the same Parquet input, scores it and writes metrics.parquet,
use_cases.parquet and overall.parquet; each run is a fresh subprocess, timed from the outside
(wall time, CPU time and peak RSS from /usr/bin/time -v, or getrusage in a wrapper process).
Then every variant's three tables are compared with the reference's in DuckDB (FULL OUTER
JOIN on the keys, text/int/bool equal, doubles within 1e-9); any mismatch fails the run.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

VARIANTS = ["engine", "duckdb_sql", "polars_lazy", "pandas"]
BASELINE_MODULES = {
    "duckdb_sql": "gitlab_duckdb",
    "polars_lazy": "gitlab_polars",
    "pandas": "gitlab_pandas",
}
HANDWRITTEN = ("duckdb_sql", "polars_lazy")  # the ratio is to the faster of these
PANDAS_MAX_ROWS = 2_000_000
TOLERANCE = 1e-9
TABLES = ("metrics", "use_cases", "overall")

T, D, I, B = "VARCHAR", "DOUBLE", "BIGINT", "BOOLEAN"
SCHEMAS: dict[str, list[tuple[str, str]]] = {
    "metrics": [
        ("rubric", T), ("rubric_version", T), ("account_id", T), ("period", T),
        ("use_case", T), ("metric", T), ("numerator", D), ("denominator", D), ("value", D),
        ("status", T), ("color", T), ("points", D), ("reason", T),
    ],
    "use_cases": [
        ("rubric", T), ("rubric_version", T), ("account_id", T), ("period", T),
        ("use_case", T), ("score", D), ("status", T), ("color", T), ("coverage", D),
        ("metrics_scored", I), ("adopted", B), ("reason", T),
    ],
    "overall": [
        ("rubric", T), ("rubric_version", T), ("account_id", T), ("period", T),
        ("segment", T), ("industry", T), ("tier", T), ("score", D), ("status", T),
        ("color", T), ("adopted_use_cases", I), ("use_cases_scored", I),
    ],
}
KEYS = {
    "metrics": ("rubric", "account_id", "period", "use_case", "metric"),
    "use_cases": ("rubric", "account_id", "period", "use_case"),
    "overall": ("rubric", "account_id", "period"),
}
# input columns the gitlab rubric reads
REQUIRED_INPUT = [
    "account_id", "period", "segment", "industry", "tier", "account_age_months",
    "licensed_users", "billable_users", "git_ops_users_l28d", "unique_active_users_l28d",
    "ci_builds_l28d", "ci_internal_pipelines_l28d", "deployment_users_l28d",
    "deployments_l28d", "successful_deployments_l28d", "failed_deployments_l28d",
    "secure_scanner_users_l28d", "sast_scans_l28d", "dast_scans_l28d",
    "secret_detection_scans_l28d", "dependency_scanning_scans_l28d",
    "container_scanning_scans_l28d", "coverage_fuzzing_scans_l28d", "api_fuzzing_scans_l28d",
]


def _load_local(name: str):
    """Import a sibling module by path (works as a script and from the tests)."""
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_baseline(module: str):
    return _load_local("_run_variant").load_baseline(module)


# --------------------------------------------------------------------------------------------
# input data
# --------------------------------------------------------------------------------------------

def ensure_input(rows: int, data_dir: Path, generator: str = "auto") -> tuple[Path, dict]:
    """Generate (once, cached by row count) the usage Parquet file; returns (path, meta)."""
    import duckdb

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"usage-{rows}.parquet"
    meta_path = data_dir / f"usage-{rows}.json"
    if path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if generator == "auto" or meta.get("source") == _source_name(generator):
            return path, meta
    datagen = _load_local("datagen")
    accounts = max(1, rows // 12)
    t0 = time.perf_counter()
    n, source = None, None
    if generator in ("auto", "demo"):
        try:
            from adoptscore.demo import write_usage  # the product's generator
            n = int(write_usage(str(path), accounts=accounts, months=12, seed=42))
            if n < 0.99 * rows:  # accounts that start within the window have fewer months:
                # scale the account count so the input really has ~`rows` account-months
                accounts = -(-accounts * rows // n)
                n = int(write_usage(str(path), accounts=accounts, months=12, seed=42))
            source = "adoptscore.demo"
            cols = {r[0] for r in duckdb.sql(
                f"DESCRIBE SELECT * FROM read_parquet('{_q(path)}')").fetchall()}
            missing = [c for c in REQUIRED_INPUT if c not in cols]
            if missing:
                print(f"note: adoptscore.demo output lacks {missing}; using the local generator")
                n = None
        except Exception as exc:  # noqa: BLE001  (not there yet, or another signature)
            if generator == "demo":
                raise
            print(f"note: adoptscore.demo.write_usage unavailable ({type(exc).__name__}: {exc});"
                  " using the local generator")
            n = None
    if n is None:
        n = datagen.write_usage_fallback(str(path), accounts, months=12, seed=42)
        source = "benchmarks.datagen"
    meta = {
        "rows": n, "accounts": accounts, "months": 12, "seed": 42, "source": source,
        "seconds": round(time.perf_counter() - t0, 2), "bytes": path.stat().st_size,
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    return path, meta


def relayout_input(path: Path, meta: dict, row_group_size: int) -> tuple[Path, dict]:
    """A copy of the input with `row_group_size`-row groups (cached next to it)."""
    import duckdb

    out = path.with_name(f"{path.stem}-rg{row_group_size}.parquet")
    if not out.exists():
        tmp = out.with_suffix(".tmp")
        with duckdb.connect() as con:
            con.execute(f"COPY (SELECT * FROM read_parquet('{_q(path)}')) TO '{_q(tmp)}' "
                        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {int(row_group_size)})")
        tmp.rename(out)
    return out, {**meta, "row_group_size": row_group_size, "bytes": out.stat().st_size}


def _source_name(generator: str) -> str:
    return {"demo": "adoptscore.demo", "fallback": "benchmarks.datagen"}.get(generator, "")


def _q(p) -> str:
    return str(p).replace("'", "''")


# --------------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------------

def _table_path(out_dir: Path, table: str) -> str:
    """`<table>.parquet` (a file), or a directory of Parquet files by that name."""
    p = Path(out_dir) / f"{table}.parquet"
    if p.is_dir():
        return str(p / "**" / "*.parquet")
    if not p.exists() and (Path(out_dir) / table).is_dir():
        return str(Path(out_dir) / table / "**" / "*.parquet")
    return str(p)


def check_schema(con, out_dir: Path, table: str) -> list[str]:
    """Column names, order and types against the contract (docs/scoring-semantics.md)."""
    got = [(r[0], r[1]) for r in con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{_q(_table_path(out_dir, table))}')").fetchall()]
    want = SCHEMAS[table]
    if got == want:
        return []
    return [f"{table}: schema differs from the contract: got {got}, want {want}"]


def compare_outputs(ref_dir, other_dir, *, tolerance: float = TOLERANCE, show: int = 5,
                    con=None, tables=TABLES, parts: int | None = None) -> dict:
    """Compare the three result tables of two runs. Returns {"ok": bool, "problems": [...],
    "tables": {table: {"rows_ref", "rows_other", "mismatches"}}}.

    Rows are matched on the table's keys with a FULL OUTER JOIN in DuckDB; a row missing on
    either side or differing in any column (text/int/bool exactly, doubles within
    `tolerance`, null only equal to null) is a mismatch. Big tables are compared in `parts`
    hash partitions of the keys so the join fits in memory."""
    import duckdb

    own = con is None
    if own:
        con = duckdb.connect(config={"preserve_insertion_order": False})
        con.execute("SET enable_progress_bar = false")
    report: dict = {"ok": True, "problems": [], "tables": {}}
    try:
        for table in tables:
            a_path, b_path = _table_path(ref_dir, table), _table_path(other_dir, table)
            missing = [p for p in (a_path, b_path) if "*" not in p and not Path(p).exists()]
            if missing:
                report["ok"] = False
                report["problems"].append(f"{table}: missing {missing}")
                continue
            schema_problems = check_schema(con, Path(ref_dir), table) + [
                f"(other) {p}" for p in check_schema(con, Path(other_dir), table)]
            if schema_problems:  # still compare the values (DuckDB unifies the types)
                report["ok"] = False
                report["problems"].extend(schema_problems)
            a = f"read_parquet('{_q(a_path)}')"
            b = f"read_parquet('{_q(b_path)}')"
            n_a = con.execute(f"SELECT count(*) FROM {a}").fetchone()[0]
            n_b = con.execute(f"SELECT count(*) FROM {b}").fetchone()[0]
            keys = KEYS[table]
            cols = [c for c, _t in SCHEMAS[table] if c not in keys]
            types = dict(SCHEMAS[table])
            diff = []
            for c in cols:
                if types[c] == D:
                    diff.append(f"NOT ((a.{c} IS NULL AND b.{c} IS NULL) OR "
                                f"abs(a.{c} - b.{c}) <= {tolerance!r})")
                else:
                    diff.append(f"a.{c} IS DISTINCT FROM b.{c}")
            on = " AND ".join(f"a.{k} = b.{k}" for k in keys)
            missing_side = f"a.{keys[1]} IS NULL OR b.{keys[1]} IS NULL"
            bad = f"({missing_side}) OR " + " OR ".join(f"({d})" for d in diff)
            n_parts = parts or max(1, -(-max(n_a, n_b) // 25_000_000))
            hk = "hash(" + ", ".join(keys) + ")"
            mism = joined = 0
            for i in range(n_parts):
                where = f"WHERE {hk} % {n_parts} = {i}" if n_parts > 1 else ""
                q = (f"SELECT count(*), count(*) FILTER (WHERE {bad}) FROM "
                     f"(SELECT * FROM {a} {where}) a FULL OUTER JOIN "
                     f"(SELECT * FROM {b} {where}) b ON {on}")
                j, m = con.execute(q).fetchone()
                joined += j
                mism += m
            info = {"rows_ref": n_a, "rows_other": n_b, "mismatches": mism, "joined": joined}
            report["tables"][table] = info
            if n_a != n_b or mism or joined != n_a:
                report["ok"] = False
                report["problems"].append(
                    f"{table}: {n_a} vs {n_b} rows, {mism} mismatching rows"
                    + (f", {joined} joined rows (duplicate keys?)" if joined != n_a else ""))
                if mism and show:
                    sel = ", ".join(
                        [f"coalesce(a.{k}, b.{k}) AS {k}" for k in keys]
                        + [f"a.{c} AS ref_{c}, b.{c} AS other_{c}" for c in cols])
                    rows = con.execute(
                        f"SELECT {sel} FROM {a} a FULL OUTER JOIN {b} b ON {on} "
                        f"WHERE {bad} LIMIT {int(show)}").fetchall()
                    names = [d[0] for d in con.description]
                    for r in rows:
                        rec = dict(zip(names, r))
                        shown = {k: rec[k] for k in keys}
                        for c in cols:
                            x, y = rec[f"ref_{c}"], rec[f"other_{c}"]
                            if not _same(x, y, types[c], tolerance):
                                shown[c] = (x, y)
                        report["problems"].append(f"  {table} mismatch: {shown}")
    finally:
        if own:
            con.close()
    return report


def _same(x, y, typ, tol) -> bool:
    if x is None or y is None:
        return x is None and y is None
    if typ == D:
        return abs(x - y) <= tol
    return x == y


# --------------------------------------------------------------------------------------------
# running variants
# --------------------------------------------------------------------------------------------

def engine_command() -> list[str] | None:
    """`adoptscore` if it has a working `score` command, else None."""
    exe = shutil.which("adoptscore") or str(Path(sys.executable).parent / "adoptscore")
    if not Path(exe).exists():
        return None
    try:
        r = subprocess.run([exe, "score", "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return [exe] if r.returncode == 0 else None


def variant_command(variant: str, input_path: Path, out_dir: Path, engine: list[str] | None):
    if variant == "engine":
        return [*engine, "score", str(input_path), "--rubric", "gitlab", "--out", str(out_dir),
                "--format", "parquet"]
    return [sys.executable, str(HERE / "_run_variant.py"), BASELINE_MODULES[variant],
            str(input_path), str(out_dir)]


_TIME = "/usr/bin/time"
_RUSAGE_WRAPPER = (
    "import json,resource,subprocess,sys;"
    "rc=subprocess.call(sys.argv[1:]);"
    "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
    "sys.stderr.write(json.dumps({'rc':rc,'maxrss_kb':r.ru_maxrss,"
    "'user':r.ru_utime,'sys':r.ru_stime})+'\\n');sys.exit(rc)"
)


def run_once(cmd: list[str], out_dir: Path, log_dir: Path, tag: str) -> dict:
    """One timed run in a fresh process. Peak RSS is the largest resident set of any process
    of the tree (what wait4 reports), which is the one doing the work here."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    use_time = os.path.exists(_TIME)
    full = [_TIME, "-v", *cmd] if use_time else [sys.executable, "-c", _RUSAGE_WRAPPER, *cmd]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    t0 = time.perf_counter()
    p = subprocess.run(full, capture_output=True, text=True, env=env, cwd=str(ROOT))
    wall = time.perf_counter() - t0
    (log_dir / f"{tag}.out").write_text(p.stdout)
    (log_dir / f"{tag}.err").write_text(p.stderr)
    res = {"rc": p.returncode, "wall": wall, "rss_mb": None, "cpu": None, "inner": None}
    if use_time:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
        u = re.search(r"User time \(seconds\): ([\d.]+)", p.stderr)
        s = re.search(r"System time \(seconds\): ([\d.]+)", p.stderr)
        if m:
            res["rss_mb"] = int(m.group(1)) / 1024
        if u and s:
            res["cpu"] = float(u.group(1)) + float(s.group(1))
    else:
        for line in reversed(p.stderr.splitlines()):
            if line.startswith("{") and "maxrss_kb" in line:
                d = json.loads(line)
                res["rss_mb"], res["cpu"] = d["maxrss_kb"] / 1024, d["user"] + d["sys"]
                break
    for line in reversed(p.stdout.splitlines()):
        if line.startswith("{") and '"seconds"' in line:
            res["inner"] = json.loads(line).get("seconds")
            break
    return res


def _loadavg() -> list[float] | None:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for mod in ("duckdb", "polars", "pandas", "pyarrow", "numpy"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001
            out[mod] = None
    return out


def _parquet_info(out_dir: Path) -> dict:
    """Compression codec and size of each written table (so codecs can be compared)."""
    import pyarrow.parquet as pq

    info = {}
    for t in TABLES:
        p = Path(_table_path(out_dir, t))
        if p.is_file():
            md = pq.ParquetFile(p).metadata
            codec = md.row_group(0).column(0).compression if md.num_row_groups else None
            info[t] = {"bytes": p.stat().st_size, "codec": codec,
                       "row_groups": md.num_row_groups}
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000, help="input account-months")
    ap.add_argument("--repeat", type=int, default=3, help="runs per variant")
    ap.add_argument("--only", default=None,
                    help=f"comma-separated subset of {','.join(VARIANTS)} "
                         f"(pandas runs by default only up to {PANDAS_MAX_ROWS:,} rows)")
    ap.add_argument("--data-dir", default=str(HERE / ".data"),
                    help="input cache, outputs and logs (default benchmarks/.data)")
    ap.add_argument("--generator", choices=("auto", "demo", "fallback"), default="auto",
                    help="input generator: adoptscore.demo, the local one, or auto")
    ap.add_argument("--results", default=str(HERE / "results"),
                    help="where score-<rows>.json goes")
    ap.add_argument("--row-group-size", type=int, default=None,
                    help="rewrite the input with row groups of this many rows (default: keep "
                         "the generator's layout; DuckDB scans one row group per thread)")
    ap.add_argument("--no-compare", action="store_true", help="skip the result comparison")
    args = ap.parse_args(argv)

    data_dir = Path(args.data_dir).resolve()
    variants = VARIANTS if not args.only else [v.strip() for v in args.only.split(",") if v]
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        ap.error(f"unknown variants {unknown}; choose from {VARIANTS}")
    if not args.only and args.rows > PANDAS_MAX_ROWS:
        variants = [v for v in variants if v != "pandas"]
    notes = []
    engine = None
    if "engine" in variants:
        engine = engine_command()
        if engine is None:
            note = "engine skipped: `adoptscore score` is not available yet"
            print(f"note: {note}")
            notes.append(note)
            variants = [v for v in variants if v != "engine"]
    if not variants:
        print("nothing to run")
        return 2

    input_path, meta = ensure_input(args.rows, data_dir, args.generator)
    if args.row_group_size:
        input_path, meta = relayout_input(input_path, meta, args.row_group_size)
    print(f"input: {input_path} ({meta['rows']:,} rows from {meta['source']}, "
          f"{meta['bytes'] / 1e6:.0f} MB)")
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    out_root = data_dir / "out"
    runs: dict[str, list[dict]] = {v: [] for v in variants}
    load_before = _loadavg()
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    failed = []
    for r in range(args.repeat):  # interleaved, so drift on a shared machine hits all alike
        for v in variants:
            if v in failed:
                continue
            cmd = variant_command(v, input_path, out_root / v, engine)
            res = run_once(cmd, out_root / v, log_dir, f"{v}-{args.rows}-{r}")
            res["loadavg_after"] = _loadavg()
            runs[v].append(res)
            rss = f"{res['rss_mb']:.0f} MB" if res["rss_mb"] is not None else "?"
            cpu = f"{res['cpu']:.1f}" if res["cpu"] is not None else "?"
            print(f"  run {r + 1}/{args.repeat} {v:12s} {res['wall']:8.2f} s  cpu {cpu:>7s} s"
                  f"  peak {rss}" + ("" if res["rc"] == 0 else f"  FAILED rc={res['rc']}"),
                  flush=True)
            if res["rc"] != 0:
                failed.append(v)
                err = (log_dir / f"{v}-{args.rows}-{r}.err").read_text()[-2000:]
                print(err)

    summary = {}
    for v, rs in runs.items():
        ok = [x for x in rs if x["rc"] == 0]
        if not ok:
            continue
        walls = [x["wall"] for x in ok]
        cpus = [x["cpu"] for x in ok if x["cpu"] is not None]
        rss = [x["rss_mb"] for x in ok if x["rss_mb"] is not None]
        inner = [x["inner"] for x in ok if x["inner"] is not None]
        summary[v] = {
            "median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "cpu_median_s": statistics.median(cpus) if cpus else None,
            "inner_median_s": statistics.median(inner) if inner else None,
            "peak_rss_mb": max(rss) if rss else None,
            "runs": rs, "outputs": _parquet_info(out_root / v),
        }
    summary = {v: x for v, x in summary.items() if v not in failed}
    base = [summary[v]["median_s"] for v in HANDWRITTEN if v in summary]
    fastest = min(base) if base else None
    for v, s in summary.items():
        s["ratio"] = s["median_s"] / fastest if fastest else None

    agreement = {}
    if not args.no_compare and len(summary) > 1:
        ref = next(v for v in ("duckdb_sql", "polars_lazy", "pandas", "engine") if v in summary)
        print(f"\ncomparing results with {ref} ...", flush=True)
        for v in summary:
            if v == ref:
                continue
            t0 = time.perf_counter()
            rep = compare_outputs(out_root / ref, out_root / v)
            rep["seconds"] = round(time.perf_counter() - t0, 1)
            agreement[v] = rep
            print(f"  {v:12s} vs {ref}: {'identical' if rep['ok'] else 'DIFFERENT'} "
                  f"({rep['seconds']} s)"
                  + "".join(f"\n    {p}" for p in rep["problems"]))
    elif len(summary) == 1:
        only = next(iter(summary))
        problems = [p for t in TABLES for p in _schema_only(out_root / only, t)]
        agreement[only] = {"ok": not problems, "problems": problems, "note": "schema only"}

    _print_table(summary, fastest)
    all_ok = not failed and all(a["ok"] for a in agreement.values())
    if "engine" in summary and fastest:
        e = summary["engine"]
        verdict = (e["ratio"] <= 1.1 and (e["peak_rss_mb"] or 0) < 4096 and all_ok)
        print(f"\ntarget (engine ratio <= 1.1, peak < 4096 MB, identical results): "
              f"{'MET' if verdict else 'NOT MET'} (ratio {e['ratio']:.3f}, "
              f"peak {e['peak_rss_mb'] or 0:.0f} MB)")
    print(f"results identical across variants: {'yes' if all_ok else 'NO'}")

    out = {
        "benchmark": "score", "rubric": "gitlab", "rows_requested": args.rows,
        "input": {"path": str(input_path), **meta},
        "started": started, "repeat": args.repeat, "variants": list(summary),
        "fastest_handwritten_median_s": fastest, "results": summary,
        "agreement": agreement, "identical": all_ok, "failed": failed, "notes": notes,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "mem_total_gb": _mem_total_gb(), "loadavg_before": load_before,
                    "loadavg_after": _loadavg()},
        "versions": _versions(),
    }
    res_dir = Path(args.results)
    res_dir.mkdir(parents=True, exist_ok=True)
    suffix = f"-rg{args.row_group_size}" if args.row_group_size else ""
    res_file = res_dir / f"score-{args.rows}{suffix}.json"
    res_file.write_text(json.dumps(out, indent=2, default=str) + "\n")
    print(f"wrote {res_file}")
    return 0 if all_ok else 1


def _schema_only(out_dir: Path, table: str) -> list[str]:
    import duckdb

    with duckdb.connect() as con:
        return check_schema(con, out_dir, table)


def _mem_total_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _print_table(summary: dict, fastest: float | None) -> None:
    print()
    hdr = (f"{'variant':12s} {'median s':>9s} {'min s':>8s} {'max s':>8s} {'cpu s':>8s} "
           f"{'peak RSS MB':>12s} {'ratio':>7s}")
    print(hdr)
    print("-" * len(hdr))
    for v, s in summary.items():
        cpu = f"{s['cpu_median_s']:8.1f}" if s["cpu_median_s"] is not None else f"{'?':>8s}"
        rss = f"{s['peak_rss_mb']:12.0f}" if s["peak_rss_mb"] is not None else f"{'?':>12s}"
        ratio = f"{s['ratio']:7.3f}" if s["ratio"] is not None else f"{'-':>7s}"
        print(f"{v:12s} {s['median_s']:9.2f} {s['min_s']:8.2f} {s['max_s']:8.2f} {cpu} "
              f"{rss} {ratio}")
    if fastest:
        print(f"(ratio = median / {fastest:.2f} s, the faster of "
              f"{' and '.join(v for v in HANDWRITTEN if v in summary)})")


if __name__ == "__main__":
    sys.exit(main())
