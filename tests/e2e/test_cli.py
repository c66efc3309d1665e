"""The CLI as a user runs it, including the contract for scripted use."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml

from adoptscore.rubric.loader import bundled_rubrics
from tests.conftest import frame, usage_row
from tests.e2e.test_cli_errors import run


@pytest.fixture(scope="module")
def usage_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "usage.csv"
    rows = [usage_row("a1"), usage_row("a2", git_ops_users_l28d=500, tier="SaaS - Premium"),
            usage_row("a1", period="2026-09", git_ops_users_l28d=50)]
    frame(rows).to_csv(path, index=False)
    return path


def test_score_contract_csv(usage_csv, tmp_path):
    out = tmp_path / "out"
    done = run("score", str(usage_csv), "--rubric", "gitlab", "--out", str(out), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["metrics.csv", "overall.csv", "use_cases.csv"]
    use_cases = pd.read_csv(out / "use_cases.csv", dtype=str, keep_default_na=False)
    assert {"account_id", "period", "use_case", "score", "color"} <= set(use_cases.columns)
    assert set(use_cases["use_case"]) == {"scm", "ci", "cd", "security", "license", "engagement"}
    assert set(use_cases["color"]) <= {"red", "yellow", "green", ""}
    # not applicable -> empty color
    sec = use_cases[(use_cases["account_id"] == "a2") & (use_cases["use_case"] == "security")].iloc[0]
    assert sec["color"] == "" and sec["score"] == "" and sec["status"] == "not_applicable"
    overall = pd.read_csv(out / "overall.csv", dtype=str, keep_default_na=False)
    assert {"account_id", "period", "score", "color", "adopted_use_cases"} <= set(overall.columns)
    assert len(overall) == 3 and set(overall["rubric"]) == {"gitlab"} and set(overall["rubric_version"]) == {"2025.1"}
    scm = use_cases[(use_cases["account_id"] == "a2") & (use_cases["use_case"] == "scm")].iloc[0]
    assert scm["color"] == "green"
    metrics = pd.read_csv(out / "metrics.csv")
    assert len(metrics) == 3 * 10


@pytest.mark.parametrize("fmt", ["parquet", "json"])
def test_score_other_formats(usage_csv, tmp_path, fmt):
    out = tmp_path / fmt
    assert run("score", str(usage_csv), "--out", str(out), "--format", fmt).returncode == 0
    if fmt == "parquet":
        overall = pd.read_parquet(out / "overall.parquet")
    else:
        overall = pd.DataFrame(json.loads((out / "overall.json").read_text()))
    assert len(overall) == 3 and set(overall["color"].dropna()) <= {"red", "yellow", "green"}


def test_score_parquet_input_and_table_output(usage_csv, tmp_path):
    path = tmp_path / "usage.parquet"
    pd.read_csv(usage_csv).to_parquet(path)
    done = run("score", str(path))
    assert done.returncode == 0, done.stderr
    assert "Source Code Management" in done.stdout and "adopted use cases" in done.stdout


def test_score_duckdb_table(usage_csv, tmp_path):
    import duckdb
    db = tmp_path / "usage.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE TABLE monthly AS SELECT * FROM read_csv('{usage_csv}')")
    con.close()
    out = tmp_path / "out"
    done = run("score", str(db), "--table", "monthly", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(out / "overall.csv")) == 3


def test_explain_shows_how_the_score_was_formed(usage_csv):
    done = run("explain", str(usage_csv), "--account", "a1")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "a1 period 2026-10" in text            # latest period by default
    assert "(63 + 63 + 63) / 3 = 63.00" in text   # CD: three yellow metrics
    assert "Product usage" in text and "adopted use cases" in text
    done = run("explain", str(usage_csv), "--account", "a1", "--period", "2026-09")
    assert "a1 period 2026-09" in done.stdout and "score = (25) / 1 = 25.00" in done.stdout


def test_explain_unknown_account(usage_csv):
    done = run("explain", str(usage_csv), "--account", "zzz")
    assert done.returncode == 2 and "zzz" in done.stderr and "Traceback" not in done.stderr


def test_schema_validates_the_bundled_rubrics(tmp_path):
    done = run("schema", "--out", str(tmp_path / "schema.json"))
    assert done.returncode == 0
    schema = json.loads((tmp_path / "schema.json").read_text())
    for name, path in bundled_rubrics().items():
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "version": "1", "use_cases": [{"id": "u", "title": "U", "metrics": [
            {"id": "m", "title": "M", "numerator": "a", "bands": {"purple": "< 1"}}]}]}, schema)


def test_lint_bundled(tmp_path):
    for name in bundled_rubrics():
        done = run("lint", name)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "0 error(s)" in done.stdout
    done = run("lint", "gitlab")
    assert "use case scm has 1 metric; the handbook asks for 3 to 7" in done.stdout
    assert "gitlab.yaml:" in done.stdout


def test_lint_with_data_reports_missing_columns(usage_csv, tmp_path):
    path = tmp_path / "partial.csv"
    pd.read_csv(usage_csv).drop(columns=["deployments_l28d"]).to_csv(path, index=False)
    done = run("lint", "gitlab", "--data", str(path))
    assert done.returncode == 2 and "deployments_l28d" in done.stdout


def test_lint_data_error_names_the_data_file_not_a_rubric_line(tmp_path):
    # the data is at fault: the line names it, not a place in gitlab.yaml
    done = run("lint", "gitlab", "--data", str(tmp_path / "nosuch.csv"))
    assert done.returncode == 2
    line = next(x for x in done.stdout.splitlines() if "nosuch.csv" in x)
    assert line.startswith("error: ") and "file not found" in line and "gitlab.yaml" not in line


def test_rubrics_lists_bundled():
    done = run("rubrics")
    assert done.returncode == 0
    for name in ("gitlab", "gitlab-2022", "innovation-graph"):
        assert name in done.stdout


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "spark", "snowflake", "bigquery"])
def test_sql_for_every_dialect(dialect):
    done = run("sql", "--dialect", dialect, "--output", "use_cases")
    assert done.returncode == 0, done.stderr
    assert done.stdout.lstrip().upper().startswith("WITH")
