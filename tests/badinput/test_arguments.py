"""Bad command lines: options out of range or malformed, unknown formats and names, empty values,
outputs over inputs or named as another kind of file, options that contradict each other. Each
is one ``error:`` line naming the option (and the file, where there is one), exit 2, nothing
written. Typer's own usage errors (a value of the wrong type, an unknown option) are one line too."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.badinput.corpus import GOOD_CSV, case, check_in_process, params

U = "{demo}/usage.parquet"
SCORE = f"score {U} --out {{tmp}}/out"
CALIBRATE = f"calibrate {U} --no-preview --no-write"
DIFF = f"diff {U} --old gitlab-2022 --new gitlab"
BACKTEST = f"backtest {U} --outcomes {{demo}}/outcomes.csv"
DECK = "deck A000002 --store {tmp}/s.duckdb --out {tmp}/d.pptx"
GAINSIGHT = "export gainsight --store {tmp}/s.duckdb --out {tmp}/g.csv"
ALERTS = "export alerts --store {tmp}/s.duckdb --out {tmp}/a.csv"
DBT = "dbt --project {tmp}/p --source product.usage"


def store(demo: Path) -> bytes:
    return (demo / "scores.duckdb").read_bytes()


def with_store(id: str, argv: str, *needles: str, **kw):
    """A case reading a copy of the demo's store in the case's folder (a read model cached beside
    it by mistake would show as a change of the folder)."""
    return case(id, argv, *needles, files={"s.duckdb": store}, **kw)


PROJECT = {"p/dbt_project.yml": "name: p\nversion: '1'\nprofile: p\n"}

CASES = [
    # demo
    case("demo --accounts 0", "demo --accounts 0 --out {tmp}/d", "'--accounts'", "greater than or equal to 1"),
    case("demo --accounts -5", "demo --accounts -5 --out {tmp}/d", "'--accounts'"),
    case("demo --accounts abc", "demo --accounts abc --out {tmp}/d", "'--accounts'", "integer"),
    case("demo --accounts 1.5", "demo --accounts 1.5 --out {tmp}/d", "'--accounts'"),
    case("demo --months 0", "demo --months 0 --out {tmp}/d", "'--months'"),
    case("demo --seed -1", "demo --seed -1 --accounts 3 --months 2 --out {tmp}/d", "'--seed'"),
    case("demo --out is a file", "demo --accounts 3 --months 2 --out {tmp}/usage.csv", "{tmp}/usage.csv",
         "the demo writes a folder", files={"usage.csv": GOOD_CSV}),
    case("demo --out under a file", "demo --accounts 3 --months 2 --out {tmp}/usage.csv/demo", "{tmp}/usage.csv",
         "is not a folder", files={"usage.csv": GOOD_CSV}),
    case("demo --out empty", ["demo", "--accounts", "3", "--out", ""], "--out is empty"),
    # score
    case("score --format xlsx", SCORE + " --format xlsx", "'--format'", "'xlsx' is not one of"),
    case("score --out a file name", f"score {U} --out {{tmp}}/scores.xlsx", "{tmp}/scores.xlsx",
         "--out is the folder for metrics, use_cases and overall"),
    case("score --out is the input", "score {tmp}/usage.csv --out {tmp}/usage.csv", "{tmp}/usage.csv",
         files={"usage.csv": GOOD_CSV}),
    case("score --out under the input", "score {tmp}/usage.csv --out {tmp}/usage.csv/out", "{tmp}/usage.csv",
         "is not a folder", files={"usage.csv": GOOD_CSV}),
    case("score --out with --format table", SCORE + " --format table", "--format table", "drop --out"),
    case("score --period garbage", SCORE + " --period garbage", "--period 'garbage'", "is not a period"),
    case("score --period 2026-13", SCORE + " --period 2026-13", "--period '2026-13'"),
    case("score --period not in the data", SCORE + " --period 2020-01", U, "no rows for period 2020-01"),
    case("score DATA empty", ["score", ""], "DATA is empty"),
    case("score --rubric empty", ["score", "{demo}/usage.parquet", "--rubric", ""], "--rubric is empty"),
    case("score --out= empty", ["score", "{demo}/usage.parquet", "--out="], "--out is empty"),
    case("score --store empty", ["score", "{demo}/usage.parquet", "--store", ""], "--store is empty"),
    case("score -r nosuch", SCORE + " -r nosuch", "unknown rubric 'nosuch'"),
    case("score unknown option", SCORE + " --nosuch", "No such option: --nosuch"),
    case("score without DATA", "score", "Missing argument 'data'"),
    case("score --from nosuch", SCORE + " --from nosuch", "'--from'"),
    case("score two usage sources", f"score {U} {U}", "score reads one usage source"),
    case("score --mapping without --from service-ping", SCORE + " --mapping {tmp}/m.yaml", "--mapping"),
    case("score --table on a Parquet file", SCORE + " --table usage", U, "--table usage"),
    case("score --attributes not in the data", f"score {U} --store {{tmp}}/s.duckdb --attributes nosuch",
         "attribute column 'nosuch'"),
    case("unknown command", "scroe x", "No such command 'scroe'", "'score'"),
    # explain
    case("explain without --account", f"explain {U}", "Missing option '--account'"),
    case("explain --account empty", ["explain", "{demo}/usage.parquet", "--account", ""], "--account is empty"),
    case("explain --period 2026-13", f"explain {U} --account A000002 --period 2026-13", "period '2026-13'"),
    # calibrate
    case("calibrate --mix of two", CALIBRATE + " --mix 25,50", "'25,50'", "three shares"),
    case("calibrate --mix a,b,c", CALIBRATE + " --mix a,b,c", "'a,b,c'"),
    case("calibrate --mix negative", CALIBRATE + " --mix -10,60,50", "between 0 and 1"),
    case("calibrate --window 0", CALIBRATE + " --window 0", "--window", "greater than or equal to 1"),
    case("calibrate --precision 0", CALIBRATE + " --precision 0", "precision", "got 0"),
    case("calibrate --strategy nosuch", CALIBRATE + " --strategy nosuch", "strategy 'nosuch'"),
    case("calibrate --write with --no-write", CALIBRATE + " --write {tmp}/new.yaml", "--write and --no-write"),
    case("calibrate --write a .csv", f"calibrate {U} --no-preview --write {{tmp}}/new.csv", "{tmp}/new.csv", ".yaml"),
    case("calibrate --write is the input", f"calibrate {U} --no-preview --write {U}", U, "--write"),
    # diff and backtest
    case("diff --json a .csv", DIFF + " --json {tmp}/d.csv", "{tmp}/d.csv", "--json is a JSON report"),
    case("diff --html a .json", DIFF + " --html {tmp}/d.json", "{tmp}/d.json", "--html is an HTML report"),
    case("diff --json over an earlier CSV", DIFF + " --json {tmp}/d.csv", "{tmp}/d.csv",
         earlier={"d.csv": "account_id\nA1\n"}),
    case("diff --period garbage", DIFF + " --period garbage", "period 'garbage'"),
    case("backtest --months-before -1", BACKTEST + " --months-before -1", "'--months-before'"),
    case("backtest --use-case nosuch", BACKTEST + " --use-case nosuch", "use case 'nosuch'"),
    # deck
    with_store("deck --months 0", DECK + " --months 0", "--months 0", "2 to 36"),
    with_store("deck --focus 9", DECK + " --focus 9", "--focus 9"),
    with_store("deck --jobs 0", "deck --all --store {tmp}/s.duckdb --out {tmp}/decks --jobs 0", "'--jobs'"),
    with_store("deck --jobs -1", "deck --all --store {tmp}/s.duckdb --out {tmp}/decks --jobs -1", "'--jobs'"),
    with_store("deck --limit 0", "deck --all --store {tmp}/s.duckdb --out {tmp}/decks --limit 0", "'--limit'"),
    with_store("deck --color blue", "deck --store {tmp}/s.duckdb --color blue", "'--color'", "'blue'"),
    with_store("deck --format docx", DECK + " -f docx", "'--format'", "'docx'"),
    with_store("deck ACCOUNT and --all", "deck A000002 --all --store {tmp}/s.duckdb", "not both"),
    with_store("deck without an account", "deck --store {tmp}/s.duckdb", "which account?"),
    with_store("deck --out a .csv", "deck A000002 --store {tmp}/s.duckdb --out {tmp}/d.csv", "{tmp}/d.csv",
               "a deck (.pptx, .html or .pdf)"),
    with_store("deck --out is the store", "deck A000002 --store {tmp}/s.duckdb --out {tmp}/s.duckdb",
               "{tmp}/s.duckdb"),
    with_store("deck --template not a pptx", DECK + f" --template {U}", U, "not a PowerPoint file"),
    # exports
    with_store("gainsight --comment-length 0", GAINSIGHT + " --comment-length 0", "comment length 0"),
    with_store("gainsight --out a .xlsx", "export gainsight --store {tmp}/s.duckdb --out {tmp}/g.xlsx",
               "{tmp}/g.xlsx", "--out is a csv or parquet file"),
    with_store("gainsight --format xml", GAINSIGHT + " -f xml", "'--format'", "'xml'"),
    with_store("gainsight --format contradicts --out", GAINSIGHT + " -f parquet", "ends in .csv but --format is parquet"),
    with_store("gainsight Parquet to standard output", "export gainsight --store {tmp}/s.duckdb --out - -f parquet",
               "Parquet cannot go to standard output"),
    with_store("gainsight --period garbage", GAINSIGHT + " --period garbage", "period 'garbage'"),
    with_store("history --since after --until",
               "export history --store {tmp}/s.duckdb --out {tmp}/h.csv --since 2026-10 --until 2026-01",
               "--since 2026-10 is after --until 2026-01"),
    with_store("scores --period with --since",
               "export scores --store {tmp}/s.duckdb --out {tmp}/o.csv -t overall --period 2026-10 --since 2026-01",
               "--period or --since/--until, not both"),
    with_store("scores --table nosuch", "export scores --store {tmp}/s.duckdb --out {tmp}/o.csv -t nosuch", "'--table'"),
    with_store("alerts --batch-size 0", ALERTS + " --batch-size 0", "'--batch-size'"),
    with_store("alerts --timeout 0", ALERTS + " --timeout 0", "'--timeout'"),
    with_store("alerts --retries -1", ALERTS + " --retries -1", "'--retries'"),
    with_store("alerts --header without --webhook", ALERTS + " -H X-Token:abc", "--header is only used with --webhook"),
    with_store("alerts --webhook not a URL", ALERTS + " --webhook notaurl", "--webhook 'notaurl'"),
    with_store("alerts --out a .txt", "export alerts --store {tmp}/s.duckdb --out {tmp}/a.txt", "{tmp}/a.txt"),
    case("export unknown command", "export gainsite", "No such command 'gainsite'"),
    # sql, schema, dbt, lint
    case("sql --dialect oracle", "sql --dialect oracle", "'--dialect'", "'oracle'"),
    case("sql --output nosuch", "sql --output nosuch", "unknown output 'nosuch'"),
    case("schema --out a .csv", "schema --out {tmp}/schema.csv", "{tmp}/schema.csv", "JSON Schema"),
    case("schema --out a folder", "schema --out {tmp}/sub", "{tmp}/sub", "is a folder", files={"sub/": ""}),
    case("dbt --dialect oracle", DBT + " --dialect oracle", "'oracle'", files=PROJECT),
    case("dbt without a usage relation", "dbt --project {tmp}/p", "--source, --ref or --relation", files=PROJECT),
    case("dbt --source and --ref", DBT + " --ref stg_usage", "exactly one of", files=PROJECT),
    case("dbt --materialized nosuch", DBT + " --materialized nosuch", "'nosuch'", files=PROJECT),
    case("dbt --project not a dbt project", DBT, "{tmp}/p", "dbt_project.yml", files={"p/": ""}),
    case("lint a missing rubric", "lint {tmp}/nosuch.yaml", "{tmp}/nosuch.yaml", "does not exist"),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_arguments(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
