"""An output is never an input of the same command: every command writes through one guard
(adoptscore.files), resolved through links and relative paths. Each case checks the input is
byte-for-byte intact after the refusal."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from adoptscore.rubric.loader import bundled_rubrics
from tests.e2e.test_cli_errors import assert_clean_failure, run


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("guard") / "demo"
    done = run("demo", "--accounts", "60", "--months", "4", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture
def store(demo, tmp_path) -> Path:
    path = tmp_path / "s.duckdb"
    path.write_bytes((demo / "scores.duckdb").read_bytes())
    return path


@pytest.mark.parametrize("export", ["gainsight", "history", "alerts"])
def test_export_over_its_store_is_refused(store, export):
    before = digest(store)
    done = run("export", export, "--store", str(store), "--out", str(store))
    assert_clean_failure(done, "--out is the score store this command reads", str(store))
    assert digest(store) == before


def test_export_scores_into_the_store_folder_is_refused(store):
    done = run("export", "scores", "--store", str(store), "--out", str(store))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert store.is_file()


def test_export_through_a_symlink_and_a_relative_path(store, tmp_path):
    before = digest(store)
    link = tmp_path / "alias.csv"
    link.symlink_to(store)
    done = run("export", "gainsight", "--store", str(store), "--out", str(link))
    assert_clean_failure(done, "score store")
    done = run("export", "history", "--store", "s.duckdb", "--out", "./sub/../s.duckdb", cwd=tmp_path)
    (tmp_path / "sub").mkdir(exist_ok=True)
    done = run("export", "history", "--store", "s.duckdb", "--out", "sub/../s.duckdb", cwd=tmp_path)
    assert_clean_failure(done, "score store")
    assert digest(store) == before


def test_export_over_a_hard_link_of_the_store(store, tmp_path):
    twin = tmp_path / "twin.csv"
    os.link(store, twin)
    before = digest(store)
    done = run("export", "alerts", "--store", str(store), "--out", str(twin))
    assert_clean_failure(done, "score store")
    assert digest(store) == before


def test_validate_json_over_the_labels(demo, tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_bytes((demo / "labels.csv").read_bytes())
    before = digest(labels)
    done = run("validate", str(demo / "usage.parquet"), "--labels", str(labels), "--json", str(labels))
    assert_clean_failure(done, "--json is the labels", str(labels))
    assert digest(labels) == before


def test_calibrate_html_over_the_usage(demo, tmp_path):
    usage = tmp_path / "usage.parquet"
    usage.write_bytes((demo / "usage.parquet").read_bytes())
    before = digest(usage)
    done = run("calibrate", str(usage), "--html", str(usage), "--no-preview")
    assert_clean_failure(done, "--html is the usage data")
    assert digest(usage) == before


def test_diff_json_over_the_rubric(demo, tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(bundled_rubrics()["gitlab"].read_text(encoding="utf-8"), encoding="utf-8")
    before = digest(rubric)
    done = run("diff", str(demo / "usage.parquet"), "--old", "gitlab-2022", "--new", str(rubric),
               "--json", str(rubric))
    assert_clean_failure(done, "--json is the rubric")
    assert digest(rubric) == before


def test_score_out_inside_the_usage_folder_is_refused(demo, tmp_path):
    folder = tmp_path / "usage"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes((demo / "usage.parquet").read_bytes())
    done = run("score", str(folder), "--out", str(folder / "scores"))
    assert_clean_failure(done, "usage data")
    assert sorted(p.name for p in folder.iterdir()) == ["part-0.parquet"]


def test_same_output_twice_in_one_command(demo, tmp_path):
    target = tmp_path / "report.json"
    done = run("validate", str(demo / "usage.parquet"), "--labels", str(demo / "labels.csv"),
               "--json", str(target), "--html", str(target))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert not target.exists()
