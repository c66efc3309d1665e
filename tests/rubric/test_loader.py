"""Loading rubrics: every error names the file, line and column, and says how to fix it."""
from __future__ import annotations

import pytest

from adoptscore.errors import RubricError
from adoptscore.rubric import bundled_rubrics, load_rubric, loads_rubric

MINIMAL = """\
name: tiny
version: "1"
use_cases:
  - id: u
    title: U
    metrics:
      - id: m
        title: M
        numerator: a
        denominator: b
        weight: 2
        bands: {red: "< 1", yellow: ">= 1 and < 2", green: ">= 2"}
"""


def test_minimal_rubric_defaults():
    rubric = loads_rubric(MINIMAL)
    assert (rubric.points.red, rubric.points.yellow, rubric.points.green) == (25, 63, 88)
    assert [c for c, _ in rubric.ordered_score_bands] == ["red", "yellow", "green"]
    metric = rubric.use_cases[0].metrics[0]
    assert metric.zero_denominator == "null" and metric.direction == "higher_is_better"


@pytest.mark.parametrize("old, new, line, needle", [
    ("        weight: 2\n", "        weight: heavy\n", 11, "weight"),
    ("        numerator: a\n", "        numerator: a +\n", 9, "invalid expression"),
    ("        denominator: b\n", "        denominator: sum(b)\n", 10, "unknown function sum()"),
    ("      - id: m\n", "      - id: M-1\n", 7, "id"),
    ('yellow: ">= 1 and < 2"', 'yellow: ">= 1 and < 3"', 12, "overlap"),
    ("    title: U\n", "    title: U\n    colour: red\n", 6, "unknown field 'colour'"),
    ("name: tiny\n", "", 1, "'name' is required"),
])
def test_errors_carry_line_numbers(old, new, line, needle):
    text = MINIMAL.replace(old, new)
    with pytest.raises(RubricError) as info:
        loads_rubric(text, "tiny.yaml")
    error = info.value
    assert error.file == "tiny.yaml" and error.line == line, error.format()
    assert needle in error.format()


def test_expression_error_column_points_into_the_expression():
    text = MINIMAL.replace("        denominator: b\n", "        denominator: b + foo(a)\n")
    with pytest.raises(RubricError) as info:
        loads_rubric(text, "tiny.yaml")
    assert (info.value.line, info.value.column) == (10, 26)   # the 'f' of foo


def test_undeclared_column_is_an_error_when_columns_are_declared():
    text = MINIMAL.replace('version: "1"\n', 'version: "1"\ninput:\n  columns:\n    a: {type: count}\n')
    with pytest.raises(RubricError) as info:
        loads_rubric(text, "tiny.yaml")
    assert "unknown column 'b'" in info.value.message and info.value.line == 13


@pytest.mark.parametrize("text, needle", [("", "empty"), ("- a\n- b\n", "must be a YAML mapping"),
                                          ("name: [\n", "YAML syntax error")])
def test_not_a_rubric(text, needle):
    with pytest.raises(RubricError, match=needle):
        loads_rubric(text)


def test_bundled_rubrics_load_and_are_versioned():
    names = set(bundled_rubrics())
    assert {"gitlab", "gitlab-2022", "innovation-graph"} <= names
    current, earlier = load_rubric("gitlab"), load_rubric("gitlab-2022")
    assert current.name == earlier.name == "gitlab" and current.version != earlier.version
