"""How deep JSON nests, measured before decoding it: the standard library's decoder recurses once per
level of ``[`` and ``{``, so a payload of 100,000 brackets would end in a RecursionError.

A Service Ping payload nests about 7 levels (one more in a file holding an array of payloads);
:data:`MAX_DEPTH` leaves a wide margin. The check costs a few passes of bytes methods over the
payload's brackets and quotes (no Python loop over the bytes); only a payload found too deep is
scanned again (with NumPy, in chunks) for the place where it crosses the limit.
"""
from __future__ import annotations

import re

import numpy as np

MAX_DEPTH = 100

_ESCAPE = re.compile(rb"\\.", re.DOTALL)   # a backslash and the character it escapes
_STRING = re.compile(rb'"[^"]*"')
_STRUCTURE = b'"[]{}'
_ONLY_STRUCTURE = bytes(set(range(256)) - set(_STRUCTURE))
_SQUARE = bytes.maketrans(b"{}", b"[]")
_CHUNK = 1 << 22
_PASS_BUDGET = 1 << 25  # bytes the passes may go through before the exact scan is the cheaper way
_QUOTE, _OPENS, _CLOSES = ord('"'), (ord("["), ord("{")), (ord("]"), ord("}"))


def too_deep(data: bytes, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """``(line, column)`` (1-based) of the first bracket nesting deeper than ``limit`` in JSON text, or
    None when the decoder will not recurse deeper than ``limit`` on it (valid or not)."""
    if data.count(b"[") + data.count(b"{") <= limit or not _may_exceed(data, limit):
        return None
    offset = _first_beyond(data, limit)
    if offset is None:
        return None
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _may_exceed(data: bytes, limit: int) -> bool:
    """A bound from above: strings dropped, brackets made square, innermost ``[]`` pairs removed one
    level per pass; the passes plus the brackets left open bound how deep a decoder can go. True
    also when the passes would cost more than the exact scan (a large file of many brackets)."""
    shape = _STRING.sub(b"", _ESCAPE.sub(b"", data).translate(_SQUARE, _ONLY_STRUCTURE)).replace(b'"', b"")
    work = 0
    for passes in range(limit + 1):
        if b"[]" not in shape:
            return passes + shape.count(b"[") > limit
        work += len(shape)
        if work > _PASS_BUDGET:
            return True
        shape = shape.replace(b"[]", b"")
    return True


def _first_beyond(data: bytes, limit: int) -> int | None:
    """The offset of the first opening bracket outside strings at which the depth passes ``limit``."""
    blank = _ESCAPE.sub(b"__", data)  # same length: offsets stay those of ``data``
    depth, inside = 0, False
    for start in range(0, len(blank), _CHUNK):
        chunk = np.frombuffer(blank, dtype=np.uint8, count=min(_CHUNK, len(blank) - start), offset=start)
        in_string = np.logical_xor.accumulate(chunk == _QUOTE) ^ inside  # the closing quote itself is outside
        step = np.isin(chunk, _OPENS).astype(np.int32) - np.isin(chunk, _CLOSES)
        step[in_string] = 0
        running = depth + np.cumsum(step, dtype=np.int64)
        beyond = np.flatnonzero(running > limit)
        if beyond.size:
            return start + int(beyond[0])
        depth, inside = int(running[-1]), bool(in_string[-1])
    return None
