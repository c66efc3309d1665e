"""``score_into`` on PostgreSQL: results kept in the warehouse, measured at warehouse scale.

Same run, same server, same data (``--rows`` account-months, default 1M, loaded once by COPY), the
``gitlab`` rubric, three variants interleaved ``--repeat`` times, each through a TCP relay that
counts the bytes the server sends to this process:

- ``into``: ``adoptscore.score_into(url, "gitlab", url, table=usage)``: the three tables replaced
  inside PostgreSQL in one transaction (what ``score URL --table usage --into URL`` runs);
- ``sql``: the baseline, the same engine SQL run bare as ``CREATE UNLOGGED TABLE ... AS`` (what a
  dbt user runs: no transaction, no replace of scored periods, no checks);
- ``fetch``: the path ``--into`` replaces: ``adoptscore.score(url, ...).write(folder, "parquet")``,
  which streams every result row to this machine.

Printed: wall and client CPU medians, bytes received, ratio into / sql; then the ``into`` tables
are compared inside PostgreSQL with those of the hand-written ``baselines/postgres_gitlab.sql``
(full outer join on the keys; text exactly, doubles within 1e-9).

Usage::

    python benchmarks/bench_into.py                         # 1M account-months, 3 repeats
    python benchmarks/bench_into.py --rows 200000 --repeat 1
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "src"))

import adoptscore  # noqa: E402
from benchmarks.bench_postgres import (TABLES, _pg, baseline_statements, compare_in_postgres,  # noqa: E402
                                       engine_statements, load_postgres, run_variant, server)
from benchmarks.relay import Relay  # noqa: E402


def _timed(relay: Relay, work) -> dict:
    before, wall, cpu = relay.to_client, time.perf_counter(), time.process_time()
    work()
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "bytes": relay.to_client - before}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="account-months on PostgreSQL")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="PostgreSQL URL (default: $ADOPTSCORE_TEST_POSTGRES_URL or a throwaway server)")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args()
    with server(args.url) as url:
        usage = load_postgres(url, args.rows)
        host_port = url.split("@", 1)[1].split("/", 1)[0]
        port = int(host_port.rsplit(":", 1)[1])
        relay = Relay(port)
        through = url.replace(f":{port}/", f":{relay.port}/")
        folder = Path(tempfile.mkdtemp(prefix="adoptscore-bench-into-"))
        runs: dict[str, list[dict]] = {"into": [], "sql": [], "fetch": []}
        statements = engine_statements(usage, "bench_sql_")
        summary = None
        try:
            for i in range(args.repeat):
                def into():
                    nonlocal summary
                    summary = adoptscore.score_into(through, "gitlab", through, table=usage, prefix="bench_into_")

                def sql():
                    with _pg(through) as con:
                        run_variant(con, statements, "bench_sql_")

                def fetch():
                    adoptscore.score(through, "gitlab", table=usage).write(folder / f"run{i}", "parquet")

                for name, work in (("into", into), ("sql", sql), ("fetch", fetch)):
                    runs[name].append(_timed(relay, work))
                    r = runs[name][-1]
                    print(f"  {name:5} run {i + 1}: {r['wall']:6.1f} s wall, {r['cpu']:5.1f} s client CPU, "
                          f"{r['bytes']:>13,} bytes to the client", flush=True)
            with _pg(url) as con:
                run_variant(con, baseline_statements(usage, "bench_base_"), "bench_base_")
                differences = compare_in_postgres(con, "bench_into_", "bench_base_")
                for prefix in ("bench_into_", "bench_sql_", "bench_base_"):
                    for t in TABLES:
                        con.execute(f"DROP TABLE IF EXISTS {prefix}{t}")
        finally:
            relay.close()
            shutil.rmtree(folder, ignore_errors=True)
    medians = {name: {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "bytes")} for name, rs in runs.items()}
    report = {"rows": args.rows, "repeat": args.repeat, "runs": runs, "medians": medians,
              "ratio_into_over_sql": medians["into"]["wall"] / medians["sql"]["wall"],
              "result_rows": dict(summary.rows), "differences_vs_handwritten": differences}
    print(f"\nscore_into on PostgreSQL, {args.rows:,} account-months ({summary.rows['metrics']:,} metric rows), "
          f"medians of {args.repeat}:")
    for name, m in medians.items():
        print(f"  {name:5} {m['wall']:6.1f} s wall  {m['cpu']:5.1f} s client CPU  {m['bytes']:>13,.0f} bytes to the client")
    print(f"  ratio into / sql (wall): {report['ratio_into_over_sql']:.2f}; "
          f"bytes into / fetch: {medians['into']['bytes'] / medians['fetch']['bytes']:.2e}")
    print(f"  rows differing from the hand-written SQL: {differences}")
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"into-{args.rows}.json").write_text(json.dumps(report, indent=2))
    return 0 if not any(differences.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
