#!/usr/bin/env python3
"""Recompute the thresholds of the ``innovation-graph`` rubric: population quartiles per metric.

Method (the rubric's ``provenance`` block states the same):

1. Read the long file ``economy,period,metric,value`` (default: the bundled
   ``src/adoptscore/rubrics/data/innovationgraph-long.csv``) and pivot it to one row per
   economy-quarter (suppressed inputs stay null).
2. Keep the rows in the rubric's ``input.scope`` (``economy != 'EU'``).
3. For every metric of the rubric compute ``numerator / denominator`` exactly as the rubric writes
   them (the expressions are read from the YAML and translated to SQL; a null input or a zero
   denominator gives no value). The population of a metric is every economy-quarter with a value.
4. p25 and p75 with DuckDB's exact ``quantile_cont`` (linear interpolation between order
   statistics, the same as ``numpy.percentile(method='linear')``), one percentile per expression.
5. Round each quartile to 3 significant digits (Python ``format(q, '.3g')``) for the band edges:
   Red ``<= p25``, Yellow ``> p25 and <= p75``, Green ``> p75``.

Prints, per metric, n, the exact quartiles, the rounded edges and whether the rubric's bands
match. ``--check`` exits 1 when any band differs; ``--yaml`` prints the band lines to paste.

Usage (from the repository root)::

    python scripts/calibrate_innovationgraph.py [--data FILE] [--rubric FILE] [--check] [--yaml]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
from ruamel.yaml import YAML

from adoptscore.rubric import expressions as ast
from adoptscore.rubric.bands import parse_interval

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO / "src" / "adoptscore" / "rubrics" / "data" / "innovationgraph-long.csv"
DEFAULT_RUBRIC = REPO / "src" / "adoptscore" / "rubrics" / "innovation-graph.yaml"
INPUTS = ("developers", "git_pushes", "organizations", "repositories")
SIGNIFICANT = 3


def round_significant(value: float, digits: int = SIGNIFICANT) -> float:
    """``value`` rounded to ``digits`` significant digits (the documented display rounding)."""
    return float(format(value, f".{digits}g"))


def edge_text(value: float) -> str:
    """A rounded edge as band text: plain decimal notation, no exponent."""
    text = format(value, "f").rstrip("0").rstrip(".")
    return text or "0"


def to_sql(node: ast.Expr) -> str:
    """SQL for the small arithmetic subset the rubric's metrics and scope use (anything else is refused)."""
    if isinstance(node, ast.Column):
        if node.name not in (*INPUTS, "economy", "period"):
            raise SystemExit(f"unknown column {node.name!r}")
        return f'"{node.name}"'
    if isinstance(node, ast.Literal):
        if isinstance(node.value, bool) or node.value is None:
            raise SystemExit(f"unsupported literal {node.value!r}")
        if isinstance(node.value, str):
            return "'" + node.value.replace("'", "''") + "'"
        return repr(float(node.value))
    if isinstance(node, ast.BinaryOp):
        left, right = to_sql(node.left), to_sql(node.right)
        if node.op == "/":
            # the rubric language's '/' is null on a zero divisor
            return f"(CAST({left} AS DOUBLE) / NULLIF({right}, 0))"
        op = {"==": "=", "and": "AND", "or": "OR"}.get(node.op, node.op)
        return f"({left} {op} {right})"
    if isinstance(node, ast.Not):
        return f"(NOT {to_sql(node.operand)})"
    raise SystemExit(f"expression node {type(node).__name__} is not supported by this script")


def load_definitions(rubric_path: Path) -> tuple[str | None, list[dict]]:
    """The scope and the metric definitions, read from the YAML without validating its bands."""
    document = YAML(typ="safe").load(rubric_path.read_text(encoding="utf-8"))
    scope = document.get("input", {}).get("scope")
    metrics = []
    for use_case in document["use_cases"]:
        for metric in use_case["metrics"]:
            if metric.get("cap") is not None:
                raise SystemExit(f"metric {metric['id']}: caps are not supported by this script")
            if metric.get("zero_denominator", "null") != "null":
                raise SystemExit(f"metric {metric['id']}: only zero_denominator: null is supported")
            metrics.append({"use_case": use_case["id"], **metric})
    return scope, metrics


def quartiles(data: Path, rubric_path: Path) -> tuple[list[dict], dict]:
    scope, metrics = load_definitions(rubric_path)
    con = duckdb.connect()
    # Explicit types: Namibia's code 'NA' is a code, and only an empty field is null.
    con.execute(f"""
        CREATE TABLE long AS SELECT * FROM read_csv('{str(data).replace("'", "''")}', header = true,
            columns = {{'economy': 'VARCHAR', 'period': 'VARCHAR', 'metric': 'VARCHAR', 'value': 'BIGINT'}},
            nullstr = '')""")
    pivots = ", ".join(f"max(value) FILTER (WHERE metric = '{m}') AS {m}" for m in INPUTS)
    con.execute(f"CREATE TABLE wide AS SELECT economy, period, {pivots} FROM long GROUP BY economy, period")
    where = f"WHERE {to_sql(ast.parse(scope).tree)}" if scope else ""
    con.execute(f"CREATE TABLE population AS SELECT * FROM wide {where}")
    info = dict(zip(("rows", "economies", "first", "last", "excluded"), con.execute(
        "SELECT count(*), count(DISTINCT economy), min(period), max(period), "
        "(SELECT count(*) FROM wide) - count(*) FROM population").fetchone()))
    results = []
    for metric in metrics:
        value = to_sql(ast.parse(str(metric["numerator"])).tree)
        if metric.get("denominator") is not None:
            value = f"(CAST({value} AS DOUBLE) / NULLIF({to_sql(ast.parse(str(metric['denominator'])).tree)}, 0))"
        n, p25, p50, p75 = con.execute(
            f"SELECT count(v), quantile_cont(v, 0.25), quantile_cont(v, 0.5), quantile_cont(v, 0.75) "
            f"FROM (SELECT {value} AS v FROM population) WHERE v IS NOT NULL").fetchone()
        r25, r75 = round_significant(p25), round_significant(p75)
        wanted = {"red": f"<= {edge_text(r25)}", "yellow": f"> {edge_text(r25)} and <= {edge_text(r75)}",
                  "green": f"> {edge_text(r75)}"}
        results.append({"use_case": metric["use_case"], "metric": metric["id"], "n": n, "p25": p25,
                        "p50": p50, "p75": p75, "r25": r25, "r75": r75, "wanted": wanted,
                        "matches": _matches(metric.get("bands") or {}, r25, r75)})
    return results, info


def _matches(bands: dict, r25: float, r75: float) -> bool:
    try:
        red, yellow, green = (parse_interval(bands[c]) for c in ("red", "yellow", "green"))
    except Exception:  # noqa: BLE001 - placeholders or missing bands simply do not match
        return False
    return (red.low is None and red.high == r25 and red.high_inclusive
            and yellow.low == r25 and not yellow.low_inclusive and yellow.high == r75 and yellow.high_inclusive
            and green.low == r75 and not green.low_inclusive and green.high is None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the long CSV")
    parser.add_argument("--rubric", type=Path, default=DEFAULT_RUBRIC, help="the rubric YAML")
    parser.add_argument("--check", action="store_true", help="exit 1 when the rubric's bands differ")
    parser.add_argument("--yaml", action="store_true", help="print the band lines for the rubric")
    args = parser.parse_args(argv)
    results, info = quartiles(args.data, args.rubric)
    print(f"population: {info['rows']} economy-quarters in scope ({info['economies']} economies, "
          f"{info['first']} to {info['last']}; {info['excluded']} out of scope)")
    print("quartiles: DuckDB quantile_cont (exact, linear interpolation); edges rounded to "
          f"{SIGNIFICANT} significant digits\n")
    header = f"{'metric':46} {'n':>5} {'p25 (exact)':>20} {'p50 (exact)':>20} {'p75 (exact)':>20} " \
             f"{'p25':>8} {'p75':>8}  rubric"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['use_case'] + '.' + r['metric']:46} {r['n']:>5} {r['p25']:>20.12f} {r['p50']:>20.12f} "
              f"{r['p75']:>20.12f} {edge_text(r['r25']):>8} {edge_text(r['r75']):>8}  "
              f"{'matches' if r['matches'] else 'DIFFERS'}")
    if args.yaml:
        print()
        for r in results:
            w = r["wanted"]
            print(f"# {r['metric']} (n = {r['n']})")
            print(f'bands: {{red: "{w["red"]}", yellow: "{w["yellow"]}", green: "{w["green"]}"}}')
    if args.check and not all(r["matches"] for r in results):
        print("\nthe rubric's bands differ from the recomputed quartiles", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
