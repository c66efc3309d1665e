"""Compiled rubrics kept on disk (engine/cache.py): a later process gets the same SQL without
building the Ibis plan; anything the text depends on changes the key; a bad cache never breaks a run."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from adoptscore.engine import cache
from adoptscore.engine import compile as engine_compile
from adoptscore.engine.sql import DIALECTS, compile_sql, source_table
from adoptscore.rubric import load_rubric
from tests.conftest import score_rows, usage_row

OUTPUTS = ("metrics", "use_cases", "overall", "wide", "prepared")


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache folder, and nothing compiled in this process."""
    monkeypatch.setenv("ADOPTSCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ADOPTSCORE_COMPILE_CACHE", raising=False)
    engine_compile._COMPILED.clear()
    engine_compile._stage_sql.cache_clear()
    yield tmp_path / "cache" / "compiled"
    engine_compile._COMPILED.clear()


def forget() -> None:
    """What a new process starts with: no compiled rubric in memory."""
    engine_compile._COMPILED.clear()
    engine_compile._stage_sql.cache_clear()


def compiled(rubric_name: str = "gitlab"):
    rubric = load_rubric(rubric_name)
    return engine_compile.compile_rubric(source_table(rubric, "usage").schema(), rubric)


def texts(c) -> dict[tuple[str, str], str]:
    return {(o, d): c.sql(o, d, source_sql="SELECT * FROM usage") for o in OUTPUTS for d in ("duckdb", "postgres")}


@pytest.mark.parametrize("rubric", ["gitlab", "gitlab-2022", "innovation-graph"])
def test_a_record_gives_the_same_sql_without_building_the_plan(fresh, rubric, monkeypatch):
    monkeypatch.setenv("ADOPTSCORE_COMPILE_CACHE", "off")
    reference = texts(compiled(rubric))
    reference_layout = compiled(rubric).layout
    monkeypatch.delenv("ADOPTSCORE_COMPILE_CACHE")
    forget()
    first = compiled(rubric)
    assert texts(first) == reference
    assert len(list(fresh.glob("*.json"))) == 1
    forget()
    second = compiled(rubric)
    assert texts(second) == reference
    assert second.layout == reference_layout
    assert second.indexes == first.indexes
    assert second._plan is None, "the plan was built although every text was on disk"
    # queries over a stage read its columns from the record too
    for stage in (*first.plan.stages, *first.plan.outputs.values()):
        assert second.stage_table(stage.name).schema() == stage.expr.schema(), stage.name
    assert second._plan is None


def test_scores_are_equal_with_and_without_a_record(fresh, monkeypatch):
    rows = [usage_row("a"), usage_row("b", git_ops_users_l28d=None), usage_row("c", tier="Self-Managed - Premium")]
    monkeypatch.setenv("ADOPTSCORE_COMPILE_CACHE", "off")
    reference = {t: score_rows(rows).table(t) for t in ("metrics", "use_cases", "overall")}
    monkeypatch.delenv("ADOPTSCORE_COMPILE_CACHE")
    for _ in range(2):  # the first run writes the record, the second reads it
        forget()
        result = score_rows(rows)
        for table, frame in reference.items():
            assert result.table(table).equals(frame), table
    assert result.compiled._plan is None


def test_every_dialect_reads_back_what_it_wrote(fresh):
    rubric = load_rubric("gitlab")
    written = {d: compile_sql(rubric, d, output="use_cases") for d in DIALECTS}
    forget()
    assert {d: compile_sql(rubric, d, output="use_cases") for d in DIALECTS} == written


def test_the_key_follows_the_rubric_the_schema_and_the_code(fresh, monkeypatch):
    rubric = load_rubric("gitlab")
    schema = [(n, str(t)) for n, t in source_table(rubric, "usage").schema().items()]
    base = cache.key(rubric.model_dump_json(), schema)
    assert cache.key(rubric.model_dump_json(), schema) == base
    changed = rubric.model_copy(update={"version": "2099.1"})
    assert cache.key(changed.model_dump_json(), schema) != base
    assert cache.key(rubric.model_dump_json(), [*schema[:-1], (schema[-1][0], "string")]) != base
    monkeypatch.setattr(cache, "_code_version", lambda: "another engine")
    assert cache.key(rubric.model_dump_json(), schema) != base


def test_the_code_version_covers_the_engine_source_and_the_libraries(monkeypatch):
    import sqlglot

    cache._code_version.cache_clear()
    before = cache._code_version()
    monkeypatch.setattr(sqlglot, "__version__", "0.0.0-other")
    cache._code_version.cache_clear()
    assert cache._code_version() != before
    monkeypatch.undo()
    cache._code_version.cache_clear()
    assert cache._code_version() == before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other format", "empty"])
def test_an_unreadable_record_is_compiled_again(fresh, monkeypatch, damage):
    monkeypatch.setenv("ADOPTSCORE_COMPILE_CACHE", "off")
    reference = texts(compiled())
    monkeypatch.delenv("ADOPTSCORE_COMPILE_CACHE")
    forget()
    texts(compiled())
    (path,) = fresh.glob("*.json")
    text = path.read_text()
    path.write_text({"garbage": "{not json", "truncated": text[: len(text) // 2],
                     "other format": json.dumps({**json.loads(text), "format": -1}), "empty": ""}[damage])
    forget()
    assert texts(compiled()) == reference
    assert json.loads(path.read_text())["format"] == cache.FORMAT  # and it was written again


def test_a_cache_folder_that_cannot_be_written_is_not_used(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ADOPTSCORE_CACHE", str(blocker))
    monkeypatch.setenv("ADOPTSCORE_COMPILE_CACHE", "off")
    reference = texts(compiled())
    monkeypatch.delenv("ADOPTSCORE_COMPILE_CACHE")
    forget()
    assert texts(compiled()) == reference
    assert blocker.read_text() == "not a folder"
    forget()


def test_turned_off_it_writes_nothing(fresh, monkeypatch):
    monkeypatch.setenv("ADOPTSCORE_COMPILE_CACHE", "off")
    texts(compiled())
    assert not fresh.exists() or not list(fresh.iterdir())


def test_old_records_are_removed_beyond_the_limit(fresh, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(6):
        cache.write(f"r{i}", {"i": i})
        os.utime(fresh / f"r{i}.json", (1000 + i, 1000 + i))
    assert sorted(p.name for p in fresh.glob("*.json")) == ["r3.json", "r4.json", "r5.json"]
    assert not list(fresh.glob("*.tmp"))


def test_a_rubric_that_cannot_compile_fails_at_compile_time_not_at_the_first_query(fresh):
    from adoptscore.errors import RubricError
    from adoptscore.rubric.loader import loads_rubric

    text = """
name: broken
version: 1
input: {account_id: account_id, period: period}
use_cases:
  - id: scm
    name: SCM
    metrics:
      - id: ratio
        name: Ratio
        numerator: label
        denominator: seats
        bands: {red: "[0, 0.1)", yellow: "[0.1, 0.5)", green: "[0.5, 1]"}
        points: {red: 0, yellow: 50, green: 100}
"""
    import pandas as pd

    from adoptscore.api import score

    with pytest.raises(RubricError):
        score(pd.DataFrame({"account_id": ["a"], "period": ["2026-10"], "label": ["x"], "seats": [1.0]}),
              loads_rubric(text))
    assert not fresh.exists() or not list(fresh.glob("*.json"))


def test_a_second_process_builds_no_plan(fresh, tmp_path):
    """End to end: the command run twice; the second reads the record and compiles nothing with Ibis."""
    env = {**os.environ, "ADOPTSCORE_CACHE": str(tmp_path / "cache")}
    probe = ("import sys; from adoptscore.engine import compile as c; from adoptscore.engine.sql import compile_sql;"
             "from adoptscore.rubric import load_rubric; r = load_rubric('gitlab');"
             "sql = compile_sql(r, 'duckdb', output='metrics');"
             "built = [x for x in c._COMPILED.values() if x._plan is not None];"
             "print(len(sql), len(built))")
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    assert runs[0][0] == runs[1][0]
    assert (runs[0][1], runs[1][1]) == ("1", "0")
