"""The order of rubric versions: which stored version is the newest.

Versions are free text (``2025.1``, ``2025.10``, ``1.2.0rc1``, ``v3``). Text order puts ``2025.10``
before ``2025.9`` and the time a version was stored says nothing about which is newer (an old
version re-scored today is stored last), so versions are compared as versions: by PEP 440 when
both parse (``1.0rc1`` < ``1.0`` < ``1.0.post1``), else by natural order (runs of digits compared
as numbers, ``v9`` < ``v10``).
"""
from __future__ import annotations

import re
from typing import Any

from packaging.version import InvalidVersion, Version

_RUNS = re.compile(r"(\d+)")


def version_key(version: str) -> tuple[Any, ...]:
    """A sort key: ``max(versions, key=version_key)`` is the newest. PEP 440 versions sort after
    free-text ones, which have no release order to compare them with."""
    text = str(version).strip()
    try:
        return (1, Version(text), ())
    except InvalidVersion:
        pass
    # each run is (0, number) or (1, text): a number and a word at the same place still compare
    runs = tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower())
                 for part in _RUNS.split(text) if part)
    return (0, Version("0"), runs)
