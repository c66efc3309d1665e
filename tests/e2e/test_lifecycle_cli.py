"""The rubric lifecycle as a user runs it: demo -> calibrate -> lint -> validate -> diff -> backtest."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.e2e.test_cli_errors import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("lifecycle") / "demo"
    done = run("demo", "--accounts", "300", "--months", "8", "--out", str(out))
    assert done.returncode == 0, done.stderr
    for name in ("usage.parquet", "healthy-accounts.csv", "labels.csv", "outcomes.csv"):
        assert (out / name).exists(), name
    # the printed next steps are the commands this test runs
    for command in ("adoptscore calibrate", "adoptscore validate", "adoptscore diff", "adoptscore backtest"):
        assert command in done.stdout
    return out


def _html_ok(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    HTMLParser().feed(text)
    assert text.count("<svg") >= 1 and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    return text


def test_calibrate_writes_a_rubric_that_lints_and_scores(demo, tmp_path):
    rubric = tmp_path / "gitlab-next.yaml"
    done = run("calibrate", str(demo / "usage.parquet"), "--strategy", "healthy", "--cohort",
               str(demo / "healthy-accounts.csv"), "--write", str(rubric), "--json", str(tmp_path / "c.json"),
               "--html", str(tmp_path / "c.html"))
    assert done.returncode == 0, done.stderr
    assert "Calibration of gitlab 2025.1 -> 2025.2" in done.stdout
    document = yaml.safe_load(rubric.read_text())
    assert document["version"] == "2025.2"
    assert document["provenance"]["calibration"]["strategy"] == "healthy"
    result = json.loads((tmp_path / "c.json").read_text())
    assert result["cohort_accounts"] > 0 and result["proposed_version"] == "2025.2"
    assert "only 8 periods" not in json.dumps(result["warnings"])  # 6 of 8 periods are used
    _html_ok(tmp_path / "c.html")
    linted = run("lint", str(rubric))
    assert linted.returncode == 0 and "0 error(s)" in linted.stdout, linted.stdout
    scored = run("score", str(demo / "usage.parquet"), "--rubric", str(rubric), "--quiet")
    assert scored.returncode == 0, scored.stderr
    # the same command again refuses to replace the file it wrote
    again = run("calibrate", str(demo / "usage.parquet"), "--write", str(rubric), "--no-preview")
    assert again.returncode == 2 and "the file exists" in again.stderr


def test_calibrate_bad_input_writes_nothing(demo, tmp_path):
    empty = tmp_path / "nobody.csv"
    empty.write_text("account_id\nZZZ999\n")
    target = tmp_path / "never.yaml"
    done = run("calibrate", str(demo / "usage.parquet"), "--strategy", "healthy", "--cohort", str(empty),
               "--write", str(target), "--json", str(tmp_path / "never.json"))
    assert done.returncode == 2
    assert "has no account in the data window" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not target.exists() and not (tmp_path / "never.json").exists()
    overwrite = run("calibrate", str(demo / "usage.parquet"), "--write",
                    str(Path(__file__).resolve().parents[2] / "src/adoptscore/rubrics/gitlab.yaml"))
    assert overwrite.returncode == 2 and "--write is the rubric this command reads" in overwrite.stderr


def test_validate_gates_on_agreement(demo, tmp_path):
    ok = run("validate", str(demo / "usage.parquet"), "--labels", str(demo / "labels.csv"),
             "--min-agreement", "0.2", "--json", str(tmp_path / "v.json"), "--html", str(tmp_path / "v.html"))
    assert ok.returncode == 0, ok.stderr
    agreement = json.loads((tmp_path / "v.json").read_text())
    assert 0.2 <= agreement["total"]["agreement"] < 1.0
    _html_ok(tmp_path / "v.html")
    strict = run("validate", str(demo / "usage.parquet"), "--labels", str(demo / "labels.csv"),
                 "--min-agreement", "0.99")
    assert strict.returncode == 1 and "below --min-agreement" in strict.stderr


def test_diff_and_backtest_between_the_bundled_versions(demo, tmp_path):
    done = run("diff", str(demo / "usage.parquet"), "--old", "gitlab-2022", "--new", "gitlab", "--json", "-")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["old"]["version"] == "2022.1" and document["new"]["version"] == "2025.1"
    back = run("backtest", str(demo / "usage.parquet"), "--outcomes", str(demo / "outcomes.csv"),
               "--rubric", "gitlab-2022", "--rubric", "gitlab", "--html", str(tmp_path / "b.html"))
    assert back.returncode == 0, back.stderr
    assert "AUC" in back.stdout
    _html_ok(tmp_path / "b.html")
