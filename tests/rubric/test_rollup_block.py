"""The rubric's rollup block: what it declares, and every mistake in it named at its file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from adoptscore.errors import RubricError
from adoptscore.rubric import load_rubric, loads_rubric
from adoptscore.rubric.schema import rubric_schema

EXAMPLE = Path(__file__).parent.parent / "engine" / "rollup.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
BLOCK = """\
rollup:
  strategy: weighted
  instance: instance_id
  subscription: subscription_id
  primary:
    where: instance_type == 'production'
    by: billable_users
  weight: arr
"""


def test_the_example_block():
    rubric = load_rubric(EXAMPLE)
    rollup = rubric.rollup
    assert (rollup.strategy, rollup.instance, rollup.subscription, rollup.weight) == \
        ("weighted", "instance_id", "subscription_id", "arr")
    assert rollup.primary.where_expression.columns == ("instance_type",)
    assert rollup.columns == ("instance_id", "subscription_id", "instance_type", "billable_users", "arr")
    assert {"instance_id", "subscription_id", "instance_type", "arr"} <= set(rubric.referenced_columns)
    assert rubric.row_keys == ("account_id", "instance_id", "period")


def test_rubrics_without_the_block_are_unchanged():
    rubric = load_rubric("gitlab")
    assert rubric.rollup is None and rubric.row_keys == ("account_id", "period")
    assert "instance_id" not in rubric.referenced_columns


def test_the_block_is_in_the_json_schema():
    schema = rubric_schema()
    assert "rollup" in schema["properties"]
    rollup = schema["$defs"]["Rollup"]
    assert set(rollup["properties"]) == {"strategy", "instance", "subscription", "primary", "weight"}
    assert rollup["properties"]["strategy"]["enum"] == ["primary", "weighted"]


def _block(new: str) -> str:
    assert BLOCK in TEXT
    return TEXT.replace(BLOCK, new)


@pytest.mark.parametrize("old, new, line, column, needle", [
    ("by: billable_users", "by: billable_user", 26, 9, "rollup.primary.by: unknown column 'billable_user'"),
    ("where: instance_type == 'production'", "where: instance_tipe == 'production'", 25, 12,
     "did you mean 'instance_type'?"),
    ("where: instance_type == 'production'", "where: instance_type == 3", 25, 12, "compares text with a number"),
    ("where: instance_type == 'production'", "where: billable_users", 25, 12, "gives a number, not true/false"),
    ("where: instance_type == 'production'", "where: instance_type = 'production'", 25, 26, "use == to compare"),
    ("weight: arr", "weight: instance_type", 27, 11, "rollup.weight: 'instance_type' gives text, not a number"),
    ("weight: arr", "weight: arr +", 27, None, "invalid expression"),
    ("subscription: subscription_id", "subscription: subscription", 23, 17, "unknown column 'subscription'"),
    ("instance: instance_id", "instance: account_id", 20, None, "column 'account_id' is already input.account_id"),
    ("strategy: weighted", "strategy: average", 21, 13, "rollup.strategy: Input should be 'primary' or 'weighted'"),
    ("  weight: arr\n", "  weights: arr\n", 27, None, "unknown field 'weights'"),
])
def test_errors_point_at_their_line(old, new, line, column, needle):
    with pytest.raises(RubricError) as info:
        loads_rubric(_block(BLOCK.replace(old, new)), "r.yaml")
    error = info.value
    assert error.file == "r.yaml" and error.line == line, error.format()
    if column is not None:
        assert error.column == column, error.format()
    assert needle in error.format(), error.format()
    assert error.hint or "Input should be" in error.message, error.format()


@pytest.mark.parametrize("block, needle", [
    ("rollup:\n  strategy: primary\n  instance: instance_id\n", "strategy primary needs a primary block"),
    ("rollup:\n  strategy: primary\n  instance: instance_id\n  primary: {by: billable_users}\n  weight: arr\n",
     "weight and subscription are not used"),
    ("rollup:\n  strategy: weighted\n  instance: instance_id\n", "strategy weighted needs a weight"),
    ("rollup:\n  strategy: weighted\n  instance: instance_id\n  subscription: subscription_id\n  weight: arr\n",
     "needs a primary block"),
    ("rollup:\n  strategy: weighted\n  instance: instance_id\n  primary: {by: billable_users}\n  weight: arr\n",
     "no subscription column is given"),
    (("rollup:\n  strategy: weighted\n  instance: instance_id\n  subscription: instance_id\n"
     "  primary: {by: billable_users}\n  weight: arr\n"), "must be different columns"),
])
def test_inconsistent_blocks(block, needle):
    with pytest.raises(RubricError) as info:
        loads_rubric(_block(block), "r.yaml")
    assert info.value.line == 20 and needle in info.value.message and info.value.hint, info.value.format()


def test_valid_variants():
    primary = loads_rubric(_block("rollup:\n  strategy: primary\n  instance: instance_id\n  primary: {by: billable_users}\n"))
    assert primary.rollup.primary.where is None and primary.row_keys == ("account_id", "instance_id", "period")
    every = loads_rubric(_block("rollup:\n  strategy: weighted\n  instance: instance_id\n  weight: arr * 2\n"))
    assert every.rollup.subscription is None and every.rollup.columns == ("instance_id", "arr")


def test_long_layout_is_refused():
    text = _block(BLOCK).replace("  segments: [segment, tier]\n", "  segments: [segment, tier]\n  layout: long\n")
    with pytest.raises(RubricError, match="needs wide input"):
        loads_rubric(text, "r.yaml")


def test_undeclared_columns_are_checked_against_the_data_not_the_rubric():
    """A rubric that declares no input columns names any column; the data is checked when scoring."""
    start, end = TEXT.index("  columns:"), TEXT.index("rollup:")
    rubric = loads_rubric((TEXT[:start] + TEXT[end:]).replace("weight: arr", "weight: revenue"))
    assert rubric.rollup.weight == "revenue" and "revenue" in rubric.referenced_columns
