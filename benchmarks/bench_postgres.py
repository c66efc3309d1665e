"""PostgreSQL (and Spark local) benchmark of the `gitlab` rubric, and the cross-backend agreement check.

1. Speed on PostgreSQL, same run, same server, same data (``--rows`` account-months, default 10M,
   loaded once by COPY into ``bench_usage_<rows>``): the three result tables created in the
   warehouse (``CREATE UNLOGGED TABLE ... AS``), by
   - ``engine``: the SQL ``adoptscore sql --dialect postgres`` emits (what dbt / warehouse users run);
   - ``baseline``: the hand-written ``baselines/postgres_gitlab.sql``.
   Variants interleaved, ``--repeat`` times; medians, ratio engine / baseline (target <= 1.2);
   then the two variants' tables are compared inside PostgreSQL (full outer join on the keys,
   text exactly, doubles within 1e-9).
2. Spark local figures (``--spark-rows``, default 1M): the engine's SQL for each table on a local
   session (2 threads), executed without output cost (``noop`` sink); medians.
3. Agreement (``--agree-rows``, default 1M; 0 skips): ``adoptscore.score(...).write(parquet)`` on
   DuckDB, PostgreSQL and Spark, and every table compared across the three (DuckDB joins).

Usage::

    python benchmarks/bench_postgres.py                       # 10M rows on PostgreSQL, 1M on Spark and agreement
    python benchmarks/bench_postgres.py --rows 1000000 --repeat 3 --spark-rows 0 --agree-rows 0
    python benchmarks/bench_postgres.py --url postgres://user@host:5432/db

The server: ``--url``, else ``ADOPTSCORE_TEST_POSTGRES_URL``, else a throwaway server started
from the system's PostgreSQL binaries in a temporary folder (removed at the end).
"""
from __future__ import annotations

import argparse
import glob
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import adoptscore
from adoptscore.demo import iter_usage_chunks
from adoptscore.engine.sql import compile_sql

TABLES = ("metrics", "use_cases", "overall")
KEYS = {"metrics": ["account_id", "period", "use_case", "metric"],
        "use_cases": ["account_id", "period", "use_case"], "overall": ["account_id", "period"]}
BASELINE = HERE / "baselines" / "postgres_gitlab.sql"


# -- a server -------------------------------------------------------------------------------------
@contextmanager
def server(url: str | None) -> Iterator[str]:
    """A PostgreSQL URL: the one given, or a throwaway server for the run."""
    url = url or os.environ.get("ADOPTSCORE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("no PostgreSQL: pass --url or install postgresql")
    bindir = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="adoptscore-bench-pg-"))
    as_server = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*as_server, str(bindir / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c shared_buffers=1GB -c work_mem=64MB -c max_wal_size=8GB")
    subprocess.run([*as_server, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"),
                    "-o", options, "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_server, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _pg(url: str) -> psycopg.Connection:
    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


# -- data -----------------------------------------------------------------------------------------
def usage_chunks(rows: int) -> Iterator[pa.Table]:
    """Exactly ``rows`` demo account-months (12 months; accounts starting mid-window leave a year
    short of rows, so more accounts are drawn and the tail is cut)."""
    left = rows
    for chunk in iter_usage_chunks(accounts=int(rows / 12 * 1.15) + 12, months=12, seed=42, chunk_accounts=50_000):
        if left <= 0:
            break
        chunk = chunk.slice(0, min(left, chunk.num_rows))
        left -= chunk.num_rows
        yield chunk
    if left > 0:
        raise RuntimeError(f"the generator gave {rows - left} rows, not {rows}")


PG_TYPES = {pa.string(): "TEXT", pa.int64(): "BIGINT", pa.float64(): "DOUBLE PRECISION", pa.bool_(): "BOOLEAN"}


def load_postgres(url: str, rows: int) -> str:
    """``bench_usage_<rows>`` on the server (created by COPY unless it is already complete)."""
    name = f"bench_usage_{rows}"
    with _pg(url) as con:
        exists = con.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]
        if exists and con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == rows:
            return name
        started = time.perf_counter()
        con.execute(f"DROP TABLE IF EXISTS {name}")
        created = False
        with con.cursor() as cursor:
            for chunk in usage_chunks(rows):
                if not created:
                    columns = ", ".join(f'"{f.name}" {PG_TYPES.get(f.type, "TEXT")}' for f in chunk.schema)
                    cursor.execute(f"CREATE UNLOGGED TABLE {name} ({columns})")
                    created = True
                sink = io.BytesIO()
                pacsv.write_csv(chunk, sink, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
                with cursor.copy(f"COPY {name} FROM STDIN (FORMAT csv)") as copy:
                    copy.write(sink.getvalue())
        con.execute(f"VACUUM ANALYZE {name}")
        print(f"loaded {rows:,} rows into {name} in {time.perf_counter() - started:.0f} s", flush=True)
    return name


def write_parquet(rows: int, folder: Path) -> Path:
    # its own name: bench_score.py caches a differently generated usage-<rows>.parquet in the same folder
    path = folder / f"pg-usage-{rows}.parquet"
    if not path.exists():
        writer = None
        for chunk in usage_chunks(rows):
            writer = writer or pq.ParquetWriter(path, chunk.schema)
            writer.write_table(chunk)
        writer.close()
    return path


# -- 1. PostgreSQL: engine vs hand-written ---------------------------------------------------------
def engine_statements(usage: str, prefix: str) -> list[str]:
    rubric = adoptscore.load_rubric("gitlab")
    return [f"CREATE UNLOGGED TABLE {prefix}{t} AS {compile_sql(rubric, 'postgres', table=usage, output=t)}"
            for t in TABLES]


def baseline_statements(usage: str, prefix: str) -> list[str]:
    text = BASELINE.read_text().replace("__USAGE__", usage).replace("__OUT__", prefix)
    return [s.strip() for s in text.split("\n;") if s.strip() and not all(
        line.startswith("--") for line in s.strip().splitlines())]


def run_variant(con: psycopg.Connection, statements: list[str], prefix: str) -> float:
    for t in TABLES:
        con.execute(f"DROP TABLE IF EXISTS {prefix}{t}")
    started = time.perf_counter()
    for statement in statements:
        con.execute(statement)
    return time.perf_counter() - started


def compare_in_postgres(con: psycopg.Connection, left: str, right: str) -> dict[str, int]:
    """Rows missing on either side or differing in any column, per table."""
    differences = {}
    for t in TABLES:
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            (f"{left}{t}",)).fetchall()]
        keys = KEYS[t]
        on = " AND ".join(f"a.{k} = b.{k}" for k in keys)
        checks = []
        for c in columns:
            kind = con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
                               (f"{left}{t}", c)).fetchone()[0]
            if kind == "double precision":
                checks.append(f"(a.{c} IS NULL) <> (b.{c} IS NULL) OR abs(a.{c} - b.{c}) > 1e-9")
            else:
                checks.append(f"a.{c}::text IS DISTINCT FROM b.{c}::text")
        sql = (f"SELECT count(*) FROM {left}{t} AS a FULL JOIN {right}{t} AS b ON {on} "
               f"WHERE a.{keys[0]} IS NULL OR b.{keys[0]} IS NULL OR " + " OR ".join(f"({c})" for c in checks))
        differences[t] = con.execute(sql).fetchone()[0]
    return differences


def bench_postgres(url: str, rows: int, repeat: int) -> dict:
    usage = load_postgres(url, rows)
    variants = {"engine": engine_statements(usage, "bench_engine_"),
                "baseline": baseline_statements(usage, "bench_base_")}
    prefixes = {"engine": "bench_engine_", "baseline": "bench_base_"}
    times: dict[str, list[float]] = {v: [] for v in variants}
    with _pg(url) as con:
        for i in range(repeat):
            for name, statements in variants.items():
                seconds = run_variant(con, statements, prefixes[name])
                times[name].append(seconds)
                print(f"  postgres {name:8} run {i + 1}: {seconds:7.1f} s", flush=True)
        differences = compare_in_postgres(con, "bench_engine_", "bench_base_")
        counts = {t: con.execute(f"SELECT count(*) FROM bench_engine_{t}").fetchone()[0] for t in TABLES}
        for prefix in prefixes.values():
            for t in TABLES:
                con.execute(f"DROP TABLE IF EXISTS {prefix}{t}")
    medians = {k: statistics.median(v) for k, v in times.items()}
    return {"rows": rows, "times": times, "medians": medians, "ratio": medians["engine"] / medians["baseline"],
            "differences": differences, "result_rows": counts}


# -- 2. Spark local --------------------------------------------------------------------------------
def spark_session():
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("adoptscore-bench")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.ansi.enabled", "true").config("spark.driver.memory", "6g")
               .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session


def bench_spark(rows: int, repeat: int, folder: Path) -> dict:
    session = spark_session()
    session.read.parquet(str(write_parquet(rows, folder))).createOrReplaceTempView("bench_usage")
    rubric = adoptscore.load_rubric("gitlab")
    times: dict[str, list[float]] = {t: [] for t in TABLES}
    for i in range(repeat + 1):  # the first round warms the JVM up and is not counted
        for t in TABLES:
            started = time.perf_counter()
            session.sql(compile_sql(rubric, "spark", table="bench_usage", output=t)).write.format("noop").mode(
                "overwrite").save()
            if i:
                times[t].append(time.perf_counter() - started)
        print(f"  spark round {i}{' (warm-up)' if not i else ''}: "
              + ", ".join(f"{t} {times[t][-1]:.1f} s" for t in TABLES if i), flush=True)
    medians = {t: statistics.median(v) for t, v in times.items()}
    return {"rows": rows, "times": times, "medians": medians, "total_median": sum(medians.values())}


# -- 3. agreement ----------------------------------------------------------------------------------
def agreement(url: str, rows: int, folder: Path, session=None) -> dict:
    """Score ``rows`` account-months on DuckDB, PostgreSQL and Spark through the public API, write
    the three tables as Parquet, and count differing rows between every backend and DuckDB."""
    import ibis

    parquet = write_parquet(rows, folder)
    usage = load_postgres(url, rows)
    session = session or spark_session()
    session.read.parquet(str(parquet)).createOrReplaceTempView("agree_usage")
    backends = {
        "duckdb": lambda: adoptscore.score(str(parquet), "gitlab"),
        "postgres": lambda: adoptscore.score(url, "gitlab", table=usage),
        "spark": lambda: adoptscore.score(ibis.pyspark.connect(session).table("agree_usage"), "gitlab"),
    }
    seconds, outputs = {}, {}
    for name, score in backends.items():
        started = time.perf_counter()
        outputs[name] = score().write(folder / f"agree-{name}", "parquet")
        seconds[name] = time.perf_counter() - started
        print(f"  agreement: {name} scored and wrote {rows:,} rows in {seconds[name]:.1f} s", flush=True)
    con = duckdb.connect()
    differences = {}
    for name in ("postgres", "spark"):
        for t in TABLES:
            differences[f"{name}/{t}"] = _differences(con, outputs["duckdb"][t], outputs[name][t], KEYS[t])
    counts = {t: con.execute(f"SELECT count(*) FROM '{outputs['duckdb'][t]}'").fetchall()[0][0] for t in TABLES}
    return {"rows": rows, "seconds": seconds, "differences": differences, "result_rows": counts}


def _differences(con: duckdb.DuckDBPyConnection, left: Path, right: Path, keys: list[str]) -> int:
    schema = con.sql(f"DESCRIBE SELECT * FROM '{left}'").fetchall()
    checks = []
    for column, kind, *_ in schema:
        if kind == "DOUBLE":
            checks.append(f"(a.{column} IS NULL) <> (b.{column} IS NULL) OR abs(a.{column} - b.{column}) > 1e-9")
        else:
            checks.append(f"a.{column}::VARCHAR IS DISTINCT FROM b.{column}::VARCHAR")
    on = " AND ".join(f"a.{k} = b.{k}" for k in keys)
    return con.execute(f"SELECT count(*) FROM '{left}' AS a FULL JOIN '{right}' AS b ON {on} WHERE a.{keys[0]} IS NULL "
                   f"OR b.{keys[0]} IS NULL OR " + " OR ".join(f"({c})" for c in checks)).fetchall()[0][0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="account-months on PostgreSQL (0 skips)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spark-rows", type=int, default=1_000_000, help="account-months on Spark (0 skips)")
    parser.add_argument("--agree-rows", type=int, default=1_000_000, help="agreement check size (0 skips)")
    parser.add_argument("--url", help="PostgreSQL URL (default: $ADOPTSCORE_TEST_POSTGRES_URL or a throwaway server)")
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data", help="Parquet inputs and outputs")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count()}
    ok = True
    with server(args.url) as url:
        if args.rows:
            print(f"PostgreSQL: engine vs hand-written, {args.rows:,} account-months, {args.repeat} runs each")
            pg = report["postgres"] = bench_postgres(url, args.rows, args.repeat)
            same = not any(pg["differences"].values())
            ok &= same and pg["ratio"] <= 1.2
            print(f"\n{'variant':10} {'median s':>9} {'runs':>24}")
            for name, values in pg["times"].items():
                print(f"{name:10} {pg['medians'][name]:9.1f} {', '.join(f'{v:.1f}' for v in values):>24}")
            print(f"ratio engine / baseline: {pg['ratio']:.2f} (target <= 1.2): {'MET' if pg['ratio'] <= 1.2 else 'NOT MET'}")
            print(f"results identical (engine vs baseline): {'yes' if same else 'NO ' + str(pg['differences'])}")
        if args.spark_rows:
            print(f"\nSpark local[2]: the engine's SQL, {args.spark_rows:,} account-months")
            sp = report["spark"] = bench_spark(args.spark_rows, args.repeat, args.data_dir)
            print("medians: " + ", ".join(f"{t} {s:.1f} s" for t, s in sp["medians"].items())
                  + f"; all three {sp['total_median']:.1f} s")
        if args.agree_rows:
            print(f"\nAgreement DuckDB / PostgreSQL / Spark on {args.agree_rows:,} account-months")
            ag = report["agreement"] = agreement(url, args.agree_rows, args.data_dir)
            same = not any(ag["differences"].values())
            ok &= same
            print(f"rows per table: {ag['result_rows']}")
            print(f"differing rows vs DuckDB: {ag['differences']}: {'identical' if same else 'DIFFERENT'}")
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"postgres-{args.rows}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
