"""Project files that cannot be run as written: one line naming the file, line and column and the
fix, exit 2, nothing written; paths relative to the file; ``${NAME}`` from the environment."""
from __future__ import annotations


import pytest

from adoptscore.project import ProjectError, load_project
from tests.e2e.test_cli_errors import run

GOOD = "source:\n  data: usage.parquet\nrubric: gitlab\nstore: scores.duckdb\n"


@pytest.mark.parametrize("text, where, needle", [
    (GOOD + "exprots: {}\n", ":5:1:", "unknown field 'exprots'"),
    ("source:\n  data: usage.parquet\n  tabel: usage\n", ":3:", "unknown field 'tabel'"),
    ("rubric: gitlab\n", ":1:", "source"),
    (GOOD.replace("scores.duckdb", "scores.csv"), ":4:", "ends in .duckdb"),
    (GOOD + "period: 2026-13\n", ":5:", "period is latest, all, or one period"),
    (GOOD + "alerts:\n  - use_case: ci\n", ":6:", "needs a webhook, an out file, or both"),
    (GOOD + "alerts:\n  - out: a.json\n    headers: {X-A: b}\n", ":7:", "headers are sent with a webhook"),
    (GOOD + "schedule:\n  cron: every month\n", ":6:", "cron is five fields"),
    ("source:\n  data: [a.parquet, b.parquet]\n", ":2:", "several are for Service Ping payloads"),
    ("source:\n  data: pings/\n  from: service-ping\n  table: t\n", ":4:", "not Service Ping payloads"),
    (GOOD + "alerts:\n  - webhook: https://hooks.example.com/x\n    headers: {Authorization: 'Bearer ${NO_SUCH_VAR_X}'}\n",
     ":7:", "environment variable NO_SUCH_VAR_X is not set"),
    ("- a\n- b\n", ":1:", "a project file is a YAML mapping"),
    ("", ":1:", "the project file is empty"),
    ("source: [unclosed\n", ":2:1:", "YAML syntax error"),
])
def test_a_bad_project_file_is_one_located_line(tmp_path, text, where, needle):
    project = tmp_path / "adoptscore.yaml"
    project.write_text(text)
    done = run("run", str(project))
    assert done.returncode == 2, done.stdout + done.stderr
    line = done.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert f"adoptscore.yaml{where}" in line and needle in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adoptscore.yaml"], "a refused run wrote something"


def test_a_missing_project_file_says_how_to_make_one(tmp_path):
    done = run("run", cwd=tmp_path)
    assert done.returncode == 2
    assert "adoptscore.yaml: project file not found" in done.stderr and "docs/run.md" in done.stderr


def test_bad_options_and_outputs(tmp_path):
    (tmp_path / "adoptscore.yaml").write_text(GOOD)
    assert "is not a period" in run("run", str(tmp_path), "--period", "soon").stderr
    assert "--json" in run("run", str(tmp_path), "--json", str(tmp_path / "s.txt")).stderr
    bad = GOOD + "exports:\n  gainsight:\n    out: out/g.xlsx\n"
    (tmp_path / "adoptscore.yaml").write_text(bad)
    done = run("run", str(tmp_path))
    assert done.returncode == 2 and "exports.gainsight.out" in done.stderr, done.stderr


def test_the_output_may_not_be_the_input(tmp_path):
    import pandas as pd

    from adoptscore.demo import generate_usage

    generate_usage(accounts=20, months=2, seed=1).to_pandas().to_parquet(tmp_path / "usage.parquet")
    before = (tmp_path / "usage.parquet").read_bytes()
    (tmp_path / "adoptscore.yaml").write_text(GOOD + "exports:\n  gainsight:\n    out: usage.parquet\n")
    done = run("run", str(tmp_path))
    assert done.returncode == 2, done.stdout
    assert "usage.parquet" in done.stderr
    assert (tmp_path / "usage.parquet").read_bytes() == before
    pd.read_parquet(tmp_path / "usage.parquet")


def test_paths_are_relative_to_the_file_and_variables_expand(tmp_path, monkeypatch):
    monkeypatch.setenv("ADOPTSCORE_TEST_DB", "warehouse.duckdb")
    (tmp_path / "my-rubric.yaml").write_text("x")
    (tmp_path / "adoptscore.yaml").write_text(
        "source:\n  data: duckdb:///${ADOPTSCORE_TEST_DB}\n  table: usage\nrubric: my-rubric.yaml\n"
        "store: out/scores.duckdb\n")
    monkeypatch.chdir("/")
    loaded = load_project(tmp_path)
    assert loaded.data == ["duckdb:///warehouse.duckdb"]
    assert loaded.rubric == str(tmp_path / "my-rubric.yaml")
    assert loaded.store == tmp_path / "out/scores.duckdb"
    assert loaded.state == tmp_path / "adoptscore.state.json"
    (tmp_path / "adoptscore.yaml").write_text(GOOD.replace("rubric: gitlab", "rubric: gitlab-2022"))
    assert load_project(tmp_path / "adoptscore.yaml").rubric == "gitlab-2022"  # bundled, no file of that name


def test_a_damaged_state_file_is_refused_not_overwritten(tmp_path):
    from adoptscore.demo import generate_usage

    generate_usage(accounts=20, months=2, seed=1).to_pandas().to_parquet(tmp_path / "usage.parquet")
    (tmp_path / "adoptscore.yaml").write_text(GOOD + "alerts:\n  - webhook: http://127.0.0.1:9/x\n")
    (tmp_path / "adoptscore.state.json").write_text("{not json")
    done = run("run", str(tmp_path))
    assert done.returncode == 2 and "adoptscore.state.json" in done.stderr and "run state" in done.stderr, done.stderr
    assert (tmp_path / "adoptscore.state.json").read_text() == "{not json"
    with pytest.raises(ProjectError):
        raise ProjectError("x")
