"""Bad input, run as a user runs it: one message naming the file and where, exit 2, no traceback,
nothing written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adoptscore.rubric.loader import bundled_rubrics
from tests.conftest import frame, usage_row

GITLAB = bundled_rubrics()["gitlab"].read_text(encoding="utf-8")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("adoptscore")
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("ADOPTSCORE_DEBUG", None)
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture(scope="module")
def good_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "usage.csv"
    frame([usage_row("a1"), usage_row("a2", git_ops_users_l28d=500)]).to_csv(path, index=False)
    return path


def assert_clean_failure(done: subprocess.CompletedProcess, *needles: str, out: Path | None = None) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    message = lines[0]
    assert message.startswith("error: "), message
    for needle in needles:
        assert needle in message, (needle, message)
    if out is not None:
        assert not out.exists() or not any(out.iterdir()), f"{out} was written to"
    return message


def bad_rubric(tmp_path: Path, old: str, new: str) -> Path:
    assert old in GITLAB, old
    path = tmp_path / "bad.yaml"
    path.write_text(GITLAB.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


CASES = {
    "yaml syntax error": ('title: GitLab use-case adoption\n', 'title: GitLab: use-case adoption\n', "YAML syntax error"),
    "unknown column": ("numerator: ci_builds_l28d", "numerator: ci_buildz_l28d", "unknown column 'ci_buildz_l28d'"),
    "overlapping bands": ('bands: {red: "<= 2", yellow: "> 2 and <= 40", green: "> 40"}',
                          'bands: {red: "<= 3", yellow: "> 2 and <= 40", green: "> 40"}', "overlap"),
    "unordered bands": ('bands: {red: "<= 2", yellow: "> 2 and <= 40", green: "> 40"}',
                        'bands: {green: "<= 2", yellow: "> 2 and <= 40", red: "> 40"}', "bands run green, yellow, red"),
    "gap between bands": ('bands: {red: "<= 2", yellow: "> 2 and <= 40", green: "> 40"}',
                          'bands: {red: "< 2", yellow: "> 2 and <= 40", green: "> 40"}', "gap"),
    "non-numeric threshold": ('bands: {red: "<= 2", yellow: "> 2 and <= 40", green: "> 40"}',
                              'bands: {red: "<= two", yellow: "> 2 and <= 40", green: "> 40"}', "is not a bound"),
    "unknown function": ("numerator: ci_builds_l28d", "numerator: median(ci_builds_l28d)", "unknown function median()"),
    "sql in an expression": ("numerator: ci_builds_l28d", "numerator: ci_builds_l28d; DROP TABLE usage",
                             "never SQL"),
    "unknown field": ("    weight: 15\n", "    wieght: 15\n", "unknown field 'wieght'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_rubric(case, tmp_path, good_csv):
    old, new, needle = CASES[case]
    rubric = bad_rubric(tmp_path, old, new)
    out = tmp_path / "out"
    done = run("score", str(good_csv), "--rubric", str(rubric), "--out", str(out), "--format", "csv")
    message = assert_clean_failure(done, str(rubric), needle, out=out)
    # the message points at the line that was changed
    changed = line_of(rubric, new.strip().splitlines()[0][:25])
    assert f":{changed}:" in message or f"line {changed}" in message, message


def test_bad_rubric_is_also_reported_by_lint(tmp_path):
    rubric = bad_rubric(tmp_path, *CASES["overlapping bands"][:2])
    assert_clean_failure(run("lint", str(rubric)), "overlap")


def write_csv(tmp_path: Path, rows: list[dict], name: str = "usage.csv") -> Path:
    path = tmp_path / name
    frame(rows).to_csv(path, index=False)
    return path


def test_missing_input_column(tmp_path):
    path = tmp_path / "usage.csv"
    frame([usage_row()]).drop(columns=["ci_builds_l28d"]).to_csv(path, index=False)
    out = tmp_path / "out"
    done = run("score", str(path), "--out", str(out))
    assert_clean_failure(done, str(path), "missing input column 'ci_builds_l28d'", "ci.ci_builds_per_user", out=out)


def test_text_in_a_numeric_column_names_the_line(tmp_path):
    rows = [usage_row(f"a{i}") for i in range(5)]
    df = frame(rows).astype({"billable_users": "object"})
    df.loc[3, "billable_users"] = "lots"
    path = tmp_path / "usage.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "out"
    done = run("score", str(path), "--out", str(out))
    assert_clean_failure(done, f"{path}:5:", "billable_users", "'lots'", out=out)


def test_duplicate_rows(tmp_path):
    path = write_csv(tmp_path, [usage_row("a1"), usage_row("a2"), usage_row("a1")])
    out = tmp_path / "out"
    assert_clean_failure(run("score", str(path), "--out", str(out)), str(path), "duplicate rows", "a1", out=out)


def test_empty_file(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text("")
    out = tmp_path / "out"
    assert_clean_failure(run("score", str(path), "--out", str(out)), str(path), "empty", out=out)


def test_header_only_file(tmp_path):
    path = tmp_path / "usage.csv"
    frame([usage_row()]).head(0).to_csv(path, index=False)
    out = tmp_path / "out"
    assert_clean_failure(run("score", str(path), "--out", str(out)), str(path), "no rows", out=out)


def test_missing_file_and_unknown_rubric(tmp_path, good_csv):
    assert_clean_failure(run("score", str(tmp_path / "nope.csv")), "nope.csv", "file not found")
    assert_clean_failure(run("score", str(good_csv), "--rubric", "gitlub"), "unknown rubric 'gitlub'", "gitlab")


def test_a_failed_run_keeps_earlier_outputs(tmp_path, good_csv):
    out = tmp_path / "out"
    assert run("score", str(good_csv), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    path = write_csv(tmp_path, [usage_row("a1"), usage_row("a1")], "dups.csv")
    assert run("score", str(path), "--out", str(out)).returncode == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
