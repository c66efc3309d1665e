"""Lint's error rules are loading rules too: no command scores with a rubric that ``lint`` rejects
(``weight: -30`` turned an overall Red into Green), while ``lint`` itself still lists every problem."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

import adoptscore
from adoptscore.cli import app
from adoptscore.errors import RubricError
from adoptscore.rubric import bundled_rubrics, load_rubric, loads_rubric
from adoptscore.rubric.lint import lint, rule_errors
from tests.conftest import frame, usage_row

TWO_USE_CASES = """\
name: tiny
version: "1"
points: {red: 25, yellow: 63, green: 88}
use_cases:
  - id: scm
    title: SCM
    weight: 1
    metrics:
      - id: git
        title: Git users
        numerator: git_ops_users_l28d
        denominator: billable_users
        weight: 1
        bands: {red: "<= 0.1", yellow: "> 0.1 and <= 0.5", green: "> 0.5"}
  - id: ci
    title: CI
    weight: 2
    metrics:
      - id: builds
        title: Builds per user
        numerator: ci_builds_l28d
        denominator: billable_users
        weight: 1
        cap: 100
        bands: {red: "<= 1", yellow: "> 1 and <= 20", green: "> 20"}
"""

# (what the user wrote, where it lands in the text, line, column of the value, the rule's words)
RULES = [
    ("use case weight -30", "    weight: 2\n", "    weight: -30\n", 17, 13, "use case ci: weight must be a positive"),
    ("use case weight 0", "SCM\n    weight: 1\n", "SCM\n    weight: 0\n", 7, 13, "use case scm: weight must be a positive"),
    ("use case weight nan", "    weight: 2\n", "    weight: .nan\n", 17, 13, "use case ci: weight must be a positive"),
    ("metric weight -30", "        weight: 1\n        cap", "        weight: -30\n        cap", 23, 17,
     "metric ci.builds: weight must be a positive"),
    ("metric weight 0", "        weight: 1\n        bands: {red: \"<= 0.1\"",
     "        weight: 0\n        bands: {red: \"<= 0.1\"", 13, 17, "metric scm.git: weight must be a positive"),
    ("metric weight inf", "        weight: 1\n        cap", "        weight: .inf\n        cap", 23, 17,
     "metric ci.builds: weight must be a positive"),
    ("points nan", "green: 88}", "green: .nan}", 3, 38, "points.green is nan, not a finite number"),
    ("cap inf", "cap: 100", "cap: .inf", 24, 14, "metric ci.builds: cap is inf, not a finite number"),
]


def _text(old: str, new: str) -> str:
    assert TWO_USE_CASES.count(old) == 1, old
    return TWO_USE_CASES.replace(old, new)


@pytest.mark.parametrize("name, old, new, line, column, needle", RULES, ids=[r[0] for r in RULES])
def test_every_lint_error_rule_is_refused_by_the_loader_at_its_key(name, old, new, line, column, needle):
    text = _text(old, new)
    errors = rule_errors(loads_rubric(text, "tiny.yaml", lenient=True))
    assert [needle in f.message for f in errors] == [True], errors  # lint finds exactly this error
    with pytest.raises(RubricError) as caught:
        loads_rubric(text, "tiny.yaml")
    error = caught.value
    assert (error.file, error.line, error.column) == ("tiny.yaml", line, column), error.format()
    assert error.message == errors[0].message and error.hint  # the same words as lint, with a fix


def test_score_refuses_a_rubric_lint_rejects(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(_text("    weight: 2\n", "    weight: -30\n"))
    with pytest.raises(RubricError, match="weight must be a positive") as caught:
        adoptscore.score(frame([usage_row("a1")]), path)
    assert caught.value.format().startswith(f"{path}:17:13: ")


def test_a_rubric_without_rule_errors_still_loads():
    rubric = loads_rubric(TWO_USE_CASES)
    assert [u.weight for u in rubric.use_cases] == [1, 2]
    assert all(f.level == "warning" for f in lint(rubric))  # warnings (too few metrics) stay warnings


@pytest.mark.parametrize("name", sorted(bundled_rubrics()))
def test_bundled_rubrics_load_strictly_and_lint_without_errors(name):
    rubric = load_rubric(name)
    assert [f for f in lint(rubric) if f.level == "error"] == []


def test_lint_lists_every_error_of_a_file_with_several(tmp_path):
    path = tmp_path / "several.yaml"
    text = _text("    weight: 2\n", "    weight: -30\n").replace("        weight: 1\n        cap", "        weight: 0\n        cap")
    path.write_text(text.replace("green: 88}", "green: .nan}"))
    done = CliRunner().invoke(app, ["lint", str(path)], env={"ADOPTSCORE_DEBUG": "", "COLUMNS": "200"})
    assert done.exit_code == 2, done.output
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [f"{path}:3:38", f"{path}:17:13", f"{path}:23:17"]
    assert "3 error(s)" in done.stdout
