"""Rubric versions compare as versions: 2025.10 after 2025.9, a release after its candidates."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adoptscore.store.versions import version_key


def newest(*versions: str) -> str:
    return max(versions, key=version_key)


def test_dotted_numbers_compare_as_numbers_not_text():
    assert newest("2025.9", "2025.10") == "2025.10"
    assert newest("2025.2", "2025.1", "2024.12") == "2025.2"
    assert newest("1.10.0", "1.9.9") == "1.10.0"


def test_pep440_pre_and_post_releases():
    assert sorted(["1.0", "1.0.post1", "1.0rc1", "1.0a2", "0.9"], key=version_key) == \
        ["0.9", "1.0a2", "1.0rc1", "1.0", "1.0.post1"]


def test_free_text_versions_sort_naturally_and_mixed_ones_never_fail():
    assert newest("v9", "v10", "v2") == "v10"
    assert newest("release-9b", "release-10a") == "release-10a"
    # a version that parses and one that does not still compare (no TypeError)
    assert sorted(["beta-2", "2025.1", "alpha", "10"], key=version_key) == ["alpha", "beta-2", "10", "2025.1"]


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4),
       st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4))
def test_numeric_versions_order_like_their_numbers(a, b):
    # PEP 440 pads with zeros: 1.0 == 1
    pad = max(len(a), len(b))
    left, right = a + [0] * (pad - len(a)), b + [0] * (pad - len(b))
    text_a, text_b = ".".join(map(str, a)), ".".join(map(str, b))
    assert (version_key(text_a) < version_key(text_b)) == (left < right)
    # free text (not PEP 440): natural order, no padding
    assert (version_key("release-" + text_a) < version_key("release-" + text_b)) == (a < b)
