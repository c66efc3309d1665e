"""``adoptscore review`` with bad input, as a user runs it: one located line, exit 2, nothing written."""
from __future__ import annotations

from pathlib import Path

import pytest

from adoptscore.demo import generate_usage
from tests.e2e.test_cli_errors import assert_clean_failure, run


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("review-cli")
    generate_usage(accounts=40, months=3, seed=5).to_pandas().to_parquet(path / "usage.parquet")
    (path / "scores.duckdb").write_bytes(b"")  # a store file: the team database goes beside it
    return path


def test_publish_names_what_is_wrong(folder):
    assert_clean_failure(run("review", "publish", "nope.yaml", "--data", "usage.parquet", cwd=folder), "nope.yaml")
    (folder / "bad.yaml").write_text("name: x\nversion: 1\nuse_cases: [\n")
    assert_clean_failure(run("review", "publish", "bad.yaml", "--data", "usage.parquet", cwd=folder), "bad.yaml")
    done = run("review", "publish", "gitlab-2022.yaml", "--data", "usage.parquet", cwd=folder)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    bundled = Path(__import__("adoptscore").__file__).parent / "rubrics" / "gitlab.yaml"
    assert_clean_failure(run("review", "publish", str(bundled), "--data", "usage.parquet", "--accounts", "NOPE-9",
                             cwd=folder), "NOPE-9")
    assert_clean_failure(run("review", "publish", str(bundled), "--data", "usage.parquet", "--sample", "0",
                             cwd=folder), "--sample 0")
    assert not (folder / "scores.team.sqlite").exists()


def test_labels_and_show_refuse_what_is_not_there(folder):
    bundled = Path(__import__("adoptscore").__file__).parent / "rubrics" / "gitlab.yaml"
    published = run("review", "publish", str(bundled), "--data", "usage.parquet", "--sample", "5", cwd=folder)
    assert published.returncode == 0, published.stderr
    assert_clean_failure(run("review", "show", "7", cwd=folder), "no review 7")
    assert_clean_failure(run("review", "labels", "1", "--out", "labels.csv", cwd=folder), "no answer yet")
    assert not (folder / "labels.csv").exists()
    assert_clean_failure(run("review", "labels", "1", "--out", "labels.json", cwd=folder), "labels.json")
    assert_clean_failure(run("review", "labels", "1", "--out", "usage.parquet", cwd=folder), "usage.parquet")
    listed = run("review", "list", cwd=folder)
    assert listed.returncode == 0 and "0 of" in listed.stdout
