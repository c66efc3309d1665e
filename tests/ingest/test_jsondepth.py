"""JSON nesting measured before decoding: exact against the decoder's own depth on random documents
(strings full of brackets, quotes and backslashes), and the place where a deep document crosses the limit."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from adoptscore.demo.service_ping import generate_payloads
from adoptscore.ingest.jsondepth import MAX_DEPTH, too_deep

TRICKY = st.text(alphabet='[]{}"\\ab\n', max_size=8)
DOCUMENTS = st.recursive(st.none() | st.integers() | TRICKY,
                         lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY, inner, max_size=3),
                         max_leaves=40)


def depth(document) -> int:
    """How many containers deep ``document`` nests (what json.loads recurses through)."""
    best, stack = 0, [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            best = max(best, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return best


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.integers(1, 8), st.booleans())
def test_too_deep_is_exactly_deeper_than_the_limit(document, limit, indent):
    text = json.dumps(document, indent=2 if indent else None).encode()
    assert (too_deep(text, limit) is not None) == (depth(document) > limit)


def test_real_payloads_are_far_from_the_limit():
    for _, payload in generate_payloads(3, 2):
        assert depth(payload) < MAX_DEPTH // 10 and too_deep(json.dumps(payload).encode()) is None


def test_the_place_where_the_limit_is_crossed():
    text = b'{"a": [\n  "[[[[",\n  ' + b"[" * MAX_DEPTH + b"]" * MAX_DEPTH + b"\n]}"
    assert too_deep(text) == (3, 3 + MAX_DEPTH - 2)  # the bracket at depth MAX_DEPTH + 1, strings not counted
    assert too_deep(b"[" * 100_000) == (1, MAX_DEPTH + 1)  # unclosed: the decoder would recurse all the same
    assert too_deep(b'["' + b"[" * 100_000 + b'"]') is None  # inside a string
