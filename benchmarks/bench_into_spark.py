"""``score_into`` on Spark: results kept in the warehouse, measured at warehouse scale.

A Spark Connect server (local mode, 2 threads, its warehouse in a temporary folder) runs as its own
JVM process; this process is only its client, as a notebook or a scheduler talking to a cluster
would be. Every byte the server sends to this process goes through a counting TCP relay
(``benchmarks/relay.py``, run in a child process so its CPU is not the client's): the gRPC stream
that carries Spark Connect's answers, Arrow result batches included.

Same run, same server, same data (``--rows`` demo account-months, default 1M, loaded once into the
managed Parquet table ``usage``), the ``gitlab`` rubric, three variants interleaved ``--repeat``
times:

- ``into``: ``adoptscore.score_into("sc://host:port", "gitlab", "analytics", table="usage")``, what
  ``adoptscore score sc://host:port --table usage --into analytics`` runs: each table rebuilt beside
  the old one and swapped in by renames (engine/into.py), with the periods query, the column checks
  and the row counts;
- ``bare``: the baseline, the same engine SQL (``ScoreResult.sql(table)`` of the same run) run bare by
  Spark as ``CREATE TABLE bare.<table> AS ...`` (no swap, no checks, no counts);
- ``fetch``: the path ``--into`` replaces: ``adoptscore.score(url, ...).write(folder, "parquet")``,
  which brings every result row to this process.

Printed per run and as medians: wall time, this process' CPU time, the JVM's CPU time (from
``/proc/<pid>/stat`` of the server), bytes sent to this process; the ratio into / bare. Then the
``into`` tables (read from the warehouse's Parquet files, not through the client) are compared with
the DuckDB engine's tables for the same data (``adoptscore.score(parquet, "gitlab")``): full outer join
on the keys, text exactly, doubles within 1e-9; the rows that differ are printed (the script exits 1
unless there are none). Raw figures go to ``results/into-spark-<rows>.json``.

Needs Java 17+ and the Spark Connect client (``pip install -e '.[bench-spark]'``: grpcio,
grpcio-status, googleapis-common-protos; the server is the ``spark-connect`` jar pyspark ships).

Usage::

    python benchmarks/bench_into_spark.py                         # 1M account-months, 3 repeats
    python benchmarks/bench_into_spark.py --rows 200000 --repeat 1
    python benchmarks/bench_into_spark.py --only into             # into alone (no bare, no fetch)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "src"))

import duckdb  # noqa: E402

import adoptscore  # noqa: E402
from benchmarks.bench_postgres import KEYS, TABLES, _differences, write_parquet  # noqa: E402

VARIANTS = ("into", "bare", "fetch")
SCHEMA, BARE = "analytics", "bare"
TICKS = os.sysconf("SC_CLK_TCK")

# the relay in a child process: it prints its port, then the byte count for each line it reads
RELAY_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from benchmarks.relay import Relay
relay = Relay(int(sys.argv[2]))
print(relay.port, flush=True)
for _ in sys.stdin:
    print(relay.to_client, flush=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class ConnectServer:
    """A Spark Connect server in local mode, its own JVM, with a throwaway warehouse."""

    def __init__(self, folder: Path, memory: str):
        import pyspark

        home = Path(pyspark.__file__).parent
        self.port = _free_port()
        self.log = folder / "connect-server.log"
        confs = {
            "spark.connect.grpc.binding.port": str(self.port),
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",      # as the tests and bench_postgres.py
            "spark.sql.ansi.enabled": "true",
            "spark.sql.session.timeZone": "UTC",
            "spark.driver.memory": memory,
            "spark.driver.maxResultSize": "0",       # fetch collects ~1 GB of Arrow at 1M rows
            "spark.sql.warehouse.dir": str(folder / "warehouse"),
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={folder}",
            "spark.local.dir": str(folder / "local"),
        }
        command = [str(home / "bin" / "spark-submit"), "--master", "local[2]",
                   "--class", "org.apache.spark.sql.connect.service.SparkConnectServer"]
        for key, value in confs.items():
            command += ["--conf", f"{key}={value}"]
        command.append("spark-internal")
        env = dict(os.environ, SPARK_HOME=str(home))
        with self.log.open("w") as log:
            # spark-submit execs spark-class, which execs java: the child's pid is the JVM's
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"the Spark Connect server stopped (exit {self.process.returncode}); see {self.log}:\n"
                         + self.log.read_text()[-3000:])
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            self.stop()
            sys.exit(f"the Spark Connect server did not listen on {self.port} within 240 s; see {self.log}")
        comm = Path(f"/proc/{self.process.pid}/comm").read_text().strip()
        if comm != "java":
            sys.exit(f"expected the server's pid {self.process.pid} to be java, it is {comm}")

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class RelayProcess:
    """benchmarks/relay.py in a child process, in front of ``port``."""

    def __init__(self, port: int):
        self.process = subprocess.Popen([sys.executable, "-c", RELAY_CHILD, str(HERE.parent), str(port)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def to_client(self) -> int:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def _timed(relay: RelayProcess, server: ConnectServer, work) -> dict:
    before, jvm, relay_cpu = relay.to_client(), server.cpu(), relay.cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": wall, "cpu": cpu, "jvm_cpu": server.cpu() - jvm, "relay_cpu": relay.cpu() - relay_cpu,
            "bytes": relay.to_client() - before, "loadavg": os.getloadavg()}


def _location(session, table: str) -> str:
    rows = session.sql(f"DESCRIBE TABLE EXTENDED {table}").collect()
    location = next(r["data_type"] for r in rows if r["col_name"] == "Location")
    return location.removeprefix("file:")


def compare(session, reference: dict[str, Path], schema: str, prefix: str) -> dict:
    """Rows differing between the DuckDB engine's Parquet files and the Spark tables' own Parquet
    files in the warehouse (read by DuckDB: no row crosses the Spark client), and column mismatches."""
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    differences, columns = {}, {}
    for t in TABLES:
        spark_files = f"{_location(session, f'{schema}.{prefix}{t}')}/*.parquet"
        want = [(c, k) for c, k, *_ in con.sql(f"DESCRIBE SELECT * FROM '{reference[t]}'").fetchall()]
        have = [(c, k) for c, k, *_ in con.sql(f"DESCRIBE SELECT * FROM '{spark_files}'").fetchall()]
        columns[t] = "same" if want == have else f"duckdb {want} / spark {have}"
        differences[t] = _differences(con, reference[t], spark_files, KEYS[t])
    return {"differences": differences, "columns": columns}


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="account-months on Spark")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=",".join(VARIANTS), help="comma-separated variants (into, bare, fetch)")
    parser.add_argument("--memory", default="8g", help="the Spark Connect server's driver memory")
    parser.add_argument("--data-dir", type=Path, default=HERE / ".data", help="the usage Parquet cache")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (warehouse, server log)")
    args = parser.parse_args()
    variants = [v.strip() for v in args.only.split(",") if v.strip()]
    if unknown := set(variants) - set(VARIANTS):
        parser.error(f"unknown variants {sorted(unknown)}")
    try:
        import grpc  # noqa: F401
        import grpc_status  # noqa: F401
    except ImportError as exc:
        sys.exit(f"the Spark Connect client needs {exc.name}: pip install -e '.[bench-spark]'")
    from pyspark.sql import SparkSession

    args.data_dir.mkdir(parents=True, exist_ok=True)
    parquet = write_parquet(args.rows, args.data_dir)  # the rows bench_into.py loads into PostgreSQL
    folder = Path(tempfile.mkdtemp(prefix="adoptscore-bench-into-spark-"))
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "rows": args.rows, "repeat": args.repeat,
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "note": "shared machine: other work ran at the same time"}}
    server = relay = None
    ok = True
    try:
        started = time.perf_counter()
        server = ConnectServer(folder, args.memory)
        relay = RelayProcess(server.port)
        url = f"sc://127.0.0.1:{relay.port}"
        print(f"Spark Connect server (local[2], pid {server.process.pid}) up in {time.perf_counter() - started:.0f} s; "
              f"client URL {url} (relayed to :{server.port})", flush=True)
        session = SparkSession.builder.remote(url).getOrCreate()
        report["versions"] = {"spark": session.version, "adoptscore": adoptscore.__version__,
                              "duckdb": duckdb.__version__}
        started = time.perf_counter()
        session.sql("CREATE TABLE usage USING parquet AS SELECT * FROM parquet.`%s`" % parquet)
        session.sql(f"CREATE SCHEMA IF NOT EXISTS {BARE}")
        loaded = session.sql("SELECT COUNT(*) AS n FROM usage").collect()[0]["n"]
        print(f"loaded {loaded:,} account-months into the managed table usage in {time.perf_counter() - started:.0f} s",
              flush=True)
        assert loaded == args.rows, loaded
        # the engine SQL the bare variant runs: the same statements score_into runs (not timed)
        engine = adoptscore.score(url, "gitlab", table="usage")
        selects = {t: engine.sql(t) for t in TABLES}
        out = folder / "fetch"
        summary = None

        # warm the JVM up (class loading, code generation of the same plans) on a 12,000-row copy, not timed
        started = time.perf_counter()
        session.sql("CREATE TABLE usage_warmup AS SELECT * FROM usage LIMIT 12000")
        warm = adoptscore.score(url, "gitlab", table="usage_warmup")
        for t in TABLES:
            session.sql(f"CREATE TABLE {BARE}.warmup_{t} AS {warm.sql(t)}")
        print(f"warm-up (the engine SQL on 12,000 rows, not timed): {time.perf_counter() - started:.0f} s", flush=True)

        def into():
            nonlocal summary
            summary = adoptscore.score_into(url, "gitlab", SCHEMA, table="usage")

        def bare():
            for t in TABLES:
                session.sql(f"DROP TABLE IF EXISTS {BARE}.{t}")
                session.sql(f"CREATE TABLE {BARE}.{t} AS {selects[t]}")

        def fetch():
            shutil.rmtree(out, ignore_errors=True)
            adoptscore.score(url, "gitlab", table="usage").write(out, "parquet")

        work = {"into": into, "bare": bare, "fetch": fetch}
        runs: dict[str, list[dict]] = {v: [] for v in variants}
        for i in range(args.repeat):
            for name in variants:
                r = _timed(relay, server, work[name])
                runs[name].append(r)
                print(f"  {name:5} run {i + 1}: {r['wall']:6.1f} s wall, {r['cpu']:5.1f} s client CPU, "
                      f"{r['jvm_cpu']:6.1f} s JVM CPU, {r['bytes']:>13,} bytes to the client "
                      f"(load {r['loadavg'][0]:.1f})", flush=True)
        medians = {name: {k: _median(rs, k) for k in ("wall", "cpu", "jvm_cpu", "relay_cpu", "bytes")}
                   for name, rs in runs.items()}
        report.update(runs=runs, medians=medians)

        # identity with the DuckDB engine on the same Parquet file
        reference = adoptscore.score(str(parquet), "gitlab").write(folder / "duckdb", "parquet")
        counts = {t: duckdb.sql(f"SELECT COUNT(*) FROM '{reference[t]}'").fetchall()[0][0] for t in TABLES}
        report["result_rows"] = counts
        identity = {}
        if "into" in variants:
            identity["into"] = compare(session, reference, SCHEMA, "adoptscore_")
            report["into_summary_rows"] = dict(summary.rows)
            ok &= dict(summary.rows) == counts
        if "bare" in variants:
            identity["bare"] = compare(session, reference, BARE, "")
        if "fetch" in variants:
            con = duckdb.connect()
            identity["fetch"] = {"differences": {t: _differences(con, reference[t], out / f"{t}.parquet", KEYS[t])
                                                 for t in TABLES}}
        report["identity_vs_duckdb"] = identity
        for result in identity.values():
            ok &= not any(result["differences"].values())
            ok &= all(v == "same" for v in result.get("columns", {}).values())
    finally:
        if relay is not None:
            relay.close()
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\nscore_into on Spark (Connect, local[2]), {args.rows:,} account-months "
          f"({counts['metrics']:,} metric rows), medians of {args.repeat} (shared 2-core machine):")
    for name, m in medians.items():
        print(f"  {name:5} {m['wall']:6.1f} s wall  {m['cpu']:5.1f} s client CPU  {m['jvm_cpu']:6.1f} s JVM CPU  "
              f"{m['bytes']:>13,.0f} bytes to the client")
    if "into" in medians and "bare" in medians:
        report["ratio_into_over_bare"] = medians["into"]["wall"] / medians["bare"]["wall"]
        report["ratio_into_over_bare_jvm_cpu"] = medians["into"]["jvm_cpu"] / medians["bare"]["jvm_cpu"]
        print(f"  ratio into / bare: wall {report['ratio_into_over_bare']:.2f}, "
              f"JVM CPU {report['ratio_into_over_bare_jvm_cpu']:.2f}")
    if "into" in medians and "fetch" in medians:
        report["bytes_into_over_fetch"] = medians["into"]["bytes"] / medians["fetch"]["bytes"]
        print(f"  bytes into / fetch: {report['bytes_into_over_fetch']:.2e}")
    for name, result in identity.items():
        print(f"  rows differing from the DuckDB engine ({name}): {result['differences']}"
              + (f"; columns {result['columns']}" if "columns" in result else ""))
    args.results.mkdir(parents=True, exist_ok=True)
    suffix = "" if variants == list(VARIANTS) else "-" + "-".join(variants)
    path = args.results / f"into-spark-{args.rows}{suffix}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"wrote {path}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
