"""YAML with bounded work: an anchor bomb, a cycle, too many aliases, deep nesting (flow and block)
and an oversized file are refused with the file, line and column, before anything is expanded; the
bundled rubrics and ordinary anchors still load."""
from __future__ import annotations

import pytest

from adoptscore.errors import DataError, RubricError
from adoptscore.ingest.mapping import load_mapping
from adoptscore.rubric import bundled_rubrics, load_rubric, loads_rubric
from adoptscore.rubric.yamlfile import MAX_ALIASES, MAX_BYTES, MAX_DEPTH
from tests.rubric.test_loader import MINIMAL


def anchor_bomb(levels: int = 9) -> str:
    """Billion laughs: each level an anchored list of 9 aliases of the level below (9^9 strings)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n" + MINIMAL


BAD = {
    "anchor bomb": (anchor_bomb(), 5, "the aliases expand"),
    "alias cycle": ("a: &x [1, *x]\n" + MINIMAL, 1, "refers to a node it is inside"),
    "too many aliases": ("b: &b 1\n" + "".join(f"k{i}: *b\n" for i in range(MAX_ALIASES + 50)) + MINIMAL,
                         MAX_ALIASES + 2, f"more than {MAX_ALIASES} aliases"),
    "nested brackets": ("deep: " + "[" * 50_000 + "]" * 50_000 + "\n" + MINIMAL, 1, f"more than {MAX_DEPTH} levels"),
    "nested flow mappings": ("deep: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n" + MINIMAL, 1,
                             f"more than {MAX_DEPTH} levels"),
    "nested blocks": ("".join(" " * i + "a:\n" for i in range(1_500)), MAX_DEPTH, f"more than {MAX_DEPTH} levels"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_unbounded_yaml_is_refused_where_it_crosses_the_limit(case, tmp_path):
    text, line, needle = BAD[case]
    path = tmp_path / "r.yaml"
    path.write_text(text)
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    error = caught.value
    assert (error.file, error.line) == (str(path), line) and error.column and error.hint, error.format()
    assert needle in error.message, error.format()


def test_the_same_limits_hold_for_a_mapping_file(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(anchor_bomb() + "columns: {}\n")
    with pytest.raises(DataError, match="the aliases expand") as caught:
        load_mapping(path)
    assert (caught.value.file, caught.value.line) == (str(path), 5)


def test_an_oversized_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "w") as handle:
        handle.write(MINIMAL + "# " + "x" * MAX_BYTES + "\n")
    with pytest.raises(RubricError, match="larger than 2 MB") as caught:
        load_rubric(path)
    assert caught.value.file == str(path)
    with pytest.raises(RubricError, match="larger than 2 MB"):
        loads_rubric(path.read_text(), "huge.yaml")


def test_ordinary_anchors_still_load():
    text = MINIMAL.replace('        bands: {red: "< 1", yellow: ">= 1 and < 2", green: ">= 2"}\n',
                           '        bands: &b {red: "< 1", yellow: ">= 1 and < 2", green: ">= 2"}\n'
                           "      - id: m2\n        title: M2\n        numerator: a\n        bands: *b\n")
    rubric = loads_rubric(text)
    assert [m.bands for m in rubric.use_cases[0].metrics][0] == rubric.use_cases[0].metrics[1].bands


@pytest.mark.parametrize("name", sorted(bundled_rubrics()))
def test_bundled_rubrics_are_far_within_the_limits(name):
    path = bundled_rubrics()[name]
    assert path.stat().st_size < MAX_BYTES // 50
    load_rubric(path)
