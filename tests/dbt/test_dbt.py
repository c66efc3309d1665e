"""`adoptscore dbt`: the generated models build with dbt-duckdb (a real `dbt build`, tests included),
score exactly as adoptscore does, and their schema tests catch duplicate keys and unknown colors."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import typer
from ruamel.yaml import YAML
from typer.testing import CliRunner

import adoptscore
from adoptscore.commands.dbt import dbt_command
from adoptscore.dbt import build_models, relation_for, write_models
from adoptscore.demo import generate_usage
from adoptscore.engine.result import SORT_KEYS
from adoptscore.errors import AdoptscoreError
from tests.backends.conftest import assert_same

TABLES = ("metrics", "use_cases", "overall")


def _dbt() -> str | None:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else shutil.which("dbt")


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(dbt_command)
    return app


def _run_dbt(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    return subprocess.run([_dbt(), *args, "--project-dir", str(project), "--profiles-dir", str(project)],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A dbt project with the demo usage as a source table in a DuckDB file, and the models written
    by the command."""
    assert _dbt() is not None, "dbt is a test dependency (pyproject [test]): make install"
    root = tmp_path_factory.mktemp("dbt_project")
    database = root / "warehouse.duckdb"
    with duckdb.connect(str(database)) as con:
        usage = generate_usage(accounts=120, months=6, seed=11)
        con.register("demo", usage)
        con.execute("CREATE TABLE usage AS SELECT * FROM demo")
    (root / "dbt_project.yml").write_text(
        "name: scores\nversion: '1.0'\nprofile: scores\nmodel-paths: [models]\nmacro-paths: [macros]\n")
    (root / "profiles.yml").write_text(
        f"scores:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{database}'\n      threads: 1\n")
    (root / "models").mkdir()
    (root / "models" / "sources.yml").write_text(
        "version: 2\nsources:\n  - name: product\n    schema: main\n    tables:\n      - name: usage\n")
    run = CliRunner().invoke(_app(), ["--project", str(root), "--rubric", "gitlab", "--dialect", "duckdb",
                                      "--source", "product.usage"])
    assert run.exit_code == 0, run.output
    return root


@pytest.fixture(scope="module")
def built(project) -> subprocess.CompletedProcess:
    return _run_dbt(project, "build")


def test_dbt_build_passes_with_its_tests(built):
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-2000:]
    # three models and their tests ran (not_null, accepted_values, the unique key)
    assert "adoptscore_metrics" in built.stdout and "adoptscore_unique_combination" in built.stdout
    assert "accepted_values" in built.stdout and "ERROR=0" in built.stdout.replace(" ", "")


def test_models_score_exactly_as_adoptscore(project, built):
    assert built.returncode == 0
    with duckdb.connect(str(project / "warehouse.duckdb"), read_only=True) as con:
        expected = adoptscore.score(con.table("usage").to_arrow_table(), "gitlab")
        for table in TABLES:
            got = con.sql(f"SELECT * FROM main.adoptscore_{table}").df()
            got = got.sort_values(SORT_KEYS[table], kind="stable").reset_index(drop=True)
            assert_same(expected.table(table), got, f"dbt {table}")


def test_schema_tests_catch_duplicates_and_unknown_colors(project, built):
    """The tests can fail: a repeated key and a color outside red/yellow/green are both reported."""
    assert built.returncode == 0
    with duckdb.connect(str(project / "warehouse.duckdb")) as con:
        con.execute("INSERT INTO main.adoptscore_metrics SELECT * FROM main.adoptscore_metrics LIMIT 1")
        con.execute("UPDATE main.adoptscore_overall SET color = 'blue' WHERE account_id = "
                    "(SELECT MIN(account_id) FROM main.adoptscore_overall)")
    tested = _run_dbt(project, "test")
    assert tested.returncode != 0
    failing = [line for line in tested.stdout.splitlines() if "FAIL" in line]
    assert any("unique_combination" in line and "adoptscore_metrics" in line for line in failing), tested.stdout[-3000:]
    assert any("accepted_values" in line and "adoptscore_overall" in line and "color" in line for line in failing)


def test_schema_yml_declares_every_column_and_test():
    models = build_models(adoptscore.load_rubric("gitlab"), "snowflake", relation_for(source="raw.usage"))
    schema = YAML(typ="safe").load(models.files["models/adoptscore/adoptscore_schema.yml"])
    by_name = {m["name"]: m for m in schema["models"]}
    assert set(by_name) == {"adoptscore_metrics", "adoptscore_use_cases", "adoptscore_overall"}
    metrics = {c["name"]: c for c in by_name["adoptscore_metrics"]["columns"]}
    assert list(metrics) == ["rubric", "rubric_version", "account_id", "period", "use_case", "metric", "numerator",
                             "denominator", "value", "status", "color", "points", "reason"]
    assert {"accepted_values": {"arguments": {"values": ["red", "yellow", "green"]}}} in metrics["color"]["data_tests"]
    assert by_name["adoptscore_use_cases"]["data_tests"] == [
        {"adoptscore_unique_combination": {"arguments": {"columns": ["account_id", "period", "use_case"]}}}]
    overall = [c["name"] for c in by_name["adoptscore_overall"]["columns"]]
    assert {"segment", "industry", "tier"} <= set(overall)
    sql = models.files["models/adoptscore/adoptscore_overall.sql"]
    assert "{{ config(materialized='table') }}" in sql and "FROM {{ source('raw', 'usage') }}" in sql


def test_relation_choices_and_errors(tmp_path):
    assert relation_for(ref="stg_usage") == "{{ ref('stg_usage') }}"
    assert relation_for(ref="pkg.stg_usage") == "{{ ref('pkg', 'stg_usage') }}"
    assert relation_for(relation='"raw"."usage"') == '"raw"."usage"'
    for bad in ({}, {"source": "a.b", "ref": "c"}, {"source": "usage"}, {"source": "a.b'c"}, {"ref": "x;drop"}):
        with pytest.raises(AdoptscoreError):
            relation_for(**bad)
    models = build_models(adoptscore.load_rubric("gitlab"), "duckdb", relation_for(ref="u"))
    with pytest.raises(AdoptscoreError, match="not a dbt project"):
        write_models(models, tmp_path)
    assert not any(tmp_path.iterdir()), "nothing is written outside a dbt project"
    with pytest.raises(AdoptscoreError, match="unknown dbt adapter"):
        build_models(adoptscore.load_rubric("gitlab"), "oracle", "x")


def test_jinja_in_rubric_texts_is_passed_through():
    rubric = adoptscore.load_rubric("gitlab")
    models = build_models(rubric, "postgres", relation_for(source="raw.usage"))
    assert "{% raw %}" not in models.files["models/adoptscore/adoptscore_metrics.sql"]
    from adoptscore.dbt.models import _jinja_safe

    assert _jinja_safe("SELECT '{{ x }}' FROM __adoptscore_relation__ WHERE 1", "{{ ref('u') }}") == \
        "{% raw %}SELECT '{{ x }}' FROM {% endraw %}{{ ref('u') }} WHERE 1"


def test_command_errors_are_one_line(tmp_path):
    run = CliRunner().invoke(_app(), ["--project", str(tmp_path), "--source", "product.usage"])
    assert run.exit_code == 2 and "not a dbt project" in run.output
