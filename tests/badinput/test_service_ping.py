"""Bad Service Ping payloads and mapping files: when no payload reads, one line at the first bad one."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.badinput.corpus import case, check_in_process, params

INGEST = "ingest service-ping {tmp}/p.json --out {tmp}/usage.parquet"
P = "{tmp}/p.json"


def payload(demo: Path) -> dict:
    first = sorted((demo / "service-ping").glob("*.json"))[0]
    return json.loads(first.read_text())


def spoiled(**changes) -> object:
    """A demo payload with top-level keys changed (None: removed)."""
    def build(demo: Path) -> bytes:
        doc = payload(demo)
        for key, value in changes.items():
            if value is None:
                doc.pop(key, None)
            else:
                doc[key] = value
        return json.dumps(doc, indent=1).encode()
    return build


def ping(id: str, content, *needles: str, argv: str = INGEST, name: str = "p.json", **kw) -> object:
    return case(id, argv, *needles, files={name: content}, **kw)


def good_payload(demo: Path) -> bytes:
    return json.dumps(payload(demo)).encode()


MAPPING = "ingest service-ping {demo}/service-ping --out {tmp}/usage.parquet --mapping {tmp}/m.yaml"


def mapping(id: str, text: str, *needles: str) -> object:
    return case(id, MAPPING, "{tmp}/m.yaml", *needles, files={"m.yaml": text})


CASES = [
    ping("invalid json", '{"uuid": "a" "version": 1}', f"{P}:1:14", "not valid JSON"),
    ping("truncated", lambda demo: good_payload(demo)[:500], P, "truncated"),
    ping("empty file", "", P, "empty"),
    ping("a bare number", "42", P, "expected a JSON object"),
    ping("an array of numbers", "[1, 2, 3]", "{tmp}/p.json[0]", "3 skipped"),
    ping("an empty array", "[]", P, "no payload"),
    ping("nested 50,000 deep", "[" * 50_000 + "]" * 50_000, f"{P}:1:", "deeper than 100 levels"),
    ping("an object nested 5,000 deep", '{"a":' * 5_000 + "1" + "}" * 5_000, f"{P}:1:", "deeper than 100"),
    ping("no uuid", spoiled(uuid=None), P, "instance id"),
    ping("uuid is an object", spoiled(uuid={"id": 1}), P, "uuid"),
    ping("recorded_at garbage", spoiled(recorded_at="last tuesday"), P, "recorded_at"),
    ping("version missing", spoiled(version=None), P, "version"),
    ping("text in a count", spoiled(active_user_count="many"), P, "active_user_count", "the text 'many' where a count"),
    ping("an object in a count", spoiled(active_user_count={"n": 1}), P, "active_user_count"),
    ping("counts is a list", spoiled(counts=[1, 2]), P, "counts"),
    ping("latin-1 bytes", lambda demo: good_payload(demo).replace(b'"hostname": "', b'"hostname": "\xe9', 1), P),
    ping("binary", bytes(range(256)) * 16, P),
    ping("gz that is not gzip", lambda demo: good_payload(demo), "{tmp}/p.json.gz", name="p.json.gz",
         argv="ingest service-ping {tmp}/p.json.gz --out {tmp}/usage.parquet"),
    ping("gz cut short", lambda demo: gzip.compress(good_payload(demo))[:200], "{tmp}/p.json.gz", name="p.json.gz",
         argv="ingest service-ping {tmp}/p.json.gz --out {tmp}/usage.parquet"),
    ping("jsonl: every line bad", "{\n[1]\n42\n", "{tmp}/p.jsonl:1", name="p.jsonl",
         argv="ingest service-ping {tmp}/p.jsonl --out {tmp}/usage.parquet"),
    ping("jsonl: a deep line", "[" * 1_000 + "]" * 1_000 + "\n", "{tmp}/p.jsonl:1:", "deeper", name="p.jsonl",
         argv="ingest service-ping {tmp}/p.jsonl --out {tmp}/usage.parquet"),
    case("folder without payloads", "ingest service-ping {tmp}/pings --out {tmp}/usage.parquet", "{tmp}/pings",
         "no payload files", files={"pings/readme.txt": "nothing"}),
    case("payload missing", INGEST, P, "no such file"),
    # the outputs
    ping("--out xlsx", good_payload, "{tmp}/usage.xlsx", ".xlsx",
         argv="ingest service-ping {tmp}/p.json --out {tmp}/usage.xlsx"),
    ping("--out is a folder", good_payload, "{tmp}/out.parquet", "folder", argv="ingest service-ping {tmp}/p.json "
         "--out {tmp}/out.parquet", **{"earlier": {"out.parquet/keep": "x"}}),
    ping("--out is the payload", good_payload, "{tmp}/p.csv", "--out is the payload file this command reads",
         name="p.csv", argv="ingest service-ping {tmp}/p.csv --out {tmp}/p.csv"),
    ping("--out inside the payload folder", good_payload, "--out is inside the payload folder", name="pings/p.json",
         argv="ingest service-ping {tmp}/pings --out {tmp}/pings/usage.parquet"),
    ping("--out under a file", good_payload, "{tmp}/p.json/usage.parquet",
         argv="ingest service-ping {tmp}/p.json --out {tmp}/p.json/usage.parquet"),
    ping("--skipped not csv", good_payload, "--skipped", ".csv",
         argv=INGEST + " --skipped {tmp}/skipped.txt"),
    ping("--workers 0", good_payload, "'--workers'", argv=INGEST + " --workers 0"),
    ping("earlier table kept", "{", P, earlier={"usage.parquet": b"earlier table", "skipped.csv": "earlier\n"},
         argv=INGEST + " --skipped {tmp}/skipped.csv"),
    # score reads payloads the same way
    ping("score: truncated payload", lambda demo: good_payload(demo)[:500], P, "truncated",
         argv="score --from service-ping {tmp}/p.json --out {tmp}/out"),
    ping("score: --table with payloads", good_payload, "--table", argv="score --from service-ping {tmp}/p.json "
         "--table t --out {tmp}/out"),
    ping("score: --mapping without --from", good_payload, "--mapping",
         argv="score {demo}/usage.parquet --mapping {tmp}/p.json --out {tmp}/out"),
    # mapping files
    mapping("mapping: yaml syntax error", "columns:\n  x: {type: count, key: [a\n", "YAML"),
    mapping("mapping: unknown type", "columns:\n  x: {type: sometimes, key: a}\n", "m.yaml:2:", "not 'sometimes'"),
    mapping("mapping: unknown field", "columns:\n  x: {type: count, kee: a}\n", "m.yaml:2:", "kee"),
    mapping("mapping: not a mapping", "- a\n- b\n", "mapping"),
    mapping("mapping: anchor bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)), "alias"),
    mapping("mapping: deep nesting", "columns: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested"),
    mapping("mapping: binary", bytes(range(256)).decode("latin-1"), "m.yaml:1:1", "#x0000"),
    mapping("mapping: format 2", "format: 2\n", "format"),
    case("mapping missing", MAPPING, "{tmp}/m.yaml"),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_service_ping(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
