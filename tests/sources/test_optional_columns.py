"""Optional inputs are optional (issue 14, defect 10): the README says segment, industry and arr are
optional inputs of the gitlab rubric; usage without them was refused ("missing input columns").
A label column no expression reads may be absent: it is then empty, and every score is the same."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.store import open_store
from tests.e2e.test_cli_errors import assert_clean_failure, run

LABELS = ["segment", "industry"]


@pytest.fixture(scope="module")
def usage() -> pa.Table:
    return generate_usage(accounts=60, months=3, seed=4, end_period="2026-10")


def test_the_gitlab_rubric_names_its_optional_columns():
    rubric = adoptscore.load_rubric("gitlab")
    assert {"segment", "industry"} <= rubric.optional_columns
    assert "tier" not in rubric.optional_columns  # the Security use case reads it (Ultimate only)


def test_absent_labels_score_as_empty_labels_and_as_full_data(usage):
    absent = usage.drop_columns([*LABELS, "arr"])
    empty = absent
    for name in LABELS:
        empty = empty.append_column(name, pa.nulls(len(usage), pa.string()))
    got, blank, full = (adoptscore.score(t, "gitlab") for t in (absent, empty, usage))
    for table in ("metrics", "use_cases", "overall"):
        pd.testing.assert_frame_equal(getattr(got, table), getattr(blank, table))
        kept = [c for c in getattr(full, table).columns if c not in LABELS]
        pd.testing.assert_frame_equal(getattr(got, table)[kept], getattr(full, table)[kept])
    assert got.overall[LABELS].isna().all().all()


def test_a_label_an_expression_reads_is_still_required(usage):
    with pytest.raises(adoptscore.AdoptscoreError, match="'tier'.*security"):
        adoptscore.score(usage.drop_columns(["tier"]), "gitlab")


def test_the_cli_scores_and_stores_usage_without_labels(usage, tmp_path):
    path = tmp_path / "usage.parquet"
    pq.write_table(usage.drop_columns([*LABELS, "arr"]), path)
    done = run("score", str(path), "--store", str(tmp_path / "s.duckdb"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert open_store(tmp_path / "s.duckdb").rubric().name == "gitlab"
    no_tier = tmp_path / "no_tier.parquet"
    pq.write_table(usage.drop_columns(["tier"]), no_tier)
    assert_clean_failure(run("score", str(no_tier)), "no_tier.parquet", "'tier'")
