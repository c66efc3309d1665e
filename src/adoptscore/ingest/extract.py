"""One payload -> one row: the mapping compiled into a plan that touches only the mapped key paths.

The plan resolves each distinct parent object once per payload (``usage_activity_by_stage_monthly
.secure`` feeds nine columns) and then reads one key per column, so extracting a row costs a small
fraction of decoding the JSON. Conversions are where the meaning of a value is decided:

* a key path absent from the payload, or JSON null, is missing;
* ``count``: a negative number is a failure code (missing, and counted); a fraction, text or an
  object is malformed;
* ``text``: numbers and booleans are written as text; ``values`` relabels;
* ``boolean``: true/false (or 0/1); ``date``/``timestamp``: ISO-8601 text;
* ``months_since``: whole months from the date at the key to the recording time.
"""
from __future__ import annotations

import datetime as _dt
import math
from collections import Counter
from typing import Any

from adoptscore.ingest.mapping import Mapping, VersionRange, parse_version

INT64_MAX = 2 ** 63 - 1
_UTC = _dt.UTC


class Malformed(Exception):
    """A payload that cannot be ingested; ``kind`` is one of ``service_ping.REASONS``."""

    def __init__(self, kind: str, key_path: str | None, reason: str):
        super().__init__(reason)
        self.kind, self.key_path, self.reason = kind, key_path, reason


class _Bad:
    """A parent on a key path that is not an object (where it should hold keys)."""

    __slots__ = ("node", "where")

    def __init__(self, where: tuple[str, ...], node: Any):
        self.where, self.node = where, node


class Extractor:
    """The mapping compiled for reading: picklable, so worker processes get it once."""

    def __init__(self, mapping: Mapping):
        self.mapping = mapping
        parents: dict[tuple[str, ...], int] = {}
        self.columns: list[tuple[str, str, tuple]] = []
        for column in mapping.columns:
            sources = []
            for source in column.sources:
                parent = source.path[:-1]
                pid = parents.setdefault(parent, len(parents))
                sources.append((pid, source.path[-1], source.key_path, source.versions, source.values))
            self.columns.append((column.name, column.type, tuple(sources)))
        self.parents = tuple(parents)

    def row(self, payload: Any, label: str, failure_codes: Counter) -> tuple:
        """``(account_id, period, instance_id, recorded_at, gitlab_version, *columns, source_file)``."""
        if type(payload) is not dict:
            raise Malformed("not_object", None, f"the payload is {describe(payload)}, expected a JSON object")
        mapping = self.mapping
        instance = _identity(payload, mapping.instance, "the instance id")
        if type(instance) not in (str, int) or str(instance).strip() == "":
            raise Malformed("no_identity", ".".join(mapping.instance), f"the instance id is {describe(instance)}")
        raw_time = _identity(payload, mapping.recorded_at, "the recording time")
        recorded = timestamp(raw_time)
        if recorded is None:
            raise Malformed("no_identity", ".".join(mapping.recorded_at),
                            f"cannot read the recording time from {describe(raw_time)}")
        raw_version = _identity(payload, mapping.version, "the GitLab version")
        version = parse_version(raw_version)
        if version is None:
            raise Malformed("no_identity", ".".join(mapping.version),
                            f"cannot read a GitLab version from {describe(raw_version)}")
        instance = str(instance).strip()
        out: list[Any] = [instance, f"{recorded.year:04d}-{recorded.month:02d}", instance, recorded,
                          raw_version.strip()]
        resolved = [_resolve(payload, path) for path in self.parents]
        for name, kind, sources in self.columns:
            value = None
            for pid, leaf, key_path, versions, values in sources:
                if versions is not None and not versions.contains(version):
                    continue
                parent = resolved[pid]
                if parent is None:
                    continue
                if type(parent) is not dict:
                    raise _nesting(parent, leaf, key_path)
                raw = parent.get(leaf)
                if raw is None:
                    continue
                if kind == "count":
                    if type(raw) is int and 0 <= raw <= INT64_MAX:
                        value = raw
                    else:
                        value = _count(raw, key_path)
                        if value is None:
                            failure_codes[name] += 1
                else:
                    value = _CONVERT[kind](raw, key_path, values, recorded)
                break
            out.append(value)
        out.append(label)
        return tuple(out)


def _resolve(payload: dict, path: tuple[str, ...]) -> Any:
    node: Any = payload
    for depth, key in enumerate(path):
        if type(node) is not dict:
            return _Bad(path[:depth], node)
        node = node.get(key)
        if node is None:
            return None
    if type(node) is not dict:
        return _Bad(path, node)
    return node


def _nesting(parent: _Bad, leaf: str, key_path: str) -> Malformed:
    parts = key_path.split(".")
    expected = parts[len(parent.where)] if len(parent.where) < len(parts) else leaf
    return Malformed("nesting", key_path, f"{'.'.join(parent.where) or 'the payload'} is {describe(parent.node)} "
                     f"where an object holding {expected!r} is expected")


def _identity(payload: dict, path: tuple[str, ...], what: str) -> Any:
    parent = _resolve(payload, path[:-1])
    if isinstance(parent, _Bad):
        raise _nesting(parent, path[-1], ".".join(path))
    value = None if parent is None else parent.get(path[-1])
    if value is None:
        raise Malformed("no_identity", ".".join(path), f"{what} is missing")
    return value


def describe(value: Any) -> str:
    """A value in words, for messages: 'the text "12"', 'an object', 'the number -1'."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if value is None:
        return "null"
    return f"the number {value!r}"


def _wrong(raw: Any, key_path: str, expected: str) -> Malformed:
    if isinstance(raw, (dict, list)):
        return Malformed("nesting", key_path, f"{describe(raw)} where {expected} is expected")
    if isinstance(raw, str) and expected in ("a number", "a count"):
        return Malformed("text_number", key_path, f"{describe(raw)} where {expected} is expected")
    return Malformed("bad_value", key_path, f"{describe(raw)} where {expected} is expected")


def _count(raw: Any, key_path: str) -> int | None:
    """The slow path of a count: negatives (failure codes) -> None, whole floats -> int, the rest malformed."""
    if type(raw) is int:
        if raw < 0:
            return None
        raise Malformed("bad_value", key_path, f"the count {raw} is too large")
    if type(raw) is float:
        if math.isnan(raw):
            raise Malformed("bad_value", key_path, "NaN where a count is expected")
        if raw < 0:
            return None
        if raw == float("inf") or not raw.is_integer():
            raise Malformed("bad_value", key_path, f"the number {raw!r} where a whole count is expected")
        if raw > INT64_MAX:
            raise Malformed("bad_value", key_path, f"the count {raw!r} is too large")
        return int(raw)
    raise _wrong(raw, key_path, "a count")


def _number(raw: Any, key_path: str, values: Any, recorded: _dt.datetime) -> float | None:
    if type(raw) is int or type(raw) is float:
        return None if type(raw) is float and math.isnan(raw) else raw
    raise _wrong(raw, key_path, "a number")


def _text(raw: Any, key_path: str, values: dict[str, str] | None, recorded: _dt.datetime) -> str:
    if isinstance(raw, (dict, list)):
        raise _wrong(raw, key_path, "a text value")
    text = str(raw).lower() if type(raw) is bool else str(raw)
    return values.get(text, text) if values is not None else text


def _boolean(raw: Any, key_path: str, values: Any, recorded: _dt.datetime) -> bool:
    if type(raw) is bool:
        return raw
    if type(raw) is int and raw in (0, 1):
        return bool(raw)
    raise _wrong(raw, key_path, "true or false")


def _stamp(raw: Any, key_path: str) -> _dt.datetime:
    if not isinstance(raw, str):
        raise _wrong(raw, key_path, "a date")
    stamp = timestamp(raw)
    if stamp is None:
        raise Malformed("bad_value", key_path, f"cannot read a date from {describe(raw)}")
    return stamp


def _timestamp(raw: Any, key_path: str, values: Any, recorded: _dt.datetime) -> _dt.datetime:
    return _stamp(raw, key_path)


def _date(raw: Any, key_path: str, values: Any, recorded: _dt.datetime) -> _dt.date:
    return _stamp(raw, key_path).date()


def _months_since(raw: Any, key_path: str, values: Any, recorded: _dt.datetime) -> int | None:
    start = _stamp(raw, key_path)
    months = (recorded.year - start.year) * 12 + recorded.month - start.month - (recorded.day < start.day)
    # a start after the recording time says nothing about the account's age
    return months if months >= 0 else None


_CONVERT = {"number": _number, "text": _text, "boolean": _boolean, "timestamp": _timestamp, "date": _date,
            "months_since": _months_since}


def timestamp(raw: Any) -> _dt.datetime | None:
    """An ISO-8601 time (``2026-10-28T09:12:33.123Z``), Ruby's ``2026-10-28 09:12:33 UTC`` or a date, in UTC."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    elif text.endswith("Z"):
        text = text[:-1] + "+00:00"
    elif len(text) > 6 and text[-5] in "+-" and text[-4:].isdigit() and text[-6] == " ":
        text = text[:-6] + text[-5:-2] + ":" + text[-2:]  # '... +0200' -> '...+02:00'
    try:
        stamp = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=_UTC)
    return stamp.astimezone(_UTC)


__all__ = ["Extractor", "Malformed", "VersionRange", "describe", "timestamp"]
