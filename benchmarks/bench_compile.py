"""What Ibis costs the engine, against SQLGlot alone, for the decision in docs/warehouses.md
("Ibis or SQLGlot directly").

Same run, interleaved, medians of ``--repeat`` runs, wall (perf_counter) and CPU (process time or
the children's getrusage) side by side:

1. compile: the bundled rubric (``gitlab``) to the SQL of each of its three result tables through
   Ibis (``engine.sql.compile_sql``, cold: the compiled-rubric and per-stage caches cleared, as in a
   fresh ``adoptscore sql --output X``; summed over the three), split into building the Ibis
   expressions (``compile_rubric``) and the whole compile (expressions, Ibis's compiler to a
   SQLGlot tree, SQLGlot to text), against SQLGlot alone on the same three texts: parsing and
   generating them, and generating only from the parsed trees. Generating is what an engine that
   builds SQLGlot trees directly must still do (a lower bound; building the trees adds to it);
2. the command: ``adoptscore sql --dialect duckdb`` (one output table, a fresh process) against
   a fresh process that imports SQLGlot and parses and generates the same text, and against an
   empty interpreter;
3. import: ``python -X importtime`` of ``ibis`` (with the DuckDB backend the engine opens),
   ``sqlglot`` (with its DuckDB dialect), ``duckdb``, and SQLGlot with DuckDB (what thin connectors
   would import): the self-reported cumulative times of the top-level imports of those packages
   (summed: ``ibis.duckdb`` loads its backend after ``import ibis``), and the wall and CPU time of
   the whole process;
4. size: the engine's lines of code that use Ibis (a grep: lines naming ``ibis``, ``ir.``,
   ``ops.``, the SQL compilers, or calling an Ibis expression method), per file: what a rewrite
   onto SQLGlot would replace.

    python benchmarks/bench_compile.py [--repeat 7] [--rubric gitlab] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("metrics", "use_cases", "overall")
ENGINE_FILES = ["engine/compile.py", "engine/expressions.py", "engine/rollup.py", "engine/sql.py", "engine/result.py",
                "engine/backends.py", "engine/into.py", "engine/writer.py", "engine/dialects.py", "sources/read.py",
                # outside the engine, building Ibis expressions of their own
                "store/history.py", "lifecycle/calibrate.py", "lifecycle/cohort.py"]
# an Ibis name, or a call of an Ibis expression method (str.join and the like excluded by the receiver)
IBIS_LINE = re.compile(
    r"\bibis\b|\bir\.|\bops\.|sql_compilers|\bdt\.|"
    r"(?<![\"'\)])\.(mutate|aggregate|group_by|filter|ifelse|cases|isnull|notnull|fill_null|coalesce|cast|select|"
    r"unpack|isin|nullif|clip|isnan|isinf|over|unbind|schema|order_by|distinct|pivot_longer|pivot_wider|"
    r"name|sum|mean|count|max|min|round|greatest|least|abs|log|sqrt|cumsum|lag|lead|rank|row_number|"
    r"to_pyarrow|to_pyarrow_batches|create_table|raw_sql|substr|startswith|contains|length|lower|upper|strip|"
    r"as_table|as_scalar|execute|op)\(")


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def timed_process(argv: list[str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def bench_compile(rubric_name: str, repeat: int) -> dict:
    import sqlglot

    from adoptscore import api
    from adoptscore.engine import compile as engine_compile
    from adoptscore.engine.sql import compile_sql, source_table

    rubric = api.load_rubric(rubric_name)
    texts = {o: compile_sql(rubric, "duckdb", output=o) for o in OUTPUTS}
    trees = {o: sqlglot.parse_one(t, read="duckdb") for o, t in texts.items()}

    def cold() -> None:  # as in a fresh `adoptscore sql` process: nothing compiled yet
        engine_compile._COMPILED.clear()
        engine_compile._stage_sql.cache_clear()

    def ibis_build(o: str) -> None:
        cold()
        engine_compile.compile_rubric(source_table(rubric, "usage").schema(), rubric).plan

    def ibis_compile(o: str) -> None:
        cold()
        compile_sql(rubric, "duckdb", output=o)

    def sqlglot_parse_generate(o: str) -> None:
        sqlglot.parse_one(texts[o], read="duckdb").sql(dialect="duckdb", pretty=True)

    def sqlglot_generate(o: str) -> None:
        trees[o].sql(dialect="duckdb", pretty=True)

    variants = {"ibis_build_expressions": ibis_build, "ibis_compile": ibis_compile,
                "sqlglot_parse_generate": sqlglot_parse_generate, "sqlglot_generate": sqlglot_generate}
    for fn in variants.values():  # warm: imports, dialect classes, SQLGlot's own caches
        for o in OUTPUTS:
            fn(o)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for _ in range(repeat):
        for name, fn in variants.items():
            # one cold compile per result table, summed: the three `adoptscore sql --output` runs
            per_output = [timed(lambda: fn(o)) for o in OUTPUTS]
            runs[name].append((sum(w for w, _ in per_output), sum(c for _, c in per_output)))
    out = {name: {"wall_s": median([w for w, _ in r]), "cpu_s": median([c for _, c in r])} for name, r in runs.items()}
    base = out["sqlglot_parse_generate"]["wall_s"]
    for row in out.values():
        row["ratio_to_sqlglot_parse_generate"] = row["wall_s"] / base
    out["sql_chars"] = {o: len(t) for o, t in texts.items()}
    out["sql_nodes"] = {o: sum(1 for _ in tree.walk()) for o, tree in trees.items()}
    return out


def bench_command(rubric_name: str, repeat: int) -> dict:
    import shutil

    exe = shutil.which("adoptscore", path=str(Path(sys.executable).parent)) or "adoptscore"
    cli = [exe, "sql", "--rubric", rubric_name, "--dialect", "duckdb"]
    text = subprocess.run(cli, capture_output=True, text=True, check=True).stdout
    script = ("import sys, sqlglot; text = open(sys.argv[1]).read(); "
              "sys.stdout.write(sqlglot.parse_one(text, read='duckdb').sql(dialect='duckdb', pretty=True))")
    sql_file = Path("/tmp") / f"bench_compile_{rubric_name}.sql"
    sql_file.write_text(text)
    variants = {"cli_adoptscore_sql": cli, "python_sqlglot_parse_generate": [sys.executable, "-c", script, str(sql_file)],
                "python_empty": [sys.executable, "-c", "pass"]}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    for argv in variants.values():
        timed_process(argv)  # warm the page cache
    for _ in range(repeat):
        for name, argv in variants.items():
            wall, cpu, _ = timed_process(argv)
            runs[name].append((wall, cpu))
    out = {name: {"wall_s": median([w for w, _ in r]), "cpu_s": median([c for _, c in r])} for name, r in runs.items()}
    base = out["python_sqlglot_parse_generate"]["wall_s"]
    for row in out.values():
        row["ratio_to_python_sqlglot_parse_generate"] = row["wall_s"] / base
    return out


def bench_imports(repeat: int) -> dict:
    modules = {"ibis+duckdb backend": "import ibis; ibis.duckdb.connect",
               "sqlglot+duckdb dialect": "import sqlglot; sqlglot.Dialect.get_or_raise('duckdb')",
               "duckdb": "import duckdb",
               "sqlglot+duckdb (thin)": "import sqlglot, duckdb; sqlglot.Dialect.get_or_raise('duckdb')"}
    # the packages whose top-level imports are summed (ibis.duckdb loads its backend after `import ibis`)
    top = {"ibis+duckdb backend": ("ibis",), "sqlglot+duckdb dialect": ("sqlglot",), "duckdb": ("duckdb",),
           "sqlglot+duckdb (thin)": ("sqlglot", "duckdb")}
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in modules}
    for _ in range(repeat):
        for name, code in modules.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = time.perf_counter()
            done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True)
            wall = time.perf_counter() - wall
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            # "import time: self [us] | cumulative | imported package", nested imports indented: the
            # top-level lines of the variant's packages (the package and any submodule loaded later)
            cumulative = sum(int(line.split("|")[1]) for line in done.stderr.splitlines()
                             if line.startswith("import time:") and not line.split("|")[2].startswith("  ")
                             and line.split("|")[2].strip().split(".")[0] in top[name])
            runs[name].append((cumulative / 1e6, wall, cpu))
    out = {name: {"importtime_cumulative_s": median([r[0] for r in rs]), "process_wall_s": median([r[1] for r in rs]),
                  "process_cpu_s": median([r[2] for r in rs])} for name, rs in runs.items()}
    base = out["sqlglot+duckdb dialect"]["importtime_cumulative_s"]
    for row in out.values():
        row["ratio_to_sqlglot"] = row["importtime_cumulative_s"] / base
    return out


def count_lines() -> dict:
    out: dict[str, dict[str, int]] = {}
    for rel in ENGINE_FILES:
        path = ROOT / "src" / "adoptscore" / rel
        code = [line for line in path.read_text().splitlines() if line.strip() and not line.strip().startswith("#")]
        out[rel] = {"code_lines": len(code), "ibis_lines": sum(1 for line in code if IBIS_LINE.search(line))}
    out["total"] = {"code_lines": sum(r["code_lines"] for r in out.values()),
                    "ibis_lines": sum(r["ibis_lines"] for r in out.values())}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rubric", default="gitlab")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    # what Ibis costs is measured cold: no compiled rubric read from disk, here or in the commands run
    os.environ["ADOPTSCORE_COMPILE_CACHE"] = "off"
    import ibis
    import sqlglot

    result = {"versions": {"python": sys.version.split()[0], "ibis": ibis.__version__, "sqlglot": sqlglot.__version__},
              "repeat": args.repeat, "rubric": args.rubric,
              "compile": bench_compile(args.rubric, args.repeat), "command": bench_command(args.rubric, args.repeat),
              "imports": bench_imports(args.repeat), "lines": count_lines()}
    print(f"versions: {result['versions']}, medians of {args.repeat}")
    print(f"\n1. {args.rubric} to SQL, three result tables (duckdb), in process:")
    for name, row in result["compile"].items():
        if "wall_s" in row:
            print(f"  {name:26s} wall {row['wall_s'] * 1e3:8.1f} ms  cpu {row['cpu_s'] * 1e3:8.1f} ms  "
                  f"ratio {row['ratio_to_sqlglot_parse_generate']:6.2f}")
    print(f"  SQL characters {result['compile']['sql_chars']}, SQLGlot nodes {result['compile']['sql_nodes']}")
    print("\n2. the command, a fresh process each:")
    for name, row in result["command"].items():
        print(f"  {name:30s} wall {row['wall_s'] * 1e3:8.1f} ms  cpu {row['cpu_s'] * 1e3:8.1f} ms  "
              f"ratio {row['ratio_to_python_sqlglot_parse_generate']:5.2f}")
    print("\n3. import (python -X importtime, cumulative of the packages' top-level imports; process wall and cpu):")
    for name, row in result["imports"].items():
        print(f"  {name:24s} importtime {row['importtime_cumulative_s'] * 1e3:7.1f} ms  process wall "
              f"{row['process_wall_s'] * 1e3:7.1f} ms  cpu {row['process_cpu_s'] * 1e3:7.1f} ms  ratio {row['ratio_to_sqlglot']:5.2f}")
    print("\n4. engine lines of code (non-blank, non-comment) and those using Ibis:")
    for rel, row in result["lines"].items():
        print(f"  {rel:24s} {row['code_lines']:5d} lines, {row['ibis_lines']:4d} Ibis")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
